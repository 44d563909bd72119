/**
 * Typed failures of talking to Concur. Each carries what support needs (HTTP status, Concur's
 * `code`, the `concur-correlationid`) and a message for people that says what to do.
 * Messages never contain secrets: they are built from Concur's error fields, never from requests.
 */
import { l10n } from './l10n';
import { redactForCut } from './redact';

/** What Concur's token endpoint says went wrong: `{ error, error_description, code, geolocation? }`. */
export class ConcurError extends Error {
  override readonly name = 'ConcurError';
  readonly status: number;
  readonly code?: number;
  readonly error?: string;
  readonly errorDescription?: string;
  readonly correlationId?: string;
  readonly geolocation?: string;
  /** The response body as received (JSON or text), for "show raw error". */
  readonly body?: string;

  constructor(fields: {
    status: number;
    code?: number;
    error?: string;
    errorDescription?: string;
    correlationId?: string;
    geolocation?: string;
    body?: string;
    message?: string;
  }) {
    super(fields.message ?? tokenErrorMessage(fields));
    this.status = fields.status;
    this.code = fields.code;
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
    this.correlationId = fields.correlationId;
    this.geolocation = fields.geolocation;
    this.body = fields.body;
  }

  /** The message plus the correlation id, for notifications. */
  get detail(): string {
    const parts = [this.message];
    if (this.code !== undefined) parts.push(this.error ? l10n.t('(Concur code {0}, {1})', this.code, oneLine(this.error, 60)) : l10n.t('(Concur code {0})', this.code));
    if (this.correlationId) parts.push(l10n.t('Correlation id: {0}', oneLine(this.correlationId, 80)));
    return parts.join(' ');
  }
}

export type NetworkFailure = 'timeout' | 'connection' | 'reset' | 'tls' | 'other';

/** Concur could not be reached or stopped answering: the session is kept and the request can be retried. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly failure: NetworkFailure,
    readonly host: string,
    /** The system's error code (`ECONNREFUSED`, `ENOTFOUND`…), when there was one: what code compares, not the message. */
    readonly code?: string,
  ) {
    super(message);
  }

  get detail(): string {
    return this.message;
  }
}

/** The user (or the extension shutting down) cancelled the request. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/** A 2xx answer that is not what was asked for (e.g. an HTML page instead of a token response). */
export class ResponseFormatError extends Error {
  override readonly name = 'ResponseFormatError';
  constructor(
    message: string,
    readonly correlationId?: string,
  ) {
    super(message);
  }

  get detail(): string {
    return this.correlationId ? `${this.message} ${l10n.t('Correlation id: {0}', this.correlationId)}` : this.message;
  }
}

export function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}

