import { isIP } from 'node:net';
import { SuiteError, messageOf } from '../errors';

export interface SetupHttpOptions {
  token?: string;
  timeoutMs: number;
  /** Attempts for a 429 or 503 response, the first included. */
  maxAttempts: number;
  /** Wait used when a 429 or 503 response has no usable Retry-After, in milliseconds. */
  defaultRetryDelayMs: number;
  /** Upper bound on one wait, so a huge Retry-After cannot stall a CI job. */
  maxRetryDelayMs: number;
  /** Aborting ends a wait between attempts and stops further attempts; a call already sent still completes. */
  signal?: AbortSignal;
  /** Receives one line per retry, such as "POST … answered 429; retrying in 2.0 s (attempt 2 of 4)". */
  onRetry?: (message: string) => void;
}

export interface SetupResponse {
  status: number;
  body: unknown;
}

/**
 * Sends one set-up or clean-up call (never the verified request). It retries
 * 429 and 503 after Retry-After, within bounds, and turns network failures
 * into SuiteErrors that name the URL. The token is never part of a message.
 */
export async function sendSetupRequest(method: string, url: string, options: SetupHttpOptions, body?: unknown): Promise<SetupResponse> {
  for (let attempt = 1; ; attempt += 1) {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw networkError(method, url, error, options.timeoutMs);
    }

    const text = await response.text();
    const retryable = response.status === 429 || response.status === 503;
    if (retryable && attempt < options.maxAttempts && !options.signal?.aborted) {
      const delay = retryDelay(response.headers.get('retry-after'), options);
      options.onRetry?.(`${method} ${url} answered ${response.status}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${options.maxAttempts})`);
      if (await sleep(delay, options.signal)) {
        continue;
      }
    }
    return { status: response.status, body: parseJson(text) };
  }
}

/** Computes the wait before the next attempt from a Retry-After value in seconds or as an HTTP date. */
export function retryDelay(retryAfter: string | null, options: Pick<SetupHttpOptions, 'defaultRetryDelayMs' | 'maxRetryDelayMs'>): number {
  let delay = options.defaultRetryDelayMs;
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) {
      delay = seconds * 1000;
    } else {
      const date = Date.parse(retryAfter);
      if (!Number.isNaN(date)) {
        delay = Math.max(0, date - Date.now());
      }
    }
  }
  return Math.min(delay, options.maxRetryDelayMs);
}

// Node reports these when a certificate chain does not end at a trusted CA.
const untrustedCertificateCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** Classifies a failed fetch: timeout, DNS, TLS, refused connection, or other. */
export function networkError(method: string, url: string, error: unknown, timeoutMs: number): SuiteError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? '';
  const name = (error as { name?: string }).name;
  const target = `${method} ${url}`;

  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SuiteError('provider.timeout', `${target} timed out after ${timeoutMs} ms`, 'Check that the provider is up, or raise --timeout (milliseconds).', { cause: error });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SuiteError('provider.dns', `${target} failed: the host name ${hostOf(url)} does not resolve (${code})`, 'Check the host in --provider-base-url and the DNS settings of this machine.', { cause: error });
  }
  if (untrustedCertificateCodes.has(code) || code.startsWith('ERR_TLS') || code.includes('CERT')) {
    return new SuiteError(
      'provider.tls',
      `${target} failed: the TLS certificate of ${hostOf(url)} was not accepted (${code})`,
      'Give the CA that signed the provider certificate through NODE_EXTRA_CA_CERTS=/path/to/ca.pem; TLS verification cannot be turned off.',
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new SuiteError('provider.unreachable', `${target} failed: ${hostOf(url)} is unreachable (${code})`, 'Start the provider, or correct the host and port in --provider-base-url.', { cause: error });
  }
  // undici (Node's fetch) rejects ports of its "bad ports" list, such as 1 and 6000, before connecting.
  if (cause?.message === 'bad port') {
    const port = portOf(url);
    return new SuiteError(
      'provider.port-blocked',
      `${target} was not sent: Node's fetch blocks port ${port}, which is on its list of bad ports`,
      'Run the provider on another port, such as 8080 or 8443, and put that port in the URL.',
      { cause: error },
    );
  }
  return new SuiteError('provider.request.failed', `${target} failed: ${cause?.message ?? messageOf(error)}`, 'Check that the provider is up and reachable from this machine.', { cause: error });
}

