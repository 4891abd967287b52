import { SuiteError, messageOf } from '../errors';

export interface SetupHttpOptions {
  token?: string;
  timeoutMs: number;
  /** Attempts for a 429 or 503 answer, the first included. */
  maxAttempts: number;
  /** Wait used when a 429 or 503 answer has no usable Retry-After, in milliseconds. */
  defaultRetryDelayMs: number;
  /** Upper bound on one wait, so a huge Retry-After cannot stall a CI job. */
  maxRetryDelayMs: number;
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
    if (retryable && attempt < options.maxAttempts) {
      await sleep(retryDelay(response.headers.get('retry-after'), options));
      continue;
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
    return new SuiteError('provider.dns', `${target} failed: the host name does not resolve (${code})`, 'Check the host in --provider-base-url and your DNS settings.', { cause: error });
  }
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') {
    return new SuiteError(
      'provider.tls',
      `${target} failed: the TLS certificate was not accepted (${code})`,
      'Give the CA that signed the provider certificate through NODE_EXTRA_CA_CERTS; TLS verification stays on.',
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new SuiteError('provider.unreachable', `${target} failed: the provider is unreachable (${code})`, 'Start the provider, or correct --provider-base-url.', { cause: error });
  }
  return new SuiteError('provider.request-failed', `${target} failed: ${cause?.message ?? messageOf(error)}`, 'Check that the provider is up and reachable from this machine.', { cause: error });
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function parseJson(text: string): unknown {
  try {
    return text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}
