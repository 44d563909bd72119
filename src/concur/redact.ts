/**
 * Keeps secrets out of everything the extension writes for people to read: the log channel,
 * error messages, titles. Two layers: patterns that catch anything token-shaped, and the exact
 * values the session layer knows to be secret (opaque refresh tokens and passwords have no shape).
 */

export const REDACTED = '«redacted»';

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // A JWT: three base64url segments, the first one a JSON header ("eyJ" = '{"').
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // Form or query parameters and JSON properties that carry secrets.
  [
    /\b(access_token|refresh_token|id_token|client_secret|password|otp)(["']?\s*[=:]\s*["']?)([^&\s"',}]+)/gi,
    `$1$2${REDACTED}`,
  ],
  // An authorization code in a redirect or form; Concur's numeric error `code` stays readable.
  [/\bcode=([A-Za-z0-9._~-]{12,})/g, `code=${REDACTED}`],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers an exact secret value (a password, an opaque refresh token) to hide wherever it appears. */
  add(secret: string | undefined): void {
    // Very short values would redact ordinary words; nothing Concur issues is that short.
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  delete(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}

/** Redaction without known values: for text produced before any session exists. */
export function redactPatterns(text: string): string {
  return new Redactor().redact(text);
}
