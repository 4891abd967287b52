import { ExitCode, SuiteError } from '../errors';
import { ProviderStates, scriptIdParameter } from '../consumer/contractNames';
import { type SetupHttpOptions, sendSetupRequest } from './setupHttp';

/** A fixture this run created on the provider and must delete. */
export interface Fixture {
  /** Empty when a create call got no response, so the id is not known. */
  scriptId: string;
  displayName: string;
  /** The reason the fixture is still there, for the list printed at the end. */
  problem?: string;
}

/** Sets up and tears down the provider states of the pact, one interaction at a time. */
export interface ProviderStateHandlers {
  setup(state: string, params: Record<string, unknown>): Promise<Record<string, string>>;
  teardown(state: string, params: Record<string, unknown>): Promise<void>;
  /**
   * Waits for set-up and tear-down calls still running, then deletes every
   * fixture still present; returns those that could not be deleted.
   */
  cleanUp(): Promise<Fixture[]>;
}

export interface GraphStateOptions extends SetupHttpOptions {
  /** Service root, such as https://graph.microsoft.com/beta. */
  baseUrl: string;
  /** Marks fixtures, so a person can tell which run left one behind. */
  runId: string;
}

/** One HTTP call a provider state makes, as --dry-run prints it. */
export interface PlannedCall {
  phase: 'set-up' | 'tear-down';
  method: string;
  url: string;
  purpose: string;
}

/** Formats a fixture for the list of fixtures left on the provider. */
export function describeFixture(fixture: Fixture): string {
  const id = fixture.scriptId === '' ? 'id unknown' : fixture.scriptId;
  return `deviceHealthScript ${id} (displayName "${fixture.displayName}")${fixture.problem ? `: ${fixture.problem}` : ''}`;
}

