/**
 * Signing in (`auth/`): this token client with every grant, the browser sign-in's authorize URL and
 * loopback redirect, JWKS verification, claims and revocation; its ui/ holds the sign-in and
 * sign-out flows, host trust and the sign-in commands.
 *
 * Concur's token endpoint (`POST {base}/oauth2/v0/token`): the grants, the form encoding Concur
 * accepts, token responses in every documented variant, typed errors, and the geolocation retry.
 */
import { l10n } from '../platform/l10n';
import { ConcurError, ResponseFormatError } from '../platform/errors';
import { redactForCut } from '../platform/redact';
import type { HttpClient, HttpResponse } from '../platform/http';
import { baseOrigin, originOf, tokenEndpoint } from '../platform/resolver';
import { requireRequestHeaders } from '../platform/headers';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export type GrantKind = 'password' | 'companyRequestToken' | 'clientCredentials' | 'authorizationCode' | 'otp';

/** Names the one-time-password calls use themselves; a custom field may not take one of them. */
export const OTP_RESERVED_FIELDS: ReadonlySet<string> = new Set([
  'client_id', 'client_secret', 'grant_type', 'scope', 'otp', 'channel_type', 'channel_handle', 'code', 'redirect_uri',
  'username', 'password', 'credtype', 'refresh_token',
]);

export type Grant =
  | { readonly kind: 'password'; readonly username: string; readonly password: string; readonly scope?: string }
  /** The company grant: `password` with `credtype=authtoken`, the company id and its 24-hour request token. */
  | { readonly kind: 'companyRequestToken'; readonly companyId: string; readonly requestToken: string; readonly scope?: string }
  | { readonly kind: 'clientCredentials'; readonly scope?: string }
  /** The browser sign-in: the code the authorize page redirected with, and the same redirect URI. */
  | { readonly kind: 'authorizationCode'; readonly code: string; readonly redirectUri: string; readonly scope?: string }
  /**
   * A one-time password Concur e-mailed to `email` (`POST /oauth2/v0/otp`). Concur checks that the
   * custom fields sent with the token request are the ones sent with the `/otp` call (code 84).
   */
  | { readonly kind: 'otp'; readonly email: string; readonly otp: string; readonly customFields?: Readonly<Record<string, string>>; readonly scope?: string }
  | { readonly kind: 'refreshToken'; readonly refreshToken: string; readonly scope?: string };

export interface TokenSet {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Epoch ms when the access token expires. */
  readonly expiresAt: number;
  /** Epoch ms when the token response arrived. */
  readonly obtainedAt: number;
  readonly scopes: readonly string[];
  readonly refreshToken?: string;
  /** Epoch ms when the refresh token expires (Concur sends an absolute epoch in seconds). */
  readonly refreshExpiresAt?: number;
  readonly idToken?: string;
  /**
   * The origin of the `geolocation` the answer named, not yet judged: the session layer decides
   * with `judgeGeolocation` whether the session may take it (see resolver.ts).
   */
  readonly namedGeolocation?: string;
}

/**
 * Scopes as Concur's `scope` parameter takes them: one list of space-delimited, case-sensitive
 * names (Concur's Scopes reference), each once. Commas, which some write between scopes, separate
 * too. Undefined when no scope is named.
 */
export function scopeParameter(scopes: string | readonly string[] | undefined): string | undefined {
  const names = (typeof scopes === 'string' ? [scopes] : (scopes ?? [])).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  return names.length ? [...new Set(names)].join(' ') : undefined;
}

/** What Concur's token answers may say about lifetimes: from a minute to a year. */
export const MIN_LIFETIME_S = 60;
export const MAX_LIFETIME_S = 365 * 24 * 3600;

export interface TokenRequestResult {
  readonly tokens: TokenSet;
  /** The origin that issued the tokens: differs from the one asked when Concur answered code 16. */
  readonly issuedBy: string;
  readonly correlationId: string;
}

export interface TokenRequestOptions {
  readonly signal?: AbortSignal;
  /**
   * Concur answered code 16 ("the user lives elsewhere") and named a geolocation. Returns the origin
   * to send the same request to once more — after the caller has applied the trust rules, asking
   * the user where they require it — or undefined to not follow. Without it, code 16 is not followed:
   * the request holds the client secret and the user's credentials.
   */
  readonly followGeolocation?: (geolocation: string) => Promise<string | undefined>;
}

