import * as assert from 'node:assert/strict';
import { accountName } from '../../src/concur/accountName';
import { ApiClient, type SessionToken } from '../../src/concur/api';
import { HttpClient } from '../../src/concur/http';
import { startMockConcur, type MockConcur } from '../mock-concur';

describe('the name of a browser sign-in, from Concur\'s profile', function () {
  let mock: MockConcur;
  let http: HttpClient;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
  });
  after(() => mock.close());
  beforeEach(() => {
    http = new HttpClient({ headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });
    mock.clearFaults();
    mock.resetLog();
  });
  afterEach(() => http.close());

  const named = (scopes?: string[], principal?: string): Promise<string | undefined> => {
    const issued = mock.issueTokens({ scopes, principal });
    const token: SessionToken = { sessionId: 's1', accessToken: issued.access_token, geolocation: mock.geoUrl, baseUrl: mock.url };
    const api = new ApiClient(http, { get: async () => token, refresh: async () => token });
    return accountName(api, { id: 's1', accessToken: issued.access_token, idToken: issued.id_token, scopes: scopes ?? [] });
  };

  it('reads the user\'s own Identity v4.1 record where the token has an identity scope', async () => {
    assert.equal(await named(['openid', 'identity.user.core.read']), mock.demo.username);
    assert.deepEqual(mock.requests.map((r) => `${r.method} ${r.path} ${r.status}`), [`GET /profile/identity/v4.1/Users/${mock.demo.userId} 200`]);
  });

  it('falls back to Profile v1 for a token with user.read only, and asks nothing of a token with neither', async () => {
    assert.equal(await named(['openid', 'user.read']), mock.demo.username);
    assert.deepEqual(mock.requests.map((r) => r.path), ['/profile/v1/me']);
    mock.resetLog();
    assert.equal(await named(['openid', 'receipts.read']), undefined);
    assert.deepEqual(mock.requests, []);
  });

  it('keeps the label it has when Concur fails', async () => {
    mock.addFault({ route: '*', kind: 'status500' });
    assert.equal(await named(['openid', 'identity.user.core.read']), undefined);
  });
});
