import { existsSync } from 'node:fs';
import type { AuthenticationError, TokenCredential } from '@azure/identity';
import { ExitCode, SuiteError, messageOf } from '../errors';
import { parseUserUrl } from './setupHttp';

/** The scope of an app-only token for Microsoft Graph with the app's granted permissions. */
export const graphScope = 'https://graph.microsoft.com/.default';

/** Microsoft Entra ID's public-cloud authority, the default of @azure/identity. */
export const defaultAuthorityHost = 'https://login.microsoftonline.com';

/** Where the bearer token for a deployed provider comes from. No variant contains a secret. */
export type TokenSource =
  | { kind: 'none' }
  | { kind: 'access-token'; variable: 'GRAPH_ACCESS_TOKEN' }
  | { kind: 'client-secret' | 'client-certificate'; tenantId: string; clientId: string; authorityHost: string; tokenEndpoint: string };

/** Values of the environment that are secrets, for the redactor, each also without surrounding whitespace. */
export function secretsOf(environment: NodeJS.ProcessEnv): string[] {
  return [environment.GRAPH_ACCESS_TOKEN, environment.AZURE_CLIENT_SECRET]
    .filter((value): value is string => Boolean(value))
    .flatMap((value) => [value, value.trim()]);
}

/** The Redactor ignores shorter secrets, so a shorter token could be printed. */
export const minTokenLength = 8;

/**
 * Rejects a bearer token that cannot be sent in an Authorization header or
 * could not be hidden from output: any character outside visible ASCII
 * (control characters, whitespace, non-ASCII) or fewer than 8 characters.
 * `origin` names where the token came from. The message never contains the token.
 */
export function checkToken(token: string, origin: string, hint: string): string {
  const problems: string[] = [];
  const control = token.search(/[\u0000-\u001f\u007f-\u009f]/);
  const whitespace = token.search(/\s/);
  const nonAscii = token.search(/[^\u0000-\u007f]/);
  if (control !== -1) {
    problems.push(`a control character at position ${control + 1}`);
  }
  if (whitespace !== -1 && whitespace !== control) {
    problems.push(`whitespace at position ${whitespace + 1}`);
  }
  if (nonAscii !== -1 && nonAscii !== control && nonAscii !== whitespace) {
    problems.push(`a non-ASCII character at position ${nonAscii + 1}`);
  }
  if (token.length < minTokenLength) {
    problems.push(`only ${token.length} character${token.length === 1 ? '' : 's'}, fewer than ${minTokenLength}`);
  }
  if (problems.length > 0) {
    throw new SuiteError('credentials.token-invalid', `The token from ${origin} is not a usable bearer token: it has ${problems.join(' and ')} (the token is not shown)`, hint);
  }
  return token;
}

/**
 * Reads GRAPH_ACCESS_TOKEN, or undefined when it is unset or empty.
 * Surrounding spaces, tabs and line breaks are removed, because secret
 * stores and `echo` often add a final newline. Whitespace inside the token
 * is rejected by checkToken.
 */
export function readAccessToken(environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment.GRAPH_ACCESS_TOKEN;
  if (!value) {
    return undefined;
  }
  return checkToken(value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''), 'GRAPH_ACCESS_TOKEN', 'Set GRAPH_ACCESS_TOKEN to the bearer token alone, without quotes, "Bearer " or line breaks inside it.');
}

/**
 * Reads the token source from the environment without any network call:
 * GRAPH_ACCESS_TOKEN if set, else client credentials from the AZURE_*
 * variables that @azure/identity's EnvironmentCredential also reads. An
 * incomplete set of AZURE_* variables is an error, so a typo does not
 * silently fall back to sending no token.
 */