/** The form Concur expects for a grant. Exported for tests; never logged (it holds secrets). */
export function grantForm(client: ClientCredentials, grant: Grant): URLSearchParams {
  const form = new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret });
  switch (grant.kind) {
    case 'password':
      form.set('grant_type', 'password');
      form.set('username', grant.username);
      form.set('password', grant.password);
      break;
    case 'companyRequestToken':
      form.set('grant_type', 'password');
      form.set('username', grant.companyId);
      form.set('password', grant.requestToken);
      form.set('credtype', 'authtoken');
      break;
    case 'clientCredentials':
      form.set('grant_type', 'client_credentials');
      break;
    case 'authorizationCode':
      form.set('grant_type', 'authorization_code');
      form.set('code', grant.code);
      form.set('redirect_uri', grant.redirectUri);
      break;
    case 'otp':
      form.set('grant_type', 'otp');
      form.set('otp', grant.otp);
      setOtpChannel(form, grant.email, grant.customFields);
      break;
    case 'refreshToken':
      // Old docs say grant_type=refresh; Concur rejects that with code 60. The wire value is refresh_token.
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', grant.refreshToken);
      break;
  }
  if (grant.scope) form.set('scope', grant.scope);
  return form;
}

/**
 * `channel_type=email`, `channel_handle` and the custom fields, as both one-time-password calls send
 * them. A custom field named like one of the calls' own parameters is refused, not sent.
 */
function setOtpChannel(form: URLSearchParams, email: string, customFields: Readonly<Record<string, string>> = {}): void {
  form.set('channel_type', 'email');
  form.set('channel_handle', email.trim());
  for (const [name, value] of Object.entries(customFields)) {
    if (OTP_RESERVED_FIELDS.has(name.toLowerCase())) throw new OtpFieldError(name);
    form.set(name, value);
  }
}

/** A custom one-time-password field that would stand for one of the request's own parameters. */
export class OtpFieldError extends Error {
  override readonly name = 'OtpFieldError';
  constructor(field: string) {
    super(l10n.t('"{0}" cannot be a custom one-time-password field: the request uses that name itself. Rename the field.', field.slice(0, 40)));
  }
}

/** The form of `POST /oauth2/v0/otp`, which asks Concur to e-mail a one-time password. */
export function otpRequestForm(client: ClientCredentials, email: string, customFields?: Readonly<Record<string, string>>): URLSearchParams {
  const form = new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret });
  setOtpChannel(form, email, customFields);
  return form;
}

export interface OtpRequestResult {
  /** The origin that sent the one-time password: the token request goes there too. */
  readonly sentBy: string;
  readonly correlationId: string;
}