/** The human message for an error, with the correlation id when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof ConcurError || error instanceof NetworkError || error instanceof ResponseFormatError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** What a person should read for a documented token-endpoint code, and what to do about it (in the display language). */
function tokenCodeMessage(code: number): string | undefined {
  switch (code) {
    case 5:
    case 19:
      return l10n.t('Concur did not accept the username or password. Check both and sign in again.');
    case 10:
    case 11:
      return l10n.t('This Concur account is disabled. Ask your Concur administrator or SAP Concur support to enable it.');
    case 12:
    case 13:
      return l10n.t('Concur denied the logon for this account. Ask your Concur administrator or SAP Concur support.');
    case 14:
      return l10n.t('This Concur account is locked. Ask your Concur administrator to unlock it, then sign in again.');
    case 16:
      return l10n.t('This user lives in another Concur datacenter. Sign in at the datacenter Concur named.');
    case 20:
      return l10n.t('Concur denied the logon, usually because the company restricts sign-in to certain IP addresses. Sign in from an allowed network or ask your administrator.');
    case 21:
      return l10n.t('This user signs in with single sign-on and has no Concur password. Sign in with the browser (authorization code) or by one-time password instead.');
    case 51:
      return l10n.t('No username was sent. Enter the Concur username (usually an e-mail address).');
    case 52:
      return l10n.t('No password was sent. Enter the Concur password.');
    case 53:
      return l10n.t('The company has not enabled this app. Ask the company administrator to connect the app in Concur.');
    case 54:
      return l10n.t('The requested scope is more than this app was granted. Request fewer scopes, or ask for the app to be granted more.');
    case 55:
      return l10n.t('Concur does not know this e-mail address. Use the address of the Concur user who signs in.');
    case 56:
      return l10n.t('No one-time password was sent. Enter the code from the e-mail.');
    case 57:
      return l10n.t('The one-time password request named no channel. It is sent by e-mail.');
    case 58:
      return l10n.t('No e-mail address was sent for the one-time password. Enter the user\'s e-mail address.');
    case 59:
      return l10n.t('This app (client) is disabled in Concur. Ask the app owner or your SAP Concur partner contact.');
    case 60:
      return l10n.t('Concur does not support this grant type for this app.');
    case 61:
      return l10n.t('Concur does not know this client id. Check the client id and the datacenter the app was registered in.');
    case 62:
      return l10n.t('No client id was sent. Enter the app\'s client id.');
    case 63:
      return l10n.t('No client secret was sent. Enter the app\'s client secret.');
    case 64:
      return l10n.t('The client secret is not right for this client id. Check it, or ask the app owner for the current one.');
    case 65:
      return l10n.t('No grant type was sent.');
    case 80:
      return l10n.t('Concur sends one-time passwords by e-mail only.');
    case 81:
      return l10n.t('This is not an e-mail address Concur can send a one-time password to. Check the address.');
    case 82:
      return l10n.t('Too many one-time passwords are open for this address. Use the code from the latest e-mail, or wait for the open ones to expire and ask again.');
    case 83:
      return l10n.t('Concur has no open one-time password for this address: it expired, was used, or was never sent. Ask for a new code.');
    case 84:
      return l10n.t('The sign-in did not send the same custom fields as the request for the code. Ask for a new code and sign in with the same fields.');
    case 85:
      return l10n.t('The one-time password is not right. Check the code in the latest e-mail and enter it again.');
    case 101:
      return l10n.t('No authorization code was sent. Start the browser sign-in again.');
    case 102:
      return l10n.t('No redirect URI was sent with the authorization code.');
    case 103:
      return l10n.t('The authorization code is wrong or expired (codes last a few minutes and work once). Start the browser sign-in again.');
    case 104:
      return l10n.t('The redirect URI is not the one the authorization code was issued for. Start the browser sign-in again.');
    case 105:
      return l10n.t('This grant was issued to another app (client id). Sign in again with the app that started the sign-in.');
    case 106:
      return l10n.t('No refresh token was sent. Sign in again.');
    case 107:
      return l10n.t('This app is not allowed to refresh tokens. Sign in again when the access token expires.');
    case 108:
      return l10n.t('The refresh token is no longer valid (expired, revoked or already used). Sign in again.');
    case 120:
      return l10n.t('The credential type (credtype) is not valid. Use "password" or "authtoken".');
    case 135:
      return l10n.t('Concur could not read the request format.');
    case 136:
      return l10n.t('The company request token was not issued for this app. Generate a request token for this client id and try again.');
    case 139:
      return l10n.t('The password has expired and must be changed. Change it in Concur, then sign in again.');
    default:
      return undefined;
  }
}

/** Whether a code has a message of its own here. */
export function knownTokenError(code: number): boolean {
  return tokenCodeMessage(code) !== undefined;
}

export function tokenErrorMessage(fields: { status: number; code?: number; error?: string; errorDescription?: string }): string {
  const known = fields.code !== undefined ? tokenCodeMessage(fields.code) : undefined;
  if (known) return known;
  if (fields.errorDescription) return l10n.t('Concur refused the request: {0}.', oneLine(fields.errorDescription));
  if (fields.error) return l10n.t('Concur refused the request: {0}.', oneLine(fields.error));
  const text = statusText(fields.status);
  return text ? l10n.t('Concur answered HTTP {0} {1}.', fields.status, text) : l10n.t('Concur answered HTTP {0}.', fields.status);
}

/** "a or b or c", in the display language: for scopes, token types and methods named in a message. */
export function orList(items: readonly string[]): string {
  if (items.length === 0) return '';
  return items.reduce((list, item) => l10n.t('{0} or {1}', list, item));
}

/**
 * Server text in a message: one line of at most 300 characters, whatever was sent. Redacted first,
 * whole (by `redact`, the extension's redactor unless given another): a secret cut at the end, or
 * with its double space collapsed, would no longer be recognised afterwards.
 */
export function oneLine(text: string, max = 300, redact: (text: string) => string = redactForCut): string {
  const line = redact(text).slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Whether a token-endpoint refusal means the grant behind a session is gone for good (the user must
 * sign in again), rather than a passing failure worth retrying.
 */
export function endsGrant(error: unknown): boolean {
  if (!(error instanceof ConcurError)) return false;
  if (error.code === 108) return true;
  // "The user lives elsewhere" with a geolocation the trust rules did not let the request follow:
  // the grant is not over; the session is kept and the refresh tried again later.
  if (error.code === 16) return false;
  // Rate limiting and request timeouts pass; any other 4xx from the token endpoint will not.
  return error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 408;
}

export function statusText(status: number): string {
  const texts: Record<number, string> = {
    200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
    404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict', 415: 'Unsupported Media Type',
    429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  };
  return texts[status] ?? '';
}

/** A call that cannot be made as asked (a method that is no HTTP method, a path parameter missing); nothing was sent. */
export class ApiUsageError extends Error {
  override readonly name = 'ApiUsageError';
}
