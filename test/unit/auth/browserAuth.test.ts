import * as assert from 'node:assert/strict';
import { grantForm, OtpFieldError, otpRequestForm, scopeParameter, TokenClient } from '../../../src/auth/tokenClient';
import { authorizeOrigin, authorizeUrl, newState, readAuthorizeRedirect, sameState, StateMismatchError } from '../../../src/auth/authorize';
import { ConcurError } from '../../../src/platform/errors';
import { HttpClient } from '../../../src/platform/http';
import { claimsOf } from '../../../src/auth/jwt';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';

const client = { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'secret-value' };

describe('browser sign-in: the authorize URL and the redirect', () => {
  it('opens the www- twin of a Concur datacenter, with every parameter and no secret', () => {
    const state = newState();
    const url = new URL(authorizeUrl({ baseUrl: 'https://us2.api.concursolutions.com', clientId: client.clientId, redirectUri: 'http://127.0.0.1:5000/callback', state, scope: ' openid user.read ' }));
    assert.equal(url.origin, 'https://www-us2.api.concursolutions.com');
    assert.equal(url.pathname, '/oauth2/v0/authorize');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      client_id: client.clientId,
      redirect_uri: 'http://127.0.0.1:5000/callback',
      scope: 'openid user.read',
      response_type: 'code',
      state,
    });
    assert.ok(!url.toString().includes(client.clientSecret));
  });

  it('leaves other hosts (a www- host, a proxy, the local server) as they are, and names no scope when none is asked', () => {
    assert.equal(authorizeOrigin('https://www-us2.api.concursolutions.com'), 'https://www-us2.api.concursolutions.com');
    assert.equal(authorizeOrigin('https://concur.proxy.example:8443/'), 'https://concur.proxy.example:8443');
    assert.equal(authorizeOrigin('http://127.0.0.1:5050'), 'http://127.0.0.1:5050');
    assert.equal(authorizeOrigin('https://cn.api.concurcdc.cn'), 'https://cn.api.concurcdc.cn');
    const url = new URL(authorizeUrl({ baseUrl: 'http://127.0.0.1:5050', clientId: 'c', redirectUri: 'r', state: 's' }));
    assert.equal(url.searchParams.get('scope'), null);
  });

  it('carries the scopes asked for as one space-separated scope parameter, spaces as %20, in the documented order', () => {
    const url = authorizeUrl({ baseUrl: 'http://127.0.0.1:5050', clientId: 'c', redirectUri: 'http://127.0.0.1:5000/callback', state: 's', scope: 'openid, user.read  openid\treceipts.read' });
    assert.match(url, /[?&]scope=openid%20user\.read%20receipts\.read&/);
    assert.ok(!url.includes('+'), url);
    assert.deepEqual([...new URL(url).searchParams.keys()], ['client_id', 'redirect_uri', 'scope', 'response_type', 'state']);
    assert.equal(new URL(url).searchParams.get('scope'), 'openid user.read receipts.read');
    // Only blanks and commas: no scope asked for.
    assert.equal(new URL(authorizeUrl({ baseUrl: 'http://127.0.0.1:5050', clientId: 'c', redirectUri: 'r', state: 's', scope: ' , ' })).searchParams.get('scope'), null);
  });

  it('writes scopes as Concur\'s scope parameter takes them: space-separated, each once, case kept', () => {
    assert.equal(scopeParameter(['openid', 'user.read', 'openid']), 'openid user.read');
    assert.equal(scopeParameter('EXPRPT,expense.report.read receipts.read'), 'EXPRPT expense.report.read receipts.read');
    assert.equal(scopeParameter('Receipts.Read receipts.read'), 'Receipts.Read receipts.read');
    assert.equal(scopeParameter([]), undefined);
    assert.equal(scopeParameter('  '), undefined);
    assert.equal(scopeParameter(undefined), undefined);
  });

  it('makes a new 256-bit state every time, and compares states exactly', () => {
    const a = newState();
    const b = newState();
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.ok(sameState(a, a));
    assert.ok(!sameState(a, b));
    assert.ok(!sameState(a, a.slice(0, -1)));
    assert.ok(!sameState(a, null));
    assert.ok(!sameState(a, `${a}x`));
  });

  it('reads the code and geolocation of a redirect that carries this sign-in\'s state', () => {
    const state = newState();
    const answer = readAuthorizeRedirect(new URLSearchParams({ code: 'the-code', geolocation: ' https://us2.api.concursolutions.com ', state }), state);
    assert.deepEqual(answer, { code: 'the-code', geolocation: 'https://us2.api.concursolutions.com' });
  });

  it('refuses a redirect whose state is missing or another one, before reading anything else', () => {
    const state = newState();
    assert.throws(() => readAuthorizeRedirect(new URLSearchParams({ code: 'c' }), state), StateMismatchError);
    assert.throws(() => readAuthorizeRedirect(new URLSearchParams({ code: 'c', state: newState() }), state), StateMismatchError);
    // Two states, even with the right one first, are not one sign-in's answer.
    assert.throws(() => readAuthorizeRedirect(new URLSearchParams([['state', state], ['code', 'c'], ['state', 'x']]), state), StateMismatchError);
    // Even an error redirect of another sign-in is not explained as this one's.
    assert.throws(() => readAuthorizeRedirect(new URLSearchParams({ error_code: '21', state: 'x' }), state), StateMismatchError);
  });

  it('explains an error redirect with the message for Concur\'s code and Concur\'s own words', () => {
    const state = newState();
    assert.throws(
      () => readAuthorizeRedirect(new URLSearchParams({ error_code: '14', error_description: 'Account Locked. Please contact support', state }), state),
      (error: unknown) => {
        assert.ok(error instanceof ConcurError);
        assert.equal(error.code, 14);
        assert.match(error.message, /^Concur did not sign you in\. This Concur account is locked\..*\(Concur said: Account Locked\. Please contact support\)$/);
        return true;
      },
    );
    assert.throws(() => readAuthorizeRedirect(new URLSearchParams({ error_code: 'access_denied', error_description: 'The user denied access', state }), state), /declined in the browser/);
    assert.throws(() => readAuthorizeRedirect(new URLSearchParams({ error_code: '999', error_description: 'something\nnew <b>', state }), state), /Concur refused the request: something new <b>\./);
    assert.throws(() => readAuthorizeRedirect(new URLSearchParams({ state }), state), /without an authorization code or an error/);
  });
});

