/**
 * The members of a deviceHealthScriptRunSummary. A test checks that these
 * names equal the members of the OpenAPI schema, so the type cannot drift.
 */
export interface DeviceHealthScriptRunSummary {
  '@odata.type'?: '#microsoft.graph.deviceHealthScriptRunSummary';
  id: string;
  detectionScriptErrorDeviceCount: number;
  detectionScriptNotApplicableDeviceCount?: number;
  detectionScriptPendingDeviceCount: number;
  issueDetectedDeviceCount: number;
  issueRemediatedCumulativeDeviceCount: number;
  issueRemediatedDeviceCount: number;
  issueReoccurredDeviceCount: number;
  lastScriptRunDateTime: string | null;
  noIssueDetectedDeviceCount: number;
  remediationScriptErrorDeviceCount: number;
  remediationSkippedDeviceCount: number;
}

/** The request body: the summary without the read-only `id`. */
export type DeviceHealthScriptRunSummaryCreate = Omit<DeviceHealthScriptRunSummary, 'id'>;

/** An OData error response from Graph, with its status and the fields callers branch on. */
export class GraphApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, requestId?: string, retryAfterSeconds?: number) {
    super(`Graph answered ${status} ${code}: ${message}`);
    this.name = 'GraphApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A response that is neither the documented success nor an OData error. */
export class UnexpectedResponseError extends Error {
  readonly status: number;

  constructor(status: number, detail: string) {
    super(`Unexpected response ${status}: ${detail}`);
    this.name = 'UnexpectedResponseError';
    this.status = status;
  }
}

export interface RunSummaryClientOptions {
  /** Service root, such as https://graph.microsoft.com/beta; its path is kept. */
  baseUrl: string;
  /** Returns a bearer token, or undefined to send none. */
  getToken?: () => Promise<string | undefined> | string | undefined;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

/** A typed client for creating the run summary of a device health script. */
export class RunSummaryClient {
  private readonly baseUrl: string;
  private readonly getToken: RunSummaryClientOptions['getToken'];
  private readonly timeoutMs: number;

  constructor(options: RunSummaryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.getToken = options.getToken;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * Creates the run summary and returns the object Graph put in `value`.
   * Throws GraphApiError for an OData error body and UnexpectedResponseError
   * for any other response that is not 201 with a `value` object.
   */
  async createRunSummary(scriptId: string, summary: DeviceHealthScriptRunSummaryCreate | Record<string, unknown>): Promise<DeviceHealthScriptRunSummary> {
    const url = `${this.baseUrl}/deviceManagement/deviceHealthScripts/${encodeURIComponent(scriptId)}/runSummary`;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const token = await this.getToken?.();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }

    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(summary),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    const body = parseJson(text);

    if (response.status === 201) {
      const value = (body as { value?: unknown } | undefined)?.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new UnexpectedResponseError(201, 'the body has no `value` object');
      }
      return value as DeviceHealthScriptRunSummary;
    }

    const error = (body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      const requestId = error.innerError?.['request-id'];
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new GraphApiError(
        response.status,
        error.code,
        error.message,
        typeof requestId === 'string' ? requestId : response.headers.get('request-id') ?? undefined,
        Number.isFinite(retryAfter) && response.headers.has('retry-after') ? retryAfter : undefined,
      );
    }
    throw new UnexpectedResponseError(response.status, `the body is not an OData error: ${text.slice(0, 200)}`);
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
