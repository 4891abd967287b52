/** The text that replaces a secret wherever output would show it. */
export const redactedMarker = '[redacted]';

/**
 * Removes secrets from text before it reaches the console, a report or an
 * error message. Known secrets are replaced wherever they appear, including
 * inside a provider's echoed body: as given, as they read inside a JSON
 * string (`"` and `\` escaped, optionally `/` too) and percent-encoded. Any
 * bearer credential of 16 or more characters is replaced too, so a token the
 * suite never saw is hidden as well.
 */
export class Redactor {
  /** Every form of every secret, longest first, so a form that contains another is replaced whole. */
  private forms: string[] = [];

  /** Adds a secret; values shorter than 8 characters are ignored, since they would blank ordinary words. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 8) {
      return;
    }
    const jsonEscaped = JSON.stringify(secret).slice(1, -1);
    const added = [secret, jsonEscaped, jsonEscaped.replace(/\//g, '\\/'), encodeURIComponent(secret)];
    this.forms = [...new Set([...this.forms, ...added])].sort((left, right) => right.length - left.length);
  }

  redact(text: string): string {
    let result = text;
    for (const form of this.forms) {
      result = result.split(form).join(redactedMarker);
    }
    // Credentials are long; the length floor keeps prose such as "bearer token" readable.
    return result.replace(/\b(Bearer)\s+(?!\[redacted\])[A-Za-z0-9\-._~+/]{16,}=*/gi, `$1 ${redactedMarker}`);
  }

  /**
   * Redacts every string and property name inside a JSON-like value. The
   * value goes through JSON first, as a report would, so the result is plain data.
   */
  redactValue<T>(value: T): T {
    const text = JSON.stringify(value);
    if (text === undefined) {
      return value;
    }
    return this.redactParsed(JSON.parse(text)) as T;
  }

  // Redacting each parsed string, not the serialised text, also catches a
  // secret whose JSON-escaped form differs from the raw one.
  private redactParsed(value: unknown): unknown {
    if (typeof value === 'string') {
      return this.redact(value);
    }
    if (Array.isArray(value)) {
      return value.map((entry) => this.redactParsed(entry));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [this.redact(key), this.redactParsed(entry)]));
    }
    return value;
  }
}
