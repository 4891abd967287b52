import { ExitCode, SuiteError } from '../errors';
import { ProviderStates, scriptIdParameter } from '../consumer/interactions';
import { type SetupHttpOptions, sendSetupRequest } from './setupHttp';

/** A fixture this run created on the provider and must delete. */
export interface Fixture {
  scriptId: string;
  displayName: string;
}

/** Sets up and tears down the provider states of the pact, one interaction at a time. */
export interface ProviderStateHandlers {
  setup(state: string, params: Record<string, unknown>): Promise<Record<string, string>>;
  teardown(state: string, params: Record<string, unknown>): Promise<void>;
  /** Deletes every fixture still present; returns those that could not be deleted. */
  cleanUp(): Promise<Fixture[]>;
}

export interface GraphStateOptions extends SetupHttpOptions {
  /** Service root, such as https://graph.microsoft.com/beta. */
  baseUrl: string;
  /** Marks fixtures, so a person can tell which run left one behind. */
  runId: string;
}

/**
 * Provider states through the Graph API itself: the parent script is created
 * with POST …/deviceHealthScripts before an interaction and deleted after it.
 * The same handlers serve the embedded reference provider and a deployed one.
 */
export function graphStateHandlers(options: GraphStateOptions): ProviderStateHandlers {
  const collectionUrl = `${options.baseUrl.replace(/\/+$/, '')}/deviceManagement/deviceHealthScripts`;
  const live = new Map<string, Fixture>();
  let current: Fixture | undefined;

  async function createScript(): Promise<Fixture> {
    const displayName = `contract-test fixture ${options.runId}`;
    const response = await sendSetupRequest('POST', collectionUrl, options, {
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
    const response = await sendSetupRequest('DELETE', url, options);
    if (response.status === 204 || response.status === 200 || response.status === 404) {
      live.delete(fixture.scriptId);
      return true;
    }
    return false;
  }

  return {
    async setup(state, params) {
      if (state === ProviderStates.scriptExists) {
        current = await createScript();
        return { [scriptIdParameter]: current.scriptId };
      }
      if (state === ProviderStates.scriptMissing) {
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
      throw new SuiteError('state.unknown', `No handler for provider state '${state}'`, `Add a handler for '${state}' in contracts/verification/providerStates.ts.`);
    },

    async teardown(state) {
      if (state === ProviderStates.scriptExists && current) {
        const fixture = current;
        current = undefined;
        await deleteScript(fixture);
      }
    },

    async cleanUp() {
      const left: Fixture[] = [];
      for (const fixture of [...live.values()]) {
        const deleted = await deleteScript(fixture).catch(() => false);
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
