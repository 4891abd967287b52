/** The text that replaces a secret wherever output would show it. */
export const redactedMarker = '[redacted]';

/**
 * Removes secrets from text before it reaches the console, a report or an
 * error message. Known secrets are replaced wherever they appear, including
 * inside a provider's echoed body. Any bearer credential of 16 or more
 * characters is replaced too, so a token the suite never saw is hidden as well.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Adds a secret; values shorter than 8 characters are ignored, since they would blank ordinary words. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 8) {
      this.secrets.add(secret);
    }
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      result = result.split(secret).join(redactedMarker);
    }
    // Credentials are long; the length floor keeps prose such as "bearer token" readable.
    return result.replace(/\b(Bearer)\s+(?!\[redacted\])[A-Za-z0-9\-._~+/]{16,}=*/gi, `$1 ${redactedMarker}`);
  }

  /** Redacts every string inside a JSON-like value. */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}
