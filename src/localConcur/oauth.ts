/** `/oauth2/v0/*`: token grants, one-time passwords, the authorize page and the JWKS. */
import { APPS_BY_ID, COMPANY, TOKEN_ERROR_CODES, tokenErrorStatus } from './directory';
import type { UserRecord } from './data';
import type { ServerEnv } from './env';
import { isFormEncoded, param, parseForm, redirect, sendHtml, sendJson, type Ctx } from './http';
import type { IssueOptions, Principal } from './tokens';
import { MAX_OPEN_OTPS } from './tokens';
import type { DatacenterId, DemoApp } from './types';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Parameters of `/otp` that are not the client's own "facts". */
const OTP_RESERVED = new Set(['client_id', 'client_secret', 'channel_type', 'channel_handle', 'name', 'company', 'link']);
/** Parameters of the otp token request that are not the client's own "facts". */
const OTP_TOKEN_RESERVED = new Set([...OTP_RESERVED, 'scope', 'grant_type', 'otp']);

interface ErrorExtras {
  geolocation?: string;
  codeAsString?: boolean;
  status?: number;
  headers?: Record<string, string>;
}

export function tokenError(ctx: Ctx, env: ServerEnv, code: number, extras: ErrorExtras = {}): void {
  const entry = TOKEN_ERROR_CODES[code];
  const asString = extras.codeAsString || ctx.flags.stringErrorCode || env.errorCodeAs === 'string';
  env.count('tokenErrors');
  sendJson(
    ctx,
    extras.status ?? tokenErrorStatus(entry.error),
    {
      error: entry.error,
      error_description: entry.description,
      code: asString ? String(code) : code,
      ...(extras.geolocation ? { geolocation: extras.geolocation } : {}),
      'concur-correlationid': ctx.correlationId,
    },
    { ...NO_STORE, ...extras.headers },
  );
}

/** The app behind client_id and client_secret, or undefined once the error has been sent (61, 64, 59). */
function authenticateClient(ctx: Ctx, env: ServerEnv, params: URLSearchParams): DemoApp | undefined {
  const app = APPS_BY_ID.get((param(params, 'client_id') ?? '').toLowerCase());
  if (!app) {
    tokenError(ctx, env, 61);
  } else if (app.clientSecret !== (param(params, 'client_secret') ?? '').toLowerCase()) {
    tokenError(ctx, env, 64);
  } else if (!app.enabled) {
    tokenError(ctx, env, 59);
  } else {
    return app;
  }
  return undefined;
}

type AuthResult = { ok: true; user: UserRecord } | { ok: false; code: number; codeAsString?: boolean; geolocation?: string };

/**
 * Password sign-in of a user, in the order Concur answers: unknown user, wrong datacenter
 * (decided before the password is looked at, since only the home datacenter holds it), SSO-only,
 * wrong password, then the account's state. `password` undefined skips the password check and
 * `dc` undefined skips the datacenter check (the authorize page signs users in globally).
 */
function authenticate(env: ServerEnv, username: string, password: string | undefined, dc: DatacenterId | undefined): AuthResult {
  const user = env.dataset.usersByName.get(username.trim().toLowerCase());
  if (!user) {
    return { ok: false, code: 19 };
  }
  if (dc && user.home !== dc) {
    return { ok: false, code: 16, geolocation: env.urls[user.home] };
  }
  if (user.outcome?.codeAsString) {
    return { ok: false, code: user.outcome.code, codeAsString: true };
  }
  if (user.ssoOnly) {
    return { ok: false, code: 21 };
  }
  if (password !== undefined && password !== user.password) {
    return { ok: false, code: 5 };
  }
  return accountState(user);
}

function accountState(user: UserRecord): AuthResult {
  if (user.outcome) {
    return { ok: false, code: user.outcome.code };
  }
  if (!user.active) {
    return { ok: false, code: 10 };
  }
  return { ok: true, user };
}

