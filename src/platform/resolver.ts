/**
 * The one place that decides where a request may go. Everything that can become a URL — a path
 * typed into "Call API…", a command argument, a catalog endpoint, a paging link taken from a
 * response body, a history entry run again, a claim URL, a `geolocation` Concur names, the base URL
 * picked at sign-in — passes through here, and what comes out is a `CheckedUrl`: a type only this
 * module can make, and the only kind of URL the HTTP client accepts.
 *
 * The rules:
 *  - https anywhere; plain http only on this machine (127.0.0.0/8, ::1, `localhost` — nothing that
 *    goes to DNS); never user:password@ in a URL.
 *  - A session's token goes only to the session's own origins: the base URL it signed in at and
 *    its geolocation. A path is sent to the geolocation; a full URL must name one of those two
 *    origins. A path never names a host: `//host/x`, `/\host`, or a tab or line break hidden in a
 *    path (which URL parsers drop) are refused, not resolved.
 *  - Which geolocation a session may take is judged by `judgeGeolocation`: a session signed in at a
 *    Concur host accepts only Concur's own hosts; one signed in at a custom base URL accepts its own
 *    origin, and another host at once only when both are on this machine, otherwise after the user
 *    has confirmed that host.
 *
 * What a request may carry there — its headers — is decided next door, in headers.ts, for the URL
 * this module checked.
 *
 * Knows nothing of VS Code.
 */
import { l10n } from './l10n';
import { redactForCut } from './redact';

/**
 * A URL this module has checked. Only `resolver.ts` makes them (the class itself is not exported,
 * and its private member keeps a look-alike object from passing for one); `HttpClient` takes
 * nothing else, and checks that at run time too.
 */
/** Where a checked URL keeps its parsed form; only this module holds the key. */
const PARSED = Symbol('parsed URL');

class Checked {
  /** Makes the type nominal: an object with the same fields is not a CheckedUrl (nothing is emitted for it). */
  private declare readonly brand: never;
  readonly href: string;
  readonly origin: string;
  readonly host: string;
  readonly hostname: string;
  readonly protocol: 'http:' | 'https:';
  /** Path and query, as sent. */
  readonly pathAndQuery: string;
  /** The parsed form, kept to hand to the HTTP client unparsed (see `requestUrl`). */
  readonly [PARSED]: URL;

  constructor(url: URL) {
    if (url.hash) url.hash = '';
    this[PARSED] = url;
    this.href = url.href;
    this.origin = url.origin;
    this.host = url.host;
    this.hostname = url.hostname;
    this.protocol = url.protocol as 'http:' | 'https:';
    this.pathAndQuery = url.pathname + url.search;
    Object.freeze(this);
  }

  toString(): string {
    return this.href;
  }
}

export type CheckedUrl = Checked;

/** True only for URLs this module made (a cast object is not one). */
export function isCheckedUrl(value: unknown): value is CheckedUrl {
  return value instanceof Checked;
}

/**
 * The parsed URL to send a checked URL to, without parsing its text again (the request path is
 * hot). A URL object can be changed by whoever holds it, so it is handed out only while it still
 * reads as what was checked.
 */
export function requestUrl(checked: CheckedUrl): URL {
  const url = checked[PARSED];
  if (url.href !== checked.href) throw new RefusedTargetError(l10n.t('Refused to send a request to a URL that was changed after it was checked.'));
  return url;
}

function mint(url: URL): CheckedUrl {
  return new Checked(url);
}

/** A request was refused before anything was sent; the message says why and what to do. */
export class RefusedTargetError extends Error {
  override readonly name = 'RefusedTargetError';
}

// ── hosts ────────────────────────────────────────────────────────────────────────────────────

/**
 * Concur's own API hosts, as its documentation lists them: `<datacenter>.api.concursolutions.com`
 * and their `www-<datacenter>` variants for browser-side calls, and the China host.
 */
const CONCUR_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.api\.concursolutions\.com$/;
const CONCUR_CHINA_HOST = 'cn.api.concurcdc.cn';

/** A Concur host over https on the default port: the only place a Concur session's token may go. */
export function isConcurOrigin(url: URL): boolean {
  return url.protocol === 'https:' && url.port === '' && (CONCUR_HOST.test(url.hostname) || url.hostname === CONCUR_CHINA_HOST);
}

