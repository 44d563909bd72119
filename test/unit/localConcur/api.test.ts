import assert from 'node:assert/strict';
import { FIXTURES, startMockConcur, type MockConcur } from '../../../src/localConcur';
import { FakeClock, UUID, get, send, token, type HttpResult, type Json } from './helpers';

describe('mock Concur: APIs', () => {
  let mock: MockConcur;
  const clock = new FakeClock();
  let user: Json;
  let company: Json;
  let limited: Json;

  before(async () => {
    mock = await startMockConcur({ quiet: true, now: clock.now, companyUsers: 300 });
    user = (await token(mock.geoUrl, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password })).body;
    company = (await token(mock.url, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', credtype: 'authtoken', username: mock.demo.companyId, password: mock.demo.companyRequestToken })).body;
    const app = mock.demo.apps.find((a) => a.key === 'limited');
    assert.ok(app);
    limited = (await token(mock.geoUrl, { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password })).body;
  });
  after(() => mock.close());

  const api = (path: string, accessToken?: string, base?: string): ReturnType<typeof get> => get(`${base ?? mock.geoUrl}${path}`, accessToken);
  const me = (): string => mock.demo.userId;

  describe('Profile v1', () => {
    it('returns exactly the documented user fields at /profile/v1/me', async () => {
      const res = await api('/profile/v1/me', user.access_token);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), [
        'id', 'displayName', 'name', 'emails', 'phoneNumbers', 'addresses', 'active', 'userType', 'meta', 'schemas',
        'com:concur:Employee:1.0', 'com:concur:TravelPreferences:1.0',
      ]);
      assert.equal(res.body.id, me());
      assert.deepEqual(Object.keys(res.body.name), ['formatted', 'familyName', 'givenName']);
      assert.deepEqual(Object.keys(res.body.meta), ['created', 'lastModified', 'resourceType']);
      assert.ok(res.body['com:concur:Employee:1.0'].employeeId);
      assert.deepEqual(Object.keys(res.body['com:concur:TravelPreferences:1.0']), ['air', 'rail', 'car', 'hotel']);
      assert.ok(res.body.schemas.includes('com:concur:Employee:1.0'));
    });

    it('serves the concur.profile URL of the token', async () => {
      const res = await get(`${mock.geoUrl}/profile/v1/principals/${me()}`, user.access_token);
      assert.equal(res.status, 200);
      assert.equal(res.body.id, me());
    });

    it('is deterministic across servers', async () => {
      const other = await startMockConcur({ quiet: true, companyUsers: 300 });
      try {
        const a = await api('/profile/v1/me', user.access_token);
        const t = other.issueTokens();
        const b = await get(`${other.geoUrl}/profile/v1/me`, t.access_token);
        assert.deepEqual(a.body, b.body);
      } finally {
        await other.close();
      }
    });
  });

  describe('authorization', () => {
    const families: Array<{ name: string; path: () => string; shape: (body: Json) => void }> = [
      { name: 'legacy v1-v3', path: () => '/api/v3.0/expense/reports', shape: (b) => assert.deepEqual(Object.keys(b), ['Message', 'Server-Time', 'Id']) },
      { name: 'SCIM', path: () => '/profile/identity/v4/Users', shape: (b) => assert.equal(b.schemas[0], 'urn:ietf:params:scim:api:messages:2.0:Error') },
      { name: 'Expense v4', path: () => `/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove`, shape: (b) => assert.deepEqual(Object.keys(b), ['timestamp', 'httpStatus', 'errorMessage', 'errorId', 'path']) },
      { name: 'List v4', path: () => '/list/v4/lists', shape: (b) => assert.deepEqual(Object.keys(b), ['timestamp', 'httpStatus', 'error', 'path']) },
      { name: 'Localities v5', path: () => '/localities/v5/countries', shape: (b) => assert.equal(typeof b.errorMessage, 'string') },
    ];

    for (const family of families) {
      it(`answers a missing or unknown bearer with 401 and the ${family.name} error body`, async () => {
        for (const accessToken of [undefined, 'not-a-token']) {
          const res = await api(family.path(), accessToken);
          assert.equal(res.status, 401);
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
          family.shape(res.body);
        }
      });
    }

    it('answers Receipts auth failures with 403 and an empty body', async () => {
      for (const accessToken of [undefined, 'not-a-token', limited.access_token]) {
        const res = await api(`/receipts/v4/users/${me()}`, accessToken);
        assert.equal(res.status, 403);
        assert.equal(res.text, '');
      }
    });

    it('answers a missing scope with 403 in each family', async () => {
      const v3 = await api('/api/v3.0/expense/reports', limited.access_token);
      assert.equal(v3.status, 403);
      assert.match(v3.body.Message, /EXPRPT/);
      const lists = await api('/list/v4/lists', limited.access_token);
      assert.equal(lists.status, 403);
      assert.equal(lists.body.httpStatus, '403 FORBIDDEN');
      const v4 = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove`, limited.access_token);
      assert.equal(v4.status, 403);
      assert.equal(v4.body.httpStatus, '403 FORBIDDEN');
      assert.equal((await api('/profile/v1/me', limited.access_token)).status, 200, 'user.read is granted');
    });

    it('serves Identity to company tokens only', async () => {
      assert.equal((await api('/profile/identity/v4/Users', user.access_token)).status, 403);
      assert.equal((await api('/profile/identity/v4/Users', company.access_token)).status, 200);
      const app = mock.issueTokens({ principal: 'app' });
      assert.equal((await api('/profile/identity/v4.1/Users', app.access_token)).status, 403);
      // Identity v4.1 too, even a user's own record.
      assert.equal((await api(`/profile/identity/v4.1/Users/${me()}`, user.access_token)).status, 403);
      assert.equal((await api(`/profile/identity/v4.1/Users/${me()}`, company.access_token)).status, 200);
      const noIdentity = mock.issueTokens({ principal: 'company', scopes: ['user.read'] });
      assert.equal((await api('/profile/identity/v4/Users', noIdentity.access_token)).status, 403);
    });

    it('answers 401 at the landing datacenter, where the token is unknown', async () => {
      const res = await api('/profile/v1/me', user.access_token, mock.url);
      assert.equal(res.status, 401);
      assert.equal(res.body.Message, 'Invalid access token');
    });

    it('answers 401 once the access token has expired', async () => {
      const shortLived = mock.issueTokens({ lifetime: 60 });
      assert.equal((await api('/profile/v1/me', shortLived.access_token)).status, 200);
      clock.advance(61);
      const res = await api('/profile/v1/me', shortLived.access_token);
      assert.equal(res.status, 401);
      assert.equal(res.body.Message, 'Access token has expired');
      assert.equal((await api('/profile/v1/me', user.access_token)).status, 200, 'the hour-long token still works');
    });

    it('accepts a lower-case bearer scheme', async () => {
      const res = await get(`${mock.geoUrl}/profile/v1/me`, undefined, { authorization: `bearer ${user.access_token}` });
      assert.equal(res.status, 200);
    });

    it('answers other methods with 405 and unknown paths with 404', async () => {
      assert.equal((await send(`${mock.geoUrl}/profile/v1/me`, 'DELETE')).status, 405);
      const missing = await api('/nothing/here', user.access_token);
      assert.equal(missing.status, 404);
      assert.ok(missing.body.Message);
    });
  });

  describe('Receipts v4', () => {
    it("serves the token subject's receipts and rejects any other user id with an empty 403", async () => {
      const own = await api(`/receipts/v4/users/${me()}`, user.access_token);
      assert.equal(own.status, 200);
      assert.ok(own.body.receipts.length > 0);
      assert.ok(own.body.receipts.every((r: Json) => r.userId === me()));
      const other = mock.demo.users[1].id;
      const res = await api(`/receipts/v4/users/${other}`, user.access_token);
      assert.equal(res.status, 403);
      assert.equal(res.text, '');
      const byCompany = await api(`/receipts/v4/users/${me()}`, company.access_token);
      assert.equal(byCompany.status, 403, 'a company token is not the user');
    });

    it('takes an image-only receipt as multipart/form-data (202), keeps the body as it arrived, refuses a malformed form, no image or another type', async () => {
      const url = `${mock.geoUrl}/receipts/v4/users/${me()}/image-only-receipts`;
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 0, 255]);
      const form = new FormData();
      form.append('image', new Blob([png], { type: 'image/png' }), 'receipt.png');
      mock.resetLog();
      const posted = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${user.access_token}` }, body: form });
      assert.equal(posted.status, 202);
      assert.match(posted.headers.get('location') ?? '', /\/receipts\/v4\/[0-9a-f]{32}$/);
      assert.match(posted.headers.get('link') ?? '', /rel="processing-status"/);
      const logged = mock.requests.find((r) => r.path.endsWith('/image-only-receipts'));
      assert.ok(logged?.body && logged.body.includes(Buffer.from(png)), 'the body as it arrived');
      assert.match(logged.contentType ?? '', /^multipart\/form-data; boundary=/);
      const raw = (lineEnd: string, type = 'image/png', name = 'image'): string =>
        ['--b', `Content-Disposition: form-data; name="${name}"; filename="r.png"`, `Content-Type: ${type}`, '', 'PNG', '--b--', ''].join(lineEnd);
      const post = (body: string, type = 'multipart/form-data; boundary=b'): Promise<Response> =>
        fetch(url, { method: 'POST', headers: { authorization: `Bearer ${user.access_token}`, 'content-type': type }, body });
      assert.equal((await post(raw('\r\n'))).status, 202);
      assert.equal((await post(raw('\n'))).status, 400, 'bare LF line ends');
      assert.equal((await post(raw('\r\n', 'image/png', 'picture'))).status, 400, 'no image part');
      assert.equal((await post(raw('\r\n', 'text/plain'))).status, 415);
      assert.equal((await post('{}', 'application/json')).status, 415);
      // Token requests are not kept with their bodies: they carry passwords.
      assert.ok(mock.requests.filter((r) => r.path.startsWith('/oauth2/')).every((r) => r.body === undefined));
    });
  });

  describe('Expense v4', () => {
    it('reads a report, its expenses and the reports to approve', async () => {
      const v3 = await api('/api/v3.0/expense/reports?limit=1', user.access_token);
      const reportId = v3.body.Items[0].ID;
      const report = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/${reportId}`, user.access_token);
      assert.equal(report.status, 200);
      assert.equal(report.body.reportId, reportId);
      assert.equal(report.body.userId, me());
      const expenses = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/${reportId}/expenses`, user.access_token);
      assert.equal(expenses.status, 200);
      const sum = expenses.body.reduce((s: number, e: Json) => s + Math.round(e.transactionAmount.value * 100), 0);
      assert.equal(sum, Math.round(report.body.reportTotal.value * 100));
      const queue = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove?includeDelegateApprovals=false`, user.access_token);
      assert.equal(queue.status, 200);
      assert.ok(queue.body.length >= 8);
      const pending = queue.body[0].reportId;
      const asManager = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reports/${pending}`, user.access_token);
      assert.equal(asManager.status, 200);
      assert.equal(asManager.body.approvalStatusId, 'A_PEND');
      assert.equal((await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/${pending}`, user.access_token)).status, 404);
    });

    it('rejects an unknown context with 400, another user with 403, an unknown report with 404', async () => {
      const bad = await api(`/expensereports/v4/users/${me()}/context/AUDITOR/reports/ABC`, user.access_token);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.validationErrors[0].id, 'contextType');
      const other = await api(`/expensereports/v4/users/${mock.demo.users[1].id}/context/TRAVELER/reports/ABC`, user.access_token);
      assert.equal(other.status, 403);
      const missing = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reports/0000`, user.access_token);
      assert.equal(missing.status, 404);
      const toApprove = await api(`/expensereports/v4/users/${me()}/context/TRAVELER/reportsToApprove?includeDelegateApprovals=false`, user.access_token);
      assert.equal(toApprove.status, 400);
      // includeDelegateApprovals is a required query parameter.
      const without = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove`, user.access_token);
      assert.equal(without.status, 400);
      assert.equal(without.body.validationErrors[0].id, 'includeDelegateApprovals');
    });

    it('lets a company token read any user', async () => {
      const res = await api(`/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove?includeDelegateApprovals=true`, company.access_token);
      assert.equal(res.status, 200);
    });
  });

  describe('Spend v4.1, Lists v4 and Localities v5', () => {
    it('reads a Spend user with a company token; a user token, even for itself, is refused', async () => {
      const own = await api(`/profile/spend/v4.1/Users/${me()}`, company.access_token);
      assert.equal(own.status, 200);
      assert.ok(own.body['urn:ietf:params:scim:schemas:extension:spend:2.0:User'].reimbursementCurrency);
      assert.equal((await api(`/profile/spend/v4.1/Users/${me()}`, user.access_token)).status, 403);
      assert.equal((await api(`/profile/spend/v4.1/Users/${mock.demo.users[1].id}`, company.access_token)).status, 200);
      assert.equal((await api('/profile/spend/v4.1/Users/unknown', company.access_token)).status, 404);
    });

    it('reads lists and items, with 404 for unknown ids', async () => {
      const lists = await api('/list/v4/lists', user.access_token);
      assert.match(lists.headers.get('content-type') ?? '', /^application\/json;charset=UTF-8$/);
      const projects = lists.body.content.find((l: Json) => l.value === 'Projects');
      assert.equal(projects.levelCount, 2);
      const list = await api(`/list/v4/lists/${projects.id}`, user.access_token);
      assert.equal(list.body.value, 'Projects');
      const children = await api(`/list/v4/lists/${projects.id}/children`, user.access_token);
      const first = children.body.content[0];
      assert.equal(first.lists[0].hasChildren, true);
      const item = await api(`/list/v4/items/${first.id}`, user.access_token);
      assert.equal(item.body.code, first.code);
      const tasks = await api(`/list/v4/items/${first.id}/children`, user.access_token);
      assert.ok(tasks.body.content.length >= 2);
      assert.ok(tasks.body.content.every((t: Json) => t.parentId === first.id && t.level === 2 && t.code.startsWith(`${first.code}-`)));
      const missing = await api('/list/v4/lists/00000000-0000-4000-8000-000000000000', user.access_token);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.id, 'LIST_NOT_FOUND');
      assert.equal(missing.body.path, '/list/v4/lists/00000000-0000-4000-8000-000000000000');
    });

    it('reads countries for user and company tokens; an app token is refused', async () => {
      for (const t of [user.access_token, company.access_token]) {
        const res = await api('/localities/v5/countries', t);
        assert.equal(res.status, 200);
        assert.ok(res.body.countries.some((c: Json) => c.code === 'US'));
      }
      assert.equal((await api('/localities/v5/countries', mock.issueTokens({ principal: 'app' }).access_token)).status, 403);
      const us = await api('/localities/v5/countries/us', user.access_token);
      assert.equal(us.body.code, 'US');
      assert.equal(us.body.alpha3Code, 'USA');
      assert.equal((await api('/localities/v5/countries/QQ', user.access_token)).status, 404);
      assert.equal((await api('/localities/v5/countries/USA', user.access_token)).status, 400);
    });
  });

  describe('correlation ids', () => {
    it('puts a concur-correlationid UUID on every kind of response', async () => {
      const responses = [
        await api('/profile/v1/me', user.access_token),
        await api('/profile/v1/me'),
        await api(`/receipts/v4/users/${me()}`),
        await api('/nothing'),
        await get(`${mock.url}/oauth2/v0/jwks`),
        await get(`${mock.url}/oauth2/v0/authorize?client_id=${mock.demo.clientId}&redirect_uri=http://127.0.0.1/cb&response_type=code`),
        await get(`${mock.url}/_mock/counters`),
        await get(`${mock.url}/_mock/nothing`),
        await token(mock.url, {}),
      ];
      for (const res of responses) {
        assert.match(res.headers.get('concur-correlationid') ?? '', UUID);
      }
    });

    it('echoes the caller-sent id on API responses', async () => {
      const res = await get(`${mock.geoUrl}/profile/v1/me`, user.access_token, { 'concur-correlationid': 'abc-123' });
      assert.equal(res.headers.get('concur-correlationid'), 'abc-123');
      assert.equal(mock.requests.at(-1)?.correlationId, 'abc-123');
    });
  });
});