export class TokenClient {
  constructor(
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Requests tokens at `baseUrl`. When Concur answers code 16 ("user lives elsewhere") with a
   * `geolocation`, the same request is sent once more to the origin `followGeolocation` returns.
   */
  async requestToken(baseUrl: string, client: ClientCredentials, grant: Grant, options: TokenRequestOptions = {}): Promise<TokenRequestResult> {
    return followingGeolocation(baseUrl, options, (origin) => this.post(origin, client, grant, options.signal));
  }

  /**
   * Asks Concur to e-mail a one-time password (`POST {base}/oauth2/v0/otp` with `channel_type=email`).
   * Code 16 is followed like a token request: the user's datacenter sends it, and takes the code.
   */
  async requestOtp(
    baseUrl: string,
    client: ClientCredentials,
    email: string,
    customFields?: Readonly<Record<string, string>>,
    options: TokenRequestOptions = {},
  ): Promise<OtpRequestResult> {
    const form = otpRequestForm(client, email, customFields).toString();
    return followingGeolocation(baseUrl, options, async (origin) => {
      const response = await this.postForm(origin, '/oauth2/v0/otp', form, options.signal);
      return { sentBy: origin, correlationId: response.correlationId };
    });
  }

  private async post(origin: string, client: ClientCredentials, grant: Grant, signal?: AbortSignal): Promise<TokenRequestResult> {
    const response = await this.postForm(origin, '/oauth2/v0/token', grantForm(client, grant).toString(), signal);
    const tokens = parseTokenResponse(parseJsonBody(response), this.now(), response.correlationId);
    return { tokens, issuedBy: origin, correlationId: response.correlationId };
  }

  /** A form POST to one of Concur's OAuth endpoints on `origin`; a non-2xx answer is thrown as a ConcurError. */
  private async postForm(origin: string, path: string, body: string, signal?: AbortSignal): Promise<HttpResponse> {
    const url = tokenEndpoint(origin, path);
    const response = await this.http.request({
      method: 'POST',
      url,
      // Exactly this content type: Concur has rejected "; charset=utf-8".
      headers: requireRequestHeaders({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, url).headers,
      body,
      signal,
      maxBodyBytes: 1024 * 1024,
    });
    if (response.status < 200 || response.status >= 300) throw parseTokenError(response);
    return response;
  }
}

/**
 * Sends a request to `baseUrl`'s origin; when Concur answers code 16 ("user lives elsewhere") with a
 * `geolocation`, sends it once more to the origin `followGeolocation` returns (after the trust rules).
 */
async function followingGeolocation<T>(baseUrl: string, options: TokenRequestOptions, send: (origin: string) => Promise<T>): Promise<T> {
  const origin = baseOrigin(baseUrl);
  try {
    return await send(origin);
  } catch (error) {
    if (error instanceof ConcurError && error.code === 16 && error.geolocation && options.followGeolocation) {
      const home = await options.followGeolocation(error.geolocation);
      if (home && home !== origin) return send(baseOrigin(home));
    }
    throw error;
  }
}

function parseJsonBody(response: HttpResponse): unknown {
  const text = response.body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    // Never quote this body: a token response cut short still holds part of a token.
    const html = /html/i.test(response.contentType) || /^\s*</.test(text);
    throw new ResponseFormatError(
      html
        ? l10n.t('Concur answered HTTP {0} with an HTML page instead of a token response. Check that the base URL points at a Concur API host.', response.status)
        : l10n.t('Concur answered HTTP {0} with {1} bytes that are not JSON instead of a token response. Check that the base URL points at a Concur API host.', response.status, response.body.length),
      response.correlationId,
    );
  }
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * A number, or a string holding one (Concur documents both for several fields). A value too large
 * to be a finite number (`1e400`, a 400-digit string) is no number at all.
 */
function asNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A value from an answer, short enough to quote in a message. */
function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 24 ? `${text.slice(0, 21)}…` : text;
}

/**
 * Parses a token response, accepting every documented variant: `expires_in` as string or number,
 * `refresh_expires_in` as an absolute epoch, `token_type` in any case, `geolocation` with a path,
 * no refresh token or id_token for app tokens. Lifetimes outside a minute to a year are refused:
 * an infinite or tiny expiry would be stored, or refresh the token hundreds of times a second.
 */
export function parseTokenResponse(json: unknown, now: number, correlationId?: string): TokenSet {
  const fail = (what: string): never => {
    throw new ResponseFormatError(l10n.t("Concur's answer is not a token response: {0}.", what), correlationId);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(l10n.t('it is not a JSON object'));
  const body = json as Record<string, unknown>;
  const accessToken = asString(body.access_token) ?? fail(l10n.t('it has no access_token'));
  const tokenType = body.token_type === undefined ? 'bearer' : String(body.token_type).toLowerCase();
  if (tokenType !== 'bearer') fail(l10n.t('token_type is "{0}", not Bearer', shortValue(body.token_type)));
  if (body.expires_in === undefined || body.expires_in === null || body.expires_in === '') fail(l10n.t('it has no expires_in'));
  const expiresIn = asNumber(body.expires_in);
  if (expiresIn === undefined || expiresIn < MIN_LIFETIME_S || expiresIn > MAX_LIFETIME_S) {
    fail(l10n.t("expires_in is {0}, but an access token lives from 60 seconds to a year (Concur's live an hour); nothing was stored", shortValue(body.expires_in)));
  }

  let refreshExpiresAt: number | undefined;
  if (body.refresh_expires_in !== undefined && body.refresh_expires_in !== null) {
    const refreshExpires = asNumber(body.refresh_expires_in);
    // Documented as an absolute epoch in seconds. A small value can only be a duration, which some
    // proxies and older services send; read it as one rather than as a date in 1970.
    const at = refreshExpires === undefined ? NaN : refreshExpires > 1e9 ? refreshExpires * 1000 : now + refreshExpires * 1000;
    const lifetimeS = (at - now) / 1000;
    if (!(lifetimeS >= MIN_LIFETIME_S && lifetimeS <= MAX_LIFETIME_S)) {
      fail(
        l10n.t(
          "refresh_expires_in is {0}, which is not a refresh-token expiry from a minute to a year from now (Concur's last six months); nothing was stored",
          shortValue(body.refresh_expires_in),
        ),
      );
    }
    refreshExpiresAt = at;
  }

  let namedGeolocation: string | undefined;
  const geo = asString(body.geolocation);
  if (geo) namedGeolocation = originOf(geo.trim()) ?? fail(l10n.t('its geolocation is not a URL'));

  const scope = asString(body.scope) ?? '';
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresAt: now + (expiresIn as number) * 1000,
    obtainedAt: now,
    scopes: scope.split(/\s+/).filter(Boolean),
    refreshToken: asString(body.refresh_token),
    refreshExpiresAt,
    idToken: asString(body.id_token),
    namedGeolocation,
  };
}

/** Turns a non-2xx token-endpoint answer into a ConcurError, whatever the body looks like. */
export function parseTokenError(response: HttpResponse): ConcurError {
  const text = response.body.toString('utf8');
  let parsed: Record<string, unknown> | undefined;
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) parsed = json as Record<string, unknown>;
  } catch {
    // Not JSON: 500 and 503 come as plain text or HTML pages.
  }
  const correlationId = asString(parsed?.['concur-correlationid']) ?? response.correlationId;
  if (!parsed) {
    return new ConcurError({
      status: response.status,
      correlationId,
      body: text,
      message: `${l10n.t('Concur answered HTTP {0} with {1}.', `${response.status}${statusSuffix(response.status)}`, describeBody(text, response.contentType))} ${
        response.status >= 500 ? l10n.t("This is on Concur's side; try again in a moment.") : l10n.t('Check the base URL and the request.')
      }`,
    });
  }
  // Kept as named, for the caller to judge (resolver.ts) before anything is sent there.
  const geolocation = asString(parsed.geolocation)?.trim().slice(0, 2048);
  return new ConcurError({
    status: response.status,
    code: asNumber(parsed.code),
    error: asString(parsed.error),
    errorDescription: asString(parsed.error_description),
    geolocation,
    correlationId,
    body: text,
  });
}