/** The requested scopes, or all the app's when none were asked for; undefined when one isn't allowed. */
function resolveScopes(requested: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (!requested) {
    return [...allowed];
  }
  const list = [...new Set(requested.split(/[\s,]+/).filter(Boolean))];
  return list.every((s) => allowed.includes(s)) ? list : undefined;
}

/** How the faults of this request change the tokens it issues (`opaqueAccessToken`, `unknownKey`). */
function faultedSigning(ctx: Ctx): Pick<IssueOptions, 'opaque' | 'unknownKey'> {
  return { opaque: ctx.flags.opaqueAccessToken, unknownKey: ctx.flags.unknownKey };
}

function issueForUser(ctx: Ctx, env: ServerEnv, app: DemoApp, user: UserRecord, scopes: string[]): void {
  const principal: Principal = { type: 'user', sub: user.id, home: user.home, user };
  const response = env.store.issue(principal, app, scopes, {
    refreshScopes: app.grants.includes('refresh_token') ? scopes : undefined,
    idToken: true,
    ...faultedSigning(ctx),
  });
  env.count('tokensIssued');
  sendJson(ctx, 200, response, NO_STORE);
}

export function handleToken(ctx: Ctx, env: ServerEnv): void {
  if (ctx.method !== 'POST') {
    tokenError(ctx, env, 135, { status: 405, headers: { allow: 'POST' } });
    return;
  }
  if (!isFormEncoded(ctx)) {
    tokenError(ctx, env, 135);
    return;
  }
  const params = parseForm(ctx);
  // Concur checks that every part is there before it looks any of them up.
  const missing = [['client_id', 62], ['client_secret', 63], ['grant_type', 65]].find(([name]) => !param(params, name as string));
  if (missing) {
    return tokenError(ctx, env, missing[1] as number);
  }
  const grantType = param(params, 'grant_type') as string;
  const app = authenticateClient(ctx, env, params);
  if (!app) {
    return;
  }
  // `refresh` (from old docs) lands here too: Concur only knows `refresh_token`.
  if (!app.grants.includes(grantType)) {
    return tokenError(ctx, env, 60);
  }
  // The `wrongDatacenter` fault: this datacenter says the account lives at the other one.
  if (ctx.flags.wrongDatacenter) {
    return tokenError(ctx, env, 16, { geolocation: env.urls[ctx.dc === 'landing' ? 'geo' : 'landing'] });
  }
  switch (grantType) {
    case 'password':
      return passwordGrant(ctx, env, app, params);
    case 'refresh_token':
      return refreshGrant(ctx, env, app, params);
    case 'client_credentials':
      return clientCredentialsGrant(ctx, env, app, params);
    case 'authorization_code':
      return authorizationCodeGrant(ctx, env, app, params);
    case 'otp':
      return otpGrant(ctx, env, app, params);
    default:
      return tokenError(ctx, env, 60);
  }
}

function passwordGrant(ctx: Ctx, env: ServerEnv, app: DemoApp, params: URLSearchParams): void {
  const credtype = (param(params, 'credtype') ?? 'password').toLowerCase();
  if (credtype !== 'password' && credtype !== 'authtoken') {
    return tokenError(ctx, env, 120);
  }
  const username = param(params, 'username');
  if (!username) {
    return tokenError(ctx, env, 51);
  }
  const password = param(params, 'password');
  if (!password) {
    return tokenError(ctx, env, 52);
  }
  if (credtype === 'authtoken') {
    return companyGrant(ctx, env, app, params, username, password);
  }
  env.count('passwordGrants');
  const result = authenticate(env, username, password, ctx.dc);
  if (!result.ok) {
    return tokenError(ctx, env, result.code, { geolocation: result.geolocation, codeAsString: result.codeAsString });
  }
  const scopes = resolveScopes(param(params, 'scope'), env.appScopes(app));
  if (!scopes) {
    return tokenError(ctx, env, 54);
  }
  issueForUser(ctx, env, app, result.user, scopes);
}