describe('mock Concur: revoking a connection (DELETE /app-mgmt/v0/connections)', () => {
  let mock: MockConcur;
  const clock = new FakeClock();

  before(async () => {
    mock = await startMockConcur({ quiet: true, now: clock.now, companyUsers: 50 });
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.resetLog();
    mock.clearFaults();
  });

  const revoke = (base: string, accessToken?: string, method = 'DELETE'): Promise<HttpResult> =>
    send(`${base}/app-mgmt/v0/connections`, method, undefined, accessToken ? { authorization: `Bearer ${accessToken}` } : {});
  const signIn = async (clientId = mock.demo.clientId, clientSecret = mock.demo.clientSecret, username = mock.demo.username, base = mock.geoUrl): Promise<Json> =>
    (await token(base, { client_id: clientId, client_secret: clientSecret, grant_type: 'password', username, password: mock.demo.password })).body;
  const refresh = async (refreshToken: string, clientId = mock.demo.clientId, clientSecret = mock.demo.clientSecret): Promise<Json> =>
    (await token(mock.geoUrl, { client_id: clientId, client_secret: clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken })).body;
  const me = (accessToken: string): Promise<number> => get(`${mock.geoUrl}/profile/v1/me`, accessToken).then((r) => r.status);

  it("ends the user's grant to the token's app: 204, and every token of theirs for that app stops working", async () => {
    const first = await signIn();
    const second = await signIn();
    const limitedApp = mock.demo.apps.find((a) => a.key === 'limited');
    assert.ok(limitedApp);
    const other = await signIn(limitedApp.clientId, limitedApp.clientSecret);
    const res = await revoke(mock.geoUrl, first.access_token);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.match(res.headers.get('concur-correlationid') ?? '', UUID);
    assert.equal(await me(first.access_token), 401);
    assert.equal(await me(second.access_token), 401, 'every access token of the user for this app');
    assert.equal((await refresh(first.refresh_token)).code, 108);
    assert.equal((await refresh(second.refresh_token)).code, 108);
    assert.equal(await me(other.access_token), 200, "another app's tokens live on");
    assert.ok((await refresh(other.refresh_token, limitedApp.clientId, limitedApp.clientSecret)).access_token);
    assert.equal(mock.counters.connectionsRevoked, 1);
  });

  it("revokes a company's grant with a company token", async () => {
    const company = (await token(mock.url, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', credtype: 'authtoken', username: mock.demo.companyId, password: mock.demo.companyRequestToken })).body;
    const user = await signIn();
    assert.equal((await revoke(mock.geoUrl, company.access_token)).status, 204);
    assert.equal((await refresh(company.refresh_token)).code, 108);
    assert.equal(await me(user.access_token), 200, "the users' own grants are theirs");
  });

  it('answers a missing, unknown, expired or other-datacenter token with 401 and the API error body', async () => {
    const expiring = mock.issueTokens({ lifetime: 60 });
    const user = await signIn();
    clock.advance(61);
    const cases: Array<[string, string | undefined, string, string]> = [
      ['missing', undefined, mock.geoUrl, 'Authorization header with a Bearer token is required'],
      ['unknown', 'not-a-token', mock.geoUrl, 'Invalid access token'],
      ['expired', expiring.access_token, mock.geoUrl, 'Access token has expired'],
      ['other datacenter', user.access_token, mock.url, 'Invalid access token'],
    ];
    for (const [what, accessToken, base, message] of cases) {
      const res = await revoke(base, accessToken);
      assert.equal(res.status, 401, what);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /, what);
      assert.deepEqual(Object.keys(res.body), ['Message', 'Server-Time', 'Id'], what);
      assert.equal(res.body.Message, message, what);
    }
    assert.equal(await me(user.access_token), 200, 'nothing was revoked');
    assert.equal(mock.counters.connectionsRevoked, 0);
  });

  it('serves the landing datacenter too, for the tokens it issued', async () => {
    const resident = await signIn(undefined, undefined, 'glz.resident@globex.example', mock.url);
    assert.equal((await revoke(mock.url, resident.access_token)).status, 204);
    assert.equal((await get(`${mock.url}/profile/v1/me`, resident.access_token)).status, 401);
  });

  it('refuses an app token with 403 and says why', async () => {
    const app = mock.issueTokens({ principal: 'app' });
    const res = await revoke(mock.geoUrl, app.access_token);
    assert.equal(res.status, 403);
    assert.match(res.body.Message, /app token \(client credentials\) has no user or company connection/);
    assert.equal(mock.counters.connectionsRevoked, 0);
  });

  it('answers other methods with 405 and allow: DELETE', async () => {
    const user = await signIn();
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await revoke(mock.geoUrl, user.access_token, method);
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'DELETE');
    }
    assert.equal(await me(user.access_token), 200);
  });

  it('can be faulted like any path, and is logged', async () => {
    const user = await signIn();
    mock.addFault({ route: '/app-mgmt/v0/connections', kind: 'status500', times: 1 });
    assert.equal((await revoke(mock.geoUrl, user.access_token)).status, 500);
    assert.equal(await me(user.access_token), 200, 'a faulted revoke revokes nothing');
    assert.equal((await revoke(mock.geoUrl, user.access_token)).status, 204);
    assert.deepEqual(mock.requests.filter((r) => r.path === '/app-mgmt/v0/connections').map((r) => [r.method, r.status, r.fault]), [
      ['DELETE', 500, 'status500'],
      ['DELETE', 204, undefined],
    ]);
  });
});

