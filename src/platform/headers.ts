/**
 * The other half of the outgoing-request boundary: resolver.ts decides where a request may go, and
 * this module decides which headers it may carry there. Every header a request sends besides the
 * HTTP client's own (`user-agent`, `concur-correlationid`, the session's `authorization`) passes
 * through `checkRequestHeaders`, and what comes out is `CheckedHeaders`: a type only this module
 * makes, and the only kind of headers the HTTP client (and Copy as cURL) accepts. A request file, a
 * header parameter of an API definition, a catalog entry, a chat tool call, a history entry run
 * again: all of them reach the wire through here.
 *
 * Headers that decide where a request goes, or how it is framed on the connection, are not the
 * caller's to set:
 *  - refused, with a message that says what to do (nothing is sent):
 *      • `Host` naming another host than the URL: undici takes it as the TLS server name, the name
 *        the certificate is checked against and the HTTP Host, so it would move the token to another
 *        virtual host behind the same address;
 *      • headers that route a request at a front end (`Forwarded`, `X-Forwarded-Host`,
 *        `X-Original-URL`, …) or change its method there (`X-HTTP-Method-Override`, …);
 *      • HTTP/2 pseudo-headers (`:authority`, `:path`, …) and names that are not HTTP tokens;
 *      • values with a line break or NUL (which would start another header), or with characters
 *        a header cannot carry;
 *  - dropped, with a warning (the request still says what it meant):
 *      • `Host` naming the URL's own host (the client sends exactly that);
 *      • framing and connection headers, which the HTTP client sets from the body and the
 *        connection: `Content-Length`, `Transfer-Encoding`, `Connection`, `Keep-Alive`, `Upgrade`,
 *        `TE`, `Trailer`, `Expect`, `HTTP2-Settings`, `Proxy-*`;
 *      • `Authorization`: the session's token is the only credential a request carries.
 *
 * Knows nothing of VS Code.
 */
import { l10n } from './l10n';
import { type CheckedUrl, RefusedTargetError } from './resolver';

/** Where checked headers keep their record; only this module holds the key. */
const RECORD = Symbol('header record');

class Checked {
  /** Makes the type nominal: an object with the same fields is not CheckedHeaders. */
  private declare readonly brand: never;
  readonly [RECORD]: Readonly<Record<string, string>>;

  constructor(record: Record<string, string>) {
    this[RECORD] = Object.freeze(record);
    Object.freeze(this);
  }
}

export type CheckedHeaders = Checked;

/** True only for headers this module checked (a cast object is not). */
export function isCheckedHeaders(value: unknown): value is CheckedHeaders {
  return value instanceof Checked;
}

/** The checked headers as a record: names in lower case. */
export function headerRecord(headers: CheckedHeaders): Readonly<Record<string, string>> {
  return headers[RECORD];
}

/** A header that was not sent, and why. */
export interface DroppedHeader {
  readonly name: string;
  readonly reason: string;
}

export type HeaderCheck =
  | { readonly ok: true; readonly headers: CheckedHeaders; readonly dropped: readonly DroppedHeader[] }
  | { readonly ok: false; readonly message: string };

/** What becomes of a header by its name alone (its value is judged when it is sent). */
export type HeaderRule = { readonly kind: 'allow' } | { readonly kind: 'drop' | 'refuse'; readonly message: string };

/** An HTTP field name is a token (RFC 9110 §5.1, §5.6.2). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Framing and connection headers (RFC 9110 §7.6.1, RFC 9112 §6, §9.6): the HTTP client writes these. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'http2-settings']);

/** Headers a front end routes by, or takes a request's real method from. */
const ROUTING = new Set(['forwarded', 'x-forwarded-host', 'x-forwarded-server', 'x-original-url', 'x-rewrite-url', 'x-original-host', 'x-host']);
const METHOD_OVERRIDE = new Set(['x-http-method-override', 'x-http-method', 'x-method-override']);