/**
 * This machine, as an address: 127.0.0.0/8, ::1, or the name `localhost`. Names under `.localhost`
 * are not counted, because they are resolved through DNS. Takes a hostname as URL parses it
 * (IPv4 in dotted decimal, IPv6 in brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

function isLoopbackOrigin(url: URL): boolean {
  return isLoopbackHost(url.hostname);
}

// ── base URLs ────────────────────────────────────────────────────────────────────────────────

export type BaseCheck = { ok: true; origin: string } | { ok: false; message: string };

/** Control characters (tabs and line breaks included), which URL parsers drop or reinterpret. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function describeForMessage(raw: string): string {
  // Redacted before it is cut: a token in a query must not leave its first characters at the cut.
  const redacted = redactForCut(raw);
  const shown = redacted.length > 80 ? `${redacted.slice(0, 77)}…` : redacted;
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).slice(1, -1);
}

/** Parses an absolute http(s) URL and applies the rules every URL meets; a message when it fails them. */
function parseAbsolute(raw: string): { url: URL } | { message: string } {
  if (CONTROL.test(raw)) return { message: l10n.t('"{0}" contains a control character (a tab or a line break); remove it.', describeForMessage(raw)) };
  if (raw.includes('\\')) return { message: l10n.t('"{0}" contains a backslash; URLs use forward slashes.', describeForMessage(raw)) };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { message: l10n.t('"{0}" is not a URL. Enter an address such as https://us2.api.concursolutions.com.', describeForMessage(raw)) };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { message: l10n.t('{0} URLs are not supported; use https://.', url.protocol) };
  if (url.username || url.password) return { message: l10n.t('A URL with a user name or password in it (user:password@host) is refused: credentials never go in a URL.') };
  if (url.protocol === 'http:' && !isLoopbackOrigin(url)) {
    return { message: l10n.t('Plain http:// is only allowed for this machine (localhost, 127.x.x.x, [::1]); {0} must use https://.', url.host) };
  }
  return { url };
}

/**
 * Checks a base URL the user picked to sign in at (a datacenter, a proxy, a local server): https,
 * or http on this machine, no credentials in it. Only its origin is kept: a path or query is
 * dropped, since the token endpoint's path is fixed.
 */
export function checkBaseUrl(raw: string): BaseCheck {
  const parsed = parseAbsolute(raw.trim());
  if ('message' in parsed) return { ok: false, message: parsed.message };
  return { ok: true, origin: parsed.url.origin };
}

/**
 * Whether what is typed so far is no more than the start of an address's scheme (nothing, "h",
 * "https:/", "https://"): a URL box hints then, and says what is wrong only once there is more.
 */
export function isUrlSchemePrefix(text: string): boolean {
  const typed = text.trim().toLowerCase();
  return 'https://'.startsWith(typed) || 'http://'.startsWith(typed);
}

/** The origin of a base URL, or a RefusedTargetError saying why it cannot be one. */
export function baseOrigin(raw: string): string {
  const check = checkBaseUrl(raw);
  if (!check.ok) throw new RefusedTargetError(check.message);
  return check.origin;
}

/** The origin of a URL, or undefined when it is not one; never throws. */
export function originOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** The host (with port) of a URL for messages, or the text itself when it is not a URL. */
export function hostOf(raw: string): string {
  try {
    return new URL(raw).host || raw;
  } catch {
    return raw;
  }
}

/** The token endpoint at a checked base URL or accepted geolocation. */
export function tokenEndpoint(origin: string, path = '/oauth2/v0/token'): CheckedUrl {
  const parsed = parseAbsolute(origin);
  if ('message' in parsed) throw new RefusedTargetError(parsed.message);
  return mint(new URL(path, parsed.url.origin));
}

// ── geolocations ─────────────────────────────────────────────────────────────────────────────

export type GeolocationVerdict =
  /** Take it as the session's API base. */
  | { readonly kind: 'accept'; readonly origin: string }
  /** Take it only once the user has confirmed this origin (in a dialog that names it). */
  | { readonly kind: 'confirm'; readonly origin: string }
  | { readonly kind: 'refuse'; readonly message: string };

/**
 * Whether a session signed in at `baseUrl` may take `raw` (a `geolocation` from a token response
 * or a code-16 error) as its API base and refresh host — before any secret is sent there.
 */
export function judgeGeolocation(baseUrl: string, raw: string): GeolocationVerdict {
  const base = parseAbsolute(baseUrl);
  if ('message' in base) return { kind: 'refuse', message: base.message };
  const parsed = parseAbsolute(String(raw).trim());
  if ('message' in parsed) return { kind: 'refuse', message: l10n.t('Concur named the geolocation "{0}", which is refused: {1}', describeForMessage(String(raw)), parsed.message) };
  const geo = parsed.url;
  if (isConcurOrigin(base.url)) {
    if (isConcurOrigin(geo)) return { kind: 'accept', origin: geo.origin };
    return {
      kind: 'refuse',
      message: l10n.t(
        "The answer from {0} named {1} as the user's datacenter (geolocation), which is not a Concur host (*.api.concursolutions.com over https). Nothing was sent there; check the network path to Concur (a proxy may be rewriting answers).",
        base.url.host,
        geo.host,
      ),
    };
  }
  if (geo.origin === base.url.origin) return { kind: 'accept', origin: geo.origin };
  if (isLoopbackOrigin(base.url) && isLoopbackOrigin(geo)) return { kind: 'accept', origin: geo.origin };
  return { kind: 'confirm', origin: geo.origin };
}

