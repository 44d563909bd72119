/**
 * Turning token claims into text people can read: what each claim means for Concur, times as
 * local date-time plus "in 42 min", the expiry countdown. No `vscode` import; unit-tested with
 * fixed clocks.
 */
import { l10n } from '../platform/l10n';

/**
 * What the claims Concur puts in its tokens mean (access-token claims are not a documented contract).
 * Each is read in the display language when it is looked up.
 */
export const CLAIM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  get sub() {
    return l10n.t('Subject: the UUID of the user (or company) the token stands for. APIs such as Receipts v4 require it as the user id.');
  },
  get iss() {
    return l10n.t('Issuer: the Concur service that issued the token.');
  },
  get aud() {
    return l10n.t('Audience: who may accept the token ("*" for access tokens; the client id for id_tokens).');
  },
  get exp() {
    return l10n.t('Expiry: after this moment Concur rejects the token (access tokens live one hour).');
  },
  get nbf() {
    return l10n.t('Not before: Concur rejects the token before this moment.');
  },
  get iat() {
    return l10n.t('Issued at: when Concur issued the token.');
  },
  get jti() {
    return l10n.t('Token id: a unique identifier of this token.');
  },
  get at_hash() {
    return l10n.t('Access token hash: binds the id_token to the access token issued with it.');
  },
  get 'concur.version'() {
    return l10n.t('Version of Concur\'s token format.');
  },
  get 'concur.type'() {
    return l10n.t('Token type: "user", "company" or "app" — whom the token acts for.');
  },
  get 'concur.app'() {
    return l10n.t('URL of the app (client) the token was issued to.');
  },
  get 'concur.appId'() {
    return l10n.t('Client id of the app the token was issued to.');
  },
  get 'concur.profile'() {
    return l10n.t('URL of the profile of the token\'s subject; call it with the token to read the profile.');
  },
  get 'concur.scopes'() {
    return l10n.t('Scopes granted to the token: the APIs it may call.');
  },
  get 'concur.company'() {
    return l10n.t('UUID of the company the subject belongs to.');
  },
  get 'https://api.concursolutions.com/scopes'() {
    return l10n.t('Scopes granted to the token (older, URL-named form of concur.scopes).');
  },
  get 'https://api.concursolutions.com/app'() {
    return l10n.t('URL of the app (older, URL-named form of concur.app).');
  },
  get legacy_application_id() {
    return l10n.t('Id of the app in Concur\'s pre-2017 authentication.');
  },
  get userURI() {
    return l10n.t('URL of the user (older form of concur.profile).');
  },
  get useruuid() {
    return l10n.t('UUID of the user (older form of sub).');
  },
  get typ() {
    return l10n.t('Header: the token type (JWT).');
  },
  get alg() {
    return l10n.t('Header: the signature algorithm (RS256: RSA with SHA-256).');
  },
  get kid() {
    return l10n.t('Header: id of the key that signed the token; the key is published at /oauth2/v0/jwks.');
  },
};

/** Concur scopes a developer meets most, and what they allow (read in the display language when looked up). */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  get openid() {
    return l10n.t('OpenID Connect: an id_token with the user\'s identity.');
  },
  get 'user.read'() {
    return l10n.t('Read the user\'s profile (Profile v1 /profile/v1/me).');
  },
  get EXPRPT() {
    return l10n.t('Expense reports (v3 API).');
  },
  get 'expense.report.read'() {
    return l10n.t('Read expense reports, expenses and reports to approve (Expense v4).');
  },
  get 'expense.report.readwrite'() {
    return l10n.t('Read and change expense reports (Expense v4).');
  },
  get 'spend.list.read'() {
    return l10n.t('Read custom lists (List v4).');
  },
  get 'spend.listitem.read'() {
    return l10n.t('Read custom list items (List v4).');
  },
  get 'spend.user.general.read'() {
    return l10n.t('Read spend user settings (Spend user v4.1).');
  },
  get 'receipts.read'() {
    return l10n.t('Read receipts (Receipts v4).');
  },
  get 'receipts.write'() {
    return l10n.t('Upload receipts (Receipts v4).');
  },
  get 'locality.read'() {
    return l10n.t('Read countries and localities (Localities v5).');
  },
  get 'identity.user.core.read'() {
    return l10n.t('Read company users\' core identity (Identity v4, company tokens).');
  },
  get 'identity.user.enterprise.read'() {
    return l10n.t('Read company users\' enterprise attributes (Identity v4).');
  },
  get 'identity.user.coresensitive.read'() {
    return l10n.t('Read company users\' sensitive core attributes (Identity v4).');
  },
};

/** What a scope allows, for the scopes described here. */
export function describeScope(scope: string): string | undefined {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, scope) ? SCOPE_DESCRIPTIONS[scope] : undefined;
}

export const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'refresh_expires_in']);

export function describeClaim(name: string): string | undefined {
  return Object.hasOwn(CLAIM_DESCRIPTIONS, name) ? CLAIM_DESCRIPTIONS[name] : undefined;
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
  if (s < 5) return l10n.t('just now');
  // Whole phrases: languages say "in 3 days" and "3 days ago" with different word forms.
  const future = diff >= 0;
  if (s < 60) return future ? l10n.t('in {0} s', s) : l10n.t('{0} s ago', s);
  if (s < 3600) {
    const m = Math.round(s / 60);
    return future ? l10n.t('in {0} min', m) : l10n.t('{0} min ago', m);
  }
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    if (m === 0 || m === 60) {
      const hours = m === 60 ? h + 1 : h;
      return future ? l10n.t('in {0} h', hours) : l10n.t('{0} h ago', hours);
    }
    return future ? l10n.t('in {0} h {1} min', h, m) : l10n.t('{0} h {1} min ago', h, m);
  }
  if (s < 45 * 86_400) {
    const days = Math.round(s / 86_400);
    if (days === 1) return future ? l10n.t('in 1 day') : l10n.t('1 day ago');
    return future ? l10n.t('in {0} days', days) : l10n.t('{0} days ago', days);
  }
  if (s < 365 * 86_400) {
    const months = Math.round(s / (30.44 * 86_400));
    if (months === 1) return future ? l10n.t('in 1 month') : l10n.t('1 month ago');
    return future ? l10n.t('in {0} months', months) : l10n.t('{0} months ago', months);
  }
  const years = Math.round((s / (365.25 * 86_400)) * 10) / 10;
  if (years === 1) return future ? l10n.t('in 1 year') : l10n.t('1 year ago');
  return future ? l10n.t('in {0} years', years) : l10n.t('{0} years ago', years);
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
    const text = value.length === 0 ? l10n.t('(none)') : value.length === 1 ? l10n.t('1 item') : l10n.t('{0} items', value.length);
    return { text, kind: 'array', children: value.map((v, i) => ({ name: String(i), value: v })) };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    return { text: entries.length === 1 ? l10n.t('1 field') : l10n.t('{0} fields', entries.length), kind: 'object', children: entries.map(([k, v]) => ({ name: k, value: v })) };
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
  if (Number.isNaN(msLeft) || msLeft <= 0) return { text: l10n.t('expired'), level: 'expired' };
  // Stored expiries are held to a year; this keeps the text sane whatever it is handed.
  if (msLeft > 366 * 86_400_000) return { text: l10n.t('over a year'), level: 'ok' };
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
