import assert from 'node:assert/strict';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { COMPANY, SCOPES } from '../../../src/localConcur/directory';
import { FakeClock, FORM, UUID, decodeJwt, get, postForm, token, verifyWithJwks, type Json } from './helpers';

const SIX_MONTHS = 180 * 86_400;

describe('mock Concur: token endpoint', () => {
  let mock: MockConcur;
  const clock = new FakeClock();

  before(async () => {
    mock = await startMockConcur({ quiet: true, now: clock.now, companyUsers: 200 });
  });
  after(() => mock.close());

  const client = (): Record<string, string> => ({ client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret });
  const password = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...client(),
    grant_type: 'password',
    username: mock.demo.username,
    password: mock.demo.password,
    ...extra,
  });

  describe('password grant', () => {
    it('issues Concur-shaped tokens at the home datacenter', async () => {
      const res = await token(mock.geoUrl, password());
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['expires_in', 'scope', 'token_type', 'access_token', 'refresh_token', 'refresh_expires_in', 'id_token', 'geolocation']);
      assert.equal(res.body.expires_in, '3600');
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.scope, SCOPES.all.join(' '));
      assert.equal(res.body.geolocation, mock.geoUrl);
      assert.equal(res.body.refresh_expires_in, clock.seconds + SIX_MONTHS);
      assert.match(res.body.refresh_token, /^rt_[A-Za-z0-9_-]{30,}$/);
      assert.doesNotMatch(res.body.refresh_token, UUID);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(res.headers.get('concur-correlationid') ?? '', UUID);
    });

    it('signs RS256 access tokens with the claims of section 5', async () => {
      const res = await token(mock.geoUrl, password());
      const { header, payload } = decodeJwt(res.body.access_token);
      assert.equal(header.typ, 'JWT');
      assert.equal(header.alg, 'RS256');
      assert.equal(header.kid, mock.jwks().keys[0].kid);
      assert.equal(payload.sub, mock.demo.userId);
      assert.equal(payload.iss, mock.geoUrl);
      assert.equal(payload.aud, '*');
      assert.equal(payload.iat, clock.seconds);
      assert.equal(payload.nbf, clock.seconds);
      assert.equal(payload.exp, clock.seconds + 3600);
      assert.equal(payload['concur.version'], 2);
      assert.equal(payload['concur.type'], 'user');
      assert.equal(payload['concur.app'], `${mock.geoUrl}/profile/v1/apps/${mock.demo.clientId}`);
      assert.equal(payload['concur.profile'], `${mock.geoUrl}/profile/v1/principals/${mock.demo.userId}`);
      assert.deepEqual(payload['concur.scopes'], [...SCOPES.all]);
      assert.deepEqual(payload['https://api.concursolutions.com/scopes'], [...SCOPES.all]);
      assert.ok(String(payload['https://api.concursolutions.com/app']).endsWith(mock.demo.clientId));
      assert.equal(payload.useruuid, mock.demo.userId);
    });

    it('returns an id_token for the user whose at_hash binds the access token', async () => {
      const res = await token(mock.geoUrl, password());
      const { payload } = decodeJwt(res.body.id_token);
      assert.equal(payload.aud, mock.demo.clientId);
      assert.equal(payload.sub, mock.demo.userId);
      assert.equal(payload.iss, mock.geoUrl);
      assert.equal(payload['concur.type'], 'user');
      assert.equal(payload['concur.version'], 2);
      assert.equal(payload['concur.profile'], `${mock.geoUrl}/profile/v1/principals/${mock.demo.userId}`);
      const { createHash } = await import('node:crypto');
      const digest = createHash('sha256').update(res.body.access_token).digest();
      assert.equal(payload.at_hash, digest.subarray(0, 16).toString('base64url'));
      for (const claim of ['exp', 'nbf', 'iat']) {
        assert.equal(typeof payload[claim], 'number');
      }
    });

    it('publishes a JWKS that verifies both tokens', async () => {
      const res = await token(mock.geoUrl, password());
      const jwks = await get(`${mock.url}/oauth2/v0/jwks`);
      assert.equal(jwks.status, 200);
      assert.equal(jwks.body.keys[0].kty, 'RSA');
      assert.equal(jwks.body.keys[0].alg, 'RS256');
      assert.ok(verifyWithJwks(res.body.access_token, jwks.body));
      assert.ok(verifyWithJwks(res.body.id_token, jwks.body));
      const [h, p, s] = res.body.access_token.split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(res.body.access_token).payload, sub: 'x' })).toString('base64url')}.${s}`;
      assert.ok(!verifyWithJwks(forged, jwks.body));
      assert.ok(p.length > 0);
    });

    it('answers code 16 with the geolocation at the wrong datacenter, then succeeds there', async () => {
      const wrong = await token(mock.url, password());
      assert.equal(wrong.status, 400);
      assert.deepEqual(
        { error: wrong.body.error, code: wrong.body.code, geolocation: wrong.body.geolocation },
        { error: 'invalid_request', code: 16, geolocation: mock.geoUrl },
      );
      const retry = await token(wrong.body.geolocation, password());
      assert.equal(retry.status, 200);
      assert.equal(retry.body.geolocation, mock.geoUrl);
    });

    it('sends a user of the landing datacenter there, and serves their APIs only there', async () => {
      const resident = mock.demo.users.find((u) => u.home === 'landing');
      assert.ok(resident);
      const wrong = await token(mock.geoUrl, password({ username: resident.username }));
      assert.equal(wrong.body.code, 16);
      assert.equal(wrong.body.geolocation, mock.url);
      const ok = await token(mock.url, password({ username: resident.username }));
      assert.equal(ok.status, 200);
      assert.equal(ok.body.geolocation, mock.url);
      assert.equal((await get(`${mock.url}/profile/v1/me`, ok.body.access_token)).status, 200);
      assert.equal((await get(`${mock.geoUrl}/profile/v1/me`, ok.body.access_token)).status, 401);
    });

    it('grants a narrower scope on request', async () => {
      const res = await token(mock.geoUrl, password({ scope: 'openid user.read' }));
      assert.equal(res.status, 200);
      assert.equal(res.body.scope, 'openid user.read');
      assert.deepEqual(decodeJwt(res.body.access_token).payload['concur.scopes'], ['openid', 'user.read']);
    });
  });

  describe('company grant (credtype=authtoken)', () => {
    it('issues a company token whose sub is the company UUID', async () => {
      const res = await token(mock.url, password({ credtype: 'authtoken', username: mock.demo.companyId, password: mock.demo.companyRequestToken }));
      assert.equal(res.status, 200);
      assert.equal(res.body.geolocation, mock.geoUrl);
      assert.ok(res.body.refresh_token);
      const access = decodeJwt(res.body.access_token).payload;
      assert.equal(access['concur.type'], 'company');
      assert.equal(access.sub, COMPANY.id);
      const id = decodeJwt(res.body.id_token).payload;
      assert.equal(id['concur.type'], 'company');
      assert.equal(id.sub, COMPANY.id);
    });

    it('answers 136 for a request token issued to another client', async () => {
      const limited = mock.demo.apps.find((a) => a.key === 'limited');
      assert.ok(limited);
      const res = await token(mock.url, {
        client_id: limited.clientId,
        client_secret: limited.clientSecret,
        grant_type: 'password',
        credtype: 'authtoken',
        username: mock.demo.companyId,
        password: mock.demo.companyRequestToken,
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 136);
      assert.equal(res.body.error, 'invalid_request');
    });

    it('answers 5 for an unknown, mismatched or expired request token', async () => {
      const unknown = await token(mock.url, password({ credtype: 'authtoken', username: mock.demo.companyId, password: '00000000-0000-4000-8000-000000000000' }));
      assert.equal(unknown.body.code, 5);
      const wrongCompany = await token(mock.url, password({ credtype: 'authtoken', username: '11111111-1111-4111-8111-111111111111', password: mock.demo.companyRequestToken }));
      assert.equal(wrongCompany.body.code, 5);
      const shortLived = mock.issueCompanyRequestToken(undefined, 60);
      clock.advance(61);
      const expired = await token(mock.url, password({ credtype: 'authtoken', username: mock.demo.companyId, password: shortLived }));
      assert.equal(expired.body.code, 5);
    });
  });

  describe('client_credentials grant', () => {
    it('issues an app token without refresh token or id_token', async () => {
      const res = await token(mock.url, { ...client(), grant_type: 'client_credentials' });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['expires_in', 'scope', 'token_type', 'access_token', 'geolocation']);
      const payload = decodeJwt(res.body.access_token).payload;
      assert.equal(payload['concur.type'], 'app');
      assert.equal(payload.sub, mock.demo.clientId);
    });
  });

  describe('refresh_token grant', () => {
    const signIn = async (): Promise<Json> => (await token(mock.geoUrl, password())).body;
    const refresh = (refreshToken: string, extra: Record<string, string> = {}): ReturnType<typeof token> =>
      token(mock.geoUrl, { ...client(), grant_type: 'refresh_token', refresh_token: refreshToken, ...extra });

    it('rotates the refresh token on every use; the old one then fails with 108', async () => {
      const first = await signIn();
      const second = await refresh(first.refresh_token);
      assert.equal(second.status, 200);
      assert.notEqual(second.body.refresh_token, first.refresh_token);
      assert.notEqual(second.body.access_token, first.access_token);
      assert.equal(second.body.geolocation, mock.geoUrl);
      assert.ok(second.body.id_token);
      const replay = await refresh(first.refresh_token);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.code, 108);
      assert.equal(replay.body.error, 'invalid_grant');
      const third = await refresh(second.body.refresh_token);
      assert.equal(third.status, 200);
    });

    it('slides the refresh expiry to now + 6 months on each refresh', async () => {
      const first = await signIn();
      assert.equal(first.refresh_expires_in, clock.seconds + SIX_MONTHS);
      clock.advance(30 * 86_400);
      const second = await refresh(first.refresh_token);
      assert.equal(second.body.refresh_expires_in, clock.seconds + SIX_MONTHS);
      assert.equal(second.body.refresh_expires_in - first.refresh_expires_in, 30 * 86_400);
    });

    it('answers 108 once the refresh token has expired', async () => {
      const first = await signIn();
      clock.advance(SIX_MONTHS + 1);
      const res = await refresh(first.refresh_token);
      assert.equal(res.body.code, 108);
    });

    it('answers 108 after the refresh tokens were revoked', async () => {
      const first = await signIn();
      assert.ok(mock.revokeRefreshTokens(mock.demo.userId) >= 1);
      assert.equal((await refresh(first.refresh_token)).body.code, 108);
    });

    it('narrows the scope on request, keeps the grant, and refuses a wider one with 54', async () => {
      const first = await signIn();
      const narrow = await refresh(first.refresh_token, { scope: 'user.read' });
      assert.equal(narrow.body.scope, 'user.read');
      const back = await refresh(narrow.body.refresh_token);
      assert.equal(back.body.scope, SCOPES.all.join(' '));
      const limited = mock.demo.apps.find((a) => a.key === 'limited');
      assert.ok(limited);
      const small = await token(mock.geoUrl, { client_id: limited.clientId, client_secret: limited.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password });
      const wider = await token(mock.geoUrl, { client_id: limited.clientId, client_secret: limited.clientSecret, grant_type: 'refresh_token', refresh_token: small.body.refresh_token, scope: 'openid EXPRPT' });
      assert.equal(wider.body.code, 54);
      assert.equal(wider.body.error, 'invalid_scope');
    });

    it('answers 16 with the geolocation when refreshing at the wrong datacenter', async () => {
      const first = await signIn();
      const res = await token(mock.url, { ...client(), grant_type: 'refresh_token', refresh_token: first.refresh_token });
      assert.equal(res.body.code, 16);
      assert.equal(res.body.geolocation, mock.geoUrl);
      assert.equal((await refresh(first.refresh_token)).status, 200, 'the token survives a wrong-host attempt');
    });

    it('answers 105 for a refresh token issued to another client', async () => {
      const first = await signIn();
      const limited = mock.demo.apps.find((a) => a.key === 'limited');
      assert.ok(limited);
      const res = await token(mock.geoUrl, { client_id: limited.clientId, client_secret: limited.clientSecret, grant_type: 'refresh_token', refresh_token: first.refresh_token });
      assert.equal(res.body.code, 105);
    });

    it('refuses grant_type=refresh with 60, as Concur does', async () => {
      const first = await signIn();
      const res = await token(mock.geoUrl, { ...client(), grant_type: 'refresh', refresh_token: first.refresh_token });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 60);
      assert.equal(res.body.error, 'invalid_grant');
    });

    it('refreshes company tokens too', async () => {
      const requestToken = mock.issueCompanyRequestToken();
      const company = await token(mock.url, password({ credtype: 'authtoken', username: mock.demo.companyId, password: requestToken }));
      const res = await refresh(company.body.refresh_token);
      assert.equal(res.status, 200);
      assert.equal(decodeJwt(res.body.access_token).payload['concur.type'], 'company');
    });
  });

  describe('errors', () => {
    const app = (key: string): { client_id: string; client_secret: string } => {
      const found = mock.demo.apps.find((a) => a.key === key);
      assert.ok(found);
      return { client_id: found.clientId, client_secret: found.clientSecret };
    };
    const user = (local: string): string => `${local}@globex.example`;

    const cases: Array<{ name: string; params: () => Record<string, string>; code: number; error: string; status: number; host?: 'landing' }> = [
      { name: 'wrong password', params: () => password({ password: 'nope' }), code: 5, error: 'invalid_grant', status: 400 },
      { name: 'unknown username', params: () => password({ username: 'nobody@globex.example' }), code: 19, error: 'invalid_grant', status: 400 },
      { name: 'disabled account', params: () => password({ username: user('disabled') }), code: 10, error: 'invalid_grant', status: 400 },
      { name: 'deactivated account', params: () => password({ username: user('deactivated') }), code: 11, error: 'invalid_grant', status: 400 },
      { name: 'logon denied', params: () => password({ username: user('logon.denied') }), code: 12, error: 'invalid_grant', status: 400 },
      { name: 'logon denied by policy', params: () => password({ username: user('logon.denied.policy') }), code: 13, error: 'invalid_grant', status: 400 },
      { name: 'locked account', params: () => password({ username: user('locked') }), code: 14, error: 'invalid_grant', status: 400 },
      { name: 'IP restriction', params: () => password({ username: user('ip.restricted') }), code: 20, error: 'invalid_grant', status: 400 },
      { name: 'SSO-only user', params: () => password({ username: user('sso.only') }), code: 21, error: 'invalid_request', status: 400 },
      { name: 'password must be changed', params: () => password({ username: user('password.expired') }), code: 139, error: 'invalid_grant', status: 400 },
      { name: 'user lives elsewhere', params: () => password(), code: 16, error: 'invalid_request', status: 400, host: 'landing' },
      { name: 'username missing', params: () => password({ username: '' }), code: 51, error: 'invalid_request', status: 400 },
      { name: 'password missing', params: () => password({ password: '' }), code: 52, error: 'invalid_request', status: 400 },
      { name: 'scope exceeds granted', params: () => ({ ...password(), ...app('limited'), scope: 'openid EXPRPT' }), code: 54, error: 'invalid_scope', status: 400 },
      { name: 'client disabled', params: () => ({ ...password(), ...app('disabled') }), code: 59, error: 'access_denied', status: 403 },
      { name: 'grant not allowed for the app', params: () => ({ ...app('limited'), grant_type: 'client_credentials' }), code: 60, error: 'invalid_grant', status: 400 },
      { name: 'unknown grant type', params: () => ({ ...client(), grant_type: 'implicit' }), code: 60, error: 'invalid_grant', status: 400 },
      { name: 'unknown client', params: () => ({ ...password(), client_id: '00000000-0000-4000-8000-000000000000' }), code: 61, error: 'invalid_client', status: 401 },
      { name: 'client_id missing', params: () => ({ ...password(), client_id: '' }), code: 62, error: 'invalid_request', status: 400 },
      { name: 'client_secret missing', params: () => ({ ...password(), client_secret: '' }), code: 63, error: 'invalid_request', status: 400 },
      { name: 'wrong client secret', params: () => ({ ...password(), client_secret: '00000000-0000-4000-8000-000000000000' }), code: 64, error: 'invalid_client', status: 401 },
      { name: 'grant_type missing', params: () => ({ ...client() }), code: 65, error: 'invalid_request', status: 400 },
      { name: 'refresh_token missing', params: () => ({ ...client(), grant_type: 'refresh_token' }), code: 106, error: 'invalid_request', status: 400 },
      { name: 'refresh disallowed for the app', params: () => ({ ...app('noRefresh'), grant_type: 'refresh_token', refresh_token: 'rt_anything' }), code: 107, error: 'invalid_request', status: 400 },
      { name: 'unknown refresh token', params: () => ({ ...client(), grant_type: 'refresh_token', refresh_token: 'rt_unknown' }), code: 108, error: 'invalid_grant', status: 400 },
      { name: 'invalid credtype', params: () => password({ credtype: 'kerberos' }), code: 120, error: 'invalid_request', status: 400 },
    ];

    for (const c of cases) {
      it(`answers ${c.code} (${c.error}, HTTP ${c.status}) for ${c.name}`, async () => {
        const res = await token(c.host === 'landing' ? mock.url : mock.geoUrl, c.params());
        assert.equal(res.status, c.status);
        assert.equal(res.body.code, c.code);
        assert.equal(res.body.error, c.error);
        assert.equal(typeof res.body.error_description, 'string');
        assert.equal(res.body['concur-correlationid'], res.headers.get('concur-correlationid'));
      });
    }

    it('gives the no-refresh app refresh tokens that then fail with 107', async () => {
      const signIn = await token(mock.geoUrl, { ...password(), ...app('noRefresh') });
      assert.ok(signIn.body.refresh_token);
      const res = await token(mock.geoUrl, { ...app('noRefresh'), grant_type: 'refresh_token', refresh_token: signIn.body.refresh_token });
      assert.equal(res.body.code, 107);
    });

    it('sends code as a string for the string.code demo user', async () => {
      const res = await token(mock.geoUrl, password({ username: user('string.code') }));
      assert.equal(res.body.code, '5');
    });

    it('rejects anything but a bare form-encoded body with 135', async () => {
      const body = new URLSearchParams(password()).toString();
      const variants: Array<Record<string, string>> = [
        { 'content-type': `${FORM}; charset=utf-8` },
        { 'content-type': 'application/json' },
        {},
      ];
      for (const headers of variants) {
        const response = await fetch(`${mock.geoUrl}/oauth2/v0/token`, { method: 'POST', headers, body: headers['content-type'] === 'application/json' ? JSON.stringify(password()) : body });
        const json = (await response.json()) as Json;
        assert.equal(response.status, 400, JSON.stringify(headers));
        assert.equal(json.code, 135);
        assert.equal(json.error, 'invalid_request');
      }
      const ok = await fetch(`${mock.geoUrl}/oauth2/v0/token`, { method: 'POST', headers: { 'content-type': FORM }, body });
      assert.equal(ok.status, 200);
    });

    it('answers a GET on the token endpoint with 405 and code 135', async () => {
      const res = await get(`${mock.geoUrl}/oauth2/v0/token`);
      assert.equal(res.status, 405);
      assert.equal(res.body.code, 135);
      assert.equal(res.headers.get('allow'), 'POST');
    });

    it('echoes the caller-sent concur-correlationid', async () => {
      const res = await token(mock.geoUrl, password({ password: 'nope' }), { 'concur-correlationid': 'my-trace-123' });
      assert.equal(res.headers.get('concur-correlationid'), 'my-trace-123');
      assert.equal(res.body['concur-correlationid'], 'my-trace-123');
    });
  });
});

describe('mock Concur: token options', () => {
  it('sends expires_in as a number and codes as strings when configured', async () => {
    const mock = await startMockConcur({ quiet: true, expiresInAs: 'number', errorCodeAs: 'string', accessTokenLifetime: 120, refreshTokenLifetime: 600, companyUsers: 20 });
    try {
      const base = { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password };
      const ok = await token(mock.geoUrl, base);
      assert.equal(ok.body.expires_in, 120);
      const { payload } = decodeJwt(ok.body.access_token);
      assert.equal(payload.exp - payload.iat, 120);
      assert.equal(ok.body.refresh_expires_in - payload.iat, 600);
      const bad = await token(mock.geoUrl, { ...base, password: 'nope' });
      assert.equal(bad.body.code, '5');
    } finally {
      await mock.close();
    }
  });

  it('mints tokens in-process with issueTokens()', async () => {
    const mock = await startMockConcur({ quiet: true, companyUsers: 20 });
    try {
      const user = mock.issueTokens({ scopes: ['user.read'] });
      assert.equal(user.geolocation, mock.geoUrl);
      assert.equal((await get(`${mock.geoUrl}/profile/v1/me`, user.access_token)).status, 200);
      const company = mock.issueTokens({ principal: 'company' });
      assert.equal(decodeJwt(company.access_token).payload['concur.type'], 'company');
      const app = mock.issueTokens({ principal: 'app' });
      assert.equal(app.refresh_token, undefined);
      await postForm(`${mock.geoUrl}/oauth2/v0/token`, {});
      assert.equal(mock.counters.tokenRequests, 1, 'issueTokens() is not a request');
    } finally {
      await mock.close();
    }
  });
});
