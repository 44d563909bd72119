import * as assert from 'node:assert/strict';
import { fetchAllPages } from '../../../src/calls/pages';
import { ApiClient } from '../../../src/calls/apiClient';
import { HttpClient } from '../../../src/platform/http';
import { detectPaging, mergePages, nextPageUrl } from '../../../src/responses/paging';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { fixedTokens } from '../../support/fakes';

describe('paging', () => {
  describe('next page of each style', () => {
    it('SCIM: startIndex moves by the page size until totalResults', () => {
      const body = { totalResults: 250, startIndex: 101, itemsPerPage: 100, Resources: new Array(100).fill({}) };
      assert.equal(nextPageUrl('scim', 'https://h/Users?startIndex=101&count=100', body), 'https://h/Users?startIndex=201&count=100');
      assert.equal(nextPageUrl('scim', 'https://h/Users?startIndex=201&count=100', { ...body, startIndex: 201, Resources: new Array(50).fill({}) }), undefined);
    });

    it('cursor: nextCursor, absent on the last page', () => {
      assert.equal(nextPageUrl('cursor', 'https://h/Users?count=10', { Resources: [], nextCursor: 'abc' }), 'https://h/Users?count=10&cursor=abc');
      assert.equal(nextPageUrl('cursor', 'https://h/Users?count=10&cursor=abc', { Resources: [] }), undefined);
    });

    it('v3: NextPage URL, null on the last page', () => {
      assert.equal(nextPageUrl('v3', 'https://h/api/v3.0/expense/reports', { Items: [], NextPage: 'https://h/api/v3.0/expense/reports?offset=x' }), 'https://h/api/v3.0/expense/reports?offset=x');
      assert.equal(nextPageUrl('v3', 'https://h/api/v3.0/expense/reports', { Items: [], NextPage: null }), undefined);
    });

    it('List v4: page + 1 until totalPages', () => {
      assert.equal(nextPageUrl('listv4', 'https://h/list/v4/lists', { content: [], page: { number: 1, totalPages: 3 } }), 'https://h/list/v4/lists?page=2');
      assert.equal(nextPageUrl('listv4', 'https://h/list/v4/lists?page=3', { content: [], page: { number: 3, totalPages: 3 } }), undefined);
    });

    it('recognises each style from a body', () => {
      assert.equal(detectPaging({ Items: [], NextPage: null }), 'v3');
      assert.equal(detectPaging({ content: [], page: { totalPages: 1 } }), 'listv4');
      assert.equal(detectPaging({ Resources: [], nextCursor: 'x' }), 'cursor');
      assert.equal(detectPaging({ Resources: [], totalResults: 1, startIndex: 1 }), 'scim');
      assert.equal(detectPaging({ id: 1 }), 'none');
    });

    it('merges pages into one document that says there is nothing further', () => {
      const merged = mergePages('v3', [{ Items: [1, 2], NextPage: 'x' }, { Items: [3], NextPage: null }]) as { Items: number[]; NextPage: unknown };
      assert.deepEqual(merged, { Items: [1, 2, 3], NextPage: null });
      const scim = mergePages('scim', [{ totalResults: 3, startIndex: 1, itemsPerPage: 2, Resources: [1, 2] }, { totalResults: 3, startIndex: 3, itemsPerPage: 1, Resources: [3] }]);
      assert.deepEqual(scim, { totalResults: 3, startIndex: 1, itemsPerPage: 3, Resources: [1, 2, 3] });
    });
  });

  describe('every page from the local Concur server, each style', function () {
    let mock: MockConcur;
    let http: HttpClient;
    const clients: Record<string, ApiClient> = {};

    before(async () => {
      mock = await startMockConcur({ quiet: true });
      http = new HttpClient();
      for (const principal of ['company', 'user'] as const) {
        const issued = mock.issueTokens({ principal: principal === 'company' ? 'company' : undefined });
        const token = { sessionId: principal, accessToken: issued.access_token, geolocation: mock.geoUrl, baseUrl: mock.url };
        clients[principal] = new ApiClient(http, fixedTokens(token));
      }
    });
    after(async () => {
      await http.close();
      await mock.close();
    });

    const ids = (items: unknown[]): string[] => items.map((i) => String((i as { id?: unknown; ID?: unknown }).id ?? (i as { ID?: unknown }).ID));

    for (const [style, target, principal, key] of [
      ['scim', '/profile/identity/v4/Users?startIndex=1&count=100', 'company', 'Resources'],
      ['cursor', '/profile/identity/v4.1/Users?count=300', 'company', 'Resources'],
    ] as const) {
      it(`${style}: all 2,500 users, no duplicates, no gaps`, async () => {
        const pages: number[] = [];
        const outcome = await fetchAllPages(clients[principal], { method: 'GET', target }, style, { onPage: (p) => pages.push(p.items) });
        assert.ok(outcome.complete);
        const items = (outcome.merged as Record<string, unknown[]>)[key];
        assert.equal(items.length, 2500);
        assert.equal(new Set(ids(items)).size, 2500);
        assert.equal(outcome.pages, style === 'scim' ? 25 : 9);
        assert.deepEqual(pages.slice(0, 2), style === 'scim' ? [100, 200] : [300, 600]);
      });
    }

    it('v3: every expense report of the demo user by following NextPage', async () => {
      const outcome = await fetchAllPages(clients.user, { method: 'GET', target: '/api/v3.0/expense/reports?limit=25' }, 'v3');
      const items = (outcome.merged as { Items: unknown[] }).Items;
      assert.ok(outcome.pages >= 3, `only ${outcome.pages} pages`);
      assert.equal(items.length, 60);
      assert.equal(new Set(ids(items)).size, items.length);
      assert.equal((outcome.merged as { NextPage: unknown }).NextPage, null);
    });

    it('List v4: every item of a list with more than one page', async () => {
      const lists = JSON.parse((await clients.user.call({ method: 'GET', target: '/list/v4/lists' })).body.toString()) as { content: { id: string }[] };
      let best = { id: '', count: 0 };
      for (const list of lists.content) {
        const first = JSON.parse((await clients.user.call({ method: 'GET', target: `/list/v4/lists/${list.id}/children` })).body.toString()) as { page: { totalElements: number } };
        if (first.page.totalElements > best.count) best = { id: list.id, count: first.page.totalElements };
      }
      assert.ok(best.count > 100, 'the seeded company has a list longer than one page');
      const outcome = await fetchAllPages(clients.user, { method: 'GET', target: `/list/v4/lists/${best.id}/children` }, 'listv4');
      const items = (outcome.merged as { content: unknown[] }).content;
      assert.equal(items.length, best.count);
      assert.equal(new Set(ids(items)).size, best.count);
    });

    it('stops at the item cap and says the result is incomplete', async () => {
      const outcome = await fetchAllPages(clients.company, { method: 'GET', target: '/profile/identity/v4/Users?count=100' }, 'scim', { maxItems: 250 });
      assert.equal(outcome.complete, false);
      assert.equal(outcome.items, 300);
      assert.equal(outcome.pages, 3);
    });
  });
});