/** Returns a URL's port, the scheme's default port when the URL has none. */
function portOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  } catch {
    return 'unknown';
  }
}

/**
 * Replaces the password in a URL's user info with `***`, so a message can
 * show the URL without the secret. Works on text that does not parse as a URL too.
 */
export function maskUserInfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i, (_match, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    return `${scheme}${colon === -1 ? userInfo : `${userInfo.slice(0, colon)}:***`}@`;
  });
}

export interface UrlRules {
  /** The option or variable the URL came from, named in messages. */
  name: string;
  /** The error code of a rejected URL. */
  code: string;
  /** Accept only https; otherwise http and https are accepted. */
  httpsOnly?: boolean;
  /** An example of a valid value, for the hint. */
  example: string;
}

/**
 * Parses a URL given by the user and rejects what would be ignored, altered
 * or leaked on the way. That is whitespace or control characters, which the
 * URL parser drops silently, and a scheme other than http(s). It is also
 * user info, because a password would be printed and sent, and a query
 * string or fragment, because the verified paths are appended to the URL.
 * Messages show the URL with its password masked.
 */
export function parseUserUrl(text: string, rules: UrlRules): URL {
  const masked = maskUserInfo(text);
  // Quoted only when needed, so an empty value or a line break stays visible.
  const displayedUrl = masked === '' || /[\s"]/.test(masked) || /[^\u0021-\u007e]/.test(masked) ? JSON.stringify(masked) : masked;
  const reject = (problem: string, hint: string): SuiteError => new SuiteError(rules.code, `${rules.name} ${displayedUrl} ${problem}`, hint);
  const schemes = rules.httpsOnly ? 'https' : 'http or https';
  if (text === '') {
    throw reject('is empty', `Use an absolute ${schemes} URL such as ${rules.example}.`);
  }
  if (/[\s\u0000-\u001f\u007f]/.test(text)) {
    throw reject('contains whitespace or a control character', `Remove the whitespace or line break, for example ${rules.example}.`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw reject('is not a valid URL', `Use an absolute ${schemes} URL such as ${rules.example}.`);
  }
  if (url.protocol !== 'https:' && (rules.httpsOnly || url.protocol !== 'http:')) {
    throw reject(rules.httpsOnly ? 'does not use https' : `uses ${url.protocol}, not ${schemes}`, `Use a URL such as ${rules.example}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw reject('contains user info (user name or password)', 'Remove the user name and password from the URL. The bearer token comes from GRAPH_ACCESS_TOKEN or the AZURE_* variables.');
  }
  if (text.includes('?') || text.includes('#')) {
    throw reject('contains a query string or fragment, which the request paths cannot be appended to', `Remove everything from the "?" or "#" on, for example ${rules.example}.`);
  }
  return url;
}

/** Tells whether a host name is this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') {
    return true;
  }
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Rejects a URL whose host is neither loopback nor named in `allowedHosts`,
 * so a typo or a stale variable cannot send writes to a real tenant. Hosts
 * compare case-insensitively and without the port.
 */
export function assertHostAllowed(url: URL, allowedHosts: readonly string[], optionName: string): void {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = allowedHosts.map((entry) => entry.replace(/^\[|\]$/g, '').toLowerCase());
  if (isLoopbackHost(host) || allowed.includes(host)) {
    return;
  }
  throw new SuiteError(
    'provider.host-not-allowed',
    `${optionName} ${url.origin} points at ${host}, which is not a loopback host and was not given with --allow-host`,
    `If you mean to create and delete test fixtures on ${host}, add --allow-host ${host}.`,
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Waits, or stops early when the signal aborts; returns whether the full wait passed. */
function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function parseJson(text: string): unknown {
  try {
    return text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}