export function readTokenSource(environment: NodeJS.ProcessEnv): TokenSource {
  if (readAccessToken(environment) !== undefined) {
    return { kind: 'access-token', variable: 'GRAPH_ACCESS_TOKEN' };
  }
  const tenantId = environment.AZURE_TENANT_ID ?? '';
  const clientId = environment.AZURE_CLIENT_ID ?? '';
  const secret = environment.AZURE_CLIENT_SECRET ?? '';
  const certificatePath = environment.AZURE_CLIENT_CERTIFICATE_PATH ?? '';
  if (!tenantId && !clientId && !secret && !certificatePath) {
    return { kind: 'none' };
  }

  const missing = [
    tenantId ? undefined : 'AZURE_TENANT_ID',
    clientId ? undefined : 'AZURE_CLIENT_ID',
    secret || certificatePath ? undefined : 'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH',
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    throw new SuiteError(
      'credentials.incomplete',
      `Client credentials are incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`,
      'Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or set GRAPH_ACCESS_TOKEN instead.',
    );
  }
  if (!secret && !existsSync(certificatePath)) {
    throw new SuiteError(
      'credentials.certificate-not-found',
      `AZURE_CLIENT_CERTIFICATE_PATH names ${certificatePath}, which does not exist`,
      'Point it at a PEM file that holds the certificate and its private key.',
    );
  }

  const authorityHost = readAuthorityHost(environment.AZURE_AUTHORITY_HOST);
  return {
    kind: secret ? 'client-secret' : 'client-certificate',
    tenantId,
    clientId,
    authorityHost,
    tokenEndpoint: `${authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
  };
}

function readAuthorityHost(value: string | undefined): string {
  // Empty counts as unset, like the other AZURE_* variables.
  const text = value || defaultAuthorityHost;
  parseUserUrl(text, { name: 'AZURE_AUTHORITY_HOST', code: 'credentials.authority-invalid', httpsOnly: true, example: defaultAuthorityHost });
  return text.replace(/\/+$/, '');
}

/** Describes the token source in one line, without any secret. */
export function describeTokenSource(source: TokenSource): string {
  switch (source.kind) {
    case 'none':
      return "no token: GRAPH_ACCESS_TOKEN and AZURE_* are unset, so the pact's placeholder token is sent";
    case 'access-token':
      return 'the bearer token in GRAPH_ACCESS_TOKEN';
    default:
      return `client credentials (${source.kind === 'client-secret' ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH'}) of app ${source.clientId} in tenant ${source.tenantId}, from ${source.tokenEndpoint}, scope ${graphScope}`;
  }
}

/**
 * Returns the bearer token for the source, requesting one from the token
 * endpoint for client credentials. A failed token request throws a
 * SuiteError with exit code 3 (`credentials.token-endpoint`, or
 * `credentials.authority-unavailable` when the authority's OpenID
 * configuration cannot be read), except a timeout, which is
 * `credentials.timeout` with exit code 2.
 */
export async function acquireToken(
  source: TokenSource,
  environment: NodeJS.ProcessEnv,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<string | undefined> {
  if (source.kind === 'none') {
    return undefined;
  }
  if (source.kind === 'access-token') {
    return readAccessToken(environment);
  }

  // Instance discovery would first ask login.microsoftonline.com about the
  // authority; with it off, the only host contacted is AZURE_AUTHORITY_HOST.
  // Retries are off because their back-off outlasts --timeout and hides the cause.
  const credentialOptions = { authorityHost: source.authorityHost, disableInstanceDiscovery: true, retryOptions: { maxRetries: 0 } };
  // Loaded here, not at the top: @azure/identity costs about 0.1 s to load and most runs use no client credentials.
  const { ClientCertificateCredential, ClientSecretCredential } = await import('@azure/identity');
  const credential: TokenCredential =
    source.kind === 'client-secret'
      ? new ClientSecretCredential(source.tenantId, source.clientId, environment.AZURE_CLIENT_SECRET ?? '', credentialOptions)
      : new ClientCertificateCredential(source.tenantId, source.clientId, { certificatePath: environment.AZURE_CLIENT_CERTIFICATE_PATH ?? '' }, credentialOptions);

  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const token = await credential.getToken(graphScope, { abortSignal: signal, requestOptions: { timeout: options.timeoutMs } });
    if (!token?.token) {
      throw new SuiteError('credentials.token-endpoint', `The token endpoint ${source.tokenEndpoint} returned no access token`, 'Check the app registration and AZURE_AUTHORITY_HOST.', { exitCode: ExitCode.credentialsRejected });
    }
    return checkToken(token.token, `the token endpoint ${source.tokenEndpoint}`, 'Check what the token endpoint returns in access_token; a Microsoft Entra ID token is a JWT of visible ASCII characters.');
  } catch (error) {
    const { AuthenticationError } = await import('@azure/identity');
    throw tokenError(source, error instanceof AuthenticationError ? error : undefined, error, options, timeout.aborted);
  }
}

function tokenError(
  source: Extract<TokenSource, { tokenEndpoint: string }>,
  authenticationError: AuthenticationError | undefined,
  error: unknown,
  options: { timeoutMs: number; signal?: AbortSignal },
  timedOut: boolean,
): SuiteError {
  if (error instanceof SuiteError) {
    return error;
  }
  if (options.signal?.aborted) {
    return new SuiteError('run.interrupted', 'Verification was interrupted while requesting a token', 'Run it again when ready.', { exitCode: ExitCode.interrupted });
  }
  if (timedOut) {
    return new SuiteError('credentials.timeout', `The token request to ${source.tokenEndpoint} timed out after ${options.timeoutMs} ms`, 'Check AZURE_AUTHORITY_HOST and the network, or raise --timeout (milliseconds).', { cause: error });
  }
  if (messageOf(error).startsWith('endpoints_resolution_error')) {
    const configurationUrl = `${source.authorityHost}/${encodeURIComponent(source.tenantId)}/v2.0/.well-known/openid-configuration`;
    return new SuiteError(
      'credentials.authority-unavailable',
      `Reading the OpenID configuration ${configurationUrl} failed, so no token could be requested: the authority host is unreachable, its certificate is not trusted, or it does not know tenant ${source.tenantId}`,
      'Check AZURE_AUTHORITY_HOST and AZURE_TENANT_ID; for a private CA, give it through NODE_EXTRA_CA_CERTS.',
      { exitCode: ExitCode.credentialsRejected, cause: error },
    );
  }
  if (authenticationError) {
    const answer = authenticationError.errorResponse;
    const detail = firstLine(answer.errorDescription);
    return new SuiteError(
      'credentials.token-endpoint',
      `The token endpoint ${source.tokenEndpoint} rejected the client credentials of app ${source.clientId}: ${authenticationError.statusCode} ${answer.error}${detail ? ` (${detail})` : ''}`,
      'Check AZURE_TENANT_ID, AZURE_CLIENT_ID and the client secret or certificate, and that the app registration exists in that tenant.',
      { exitCode: ExitCode.credentialsRejected, cause: error },
    );
  }
  return new SuiteError(
    'credentials.token-endpoint',
    `Requesting a token from ${source.tokenEndpoint} for app ${source.clientId} failed: ${firstLine(messageOf(error))}`,
    'Check AZURE_TENANT_ID, AZURE_CLIENT_ID, the client secret or certificate, and AZURE_AUTHORITY_HOST.',
    { exitCode: ExitCode.credentialsRejected, cause: error },
  );
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split(/\r?\n/)[0]?.trim() ?? '';
}
