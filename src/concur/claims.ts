/**
 * Turning token claims into text people can read: what each claim means for Concur, times as
 * local date-time plus "in 42 min", the expiry countdown. No `vscode` import; unit-tested with
 * fixed clocks.
 */

/** What the claims Concur puts in its tokens mean (access-token claims are not a documented contract). */
export const CLAIM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  sub: 'Subject: the UUID of the user (or company) the token stands for. APIs such as Receipts v4 require it as the user id.',
  iss: 'Issuer: the Concur service that issued the token.',
  aud: 'Audience: who may accept the token ("*" for access tokens; the client id for id_tokens).',
  exp: 'Expiry: after this moment Concur rejects the token (access tokens live one hour).',
  nbf: 'Not before: Concur rejects the token before this moment.',
  iat: 'Issued at: when Concur issued the token.',
  jti: 'Token id: a unique identifier of this token.',
  at_hash: 'Access token hash: binds the id_token to the access token issued with it.',
  'concur.version': 'Version of Concur\'s token format.',
  'concur.type': 'Token type: "user", "company" or "app" — whom the token acts for.',
  'concur.app': 'URL of the app (client) the token was issued to.',
  'concur.appId': 'Client id of the app the token was issued to.',
  'concur.profile': 'URL of the profile of the token\'s subject; call it with the token to read the profile.',
  'concur.scopes': 'Scopes granted to the token: the APIs it may call.',
  'concur.company': 'UUID of the company the subject belongs to.',
  'https://api.concursolutions.com/scopes': 'Scopes granted to the token (older, URL-named form of concur.scopes).',
  'https://api.concursolutions.com/app': 'URL of the app (older, URL-named form of concur.app).',
  legacy_application_id: 'Id of the app in Concur\'s pre-2017 authentication.',
  userURI: 'URL of the user (older form of concur.profile).',
  useruuid: 'UUID of the user (older form of sub).',
  typ: 'Header: the token type (JWT).',
  alg: 'Header: the signature algorithm (RS256: RSA with SHA-256).',
  kid: 'Header: id of the key that signed the token; the key is published at /oauth2/v0/jwks.',
};

/** Concur scopes a developer meets most, and what they allow. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'OpenID Connect: an id_token with the user\'s identity.',
  'user.read': 'Read the user\'s profile (Profile v1 /profile/v1/me).',
  EXPRPT: 'Expense reports (v3 API).',
  'expense.report.read': 'Read expense reports, expenses and reports to approve (Expense v4).',
  'expense.report.readwrite': 'Read and change expense reports (Expense v4).',
  'spend.list.read': 'Read custom lists (List v4).',
  'spend.listitem.read': 'Read custom list items (List v4).',
  'spend.user.general.read': 'Read spend user settings (Spend user v4.1).',
  'receipts.read': 'Read receipts (Receipts v4).',
  'receipts.write': 'Upload receipts (Receipts v4).',
  'locality.read': 'Read countries and localities (Localities v5).',
  'identity.user.core.read': 'Read company users\' core identity (Identity v4, company tokens).',
  'identity.user.enterprise.read': 'Read company users\' enterprise attributes (Identity v4).',
  'identity.user.coresensitive.read': 'Read company users\' sensitive core attributes (Identity v4).',
};

export const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'refresh_expires_in']);

export function describeClaim(name: string): string | undefined {
  return CLAIM_DESCRIPTIONS[name];
}

export function isUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value);
}

/** A local date-time as "2026-11-27 10:42:07", independent of the machine's locale settings. */
export function formatDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "in 42 min", "3 min ago", "in 2 h 5 min", "in 6 months", "just now". */
export function formatRelative(epochMs: number, now: number): string {
  const diff = epochMs - now;
  const abs = Math.abs(diff);
  const s = Math.round(abs / 1000);
  let text: string;
  if (s < 5) return 'just now';
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.round(s / 60)} min`;
  else if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    text = m === 0 ? `${h} h` : m === 60 ? `${h + 1} h` : `${h} h ${m} min`;
  } else if (s < 45 * 86_400) {
    const days = Math.round(s / 86_400);
    text = `${days} day${days === 1 ? '' : 's'}`;
  } else if (s < 365 * 86_400) {
    const months = Math.round(s / (30.44 * 86_400));
    text = `${months} month${months === 1 ? '' : 's'}`;
  } else {
    const years = Math.round((s / (365.25 * 86_400)) * 10) / 10;
    text = `${years} year${years === 1 ? '' : 's'}`;
  }
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** Epoch seconds that make a date people can read: 1970 to the end of year 9999. Anything else is shown raw. */
export function isClaimTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 253_402_300_799;
}

/** "2026-11-27 10:42:07 (in 42 min)" for a claim in epoch seconds. */
export function formatEpochSeconds(seconds: number, now: number): string {
  const ms = seconds * 1000;
  return `${formatDateTime(ms)} (${formatRelative(ms, now)})`;
}

export interface FormattedClaim {
  /** One line for the tree's description. */
  readonly text: string;
  readonly kind: 'time' | 'url' | 'array' | 'object' | 'scalar';
  /** Children for arrays and objects, in order. */
  readonly children?: ReadonlyArray<{ readonly name: string; readonly value: unknown }>;
}

export function formatClaim(name: string, value: unknown, now: number): FormattedClaim {
  if (TIME_CLAIMS.has(name) && isClaimTime(value)) {
    return { text: formatEpochSeconds(value, now), kind: 'time' };
  }
  if (Array.isArray(value)) {
    return { text: value.length === 0 ? '(none)' : `${value.length} item${value.length === 1 ? '' : 's'}`, kind: 'array', children: value.map((v, i) => ({ name: String(i), value: v })) };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    return { text: `${entries.length} field${entries.length === 1 ? '' : 's'}`, kind: 'object', children: entries.map(([k, v]) => ({ name: k, value: v })) };
  }
  if (isUrl(value)) return { text: value, kind: 'url' };
  return { text: value === null ? 'null' : String(value), kind: 'scalar' };
}

/** The value to copy for a claim: strings as they are, anything else as JSON. */
export function claimValueToCopy(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

export type ExpiryLevel = 'ok' | 'warning' | 'expired';

/** Below this, the countdown turns to a warning. */
export const WARNING_MS = 5 * 60_000;

/**
 * The countdown for the status bar: `m:ss` under an hour, `h:mm:ss` from an hour up, "expired"
 * when no time is left. Seconds round up, so the text never claims less time than there is and
 * reads "expired" exactly when the token is.
 */
export function formatCountdown(msLeft: number): { text: string; level: ExpiryLevel } {
  if (Number.isNaN(msLeft) || msLeft <= 0) return { text: 'expired', level: 'expired' };
  // Stored expiries are held to a year; this keeps the text sane whatever it is handed.
  if (msLeft > 366 * 86_400_000) return { text: 'over a year', level: 'ok' };
  const total = Math.ceil(msLeft / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number): string => String(n).padStart(2, '0');
  const text = h > 0 ? `${h}:${p(m)}:${p(s)}` : `${m}:${p(s)}`;
  // The colour follows the text: "5:00" is not yet a warning, "4:59" is.
  return { text, level: total * 1000 < WARNING_MS ? 'warning' : 'ok' };
}

/** Milliseconds until the countdown's text next changes (its next whole second). */
export function msUntilNextTick(msLeft: number): number {
  if (!Number.isFinite(msLeft) || msLeft <= 0) return 1000;
  const intoSecond = msLeft % 1000;
  return intoSecond === 0 ? 1000 : intoSecond;
}