/** `credtype=authtoken`: username is the company UUID, password the 24-hour company request token. */
function companyGrant(ctx: Ctx, env: ServerEnv, app: DemoApp, params: URLSearchParams, companyId: string, requestToken: string): void {
  env.count('companyGrants');
  const record = env.store.requestTokens.get(requestToken.trim().toLowerCase());
  if (!record || record.exp <= env.store.nowSeconds()) {
    return tokenError(ctx, env, 5);
  }
  if (record.clientId !== app.clientId) {
    return tokenError(ctx, env, 136);
  }
  if (record.companyId !== companyId.trim().toLowerCase()) {
    return tokenError(ctx, env, 5);
  }
  const scopes = resolveScopes(param(params, 'scope'), env.appScopes(app));
  if (!scopes) {
    return tokenError(ctx, env, 54);
  }
  const principal: Principal = { type: 'company', sub: COMPANY.id, home: COMPANY.home };
  const response = env.store.issue(principal, app, scopes, {
    refreshScopes: app.grants.includes('refresh_token') ? scopes : undefined,
    idToken: true,
    ...faultedSigning(ctx),
  });
  env.count('tokensIssued');
  sendJson(ctx, 200, response, NO_STORE);
}

function refreshGrant(ctx: Ctx, env: ServerEnv, app: DemoApp, params: URLSearchParams): void {
  const token = param(params, 'refresh_token');
  if (!token) {
    return tokenError(ctx, env, 106);
  }
  if (!app.refreshAllowed) {
    return tokenError(ctx, env, 107);
  }
  const record = env.store.refresh.get(token);
  if (!record) {
    env.count('refreshRejected');
    return tokenError(ctx, env, 108);
  }
  if (record.exp <= env.store.nowSeconds()) {
    env.store.refresh.delete(token);
    env.count('refreshRejected');
    return tokenError(ctx, env, 108);
  }
  if (record.clientId !== app.clientId) {
    return tokenError(ctx, env, 105);
  }
  if (record.principal.home !== ctx.dc) {
    // Refresh tokens live in the datacenter that issued them; the answer names it like a sign-in does.
    return tokenError(ctx, env, 16, { geolocation: env.urls[record.principal.home] });
  }
  const scopes = resolveScopes(param(params, 'scope'), record.scopes);
  if (!scopes) {
    return tokenError(ctx, env, 54);
  }
  // Rotation: the presented token dies now, and the new one's six months start now.
  env.store.refresh.delete(token);
  const response = env.store.issue(record.principal, app, scopes, {
    refreshScopes: record.scopes,
    idToken: record.principal.type !== 'app',
    ...faultedSigning(ctx),
  });
  env.count('refreshRotations');
  env.count('tokensIssued');
  sendJson(ctx, 200, response, NO_STORE);
}

function clientCredentialsGrant(ctx: Ctx, env: ServerEnv, app: DemoApp, params: URLSearchParams): void {
  env.count('clientCredentialsGrants');
  const scopes = resolveScopes(param(params, 'scope'), env.appScopes(app));
  if (!scopes) {
    return tokenError(ctx, env, 54);
  }
  const principal: Principal = { type: 'app', sub: app.clientId, home: COMPANY.home };
  const response = env.store.issue(principal, app, scopes, { idToken: false, ...faultedSigning(ctx) });
  env.count('tokensIssued');
  sendJson(ctx, 200, response, NO_STORE);
}