describe('authorization-code and one-time-password grants: forms', () => {
  it('exchanges the code with the same redirect URI', () => {
    const form = grantForm(client, { kind: 'authorizationCode', code: 'abc', redirectUri: 'http://127.0.0.1:1/callback' });
    assert.deepEqual(Object.fromEntries(form), { ...{ client_id: client.clientId, client_secret: 'secret-value' }, grant_type: 'authorization_code', code: 'abc', redirect_uri: 'http://127.0.0.1:1/callback' });
  });

  it('sends the same channel and custom fields with /otp and with the otp grant', () => {
    const fields = { purpose: 'vscode', team: 'a b' };
    const sent = Object.fromEntries(otpRequestForm(client, ' pat@example.com ', fields));
    const grant = Object.fromEntries(grantForm(client, { kind: 'otp', email: 'pat@example.com', otp: '123456', customFields: fields }));
    assert.deepEqual(sent, { client_id: client.clientId, client_secret: 'secret-value', channel_type: 'email', channel_handle: 'pat@example.com', purpose: 'vscode', team: 'a b' });
    assert.deepEqual(grant, { ...sent, grant_type: 'otp', otp: '123456' });
  });

  it('refuses a custom field named like one of the requests\' own parameters', () => {
    assert.throws(() => otpRequestForm(client, 'pat@example.com', { client_secret: 'x' }), OtpFieldError);
    assert.throws(() => grantForm(client, { kind: 'otp', email: 'p@x.io', otp: '1', customFields: { Grant_Type: 'password' } }), OtpFieldError);
  });
});

describe('one-time password against the local Concur server', function () {
  let mock: MockConcur;
  let http: HttpClient;
  let tokens: TokenClient;
  const demoClient = (): { clientId: string; clientSecret: string } => ({ clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret });

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
  });
  after(() => mock.close());
  beforeEach(() => {
    http = new HttpClient({ headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });
    tokens = new TokenClient(http, () => mock.now());
    mock.resetLog();
  });
  afterEach(() => http.close());

  it('follows code 16 to the user\'s datacenter, which sends the code and takes it back with the same custom fields', async () => {
    const fields = { purpose: 'vscode' };
    const followed: string[] = [];
    const sent = await tokens.requestOtp(mock.url, demoClient(), mock.demo.otpHandle, fields, { followGeolocation: async (geo) => (followed.push(geo), geo) });
    assert.deepEqual(followed, [mock.geoUrl]);
    assert.equal(sent.sentBy, mock.geoUrl);
    const otp = mock.lastOtp(mock.demo.otpHandle);
    assert.ok(otp);
    const result = await tokens.requestToken(sent.sentBy, demoClient(), { kind: 'otp', email: mock.demo.otpHandle, otp, customFields: fields });
    assert.equal(claimsOf(result.tokens.accessToken)?.sub, mock.demo.userId);
    assert.deepEqual(
      mock.requests.map((r) => `${r.host} ${r.path} ${r.status}`),
      ['landing /oauth2/v0/otp 400', 'geo /oauth2/v0/otp 200', 'geo /oauth2/v0/token 200'],
    );
  });

  it('does not follow code 16 without the caller\'s say, and explains OTP codes 84 and 85', async () => {
    await assert.rejects(tokens.requestOtp(mock.url, demoClient(), mock.demo.otpHandle), (e: unknown) => e instanceof ConcurError && e.code === 16);
    await tokens.requestOtp(mock.geoUrl, demoClient(), mock.demo.otpHandle, { purpose: 'a' });
    const otp = mock.lastOtp(mock.demo.otpHandle) ?? '';
    await assert.rejects(
      tokens.requestToken(mock.geoUrl, demoClient(), { kind: 'otp', email: mock.demo.otpHandle, otp, customFields: { purpose: 'b' } }),
      (e: unknown) => e instanceof ConcurError && e.code === 84 && /same custom fields/.test(e.message),
    );
    const wrong = otp === '000000' ? '111111' : '000000';
    await assert.rejects(
      tokens.requestToken(mock.geoUrl, demoClient(), { kind: 'otp', email: mock.demo.otpHandle, otp: wrong, customFields: { purpose: 'a' } }),
      (e: unknown) => e instanceof ConcurError && e.code === 85 && /not right/.test(e.message),
    );
  });

  it('explains a bad e-mail address (81)', async () => {
    await assert.rejects(tokens.requestOtp(mock.geoUrl, demoClient(), 'not-an-address'), (e: unknown) => e instanceof ConcurError && e.code === 81 && /not an e-mail address/.test(e.message));
  });
});