describe('mock Concur: the write endpoints, one read and one write of every family', () => {
  let mock: MockConcur;
  let user: string;
  let company: string;
  const me = (): string => mock.demo.userId;
  const call = (method: string, path: string, accessToken: string, body?: unknown): Promise<HttpResult> =>
    send(`${mock.geoUrl}${path}`, method, body, { authorization: `Bearer ${accessToken}` });
  const at = (location: string | null): string => new URL(location ?? '').pathname;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 300 });
    user = mock.issueTokens().access_token;
    company = mock.issueTokens({ principal: 'company' }).access_token;
  });
  after(() => mock.close());

  it('Expense v4: creates and changes a report, changes an expense, an allocation and the attendees', async () => {
    const base = `/expensereports/v4/users/${me()}/context/TRAVELER`;
    const policyId = 'EE095F66AEF52B4A9CE62952601E5CB1';
    assert.equal((await call('POST', `${base}/reports`, user, { name: 'Boston workshop' })).status, 400, 'policyId is required');
    const created = await call('POST', `${base}/reports`, user, { name: 'Boston workshop', policyId, businessPurpose: 'Customer workshop' });
    assert.equal(created.status, 201);
    assert.equal(created.body.uri, created.headers.get('location'));
    const reportPath = at(created.headers.get('location'));
    const report = await call('GET', reportPath, user);
    assert.equal(report.status, 200);
    assert.equal(report.body.name, 'Boston workshop');
    assert.equal(report.body.approvalStatusId, 'A_NOTF');
    assert.equal((await call('PATCH', reportPath, user, { name: 'Boston workshop (July)' })).status, 204);
    assert.equal((await call('GET', reportPath, user)).body.name, 'Boston workshop (July)');
    // Concur has no expense create: an expense comes from a card, a receipt or the UI.
    assert.equal((await call('POST', `${reportPath}/expenses`, user, {})).status, 405);

    // An existing report's first expense.
    const v3 = await call('GET', '/api/v3.0/expense/reports?limit=100', user);
    const open = v3.body.Items.find((r: Json) => r.ApprovalStatusCode === 'A_NOTF');
    const openPath = `${base}/reports/${open.ID}`;
    const expense = (await call('GET', `${openPath}/expenses`, user)).body[0];
    const expensePath = `${openPath}/expenses/${expense.expenseId}`;
    const shortPath = `/expensereports/v4/reports/${open.ID}/expenses/${expense.expenseId}`;
    assert.equal((await call('PATCH', expensePath, user, { businessPurpose: 'x' })).status, 405, 'no long-URL expense update');
    assert.equal((await call('PATCH', shortPath, user, { expenseSource: 'OTHER', businessPurpose: 'x' })).status, 403, 'company tokens only');
    const noSource = await call('PATCH', shortPath, company, { businessPurpose: 'Hotel, 3 nights' });
    assert.equal(noSource.status, 400);
    assert.equal(noSource.body.validationErrors[0].id, 'expenseSource');
    assert.equal((await call('PATCH', shortPath, company, { expenseSource: 'OTHER', businessPurpose: 'Hotel, 3 nights' })).status, 204);
    assert.equal((await call('GET', expensePath, user)).body.businessPurpose, 'Hotel, 3 nights');
    assert.equal((await call('POST', `${expensePath}/itemizations`, user, {})).status, 405, 'no itemization create');

    const allocations = await call('GET', `${expensePath}/allocations`, user);
    assert.equal(allocations.status, 200);
    const allocationPath = at(allocations.body[0].links[0].href);
    assert.equal((await call('PATCH', allocationPath, user, { allocation: { customData: [{ id: 'custom1', value: 'CC1042' }] } })).status, 400, 'expenseIds is required');
    assert.equal((await call('PATCH', allocationPath, user, { allocation: { customData: [{ id: 'custom1', value: 'CC1042' }] }, expenseIds: [expense.expenseId] })).status, 204);
    assert.equal((await call('GET', allocationPath, user)).body.customData[0].value, 'CC1042');

    const guest = { attendeeId: 'A1B2C3', transactionAmount: 100 };
    assert.equal((await call('PUT', `${expensePath}/attendees`, user, { expenseAttendeeList: [guest] })).status, 405, 'attendees are set with POST');
    const set = await call('POST', `${expensePath}/attendees`, user, { expenseAttendeeList: [guest], noShowAttendeeCount: 1 });
    assert.equal(set.status, 201);
    assert.deepEqual((await call('GET', `${expensePath}/attendees`, user)).body, { expenseAttendeeList: [guest], noShowAttendeeCount: 1 });
    assert.equal((await call('POST', `${expensePath}/attendees`, user, { expenseAttendeeList: [{ attendeeId: 'A1' }] })).status, 400, 'each attendee needs its amount');
    assert.equal((await call('DELETE', `${expensePath}/attendees`, user)).status, 204);
    assert.deepEqual((await call('GET', `${expensePath}/attendees`, user)).body.expenseAttendeeList, []);
  });

  it('Expense v4: submits a report, the approver sees and sends it back, the owner resubmits and recalls it, the approver approves it', async () => {
    // A new report of someone whose reports Dana approves, made with that employee's own token.
    const pending = await call('GET', `/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove?includeDelegateApprovals=false`, user);
    const owner = pending.body[0].employee as { id: string };
    const userName = (await call('GET', `/profile/identity/v4.1/Users/${owner.id}`, company)).body.userName as string;
    const employee = mock.issueTokens({ principal: userName }).access_token;
    const created = await call('POST', `/expensereports/v4/users/${owner.id}/context/TRAVELER/reports`, employee, { name: 'Workshop', policyId: 'EE095F66AEF52B4A9CE62952601E5CB1' });
    const reportId = at(created.headers.get('location')).split('/').at(-1) as string;
    const queue = async (): Promise<string[]> => (await call('GET', `/expensereports/v4/users/${me()}/context/MANAGER/reportsToApprove?includeDelegateApprovals=false`, user)).body.map((r: Json) => r.reportId);
    const status = async (): Promise<string> => (await call('GET', `/expensereports/v4/users/${owner.id}/context/TRAVELER/reports/${reportId}`, employee)).body.approvalStatusId;
    const asManager = `/expensereports/v4/users/${me()}/context/MANAGER/reports/${reportId}`;

    const early = await call('PATCH', `${asManager}/approve`, user);
    assert.equal(early.status, 400, 'not submitted: not waiting for approval');
    assert.match(early.body.errorMessage, /Not Submitted/);
    assert.equal((await call('PATCH', `/expensereports/v4/users/${owner.id}/reports/${reportId}/submit`, employee)).status, 204);
    assert.equal(await status(), 'A_PEND');
    assert.equal((await call('PATCH', `/expensereports/v4/users/${owner.id}/reports/${reportId}/submit`, employee)).status, 409, 'already submitted');
    assert.ok((await queue()).includes(reportId));

    assert.equal((await call('PATCH', `${asManager}/sendBack`, user, {})).status, 400, 'a send-back needs a comment');
    assert.equal((await call('PATCH', `${asManager}/sendBack`, user, { comment: 'Receipt missing' })).status, 204);
    assert.equal(await status(), 'A_RESU');
    assert.ok(!(await queue()).includes(reportId));
    const comments = await call('GET', `/expensereports/v4/users/${owner.id}/context/TRAVELER/reports/${reportId}/comments`, employee);
    assert.deepEqual(comments.body.map((c: Json) => c.comment), ['Receipt missing']);

    assert.equal((await call('PATCH', `/expensereports/v4/users/${owner.id}/reports/${reportId}/submit`, employee)).status, 204);
    assert.equal((await call('PATCH', `/expensereports/v4/users/${owner.id}/context/TRAVELER/reports/${reportId}/recall`, employee)).status, 204);
    assert.equal(await status(), 'A_NOTF');
    assert.equal((await call('PATCH', `/expensereports/v4/users/${owner.id}/reports/${reportId}/submit`, employee)).status, 204);
    assert.equal((await call('PATCH', `${asManager}/approve`, company)).status, 403, 'the long URL takes user tokens');
    assert.equal((await call('PATCH', `${asManager}/approve`, user, { comment: 'Fine' })).status, 204);
    assert.equal(await status(), 'A_APPR');
    assert.equal((await call('PATCH', `/expensereports/v4/reports/${reportId}/approve`, company)).status, 400, 'no longer pending');
  });

  it('Expense v4: comments on a report and an expense; the exceptions of expenses without a receipt', async () => {
    const v3 = await call('GET', '/api/v3.0/expense/reports?limit=100', user);
    const report = v3.body.Items.find((r: Json) => r.ApprovalStatusCode === 'A_NOTF');
    const base = `/expensereports/v4/users/${me()}/context/TRAVELER/reports/${report.ID}`;
    assert.deepEqual((await call('GET', `${base}/comments`, user)).body, []);
    assert.equal((await call('POST', `${base}/comments`, user, {})).status, 400);
    const added = await call('POST', `${base}/comments`, user, { comment: 'Hotel was booked by the customer' });
    assert.equal(added.status, 201);
    assert.deepEqual((await call('GET', `${base}/comments`, user)).body.map((c: Json) => c.comment), ['Hotel was booked by the customer']);
    const expenses = (await call('GET', `${base}/expenses`, user)).body as Json[];
    const expense = expenses[0];
    assert.equal((await call('POST', `${base}/expenses/${expense.expenseId}/comments`, user, { comment: 'Split with a colleague' })).status, 201);
    assert.deepEqual((await call('GET', `${base}/expenses/${expense.expenseId}/comments`, user)).body.map((c: Json) => c.comment), ['Split with a colleague']);
    const exceptions = await call('GET', `${base}/exceptions`, user);
    assert.equal(exceptions.status, 200);
    assert.deepEqual(exceptions.body.map((x: Json) => x.expenseId), expenses.filter((e) => e.hasMissingReceiptDeclaration).map((e) => e.expenseId));
    assert.deepEqual((await call('GET', `${base}/exceptions?excludeExpenses=true`, user)).body, []);
    const one = await call('GET', `${base}/expenses/${expense.expenseId}/exceptions`, user);
    assert.equal(one.body.length, expense.hasMissingReceiptDeclaration ? 1 : 0);
  });

  it('Expense v3: lists attendees and adds one', async () => {
    const list = await call('GET', '/api/v3.0/expense/attendees?limit=5', user);
    assert.equal(list.status, 200);
    assert.equal(list.body.Items.length, 5);
    assert.match(list.body.NextPage, /offset=/);
    const created = await call('POST', '/api/v3.0/expense/attendees', user, { AttendeeTypeID: 'BUSGUEST', FirstName: 'Ada', LastName: 'Lovelace', ExternalID: 'EXT-1' });
    assert.equal(created.status, 200);
    // Attendees v3 requires no field.
    assert.equal((await call('POST', '/api/v3.0/expense/attendees', user, { Company: 'Globex' })).status, 200);
    assert.match(created.body.ID, /^[0-9A-F]{32}$/);
    const found = await call('GET', '/api/v3.0/expense/attendees?externalID=EXT-1', user);
    assert.deepEqual(found.body.Items.map((a: Json) => a.LastName), ['Lovelace']);
  });

  it('Identity v4.1: creates, reads, patches, replaces, searches and deletes users with a company token', async () => {
    const hire = { userName: 'new.hire@globex.example', active: true, emails: [{ value: 'new.hire@globex.example', type: 'work' }], name: { givenName: 'New', familyName: 'Hire' } };
    const missing = await call('POST', '/profile/identity/v4.1/Users', company, { userName: 'x@globex.example', name: { givenName: 'X', familyName: 'Y' } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.detail, /active, emails/);
    const created = await call('POST', '/profile/identity/v4.1/Users', company, hire);
    assert.equal(created.status, 201);
    assert.match(created.body.id, UUID);
    assert.equal(created.body.timezone, 'America/New_York', 'Concur\'s default');
    assert.equal((await call('POST', '/profile/identity/v4.1/Users', company, hire)).status, 409, 'userName taken');
    const path = at(created.headers.get('location'));
    assert.equal((await call('GET', path, company)).body.userName, 'new.hire@globex.example');
    const patched = await call('PATCH', path, company, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Analyst' }] });
    assert.equal(patched.status, 200);
    assert.equal((await call('GET', path, company)).body.title, 'Analyst');
    // A replace keeps only what it sends: the title is gone.
    const replaced = await call('PUT', path, company, { ...hire, displayName: 'New H.' });
    assert.equal(replaced.status, 200);
    const read = (await call('GET', path, company)).body;
    assert.equal(read.displayName, 'New H.');
    assert.equal(read.title, undefined);

    const searchRequest = 'urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest';
    const search = await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: [searchRequest], filter: 'userName eq "new.hire@globex.example"', attributes: ['userName'] });
    assert.equal(search.status, 200);
    assert.deepEqual(search.body.Resources, [{ schemas: read.schemas, id: created.body.id, userName: 'new.hire@globex.example' }]);
    const demo = await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: [searchRequest], filter: `userName eq "${mock.demo.username}"` });
    assert.equal(demo.body.Resources[0].id, me());
    assert.equal((await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] })).status, 400, 'Concur\'s own SearchRequest URN');
    assert.equal((await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: [searchRequest], attributes: 'userName' })).status, 400, 'attributes is a list');
    const bad = await call('POST', '/profile/identity/v4.1/Users/.search', company, { schemas: [searchRequest], filter: 'userName is nice' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidFilter');
    assert.equal((await call('POST', '/profile/identity/v4.1/Users', user, hire)).status, 403, 'company tokens only');
    const writer = mock.issueTokens({ principal: 'company', scopes: ['identity.user.coreenterprise.writeonly'] }).access_token;
    assert.equal((await call('DELETE', path, writer)).status, 403, 'deleting needs identity.user.delete');
    const deleter = mock.issueTokens({ principal: 'company', scopes: ['identity.user.delete'] }).access_token;
    assert.equal((await call('DELETE', path, deleter)).status, 204);
    assert.equal((await call('GET', path, company)).status, 404);
  });

  it('User Provisioning v4: a user created through /Users, a spend setting patched there (Spend user v4.1 reads it), a bulk request and its status', async () => {
    const created = await call('POST', '/profile/v4/Users', company, { userName: 'ups@globex.example', active: true, emails: [{ value: 'ups@globex.example' }], name: { givenName: 'Ursula', familyName: 'Provision' } });
    assert.equal(created.status, 201);
    const provisionId = created.body.meta.provisionId;
    assert.equal(at(created.body.meta.statusUrl), `/profile/v4/provisions/${provisionId}/status`);
    assert.equal((await call('GET', `/profile/identity/v4.1/Users/${created.body.id}`, company)).body.userName, 'ups@globex.example');
    const summary = await call('GET', `/profile/v4/provisions/${provisionId}/status`, company);
    assert.deepEqual(summary.body.status, { completed: true, success: true });
    assert.equal(summary.body.operations, undefined, 'operations only when asked for');

    const spend = 'urn:ietf:params:scim:schemas:extension:spend:2.0:User';
    const patched = await call('PATCH', `/profile/v4/Users/${me()}`, company, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: `${spend}:reimbursementCurrency`, value: 'EUR' }],
    });
    assert.equal(patched.status, 200);
    assert.equal((await call('GET', `/profile/spend/v4.1/Users/${me()}`, company)).body[spend].reimbursementCurrency, 'EUR');
    assert.equal((await call('PATCH', `/profile/spend/v4.1/Users/${me()}`, company, {})).status, 405, 'Spend user v4.1 is read-only');
    assert.equal((await call('POST', '/profile/v4/provisions', company, {})).status, 404, 'no such endpoint');

    const batch = await call('POST', '/profile/v4/Bulk', company, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', bulkId: 'hire-1', path: '/Users', data: { userName: 'bulk@globex.example', active: true, emails: [{ value: 'bulk@globex.example' }], name: { givenName: 'Bea', familyName: 'Bulk' } } },
        { method: 'POST', bulkId: 'hire-2', path: '/Users', data: { userName: 'half@globex.example' } },
        { method: 'PATCH', path: `/Users/${me()}`, data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] } },
      ],
    });
    assert.equal(batch.status, 202);
    assert.deepEqual(batch.body.operationsCount, { total: 3, success: 2, failed: 1, pending: 0 });
    const statusPath = at(batch.headers.get('location'));
    const failed = await call('GET', `${statusPath}?attributes=operations&state=failed`, company);
    assert.deepEqual(failed.body.operations.map((o: Json) => o.bulkId), ['hire-2']);
    const paged = await call('GET', `${statusPath}?attributes=operations&startIndex=2&count=1`, company);
    assert.deepEqual(paged.body.operations.map((o: Json) => o.bulkId), ['hire-2']);
    assert.equal(paged.body.totalResults, 3);
    assert.equal((await call('GET', `${statusPath}?attributes=operations&state=done`, company)).status, 400);
    assert.equal((await call('GET', `/profile/identity/v4.1/Users/${me()}`, company)).body.title, 'Lead');
  });

  it('Lists v4: creates a list from its name alone and an item, updates and deletes the item (with the delete scope)', async () => {
    const list = await call('POST', '/list/v4/lists', company, { value: 'Vessels' });
    assert.equal(list.status, 201);
    assert.match(list.headers.get('content-type') ?? '', /charset=UTF-8/);
    assert.deepEqual([list.body.levelCount, list.body.searchCriteria, list.body.displayFormat], [1, 'TEXT', '(CODE) TEXT']);
    assert.equal((await call('POST', '/list/v4/lists', company, { value: 'Bad', searchCriteria: 'NAME' })).status, 400);
    assert.ok((await call('GET', '/list/v4/lists', user)).body.content.some((l: Json) => l.value === 'Vessels'));
    assert.equal((await call('PUT', `/list/v4/lists/${list.body.id}`, company, { value: 'Ships', displayFormat: 'TEXT (CODE)' })).body.displayFormat, 'TEXT (CODE)');
    assert.equal((await call('GET', `/list/v4/lists/${list.body.id}`, user)).body.value, 'Ships');
    const item = await call('POST', '/list/v4/items', company, { listId: list.body.id, shortCode: 'MV1', value: 'Motor vessel 1' });
    assert.equal(item.status, 201);
    assert.equal(at(item.headers.get('location')), `/list/v4/items/${item.body.id}`);
    // An item below it (found by its parent's code) makes the list two levels deep.
    const child = await call('POST', '/list/v4/items', company, { listId: list.body.id, parentCode: 'MV1', shortCode: 'D1', value: 'Deck 1' });
    assert.equal(child.body.level, 2);
    assert.equal((await call('GET', `/list/v4/lists/${list.body.id}`, user)).body.levelCount, 2);
    assert.deepEqual((await call('GET', `/list/v4/lists/${list.body.id}/children`, user)).body.content.map((i: Json) => i.code), ['MV1']);
    const renamed = await call('PUT', `/list/v4/items/${item.body.id}`, company, { shortCode: 'MV1', value: 'Motor vessel one' });
    assert.equal(renamed.status, 200);
    assert.equal((await call('GET', `/list/v4/items/${item.body.id}`, user)).body.value, 'Motor vessel one');
    const writer = mock.issueTokens({ principal: 'company', scopes: ['spend.listitem.write'] }).access_token;
    assert.equal((await call('DELETE', `/list/v4/items/${item.body.id}`, writer)).status, 403, 'deleting needs spend.listitem.delete');
    assert.equal((await call('DELETE', `/list/v4/items/${item.body.id}`, company)).status, 204);
    assert.equal((await call('GET', `/list/v4/items/${item.body.id}`, user)).status, 404);
    assert.equal((await call('GET', `/list/v4/items/${child.body.id}`, user)).status, 404, 'with the items below it');
  });

  it('Receipts v4: posts a receipt (201, its location and processing-status link) that the user\'s receipts, the receipt and its status then show', async () => {
    const receipt = { dateTime: '2025-07-14T12:30:00-04:00', total: '42.50', currencyCode: 'USD', seller: { name: 'Union Oyster House', location: { address: { addressCountry: 'US' } } }, payments: [{ cash: { amount: '42.50' } }] };
    const general = '<http://schema.concursolutions.com/general-receipt.schema.json>;rel=describedBy';
    const post = (body: unknown, headers: Record<string, string>, token = user): Promise<HttpResult> => send(`${mock.geoUrl}/receipts/v4/users/${me()}`, 'POST', body, { authorization: `Bearer ${token}`, ...headers });
    assert.equal((await post(receipt, {})).status, 400, 'the link header names the schema');
    assert.equal((await post({ ...receipt, total: 42.5 }, { link: general })).status, 400, 'total is a string');
    const { payments: _none, ...unpaid } = receipt;
    assert.match((await post(unpaid, { link: general })).body.message, /payments/);
    const posted = await post(receipt, { link: general });
    assert.equal(posted.status, 201);
    const location = at(posted.headers.get('location'));
    assert.match(location, /^\/receipts\/v4\/[0-9a-f]{32}$/);
    const status = /<([^>]+)>; rel="processing-status"/.exec(posted.headers.get('link') ?? '')?.[1];
    assert.ok(status);
    const receipts = await call('GET', `/receipts/v4/users/${me()}`, user);
    assert.ok(receipts.body.receipts.some((r: Json) => r.receipt.seller?.name === 'Union Oyster House' && r.receipt.total === '42.50'));
    assert.equal((await call('GET', location, user)).body.receipt.seller.name, 'Union Oyster House');
    assert.equal((await call('GET', at(status), user)).body.status, 'PROCESSED');
    assert.equal((await call('GET', '/receipts/v4/00000000000000000000000000000000', user)).status, 404);
    assert.equal((await post(receipt, { link: general }, company)).status, 403);
  });

  it('Request v4: lists, creates, reads, updates, moves through the workflow, plans expenses and deletes a travel request', async () => {
    const list = await call('GET', '/travelrequest/v4/requests?view=ALL', user);
    assert.equal(list.status, 200);
    assert.equal(list.body.data.length, 4);
    const created = await call('POST', '/travelrequest/v4/requests', user, { name: 'Lyon training', startDate: '2025-09-01', endDate: '2025-09-03' });
    assert.equal(created.status, 201, 'no field is required');
    assert.equal(created.body.approvalStatus.code, 'NOT_SUBMITTED');
    assert.deepEqual(created.body.operations.map((o: Json) => o.rel), ['submit', 'cancel']);
    const path = at(created.headers.get('location'));
    assert.equal((await call('GET', path, user)).body.name, 'Lyon training');
    const renamed = await call('PUT', path, user, { name: 'Lyon training (2 days)' });
    assert.equal(renamed.body.name, 'Lyon training (2 days)');
    assert.equal(renamed.body.startDate, '2025-09-01', 'a partial update keeps the rest');
    assert.equal((await call('GET', '/travelrequest/v4/requests?view=UNSUBMITTED', user)).body.data[0].id, created.body.id);

    assert.equal((await call('POST', `${path}/expenses`, user, { expenseType: { id: 'AIRFR' }, transactionDate: '2025-09-01' })).status, 400, 'transactionAmount is required');
    const planned = await call('POST', `${path}/expenses`, user, { expenseType: { id: 'AIRFR' }, transactionAmount: { value: 420, currency: 'EUR' }, transactionDate: '2025-09-01' });
    assert.equal(planned.status, 201);
    assert.deepEqual((await call('GET', `${path}/expenses`, user)).body.map((e: Json) => e.expenseType.id), ['AIRFR']);

    assert.equal((await call('POST', `${path}/approve`, user)).status, 409, 'not submitted yet');
    const submitted = await call('POST', `${path}/submit`, user);
    assert.equal(submitted.status, 200);
    assert.equal(submitted.body.approvalStatus.code, 'SUBMITTED');
    assert.equal((await call('POST', `${path}/sendback`, user, { comment: 'Too long' })).body.approvalStatus.code, 'SENTBACK');
    assert.equal((await call('POST', `${path}/dance`, user)).status, 400);
    assert.equal((await call('POST', `${path}/submit`, company)).body.errorId, 'missingRequiredParam');
    assert.equal((await call('DELETE', path, user)).status, 400, 'only an unsubmitted request can be deleted');
    const other = await call('POST', '/travelrequest/v4/requests', user, { name: 'To delete' });
    assert.equal((await call('DELETE', at(other.headers.get('location')), user)).status, 204);
    assert.equal((await call('GET', at(other.headers.get('location')), user)).status, 404);
    assert.equal((await call('POST', '/travelrequest/v4/requests', company, { name: 'x' })).body.errorId, 'missingRequiredParam');
  });

  it('Cash Advance v4.1: creates, reads and issues a cash advance', async () => {
    const created = await call('POST', '/cashadvance/v4.1/cashadvances', user, { amountRequested: { amount: '300', currency: 'USD' }, name: 'Cash for Lyon', userId: me() });
    assert.equal(created.status, 201);
    const path = `/cashadvance/v4.1/cashadvances/${created.body.cashAdvanceId}`;
    const read = await call('GET', path, user);
    assert.equal(read.body.approvalStatus.code, 'C_NOTF');
    assert.equal(read.body.amountRequested.amount, '300.00');
    const issued = await call('POST', `${path}/issue`, company, { comment: 'Paid at the desk' });
    assert.equal(issued.status, 201);
    assert.equal(issued.body.status.code, 'C_ISSU');
    assert.equal((await call('GET', path, user)).body.issuedDate, issued.body.issuedDate);
    assert.equal((await call('GET', `/cashadvance/v4.1/cashadvances/${FIXTURES.cashAdvanceId}`, user)).body.approvalStatus.code, 'C_APPR');
  });

  it('Quick Expense v4 and Itinerary v4: creates a quick expense (no read); lists trips and reads the demo trip with a company token', async () => {
    const base = `/quickexpense/v4/users/${me()}/context/TRAVELER/quickexpenses`;
    const quick = { expenseTypeId: 'BUSML', location: { city: 'Boston', countryCode: 'US' }, transactionAmount: { value: 88.05, currencyCode: 'USD' }, transactionDate: '2025-07-15' };
    const created = await call('POST', base, user, quick);
    assert.equal(created.status, 201);
    assert.match(at(created.body.quickExpenseIdUri), /\/quickexpenses\/[0-9A-F]{32}$/);
    assert.equal((await call('GET', base, user)).status, 405, 'Concur offers no read of quick expenses');
    const { location: _where, ...nowhere } = quick;
    assert.equal((await call('POST', base, user, nowhere)).body.validationErrors[0].id, 'location');

    const first = await call('GET', '/travel/v4/trips?schema=id', company);
    assert.equal(first.status, 200);
    assert.equal(first.body.data.length, 10);
    assert.equal(first.body.data[0].id, FIXTURES.tripId);
    const next = await call('GET', at(first.body.operations[0].href) + new URL(first.body.operations[0].href).search, company);
    assert.equal(next.body.data.length, 2);
    assert.deepEqual(next.body.operations, []);
    const trip = await call('GET', `/travel/v4/trips/${FIXTURES.tripId}`, company);
    assert.equal(trip.status, 200);
    assert.equal(trip.body.Bookings[0].Segments.Air[0].EndCityCode, 'BOS');
    assert.equal((await call('GET', `/travel/v4/trips/${FIXTURES.tripId}`, user)).status, 403, 'company tokens only');
    assert.equal((await call('GET', '/travel/v4/trips/00000000-0000-4000-8000-000000000000', company)).status, 404);
  });

  it('Invoice v3: payment requests, vendors and purchase orders', async () => {
    const digests = await call('GET', '/api/v3.0/invoice/paymentrequestdigests?limit=10', company);
    assert.equal(digests.body.Items.length, 10);
    assert.equal((await call('GET', at(digests.body.Items[0].PaymentRequestUri), company)).status, 200);
    const vendors = await call('GET', '/api/v3.0/invoice/vendors?limit=2', company);
    const vendor = vendors.body.Items[0];
    const invoice = { Name: 'Toner June', CountryCode: 'US', InvoiceAmount: '120.00', InvoiceNumber: 'INV-1', VendorRemitToIdentifier: { VendorCode: vendor.VendorCode, AddressCode: vendor.AddressCode } };
    const { CountryCode: _country, ...countryless } = invoice;
    assert.match((await call('POST', '/api/v3.0/invoice/paymentrequest', company, countryless)).body.Message, /CountryCode/);
    const created = await call('POST', '/api/v3.0/invoice/paymentrequest', company, invoice);
    assert.equal(created.status, 200);
    assert.equal((await call('GET', at(created.body.URI), company)).body.InvoiceNumber, 'INV-1');
    const byName = await call('POST', '/api/v3.0/invoice/paymentrequest', company, { ...invoice, VendorRemitToIdentifier: { Name: vendor.VendorName, Address1: vendor.Address1, PostalCode: vendor.PostalCode } });
    assert.equal(byName.status, 200, 'a vendor by name, street and postal code');
    const added = await call('POST', '/api/v3.0/invoice/vendors', company, { Vendor: [{ VendorCode: 'V900', AddressCode: 'MAIN', VendorName: 'Initech' }, { VendorCode: 'V901' }, { VendorCode: 'V902', AddressCode: 'MAIN' }] });
    assert.deepEqual(added.body.Vendor.map((v: Json) => v.Status), ['SUCCESS', 'FAILURE', 'SUCCESS']);
    assert.equal((await call('GET', '/api/v3.0/invoice/vendors?vendorCode=V900', company)).body.Items[0].VendorName, 'Initech');
    const address = { ExternalID: 'HQ', Address1: '1 Main St', City: 'Chicago', StateProvince: 'IL', PostalCode: '60601', CountryCode: 'US' };
    const order = { PurchaseOrderNumber: 'PO-9', Name: 'Toner', CurrencyCode: 'USD', OrderDate: '2025-07-01', PolicyExternalID: 'PO-POLICY', VendorCode: 'V900', VendorAddressCode: 'MAIN', BillToAddress: address, ShipToAddress: address, LineItem: [{ ExternalID: 'L1', LineNumber: '1', Quantity: '2', UnitPrice: '5.00' }] };
    assert.equal((await call('POST', '/api/v3.0/invoice/purchaseorders', company, { ...order, PolicyExternalID: undefined })).status, 400);
    const lineless = await call('POST', '/api/v3.0/invoice/purchaseorders', company, { ...order, LineItem: [{ LineNumber: '1' }] });
    assert.equal(lineless.body.Status, 'FAILURE');
    assert.match(lineless.body.ErrorMessage, /LineItem\[0\]\.ExternalID/);
    const po = await call('POST', '/api/v3.0/invoice/purchaseorders', company, order);
    assert.equal(po.body.Status, 'SUCCESS');
    assert.equal((await call('GET', '/api/v3.0/invoice/purchaseorders/PO-9', company)).body.VendorCode, 'V900');
  });

  it('Budget v4, Financial Integration v4 and Exchange Rate v4: a budget saved and deleted; documents acknowledged, posting and payment confirmed; rates uploaded', async () => {
    const budgets = await call('GET', '/budget/v4/budgetItemHeader?adminView=true', user);
    assert.equal(budgets.body.budgetItemHeaders.length, 6);
    assert.equal((await call('GET', `/budget/v4/budgetItemHeader/${budgets.body.budgetItemHeaders[1].id}`, user)).body.budgetItemDetails.length, 4);
    const budget = { name: 'Legal-US', description: 'Legal travel', budgetItemStatusType: 'OPEN', fiscalYear: { id: 'b1f2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }, owner: { email: mock.demo.username }, budgetItemDetails: [{ amount: 5000, fiscalPeriod: { id: 'fy2025' } }] };
    const { budgetItemDetails: _periods, ...periodless } = budget;
    assert.equal((await call('POST', '/budget/v4/budgetItemHeader', user, periodless)).status, 400);
    const saved = await call('POST', '/budget/v4/budgetItemHeader', user, budget);
    assert.equal(saved.status, 200);
    assert.equal((await call('GET', `/budget/v4/budgetItemHeader/${saved.body.id}`, user)).body.annualBudget, 5000);
    assert.equal((await call('DELETE', `/budget/v4/budgetItemHeader/${saved.body.id}`, user)).status, 204);

    const fis = '/financialintegration/fi/v4/companies/transactiontypes/expense/transactions';
    assert.equal((await call('GET', fis.replace('/expense/', '/EXPENSE/'), company)).status, 400, 'document types are lower case');
    const ready = await call('GET', `${fis}?limit=5`, company);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.page.number, 0);
    assert.deepEqual(ready.body.links.map((l: Json) => l.rel), ['first', 'self', 'next', 'last']);
    const first = ready.body.content[0];
    assert.equal(first.docStatus, 'READY');
    assert.equal(typeof first.document, 'object');
    const confirm = { systemId: 'ERP1', postingConfirmations: [{ docId: first.id, overallPostingStatusCode: 'success', postingDocs: [{ companyId: '0100', documentNumber: 'JE-1001' }], systemMessages: [] }] };
    assert.equal((await call('POST', `${fis}/postingconfirmations`, company, confirm)).body[0].postingConfirmationResult, 'NOT_YET_ACKNOWLEDGED');
    const ack = await call('POST', `${fis}/acknowledgements`, company, { ids: [first.id, 'nope'], systemId: 'ERP1' });
    assert.deepEqual(ack.body.map((r: Json) => [r.acknowledgeResult, r.code]), [['SUCCESS', 0], ['FAILURE', 104]]);
    assert.equal((await call('GET', fis, company)).body.page.totalElements, ready.body.page.totalElements - 1);
    const paid = { systemId: 'ERP1', processingConfirmation: [{ docId: first.id, processingStatusCode: 'CP', clearingDetails: [{ clearingAmount: 220, clearingCurrency: 'USD', clearingReference: { paymentRef: 'US01/1/2025/1', paymentMethod: 'E' } }] }] };
    assert.equal((await call('POST', `${fis}/paymentconfirmations`, company, paid)).body[0].paymentConfirmationResult, 'NOT_POSTING_CONFIRMED');
    const posted = await call('POST', `${fis}/postingconfirmations`, company, confirm);
    assert.equal(posted.body[0].postingConfirmationResult, 'SUCCESS');
    assert.equal((await call('GET', `${fis}?ignoreDocumentStatus=yes&docId=${first.id}`, company)).body.content[0].docStatus, 'POSTING_CONFIRMED_SUCCESS');
    assert.equal((await call('POST', `${fis}/paymentconfirmations`, company, paid)).body[0].paymentConfirmationResult, 'SUCCESS');
    assert.equal((await call('POST', `${fis}/paymentconfirmations`, company, paid)).body[0].code, 213, 'the same payment twice');
    assert.equal((await call('POST', fis.replace('/expense/', '/invoice/') + '/paymentconfirmations', company, paid)).status, 400, 'payments of expense reports only');
    assert.equal((await call('GET', fis, user)).status, 403, 'company tokens only');

    const rates = await call('POST', '/exchangerate/v4/rates', company, { currency_sets: [{ from_crn_code: 'USD', to_crn_code: 'EUR', start_date: '2025-07-01', rate: 0.92 }, { from_crn_code: 'USD', to_crn_code: 'euro', start_date: '2025-07-01', rate: 1 }] });
    assert.equal(rates.status, 200);
    assert.equal(rates.body.overallStatus, 'Partial Success');
    assert.deepEqual(rates.body.currencySets.map((c: Json) => c.statusCode), [200, 400]);
    assert.equal((await call('POST', '/exchangerate/v4/rates', user, { currency_sets: [] })).status, 403, 'company tokens only');
  });

  it('answers a write without a required field, or with no JSON, with 400 in the family\'s error shape', async () => {
    const v4 = await call('POST', `/quickexpense/v4/users/${me()}/context/TRAVELER/quickexpenses`, user, { expenseTypeId: 'BUSML', location: {}, transactionAmount: { value: 1, currencyCode: 'USD' } });
    assert.equal(v4.status, 400);
    assert.deepEqual(Object.keys(v4.body), ['timestamp', 'httpStatus', 'errorMessage', 'errorId', 'path', 'validationErrors']);
    assert.equal(v4.body.validationErrors[0].id, 'transactionDate');
    const scim = await call('POST', '/profile/identity/v4.1/Users', company, { active: true, emails: [], name: {} });
    assert.equal(scim.status, 400);
    assert.equal(scim.body.schemas[0], 'urn:ietf:params:scim:api:messages:2.0:Error');
    assert.match(scim.body.detail, /userName/);
    const list = await call('POST', '/list/v4/items', company, { listId: 'x' });
    assert.equal(list.status, 400);
    assert.match(list.body.error.message, /shortCode, value/);
    const legacy = await call('POST', '/api/v3.0/expense/attendees', user, 'not json');
    assert.equal(legacy.status, 400);
    assert.deepEqual(Object.keys(legacy.body), ['Message', 'Server-Time', 'Id']);
    const receipts = await send(`${mock.geoUrl}/receipts/v4/users/${me()}`, 'POST', { total: '1' }, { authorization: `Bearer ${user}`, link: '<http://schema.concursolutions.com/general-receipt.schema.json>;rel=describedBy' });
    assert.equal(receipts.status, 400);
    assert.match(receipts.body.message, /dateTime/);
  });

  it('answers an unknown method on a known path with 405 and the methods it allows', async () => {
    const lists = await call('PUT', '/list/v4/lists', user, {});
    assert.equal(lists.status, 405);
    assert.equal(lists.headers.get('allow'), 'GET, POST');
    assert.equal(lists.body.httpStatus, '405 METHOD_NOT_ALLOWED');
    const item = await call('PATCH', '/list/v4/items/abc', user, {});
    assert.equal(item.headers.get('allow'), 'GET, PUT, DELETE');
    const me1 = await call('DELETE', '/profile/v1/me', user);
    assert.equal(me1.status, 405);
    assert.equal(me1.headers.get('allow'), 'GET');
  });
});