/** What becomes of a header named `name`, whatever its value; `host` is allowed here and judged by its value. */
export function headerRule(name: string): HeaderRule {
  const lower = name.toLowerCase();
  if (lower.startsWith(':')) {
    return { kind: 'refuse', message: l10n.t('"{0}" is an HTTP/2 pseudo-header, which the HTTP client sets from the URL and method; remove it.', clipName(name)) };
  }
  if (!TOKEN.test(name)) return { kind: 'refuse', message: l10n.t('"{0}" is not a valid header name (letters, digits and !#$%&\'*+-.^_`|~ only); correct or remove it.', clipName(name)) };
  if (lower === 'authorization') return { kind: 'drop', message: l10n.t("The Authorization header is not sent: the request goes with the session's token.") };
  if (FRAMING.has(lower) || lower.startsWith('proxy-')) {
    return { kind: 'drop', message: l10n.t('The {0} header is not sent: the HTTP client sets how a request is framed and connected.', name) };
  }
  if (ROUTING.has(lower)) {
    return { kind: 'refuse', message: l10n.t("The {0} header is refused: it tells a front end where to route the request, and the session's token only goes to the host in the URL. Remove it.", name) };
  }
  if (METHOD_OVERRIDE.has(lower)) {
    return { kind: 'refuse', message: l10n.t('The {0} header is refused: it changes the method a server applies. Write the method on the request line instead.', name) };
  }
  return { kind: 'allow' };
}

/**
 * The headers a request to `target` may carry: `given` (any case; a later spelling of a name wins)
 * over `defaults`, names in lower case. Refused as a whole when one header is refused.
 */
export function checkRequestHeaders(given: Readonly<Record<string, string>> | undefined, target: CheckedUrl, defaults?: Readonly<Record<string, string>>): HeaderCheck {
  const out: Record<string, string> = {};
  const dropped: DroppedHeader[] = [];
  const take = (name: string, value: unknown): string | undefined => {
    if (typeof value !== 'string') return l10n.t('The {0} header has no text value; give it one or remove it.', clipName(name));
    const rule = headerRule(name);
    if (rule.kind === 'refuse') return rule.message;
    const lower = name.toLowerCase();
    const problem = headerValueProblem(name, value);
    if (rule.kind === 'drop') {
      dropped.push({ name: lower, reason: rule.message });
      return undefined;
    }
    if (problem) return problem;
    if (lower === 'host') {
      if (!sameHost(value, target)) {
        return l10n.t(
          "The Host header names {0}, but the request goes to {1}: the session's token only goes to the host in the URL. Remove the Host header, or put the host in the URL.",
          clipName(value.trim()),
          target.host,
        );
      }
      dropped.push({ name: lower, reason: l10n.t('The Host header is not sent as written: the HTTP client sends the host of the URL ({0}).', target.host) });
      return undefined;
    }
    out[lower] = value;
    return undefined;
  };
  for (const source of [defaults, given]) {
    if (!source) continue;
    for (const name of Object.keys(source)) {
      const problem = take(name, source[name]);
      if (problem) return { ok: false, message: problem };
    }
  }
  return { ok: true, headers: new Checked(out), dropped };
}

/** `checkRequestHeaders`, throwing a RefusedTargetError (nothing was sent) when a header is refused. */
export function requireRequestHeaders(given: Readonly<Record<string, string>> | undefined, target: CheckedUrl, defaults?: Readonly<Record<string, string>>): { headers: CheckedHeaders; dropped: readonly DroppedHeader[] } {
  const check = checkRequestHeaders(given, target, defaults);
  if (!check.ok) throw new RefusedTargetError(check.message);
  return check;
}

/** No headers at all. */
export const NO_HEADERS: CheckedHeaders = new Checked({});

/**
 * Why a header's value cannot be sent, or undefined: a line break or NUL would end the header and
 * start another; anything else outside what a header carries (tab, visible ASCII, Latin-1, as
 * undici allows) would be refused by the client with a message that names no header.
 */
export function headerValueProblem(name: string, value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0d || c === 0x0a || c === 0x00) {
      return l10n.t('The {0} header holds a line break or a NUL character, which would end the header and start another; remove it.', clipName(name));
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) {
      return l10n.t('The {0} header holds the character U+{1}, which a header cannot carry; percent-encode it or remove it.', clipName(name), c.toString(16).toUpperCase().padStart(4, '0'));
    }
  }
  return undefined;
}

/** Whether a Host value names the target's host (and port; a default port may be written or left out). */
function sameHost(value: string, target: CheckedUrl): boolean {
  let parsed: URL;
  try {
    parsed = new URL(`${target.protocol}//${value.trim()}`);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || parsed.pathname !== '/' || parsed.search || parsed.hash) return false;
  return parsed.host === target.host;
}

function clipName(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  // eslint-disable-next-line no-control-regex
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