function collectionUrlOf(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/deviceManagement/deviceHealthScripts`;
}

/**
 * Lists the calls the Graph state handlers would make for one provider
 * state, without making them. In the URLs, `{scriptId}` is the id the
 * provider assigns at set-up.
 */
export function plannedStateCalls(baseUrl: string, state: string, params: Record<string, unknown>): PlannedCall[] {
  const collectionUrl = collectionUrlOf(baseUrl);
  if (state === ProviderStates.scriptExists) {
    return [
      { phase: 'set-up', method: 'POST', url: collectionUrl, purpose: 'create a fixture script marked "contract-test fixture <run id>"' },
      { phase: 'tear-down', method: 'DELETE', url: `${collectionUrl}/{scriptId}`, purpose: 'delete the fixture script' },
    ];
  }
  if (state === ProviderStates.scriptMissing) {
    const requested = params[scriptIdParameter];
    const scriptId = typeof requested === 'string' ? requested : '';
    return [{ phase: 'set-up', method: 'GET', url: `${collectionUrl}/${encodeURIComponent(scriptId)}`, purpose: 'check that no script has this id (expects 404)' }];
  }
  return [];
}

/**
 * Provider states through the Graph API itself: the parent script is created
 * with POST …/deviceHealthScripts before an interaction and deleted after it.
 * The same handlers serve the embedded reference provider and a deployed one.
 */
export function graphStateHandlers(options: GraphStateOptions): ProviderStateHandlers {
  const collectionUrl = collectionUrlOf(options.baseUrl);
  const live = new Map<string, Fixture>();
  // Create calls that got no response: the provider may contain the script under an unknown id.
  const unconfirmed: Fixture[] = [];
  const running = new Set<Promise<unknown>>();
  let created = 0;
  let current: Fixture | undefined;

  // cleanUp waits for these, so a script created while an interrupt arrives is deleted too.
  function track<T>(work: Promise<T>): Promise<T> {
    running.add(work);
    const forget = (): void => {
      running.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  async function createScript(): Promise<Fixture> {
    created += 1;
    const displayName = `contract-test fixture ${options.runId} #${created}`;
    let response;
    try {
      response = await sendSetupRequest('POST', collectionUrl, options, {
        '@odata.type': '#microsoft.graph.deviceHealthScript',
        displayName,
        description: 'Created by the runSummary contract suite; safe to delete.',
        publisher: 'contract-test',
        runAsAccount: 'system',
        enforceSignatureCheck: false,
        runAs32Bit: false,
        // "exit 0" in PowerShell: a detection script that always reports healthy.
        detectionScriptContent: Buffer.from('exit 0').toString('base64'),
      });
    } catch (error) {
      if (error instanceof SuiteError && (error.code === 'provider.timeout' || error.code === 'provider.request.failed')) {
        unconfirmed.push({ scriptId: '', displayName, problem: `the create call got no response (${error.code}), so the script may exist; look it up by its displayName` });
      }
      throw error;
    }
    rejectCredentials(response.status, 'POST', collectionUrl);
    const id = (response.body as { id?: unknown } | undefined)?.id;
    if (response.status !== 201 || typeof id !== 'string') {
      throw new SuiteError(
        'state.setup.failed',
        `Creating the parent script with POST ${collectionUrl} answered ${response.status}${typeof id === 'string' ? '' : ' without an id'}`,
        'Check that the provider implements POST /deviceManagement/deviceHealthScripts, or pass --provider-states-setup-url.',
      );
    }
    const fixture = { scriptId: id, displayName };
    live.set(id, fixture);
    return fixture;
  }

  async function deleteScript(fixture: Fixture): Promise<boolean> {
    const url = `${collectionUrl}/${encodeURIComponent(fixture.scriptId)}`;
    let status: number;
    try {
      // Deletions keep retrying after an interrupt, because that is when they matter most.
      status = (await sendSetupRequest('DELETE', url, { ...options, signal: undefined })).status;
    } catch (error) {
      fixture.problem = `DELETE ${url} failed: ${error instanceof SuiteError ? error.code : 'network error'}`;
      return false;
    }
    if (status === 204 || status === 200 || status === 404) {
      live.delete(fixture.scriptId);
      return true;
    }
    fixture.problem = `DELETE ${url} answered ${status}${status === 401 || status === 403 ? ', so the token may lack the permission to delete' : ''}`;
    return false;
  }

  async function checkScriptMissing(params: Record<string, unknown>): Promise<Record<string, string>> {
    const requested = params[scriptIdParameter];
    const scriptId = typeof requested === 'string' ? requested : '';
    const url = `${collectionUrl}/${encodeURIComponent(scriptId)}`;
    const response = await sendSetupRequest('GET', url, options);
    rejectCredentials(response.status, 'GET', url);
    if (response.status !== 404) {
      throw new SuiteError(
        'state.setup.failed',
        `Expected no script with id '${scriptId}', but GET ${url} answered ${response.status}`,
        'Delete that script, or change the id in the pact state parameters.',
      );
    }
    return { [scriptIdParameter]: scriptId };
  }

  return {
    setup(state, params) {
      if (state === ProviderStates.scriptExists) {
        return track(
          createScript().then((fixture) => {
            current = fixture;
            return { [scriptIdParameter]: fixture.scriptId };
          }),
        );
      }
      if (state === ProviderStates.scriptMissing) {
        return track(checkScriptMissing(params));
      }
      return Promise.reject(new SuiteError('state.unknown', `No handler for provider state '${state}'`, `Add a handler for '${state}' in contracts/verification/providerStates.ts.`));
    },

    async teardown(state) {
      if (state === ProviderStates.scriptExists && current) {
        const fixture = current;
        current = undefined;
        await track(deleteScript(fixture));
      }
    },

    async cleanUp() {
      await Promise.allSettled([...running]);
      const left: Fixture[] = [...unconfirmed];
      for (const fixture of [...live.values()]) {
        const deleted = await deleteScript(fixture);
        if (!deleted) {
          left.push(fixture);
        }
      }
      return left;
    },
  };
}

function rejectCredentials(status: number, method: string, url: string): void {
  if (status === 401 || status === 403) {
    throw new SuiteError(
      status === 401 ? 'credentials.rejected' : 'credentials.forbidden',
      `${method} ${url} answered ${status}: the provider ${status === 401 ? 'did not accept the token' : 'denied the permission this set-up needs'}`,
      status === 401
        ? 'Check GRAPH_ACCESS_TOKEN or the AZURE_* client credentials, and that the token is for https://graph.microsoft.com.'
        : 'Grant the app DeviceManagementScripts.ReadWrite.All and DeviceManagementConfiguration.ReadWrite.All, with admin consent.',
      { exitCode: ExitCode.credentialsRejected },
    );
  }
}
