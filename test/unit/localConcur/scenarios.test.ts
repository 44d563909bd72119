/** The local server's scenarios: each one switched on is met by the next call it applies to, and switched off, no more. */
import assert from 'node:assert/strict';
import { activeScenarios, LATENCY_MS, RATE_LIMIT_RETRY_AFTER, startMockConcur, switchScenario, type MockConcur } from '../../../src/localConcur';
import { get, token } from './helpers';

describe('local Concur server: scenarios', function () {
  this.timeout(30_000);
  let mock: MockConcur;
  const password = (): Record<string, string> => ({ grant_type: 'password', client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, username: mock.demo.username, password: mock.demo.password });
  const me = (accessToken: string) => get(`${mock.geoUrl}/profile/v1/me`, accessToken);

  beforeEach(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
  });
  afterEach(() => mock.close());

  it('an expired access token: the next API call gets 401 "Access token has expired"; a new token works', async () => {
    const before = (await token(mock.geoUrl, password())).body;
    assert.equal((await me(before.access_token)).status, 200);
    assert.equal(switchScenario(mock, 'expiredToken', true), 1);
    const after = await me(before.access_token);
    assert.equal(after.status, 401);
    assert.equal(after.body.Message, 'Access token has expired');
    // Refreshing is the way out, as at Concur.
    const refreshed = await token(mock.geoUrl, { grant_type: 'refresh_token', client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, refresh_token: before.refresh_token });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal((await me(refreshed.body.access_token)).status, 200);
    assert.deepEqual(activeScenarios(mock), []);
  });

  it('code 108 on refresh: every refresh token issued so far is revoked', async () => {
    const tokens = (await token(mock.geoUrl, password())).body;
    switchScenario(mock, 'refreshRevoked', true);
    const refresh = await token(mock.geoUrl, { grant_type: 'refresh_token', client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, refresh_token: tokens.refresh_token });
    assert.equal(refresh.status, 400);
    assert.equal(refresh.body.code, 108);
    assert.equal(refresh.body.error, 'invalid_grant');
    assert.equal(refresh.body.error_description, 'bad or expired refresh token');
  });

  it('code 16: the next token request at the landing datacenter names the home one, once', async () => {
    switchScenario(mock, 'wrongDatacenter', true);
    assert.deepEqual(activeScenarios(mock), ['wrongDatacenter']);
    const app = { grant_type: 'client_credentials', client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret };
    const first = await token(mock.url, app);
    assert.equal(first.status, 400);
    assert.deepEqual([first.body.code, first.body.error, first.body.error_description, first.body.geolocation], [16, 'invalid_request', 'user lives elsewhere', mock.geoUrl]);
    // Followed, as Concur asks: the home datacenter issues the token; and the scenario is spent.
    assert.equal((await token(first.body.geolocation, app)).status, 200);
    assert.equal((await token(mock.url, app)).status, 200);
    assert.deepEqual(activeScenarios(mock), []);
  });

  it('429 with retry-after and 500 on every API call until switched off; the token service is not affected', async () => {
    const access = mock.issueTokens().access_token;
    switchScenario(mock, 'rateLimited', true);
    const limited = await me(access);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), String(RATE_LIMIT_RETRY_AFTER));
    assert.deepEqual(limited.body, { error: { id: 'security.rate.limit.reached', message: 'Too many requests' } });
    assert.equal((await me(access)).status, 429);
    assert.equal((await token(mock.geoUrl, password())).status, 200);
    switchScenario(mock, 'serverError', true);
    assert.deepEqual(activeScenarios(mock), ['rateLimited', 'serverError']);
    switchScenario(mock, 'rateLimited', false);
    assert.deepEqual(activeScenarios(mock), ['serverError']);
    assert.equal((await me(access)).status, 500);
    switchScenario(mock, 'serverError', false);
    assert.equal((await me(access)).status, 200);
  });

  it('latency holds every API answer back; large answers are about 20 MB', async () => {
    const access = mock.issueTokens().access_token;
    switchScenario(mock, 'latency', true);
    const started = Date.now();
    assert.equal((await me(access)).status, 200);
    assert.ok(Date.now() - started >= LATENCY_MS - 50, `answered after ${Date.now() - started} ms`);
    switchScenario(mock, 'latency', false);
    switchScenario(mock, 'largeAnswers', true);
    const large = await get(`${mock.geoUrl}/localities/v5/countries`, access);
    assert.equal(large.status, 200);
    assert.ok(large.text.length > 15 * 1024 * 1024, `${large.text.length} bytes`);
  });
});