function authorizationCodeGrant(ctx: Ctx, env: ServerEnv, app: DemoApp, params: URLSearchParams): void {
  env.count('authorizationCodeGrants');
  const code = param(params, 'code');
  if (!code) {
    return tokenError(ctx, env, 101);
  }
  const redirectUri = param(params, 'redirect_uri');
  if (!redirectUri) {
    return tokenError(ctx, env, 102);
  }
  const record = env.store.codes.get(code);
  if (!record || record.exp <= env.store.nowSeconds()) {
    env.store.codes.delete(code);
    return tokenError(ctx, env, 103);
  }
  if (record.clientId !== app.clientId) {
    return tokenError(ctx, env, 105);
  }
  if (record.redirectUri !== redirectUri) {
    return tokenError(ctx, env, 104);
  }
  env.store.codes.delete(code);
  issueForUser(ctx, env, app, record.user, record.scopes);
}

function customParams(params: URLSearchParams, reserved: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) {
    if (!reserved.has(name)) {
      out[name] = value;
    }
  }
  return out;
}

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/** Validates channel_type/channel_handle as `/otp` and the otp grant both do; sends the error. */
function channelOf(ctx: Ctx, env: ServerEnv, params: URLSearchParams): string | undefined {
  const channelType = param(params, 'channel_type');
  if (!channelType) {
    tokenError(ctx, env, 57);
    return undefined;
  }
  const handle = param(params, 'channel_handle');
  if (!handle) {
    tokenError(ctx, env, 58);
    return undefined;
  }
  if (channelType.toLowerCase() !== 'email') {
    tokenError(ctx, env, 80);
    return undefined;
  }
  if (!EMAIL.test(handle.trim())) {
    tokenError(ctx, env, 81);
    return undefined;
  }
  return handle.trim();
}

function otpGrant(ctx: Ctx, env: ServerEnv, app: DemoApp, params: URLSearchParams): void {
  env.count('otpGrants');
  const otp = param(params, 'otp');
  if (!otp) {
    return tokenError(ctx, env, 56);
  }
  const handle = channelOf(ctx, env, params);
  if (!handle) {
    return;
  }
  const user = env.dataset.usersByName.get(handle.toLowerCase());
  if (!user) {
    return tokenError(ctx, env, 55);
  }
  if (user.home !== ctx.dc) {
    return tokenError(ctx, env, 16, { geolocation: env.urls[user.home] });
  }
  const open = env.store.openOtps(handle).filter((o) => o.clientId === app.clientId);
  if (open.length === 0) {
    return tokenError(ctx, env, 83);
  }
  const match = open.find((o) => o.otp === otp.trim());
  if (!match) {
    return tokenError(ctx, env, 85);
  }
  if (!sameParams(match.extras, customParams(params, OTP_TOKEN_RESERVED))) {
    return tokenError(ctx, env, 84);
  }
  const state = accountState(user);
  if (!state.ok) {
    return tokenError(ctx, env, state.code);
  }
  const scopes = resolveScopes(param(params, 'scope'), env.appScopes(app));
  if (!scopes) {
    return tokenError(ctx, env, 54);
  }
  match.used = true;
  issueForUser(ctx, env, app, user, scopes);
}

/** `POST /oauth2/v0/otp`: "e-mails" a one-time password, readable through `lastOtp()`. */
export function handleOtp(ctx: Ctx, env: ServerEnv): void {
  if (ctx.method !== 'POST') {
    return tokenError(ctx, env, 135, { status: 405, headers: { allow: 'POST' } });
  }
  if (!isFormEncoded(ctx)) {
    return tokenError(ctx, env, 135);
  }
  const params = parseForm(ctx);
  const missing = [['client_id', 62], ['client_secret', 63]].find(([name]) => !param(params, name as string));
  if (missing) {
    return tokenError(ctx, env, missing[1] as number);
  }
  const app = authenticateClient(ctx, env, params);
  if (!app) {
    return;
  }
  if (!app.grants.includes('otp')) {
    return tokenError(ctx, env, 60);
  }
  const handle = channelOf(ctx, env, params);
  if (!handle) {
    return;
  }
  const user = env.dataset.usersByName.get(handle.toLowerCase());
  if (user && user.home !== ctx.dc) {
    return tokenError(ctx, env, 16, { geolocation: env.urls[user.home] });
  }
  if (env.store.openOtps(handle).length >= MAX_OPEN_OTPS) {
    return tokenError(ctx, env, 82);
  }
  // An unknown address gets the same answer as a known one; the grant then fails with 55.
  if (user) {
    env.store.newOtp(app.clientId, user, handle, customParams(params, OTP_RESERVED));
    env.count('otpsSent');
  }
  sendJson(ctx, 200, { message: 'otp sent' }, NO_STORE);
}