function statusSuffix(status: number): string {
  switch (status) {
    case 500:
      return ` ${l10n.t('(server error)')}`;
    case 502:
      return ` ${l10n.t('(bad gateway)')}`;
    case 503:
      return ` ${l10n.t('(service unavailable)')}`;
    case 504:
      return ` ${l10n.t('(gateway timeout)')}`;
    default:
      return '';
  }
}

/** "an HTML page titled "…"", "an empty body", "text "…"": what came back, readable and short. */
export function describeBody(text: string, contentType = ''): string {
  // Redacted whole before anything is cut from it (see oneLine). What it says is near the top: a
  // body of megabytes is not searched (nor its patterns run) in full.
  const trimmed = redactForCut(text).slice(0, 64 * 1024).trim();
  if (!trimmed) return l10n.t('an empty body');
  if (/html/i.test(contentType) || /^<(!doctype|html)/i.test(trimmed)) {
    // [^<>] keeps each attempt from reading past the next tag, so `<title<title<title…` stays linear.
    const title = /<title[^<>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    const heading = /<h1[^<>]*>([^<]*)<\/h1>/i.exec(trimmed)?.[1]?.trim();
    const name = title || heading;
    return name ? l10n.t('an HTML page "{0}"', truncate(name, 80)) : l10n.t('an HTML page');
  }
  return l10n.t('text "{0}"', truncate(trimmed.slice(0, 400).replace(/\s+/g, ' '), 80));
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