// ── API targets ──────────────────────────────────────────────────────────────────────────────

/** The two origins a session's token may go to. */
export interface SessionOrigins {
  /** Where the session signed in. */
  readonly baseUrl: string;
  /** The session's API base, already accepted by `judgeGeolocation`. */
  readonly geolocation: string;
}

export type Resolution = { ok: true; url: CheckedUrl } | { ok: false; message: string };

/** The last sessions' origins: the same two strings are checked on every request of a session. */
const originsCache = new Map<string, readonly string[]>();

/** The origins a session's requests may go to: its geolocation first. */
export function sessionOrigins(session: SessionOrigins): readonly string[] {
  // The session asked about last, compared by its two strings: no key is built for it.
  if (lastOrigins && lastOrigins.geolocation === session.geolocation && lastOrigins.baseUrl === session.baseUrl) return lastOrigins.origins;
  const origins = originsOf(session);
  lastOrigins = { geolocation: session.geolocation, baseUrl: session.baseUrl, origins };
  return origins;
}

let lastOrigins: { readonly geolocation: string; readonly baseUrl: string; readonly origins: readonly string[] } | undefined;

function originsOf(session: SessionOrigins): readonly string[] {
  const key = `${session.geolocation} ${session.baseUrl}`;
  const cached = originsCache.get(key);
  if (cached) return cached;
  const out: string[] = [];
  for (const raw of [session.geolocation, session.baseUrl]) {
    const parsed = parseAbsolute(raw);
    if (!('message' in parsed) && !out.includes(parsed.url.origin)) out.push(parsed.url.origin);
  }
  if (originsCache.size >= 32) originsCache.clear();
  originsCache.set(key, Object.freeze(out));
  return out;
}

/**
 * Where a request for a session goes: a path (`/profile/v1/me?x=1`) to the session's geolocation;
 * a full URL only when it names one of the session's origins. Anything else is refused with a
 * message that says why — the same message the Call API input shows while typing.
 */
export function resolveApiTarget(target: string, session: SessionOrigins): Resolution {
  // A session calls the same few paths again and again; a CheckedUrl cannot change, so it is reused.
  const key = `${session.geolocation} ${session.baseUrl} ${target}`;
  const known = resolvedCache.get(key);
  if (known) return known;
  const resolution = resolve(target, session);
  if (resolution.ok && target.length <= 2048) {
    if (resolvedCache.size >= 64) resolvedCache.clear();
    resolvedCache.set(key, resolution);
  }
  return resolution;
}

const resolvedCache = new Map<string, Resolution>();

/**
 * What a target is before any session is looked at: refused by a rule that holds for every session,
 * a path, a path that names a host (`//host/x`), a full URL (checked by the rules every URL meets),
 * or neither path nor URL. The session's rules come after, in `resolve`.
 */
type TargetShape =
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'path'; readonly raw: string }
  | { readonly kind: 'hostPath'; readonly raw: string; readonly named: string }
  | { readonly kind: 'url'; readonly url: URL }
  | { readonly kind: 'neither'; readonly raw: string };

function shapeOf(target: string): TargetShape {
  const raw = target.trim();
  if (!raw) return { kind: 'refused', message: l10n.t('Enter a path such as /profile/v1/me.') };
  if (CONTROL.test(raw)) return { kind: 'refused', message: l10n.t('"{0}" contains a control character (a tab or a line break); remove it.', describeForMessage(raw)) };
  if (raw.includes('\\')) return { kind: 'refused', message: l10n.t('"{0}" contains a backslash; paths use forward slashes, and a backslash can name another host.', describeForMessage(raw)) };
  if (raw.startsWith('/')) return raw.startsWith('//') ? { kind: 'hostPath', raw, named: hostOf(`https:${raw}`) } : { kind: 'path', raw };
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    const parsed = parseAbsolute(raw);
    return 'message' in parsed ? { kind: 'refused', message: parsed.message } : { kind: 'url', url: parsed.url };
  }
  return { kind: 'neither', raw };
}

