import * as assert from 'node:assert/strict';
import { accessProblem, buildRequestPath, CATALOG, catalogByProduct, endpointById, matchesFilter, prefill, statusNote } from '../../src/concur/catalog';

describe('endpoint catalog', () => {
  // The GET paths of Concur's API reference the catalog offers, each with its scope.
  const documented: [string, string][] = [
    ['/profile/v1/me', 'user.read'],
    ['/profile/identity/v4/Users', 'identity.user.core.read'],
    ['/profile/identity/v4/Users/{id}', 'identity.user.core.read'],
    ['/profile/identity/v4.1/Users', 'identity.user.core.read'],
    ['/profile/spend/v4.1/Users/{id}', 'spend.user.general.read'],
    ['/api/v3.0/expense/reports', 'EXPRPT'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}', 'expense.report.read'],
    ['/expensereports/v4/users/{userId}/context/MANAGER/reportsToApprove', 'expense.report.read'],
    ['/expensereports/v4/users/{userId}/context/{contextType}/reports/{reportId}/expenses', 'expense.report.read'],
    ['/list/v4/lists', 'spend.list.read'],
    ['/list/v4/lists/{listId}', 'spend.list.read'],
    ['/list/v4/lists/{listId}/children', 'spend.listitem.read'],
    ['/list/v4/items/{itemId}', 'spend.listitem.read'],
    ['/receipts/v4/users/{userId}', 'receipts.read'],
    ['/localities/v5/countries', 'locality.read'],
    ['/localities/v5/countries/{code}', 'locality.read'],
  ];

  it('has every endpoint it should, each with the scope Concur\'s reference names', () => {
    for (const [path, scope] of documented) {
      const endpoint = CATALOG.find((e) => e.path === path);
      assert.ok(endpoint, `missing ${path}`);
      assert.ok(endpoint.scopes.includes(scope), `${path} should need ${scope}`);
    }
  });

  it('declares every path parameter it uses, and ids are unique', () => {
    assert.equal(new Set(CATALOG.map((e) => e.id)).size, CATALOG.length);
    for (const endpoint of CATALOG) {
      const inPath = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = endpoint.params.filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(declared, inPath, endpoint.id);
    }
  });

  it('marks Profile v1 deprecated since 2025-05-15, naming Identity v4.1 as its successor; every successor is in the catalog', () => {
    assert.equal(statusNote(endpointById('profile.me')!), 'Deprecated by Concur since 2025-05-15. Use Identity v4.1: User by id (GET /profile/identity/v4.1/Users/{id}) instead.');
    assert.equal(statusNote(endpointById('receipts.v4.user')!), undefined);
    for (const endpoint of CATALOG) {
      const status = endpoint.status;
      if (!status || status.kind === 'current') continue;
      assert.match(status.since ?? '', /^\d{4}-\d{2}-\d{2}$/, endpoint.id);
      if (status.successor) assert.ok(endpointById(status.successor), `${endpoint.id}: successor ${status.successor} is not in the catalog`);
    }
    // A user token with an identity scope can call the successor for itself.
    assert.equal(accessProblem(endpointById('identity.v41.user')!, { scopes: ['identity.user.core.read'], type: 'user' }), undefined);
  });

  it('filters by every word typed, over method, path, title, product, paging, scopes and status', () => {
    const ids = (filter: string): string[] => CATALOG.filter((e) => matchesFilter(e, filter)).map((e) => e.id);
    assert.equal(ids('').length, CATALOG.length);
    assert.equal(ids('   ').length, CATALOG.length);
    assert.deepEqual(ids('receipts.read'), ['receipts.v4.user']);
    assert.deepEqual(ids('DEPRECATED'), ['profile.me']);
    assert.deepEqual(ids('identity v4.1 users'), ['identity.v41.users', 'identity.v41.user']);
    assert.deepEqual(ids('cursor'), ['identity.v41.users']);
    assert.deepEqual(ids('receipts nothing-like-this'), []);
  });

  it('uses the paging style of each API family', () => {
    assert.equal(endpointById('identity.v4.users')?.paging, 'scim');
    assert.equal(endpointById('identity.v41.users')?.paging, 'cursor');
    assert.equal(endpointById('expense.v3.reports')?.paging, 'v3');
    assert.equal(endpointById('list.v4.children')?.paging, 'listv4');
    assert.equal(endpointById('profile.me')?.paging, 'none');
  });

  it('groups endpoints by product in catalog order', () => {
    const groups = catalogByProduct();
    assert.equal(groups[0].product, 'Profile v1');
    assert.equal(groups.reduce((n, g) => n + g.endpoints.length, 0), CATALOG.length);
  });

  it('prefills userId from the token\'s sub, contextType and paging from their defaults, the rest from earlier answers', () => {
    const report = endpointById('expense.v4.report');
    assert.ok(report);
    assert.deepEqual(prefill(report, { sub: 'u-1' }, { reportId: 'R9' }), { userId: 'u-1', contextType: 'TRAVELER', reportId: 'R9' });
    assert.deepEqual(report.params.find((p) => p.name === 'contextType')?.choices, ['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY']);
    assert.deepEqual(prefill(endpointById('identity.v4.users') as never, {}), { startIndex: '1', count: '100' });
  });

  it('builds the request path, encoding path values and leaving out empty query parameters', () => {
    const report = endpointById('expense.v4.report');
    assert.ok(report);
    assert.equal(buildRequestPath(report, { userId: 'a b', contextType: 'MANAGER', reportId: 'R/1' }), '/expensereports/v4/users/a%20b/context/MANAGER/reports/R%2F1');
    assert.equal(buildRequestPath(endpointById('identity.v41.users') as never, { count: '50', cursor: '' }), '/profile/identity/v4.1/Users?count=50');
    assert.throws(() => buildRequestPath(report, { userId: 'u' }), /Report needs contextType/);
  });

  it('says why a token cannot call an endpoint: missing scope or wrong token type', () => {
    const receipts = endpointById('receipts.v4.user');
    const identity = endpointById('identity.v4.users');
    assert.ok(receipts && identity);
    assert.equal(accessProblem(receipts, { scopes: ['receipts.read'], type: 'user' }), undefined);
    assert.match(accessProblem(receipts, { scopes: ['user.read'], type: 'user' }) ?? '', /needs the scope receipts\.read/i);
    assert.match(accessProblem(identity, { scopes: ['identity.user.core.read'], type: 'user' }) ?? '', /company token; the active token is a user token/);
  });
});