export function handleJwks(ctx: Ctx, env: ServerEnv): void {
  env.count('jwksRequests');
  sendJson(ctx, 200, { keys: [env.key.publicJwk] }, { 'cache-control': 'public, max-age=3600' });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isAcceptableRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (['javascript:', 'data:', 'file:', 'about:', 'blob:'].includes(url.protocol)) {
    return false;
  }
  // Plain http only back to this machine, as for a native app's loopback redirect.
  if (url.protocol === 'http:') {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  }
  return true;
}

function errorPage(ctx: Ctx, status: number, code: number | undefined, message: string): void {
  const codeLine = code === undefined ? '' : `<p>Error code: <code id="error-code">${code}</code></p>`;
  sendHtml(
    ctx,
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mock Concur - Error</title></head>` +
      `<body><h1>Mock Concur could not start sign-in</h1><p id="error-description">${escapeHtml(message)}</p>${codeLine}</body></html>`,
  );
}

function redirectWith(ctx: Ctx, redirectUri: string, values: Record<string, string | undefined>): void {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) {
      url.searchParams.set(name, value);
    }
  }
  redirect(ctx, url.toString());
}

/**
 * What "Answer with an error" sends when no `mock_error_code` is given: 12, "Logon Denied", an
 * account-state refusal a browser sign-in meets like a password one (an SSO-only user, 21, would
 * sign in through SSO in the browser, so it would not fit here).
 */
export const DEFAULT_AUTHORIZE_ERROR_CODE = 12;

/**
 * `GET /oauth2/v0/authorize` shows a sign-in page with Approve and Deny; the form posts back here.
 * `mock_decision=approve|deny|error` (with optional `mock_user`, `mock_password`, `mock_error_code`)
 * decides without a browser. The redirect carries `code` + `geolocation` + `state`, or `error_code` +
 * `error_description` + `state`.
 */
export function handleAuthorize(ctx: Ctx, env: ServerEnv): void {
  env.count('authorizeRequests');
  let params: URLSearchParams;
  if (ctx.method === 'GET') {
    params = ctx.query;
  } else if (ctx.method === 'POST' && isFormEncoded(ctx)) {
    params = parseForm(ctx);
  } else {
    return errorPage(ctx, ctx.method === 'POST' ? 400 : 405, 135, 'unsupported request format');
  }
  const clientId = param(params, 'client_id');
  if (!clientId) {
    return errorPage(ctx, 400, 62, TOKEN_ERROR_CODES[62].description);
  }
  const app = APPS_BY_ID.get(clientId.toLowerCase());
  if (!app) {
    return errorPage(ctx, 400, 61, TOKEN_ERROR_CODES[61].description);
  }
  if (!app.enabled) {
    return errorPage(ctx, 403, 59, TOKEN_ERROR_CODES[59].description);
  }
  const redirectUri = param(params, 'redirect_uri');
  if (!redirectUri) {
    return errorPage(ctx, 400, 102, TOKEN_ERROR_CODES[102].description);
  }
  if (!isAcceptableRedirect(redirectUri)) {
    return errorPage(ctx, 400, undefined, 'redirect_uri is not registered for this application');
  }
  const state = params.get('state') ?? undefined;
  const fail = (code: number): void => redirectWith(ctx, redirectUri, { error_code: String(code), error_description: TOKEN_ERROR_CODES[code].description, state });

  if (params.get('response_type') !== 'code' || !app.grants.includes('authorization_code')) {
    return fail(60);
  }
  const scopes = resolveScopes(param(params, 'scope'), env.appScopes(app));
  if (!scopes) {
    return fail(54);
  }

  let decision: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  if (ctx.method === 'GET') {
    decision = param(params, 'mock_decision');
    username = param(params, 'mock_user') ?? env.demo.username;
    password = param(params, 'mock_password');
    if (!decision) {
      return sendHtml(ctx, 200, authorizePage(env, app, params, scopes), { 'cache-control': 'no-store' });
    }
  } else {
    decision = param(params, 'decision');
    username = param(params, 'username');
    password = param(params, 'password') ?? '';
  }

  if (decision === 'deny') {
    return redirectWith(ctx, redirectUri, { error_code: 'access_denied', error_description: 'The user denied access to the application', state });
  }
  if (decision === 'error') {
    const raw = param(params, 'mock_error_code') ?? String(DEFAULT_AUTHORIZE_ERROR_CODE);
    const code = /^\d{1,4}$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Object.hasOwn(TOKEN_ERROR_CODES, code)) {
      return errorPage(ctx, 400, undefined, `mock_error_code must be one of the documented codes (${Object.keys(TOKEN_ERROR_CODES).join(', ')})`);
    }
    return fail(code);
  }
  if (decision !== 'approve') {
    return errorPage(ctx, 400, undefined, 'decision must be approve, deny or error');
  }
  if (!username) {
    return fail(51);
  }
  const result = authenticate(env, username, password, undefined);
  if (!result.ok) {
    return fail(result.code);
  }
  const code = env.store.newAuthCode(app.clientId, redirectUri, scopes, result.user);
  env.count('authorizationCodesIssued');
  redirectWith(ctx, redirectUri, { code, geolocation: env.urls[result.user.home], state });
}

function authorizePage(env: ServerEnv, app: DemoApp, params: URLSearchParams, scopes: string[]): string {
  const hidden = ['client_id', 'redirect_uri', 'scope', 'state', 'response_type']
    .filter((name) => params.get(name) !== null)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
    .join('');
  const quick = (decision: string): string => {
    const q = new URLSearchParams(params);
    q.set('mock_decision', decision);
    if (decision === 'approve') {
      q.set('mock_user', env.demo.username);
    }
    // Relative, like the form's action: the page also works behind a path-prefixing proxy (VS Code Server's /proxy/<port>/).
    return `authorize?${escapeHtml(q.toString())}`;
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign in - Mock Concur</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 30rem; margin: 3rem auto; padding: 0 1rem; }
label { display: block; margin: .75rem 0 .25rem; }
input[type=text], input[type=password] { width: 100%; padding: .4rem; box-sizing: border-box; }
.actions { margin-top: 1rem; display: flex; gap: .5rem; }
</style>
</head>
<body>
<h1>Mock Concur</h1>
<p><strong id="app-name">${escapeHtml(app.name)}</strong> asks to access your account with these scopes:</p>
<p><code id="scopes">${escapeHtml(scopes.join(' '))}</code></p>
<form method="post" action="authorize">
${hidden}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(env.demo.username)}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="actions">
<button type="submit" id="approve" name="decision" value="approve">Approve</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button>
</div>
</form>
<p>Without typing: <a id="approve-demo" href="${quick('approve')}">Approve as ${escapeHtml(env.demo.username)}</a>, <a id="deny-link" href="${quick('deny')}">Deny</a>, or <a id="error-link" href="${quick('error')}">Answer with an error</a> (code ${DEFAULT_AUTHORIZE_ERROR_CODE}, ${escapeHtml(TOKEN_ERROR_CODES[DEFAULT_AUTHORIZE_ERROR_CODE].description)}).</p>
</body>
</html>`;
}