function resolve(target: string, session: SessionOrigins): Resolution {
  const origins = sessionOrigins(session);
  const geolocation = origins[0];
  if (!geolocation) return { ok: false, message: l10n.t('This session has no usable API host; sign in again.') };
  const shape = shapeOf(target);
  let url: URL;
  switch (shape.kind) {
    case 'refused':
      return { ok: false, message: shape.message };
    case 'hostPath': {
      const own = origins.some((origin) => hostOf(origin) === shape.named);
      return {
        ok: false,
        message: own
          ? l10n.t('"{0}" names a host ({1}) without saying http or https; a path never names one. Start the path with a single /, or write the full URL.', describeForMessage(shape.raw), shape.named)
          : l10n.t(
              '"{0}" names another host ({1}); the access token is only sent to this session\'s host ({2}). Start the path with a single /.',
              describeForMessage(shape.raw),
              shape.named,
              hostOf(geolocation),
            ),
      };
    }
    case 'path':
      // Joined as text after the checks above, so that nothing in the path can become an authority.
      url = new URL(geolocation + shape.raw);
      break;
    case 'url':
      url = shape.url;
      break;
    case 'neither':
      return { ok: false, message: l10n.t('"{0}" is neither a path (starting with /) nor a URL. Paths go to {1}.', describeForMessage(shape.raw), geolocation) };
  }
  if (!origins.includes(url.origin)) {
    return {
      ok: false,
      message: l10n.t(
        "The access token is only sent to this session's hosts ({0}), not to {1}. Use a path instead, such as {2}.",
        origins.map(hostOf).join(', '),
        url.host,
        describeForMessage(url.pathname),
      ),
    };
  }
  return { ok: true, url: mint(url) };
}

/**
 * Why `resolveApiTarget` would refuse a target for a session, or undefined when it would resolve it:
 * the same decision, without making the URL where the answer is already known (a path always goes
 * to the geolocation). For judging every request of a file as it is written.
 */
export function refusalFor(target: string, session: SessionOrigins): string | undefined {
  if (sessionOrigins(session).length && shapeOf(target).kind === 'path') return undefined;
  const resolution = resolveApiTarget(target, session);
  return resolution.ok ? undefined : resolution.message;
}

/**
 * Why a target would be refused whatever session it went with, or undefined when only the session
 * can tell (a path, or an https URL, goes where the session's hosts allow). For a request written
 * while no session is signed in: the same rules as `resolveApiTarget`, and no more.
 */
export function refusalWithoutSession(target: string): string | undefined {
  const shape = shapeOf(target);
  switch (shape.kind) {
    case 'refused':
      return shape.message;
    case 'hostPath':
      return l10n.t('"{0}" names a host ({1}) without saying http or https; a path never names one, and a session\'s token is never sent there. Start the path with a single /.', describeForMessage(shape.raw), shape.named);
    case 'neither':
      return l10n.t('"{0}" is neither a path (starting with /) nor a URL; paths go to the signed-in session\'s host.', describeForMessage(shape.raw));
    default:
      return undefined;
  }
}

/** `resolveApiTarget`, throwing a RefusedTargetError when the target is refused. */
export function requireApiTarget(target: string, session: SessionOrigins): CheckedUrl {
  const resolution = resolveApiTarget(target, session);
  if (!resolution.ok) throw new RefusedTargetError(resolution.message);
  return resolution.url;
}

/**
 * A link taken from a response body (v3 `NextPage`), relative to the page it came from: resolved
 * against that page's URL, then held to the same rules as any full URL.
 */
export function resolveLink(link: string, from: CheckedUrl, session: SessionOrigins): Resolution {
  const raw = link.trim();
  if (CONTROL.test(raw) || raw.includes('\\')) return { ok: false, message: l10n.t('The link in the response contains a control character or a backslash; it is not followed.') };
  let absolute: string;
  try {
    absolute = new URL(raw, from.href).href;
  } catch {
    return { ok: false, message: l10n.t('The link in the response ("{0}") is not a URL; it is not followed.', describeForMessage(raw)) };
  }
  return resolveApiTarget(absolute, session);
}

// ── API definition documents ─────────────────────────────────────────────────────────────────

/**
 * Where an API definition may be read from ("Add API Definition…", the `concur.apiDefinitions`
 * setting, a `$ref` inside a definition, a redirect while downloading one): https anywhere, plain
 * http only on this machine, no credentials in the URL. Such a request carries no token: a
 * definition's host is never one a session's token goes to.
 */
export function definitionUrl(raw: string): Resolution {
  const parsed = parseAbsolute(raw.trim());
  if ('message' in parsed) return { ok: false, message: parsed.message };
  return { ok: true, url: mint(parsed.url) };
}
