/**
 * The browser half of Concur's authorization-code grant: the authorize URL the user's browser
 * opens, the `state` that ties the redirect to this sign-in, and reading the redirect that comes
 * back (`code` and `geolocation`, or `error_code` and `error_description`). See Concur's
 * "Authorization Code Grant" documentation in its OAuth 2.0 reference.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { l10n } from '../platform/l10n';
import { scopeParameter } from './tokenClient';
import { ConcurError, knownTokenError, oneLine, tokenErrorMessage } from '../platform/errors';
import { baseOrigin, isConcurOrigin } from '../platform/resolver';

export const AUTHORIZE_PATH = '/oauth2/v0/authorize';

/**
 * Where the browser signs in. Concur serves browser-facing pages from the `www-` twin of each
 * datacenter's API host (`https://www-us2.api.concursolutions.com` for `us2`); any other base URL
 * (a proxy, the local Concur server) serves them itself.
 */
export function authorizeOrigin(baseUrl: string): string {
  const origin = baseOrigin(baseUrl);
  const url = new URL(origin);
  if (!isConcurOrigin(url)) return origin;
  const match = /^([a-z0-9-]+)\.api\.concursolutions\.com$/.exec(url.hostname);
  if (!match || match[1].startsWith('www-')) return origin;
  return `https://www-${match[1]}.api.concursolutions.com`;
}

export interface AuthorizeRequest {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  /**
   * The scopes asked for (space- or comma-separated). Concur's authorize request takes them as
   * `scope`, "the list of scopes that application is asking for"; the token is granted those, and
   * only within the app's own scopes (a scope beyond them is refused with code 54). With none
   * asked for, `scope` is left out and Concur grants the app's own scopes.
   */
  readonly scope?: string;
}

/**
 * The authorize URL: `client_id`, `redirect_uri`, `scope` (when scopes are asked for),
 * `response_type=code` and `state`, in the order of Concur's documentation. It carries no secret:
 * the client secret goes only to the token endpoint.
 */
export function authorizeUrl(request: AuthorizeRequest): string {
  const url = new URL(AUTHORIZE_PATH, authorizeOrigin(request.baseUrl));
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  const scope = scopeParameter(request.scope);
  if (scope) url.searchParams.set('scope', scope);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', request.state);
  // The spaces between scopes as %20, which every server reads as a space (a '+' is a space only to
  // form decoding); a '+' in a value is already %2B, so only the separators change.
  url.search = url.search.replace(/\+/g, '%20');
  return url.toString();
}

/** 256 random bits: a redirect that does not carry them is not the answer to this sign-in. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time, so that timing tells nothing of the expected state. */
export function sameState(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a redirect's query belongs to the sign-in that made `expected`: exactly one `state`, and
 * that one. Two states (the right one among them) are no one sign-in's answer.
 */
export function carriesState(params: URLSearchParams, expected: string): boolean {
  const states = params.getAll('state');
  return states.length === 1 && sameState(expected, states[0]);
}

/** The redirect did not come from the sign-in this window started (or came without its state). */
export class StateMismatchError extends Error {
  override readonly name = 'StateMismatchError';
  constructor() {
    super(l10n.t('The browser came back from a different sign-in than the one VS Code started (the state does not match), so it was ignored. Start "Sign In with Browser" again.'));
  }
}

export interface AuthorizeAnswer {
  readonly code: string;
  /** The user's datacenter as the redirect named it, not yet judged (the session layer applies the trust rules). */
  readonly geolocation?: string;
}

/**
 * Reads the redirect's query: the code (and geolocation) on success, or Concur's error, explained
 * with its message for the code. The state is checked first: nothing else of a stray redirect is read.
 */
export function readAuthorizeRedirect(params: URLSearchParams, expectedState: string): AuthorizeAnswer {
  if (!carriesState(params, expectedState)) throw new StateMismatchError();
  const errorCode = params.get('error_code') ?? params.get('error');
  if (errorCode !== null) {
    const numeric = /^\d{1,4}$/.test(errorCode) ? Number(errorCode) : undefined;
    const description = params.get('error_description') ?? undefined;
    const fields = { status: 400, code: numeric, error: numeric === undefined ? oneLine(errorCode, 60) : undefined, errorDescription: description ? oneLine(description) : undefined };
    const said = fields.errorDescription && numeric !== undefined && knownTokenError(numeric) ? fields.errorDescription : undefined;
    const message =
      errorCode === 'access_denied'
        ? l10n.t('Sign-in was declined in the browser, so Concur gave VS Code no access. Start "Sign In with Browser" again to approve it.')
        : said
          ? l10n.t('Concur did not sign you in. {0} (Concur said: {1})', tokenErrorMessage(fields), said)
          : l10n.t('Concur did not sign you in. {0}', tokenErrorMessage(fields));
    throw new ConcurError({ ...fields, message });
  }
  const codes = params.getAll('code');
  const code = codes.length === 1 ? codes[0] : undefined;
  if (!code) throw new ConcurError({ status: 400, message: l10n.t('Concur came back to VS Code without an authorization code or an error. Start "Sign In with Browser" again.') });
  const geolocation = params.get('geolocation')?.trim() || undefined;
  return { code, geolocation };
}
