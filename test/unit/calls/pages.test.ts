import * as assert from 'node:assert/strict';
import { ApiClient, type SessionToken } from '../../../src/calls/apiClient';
import type { PagingStyle } from '../../../src/catalog/catalog';
import { CancelledError } from '../../../src/platform/errors';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../../src/platform/http';
import { pageItems } from '../../../src/responses/paging';
import { DEFAULT_CONCURRENCY, fetchAllPages, parallelPlan, streamAllPages, walkPages, type FetchAllOutcome } from '../../../src/calls/pages';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { fixedTokens } from '../../support/fakes';
import { scriptedServer } from '../../support/scriptedServer';

const USERS = '/profile/identity/v4/Users';

/** Counts the requests in flight at once. */
class CountingHttp extends HttpClient {
  inFlight = 0;
  maxInFlight = 0;

  override async request(req: HttpRequest): Promise<HttpResponse> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await super.request(req);
    } finally {
      this.inFlight--;
    }
  }
}

/** What the sequential walk and the parallel fetch must agree on. */
function summary(outcome: FetchAllOutcome): unknown {
  return {
    merged: outcome.merged,
    pages: outcome.pages,
    items: outcome.items,
    complete: outcome.complete,
    last: outcome.last.target.href,
    stoppedBy: outcome.stoppedBy?.status,
    stopReason: outcome.stopReason,
  };
}

describe('pages: one ordered walk (Fetch All, parallel, to a file)', () => {
  describe('plan', () => {
    it('SCIM: the sequential walk\'s URLs from startIndex and totalResults', () => {
      const body = { totalResults: 250, startIndex: 1, itemsPerPage: 100, Resources: new Array(100).fill({}) };
      assert.deepEqual(parallelPlan('scim', 'https://h/Users?startIndex=1&count=100', body), [
        'https://h/Users?startIndex=101&count=100',
        'https://h/Users?startIndex=201&count=100',
      ]);
      assert.deepEqual(parallelPlan('scim', 'https://h/Users', body), ['https://h/Users?count=100&startIndex=101', 'https://h/Users?count=100&startIndex=201']);
      assert.deepEqual(parallelPlan('scim', 'https://h/Users', { ...body, totalResults: 100 }), []);
      assert.equal(parallelPlan('scim', 'https://h/Users', { Resources: [] }), undefined);
    });

    it('List v4: page numbers up to totalPages', () => {
      const body = { content: [], page: { size: 100, totalElements: 250, totalPages: 3, number: 1 } };
      assert.deepEqual(parallelPlan('listv4', 'https://h/list/v4/lists/x/children', body), ['https://h/list/v4/lists/x/children?page=2', 'https://h/list/v4/lists/x/children?page=3']);
      assert.deepEqual(parallelPlan('listv4', 'https://h/l?page=3', { ...body, page: { ...body.page, number: 3 } }), []);
      assert.equal(parallelPlan('listv4', 'https://h/l', { content: [] }), undefined);
    });

    it('cursor and v3 have no plan: each page names the next', () => {
      assert.equal(parallelPlan('cursor', 'https://h/Users', { Resources: [{}], nextCursor: 'abc', totalResults: 5 }), undefined);
      assert.equal(parallelPlan('v3', 'https://h/r', { Items: [{}], NextPage: 'https://h/r?offset=x' }), undefined);
      assert.equal(parallelPlan('none', 'https://h/r', {}), undefined);
    });
  });

  describe('against the local Concur server', function () {
    this.timeout(20_000);
    let mock: MockConcur;
    let http: CountingHttp;
    let company: SessionToken;
    let user: SessionToken;
    let costCenters: string;

    const clientFor = (token: SessionToken, maxRateLimitRetries?: number): ApiClient => new ApiClient(http, fixedTokens(token), { maxRateLimitRetries });

    before(async () => {
      mock = await startMockConcur({ quiet: true, companyUsers: 1234 });
      http = new CountingHttp();
      company = { sessionId: 'company', accessToken: mock.issueTokens({ principal: 'company' }).access_token, geolocation: mock.geoUrl, baseUrl: mock.url };
      user = { sessionId: 'user', accessToken: mock.issueTokens({}).access_token, geolocation: mock.geoUrl, baseUrl: mock.url };
      const lists = JSON.parse((await clientFor(company).call({ method: 'GET', target: '/list/v4/lists' })).body.toString()) as { content: { id: string; value: string }[] };
      const list = lists.content.find((l) => l.value === 'Cost Centers');
      assert.ok(list, 'the seeded company has the Cost Centers list');
      costCenters = `/list/v4/lists/${list.id}/children?page=1`;
    });
    after(async () => {
      await http.close();
      await mock.close();
    });
    beforeEach(() => {
      mock.clearFaults();
      mock.resetLog();
      http.maxInFlight = 0;
    });

    const apiRequests = (): { path: string; query: Record<string, string>; status: number; time: number; durationMs?: number }[] =>
      mock.requests.filter((r) => !r.path.startsWith('/oauth2/'));

    for (const [style, target] of [
      ['scim', `${USERS}?startIndex=1&count=100`],
      ['scim', `${USERS}?startIndex=1&count=37`],
      ['listv4', 'COST_CENTERS'],
    ] as const) {
      for (const concurrency of [1, 4, 16]) {
        it(`${style} ${target}: the same document as the sequential walk, concurrency ${concurrency}`, async () => {
          const path = target === 'COST_CENTERS' ? costCenters : target;
          const client = clientFor(company);
          const sequential = await fetchAllPages(client, { method: 'GET', target: path }, style);
          assert.ok(sequential.complete);
          mock.resetLog();
          http.maxInFlight = 0;
          const progress: number[] = [];
          const parallel = await fetchAllPages(client, { method: 'GET', target: path }, style, { concurrency, onPage: (p) => progress.push(p.pages) });
          assert.deepEqual(summary(parallel), summary(sequential));
          assert.equal(parallel.pages, style === 'scim' ? Math.ceil(1234 / (target.endsWith('37') ? 37 : 100)) : 3);
          assert.deepEqual(progress, Array.from({ length: parallel.pages }, (_, i) => i + 1));
          // Every page asked for once, and never more at once than allowed.
          const asked = apiRequests().map((r) => r.query.startIndex ?? r.query.page);
          assert.equal(asked.length, parallel.pages);
          assert.equal(new Set(asked).size, parallel.pages);
          assert.ok(http.maxInFlight <= concurrency, `${http.maxInFlight} in flight`);
          if (style === 'scim' && concurrency === 4) assert.equal(http.maxInFlight, 4);
        });
      }
    }

    for (const [style, target, token] of [
      ['scim', `${USERS}?startIndex=1&count=100`, 'company'],
      ['listv4', 'COST_CENTERS', 'company'],
      ['cursor', '/profile/identity/v4.1/Users?count=300', 'company'],
      ['v3', '/api/v3.0/expense/reports?limit=25', 'user'],
    ] as const) {
      it(`streamAllPages (${style}): the same items in the same order as the merged walk, handed over page by page`, async () => {
        const path = target === 'COST_CENTERS' ? costCenters : target;
        const client = clientFor(token === 'company' ? company : user);
        const merged = await fetchAllPages(client, { method: 'GET', target: path }, style as PagingStyle);
        const expected = pageItems(style as PagingStyle, merged.merged);
        const streamed: unknown[] = [];
        let calls = 0;
        const outcome = await streamAllPages(client, { method: 'GET', target: path }, style as PagingStyle, async (items) => {
          calls++;
          streamed.push(...items);
        }, { concurrency: 4 });
        assert.deepEqual(streamed, expected);
        assert.deepEqual({ pages: outcome.pages, items: outcome.items, complete: outcome.complete }, { pages: merged.pages, items: expected.length, complete: true });
        assert.equal(calls, merged.pages);
        // Stops at maxItems, mid-page, with exactly that many items handed over.
        const capped: unknown[] = [];
        const limited = await streamAllPages(client, { method: 'GET', target: path }, style as PagingStyle, async (items) => void capped.push(...items), { maxItems: 7 });
        assert.equal(capped.length, Math.min(7, expected.length));
        assert.deepEqual(capped, expected.slice(0, 7));
        if (expected.length > 7) assert.equal(limited.complete, false);
      });
    }

    it('clamps the concurrency to 1–16', async () => {
      mock.addFault({ route: USERS, kind: 'latency', ms: 20 });
      const client = clientFor(company);
      await fetchAllPages(client, { method: 'GET', target: `${USERS}?count=37` }, 'scim', { concurrency: 100 });
      assert.equal(http.maxInFlight, 16);
      http.maxInFlight = 0;
      await fetchAllPages(client, { method: 'GET', target: `${USERS}?count=100` }, 'scim', { concurrency: 0 });
      assert.equal(http.maxInFlight, 1);
    });

    for (const [style, target, token] of [
      ['cursor', '/profile/identity/v4.1/Users?count=300', 'company'],
      ['v3', '/api/v3.0/expense/reports?limit=25', 'user'],
    ] as const) {
      it(`${style}: walks sequentially, as fetchAllPages does`, async () => {
        const client = clientFor(token === 'company' ? company : user);
        const sequential = await fetchAllPages(client, { method: 'GET', target }, style as PagingStyle);
        const sequentialRequests = apiRequests().map((r) => [r.path, r.query]);
        mock.resetLog();
        const parallel = await fetchAllPages(client, { method: 'GET', target }, style, { concurrency: 8 });
        assert.deepEqual(summary(parallel), summary(sequential));
        assert.ok(parallel.pages >= 3);
        assert.deepEqual(apiRequests().map((r) => [r.path, r.query]), sequentialRequests);
        assert.equal(http.maxInFlight, 1);
      });
    }

    it('uses the first page at hand instead of asking for it again', async () => {
      const client = clientFor(company);
      const firstResult = await client.call({ method: 'GET', target: `${USERS}?count=100` });
      mock.resetLog();
      const outcome = await fetchAllPages(client, { method: 'GET', target: `${USERS}?count=100` }, 'scim', { firstResult, concurrency: DEFAULT_CONCURRENCY });
      assert.equal(outcome.items, 1234);
      assert.equal(apiRequests().length, 12);
      assert.ok(!apiRequests().some((r) => r.query.startIndex === undefined || r.query.startIndex === '1'));
    });

    it('cancelled mid-way: rejects with CancelledError at once, and no request starts after the abort', async () => {
      mock.addFault({ route: USERS, kind: 'latency', ms: 300 });
      const client = clientFor(company);
      const controller = new AbortController();
      let abortedAt = 0;
      let requestsAtAbort = 0;
      const started = Date.now();
      const fetching = fetchAllPages(client, { method: 'GET', target: `${USERS}?count=100`, signal: controller.signal }, 'scim', {
        concurrency: 4,
        onPage: (p) => {
          if (p.pages === 2) {
            abortedAt = Date.now();
            requestsAtAbort = mock.requests.length;
            controller.abort();
          }
        },
      });
      await assert.rejects(fetching, CancelledError);
      const rejectedAt = Date.now();
      assert.ok(abortedAt > 0, 'the second page arrived');
      assert.ok(abortedAt - started >= 550, 'two rounds of latency passed');
      // The three pages in flight (300 ms each) were aborted, not waited for.
      assert.ok(rejectedAt - abortedAt < 150, `rejected ${rejectedAt - abortedAt} ms after the abort`);
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(mock.requests.length, requestsAtAbort);
      assert.equal(requestsAtAbort, 5, 'the first page, then four in flight');
      assert.ok(!mock.requests.some((r) => r.time > abortedAt));
    });

    it('an already aborted signal sends nothing after the first page', async () => {
      const client = clientFor(company);
      const firstResult = await client.call({ method: 'GET', target: `${USERS}?count=100` });
      mock.resetLog();
      await assert.rejects(fetchAllPages(client, { method: 'GET', target: `${USERS}?count=100`, signal: AbortSignal.abort() }, 'scim', { firstResult, concurrency: DEFAULT_CONCURRENCY }), CancelledError);
      assert.equal(mock.requests.length, 0);
    });

    it('a 429 closes the gate for every worker for retry-after, then the page is asked for again', async () => {
      const client = clientFor(company, 0);
      const target = `${USERS}?startIndex=1&count=100`;
      const sequential = await fetchAllPages(client, { method: 'GET', target }, 'scim');
      const firstResult = await client.call({ method: 'GET', target });
      mock.resetLog();
      mock.addFault({ route: USERS, kind: 'latency', ms: 10 });
      mock.addFault({ route: USERS, kind: 'rate429', retryAfter: 1, times: 1 });
      const waits: number[] = [];
      const outcome = await fetchAllPages(client, { method: 'GET', target }, 'scim', { firstResult, concurrency: 4, onRateLimited: (w) => waits.push(w.waitMs) });
      assert.deepEqual(summary(outcome), summary(sequential));
      assert.deepEqual(waits, [1000]);
      const log = apiRequests();
      const limited = log.filter((r) => r.status === 429);
      assert.equal(limited.length, 1);
      const answeredAt = limited[0].time + (limited[0].durationMs ?? 0);
      // Nothing sent while the gate was closed (margins for the two clocks' rounding)...
      const during = log.filter((r) => r.time > answeredAt + 50 && r.time < answeredAt + 950);
      assert.deepEqual(during, []);
      // ...and the page that got the 429 was asked for again once it opened.
      const retried = log.filter((r) => r.query.startIndex === limited[0].query.startIndex);
      assert.deepEqual(retried.map((r) => r.status), [429, 200]);
      assert.ok(retried[1].time >= answeredAt + 950, 'retried after retry-after');
      assert.equal(log.filter((r) => r.status === 200).length, 12);
    });

    it('a 429 the client waits out itself (its own retries) closes the gate for the other workers too', async () => {
      const client = clientFor(company); // the client's default: it retries a 429 after retry-after
      const target = `${USERS}?startIndex=1&count=100`;
      const firstResult = await client.call({ method: 'GET', target });
      mock.resetLog();
      mock.addFault({ route: USERS, kind: 'latency', ms: 10 });
      mock.addFault({ route: USERS, kind: 'rate429', retryAfter: 1, times: 1 });
      const outcome = await fetchAllPages(client, { method: 'GET', target }, 'scim', { firstResult, concurrency: 4 });
      assert.equal(outcome.items, 1234);
      const log = apiRequests();
      const limited = log.filter((r) => r.status === 429);
      assert.equal(limited.length, 1);
      const answeredAt = limited[0].time + (limited[0].durationMs ?? 0);
      // The other workers sent nothing new while the gate was closed.
      const during = log.filter((r) => r.time > answeredAt + 50 && r.time < answeredAt + 950);
      assert.deepEqual(during, []);
    });

    it('a page still rate-limited after five retries ends the fetch like an error answer', async () => {
      const client = clientFor(company, 0);
      const target = `${USERS}?count=100`;
      const firstResult = await client.call({ method: 'GET', target });
      mock.addFault({ route: USERS, kind: 'rate429', retryAfter: 0 });
      const waits: number[] = [];
      const outcome = await fetchAllPages(client, { method: 'GET', target }, 'scim', { firstResult, concurrency: 2, onRateLimited: (w) => waits.push(w.waitMs) });
      assert.equal(outcome.complete, false);
      assert.equal(outcome.pages, 1);
      assert.equal(outcome.stoppedBy?.status, 429);
      assert.equal(outcome.stopReason, 'page 2 answered HTTP 429');
      assert.ok(waits.length >= 5);
    });

    it('maxItems: stops scheduling once reached, complete false, as the sequential walk', async () => {
      const client = clientFor(company);
      const target = `${USERS}?count=100`;
      const sequential = await fetchAllPages(client, { method: 'GET', target }, 'scim', { maxItems: 250 });
      assert.equal(sequential.complete, false);
      mock.resetLog();
      const parallel = await fetchAllPages(client, { method: 'GET', target }, 'scim', { maxItems: 250, concurrency: 16 });
      assert.deepEqual(summary(parallel), summary(sequential));
      assert.equal(parallel.items, 300);
      assert.equal(parallel.stopReason, 'the limit of 250 items');
      // Three pages hold 250 items: no fourth page was asked for.
      assert.equal(apiRequests().length, 3);
    });
  });

  describe('the walk against a scripted server', () => {
    /** SCIM pages of 10 over 95 users; `answer` may replace any page's answer (by startIndex). */
    const scim = (answer: (start: number) => { status?: number; headers?: Record<string, string>; body?: object; delayMs?: number } | undefined = () => undefined) =>
      scriptedServer(async (req) => {
        const start = Number(new URL(req.url, 'http://x').searchParams.get('startIndex') ?? 1);
        const special = answer(start);
        if (special?.delayMs) await new Promise((resolve) => setTimeout(resolve, special.delayMs));
        if (special?.status) return { status: special.status, headers: special.headers, body: special.body ?? { error: 'scripted' } };
        const Resources = Array.from({ length: Math.max(0, Math.min(10, 96 - start)) }, (_, i) => ({ id: `u${start + i}` }));
        return { status: 200, body: { totalResults: 95, startIndex: start, itemsPerPage: Resources.length, Resources } };
      });
    let http: HttpClient;
    beforeEach(() => (http = new HttpClient()));
    afterEach(() => http.close());
    const clientOf = (server: { url: string }, maxRateLimitRetries?: number): ApiClient =>
      new ApiClient(http, fixedTokens({ sessionId: 's', accessToken: 'a'.repeat(40), geolocation: server.url, baseUrl: server.url }), { maxRateLimitRetries });
    const first = { method: 'GET', target: `${USERS}?startIndex=1&count=10` };

    it('an error page stops the fetch: the pages before it, and the answer that stopped it, sequential and parallel alike', async () => {
      const server = await scim((start) => (start === 21 ? { status: 500, delayMs: 30 } : undefined));
      try {
        const client = clientOf(server);
        const sequential = await fetchAllPages(client, first, 'scim');
        assert.equal(sequential.stopReason, 'page 3 answered HTTP 500');
        assert.equal(sequential.items, 20);
        for (const concurrency of [2, 4, 16]) {
          const parallel = await fetchAllPages(client, first, 'scim', { concurrency });
          assert.deepEqual(summary(parallel), summary(sequential), `concurrency ${concurrency}`);
        }
      } finally {
        await server.close();
      }
    });

    it('hands the pages over in page order when later pages answer first', async () => {
      const answered: number[] = [];
      const server = await scim((start) => {
        if (start === 11) return { delayMs: 80 };
        answered.push(start);
        return undefined;
      });
      try {
        const client = clientOf(server);
        const numbers: number[] = [];
        const walk = walkPages(client, first, 'scim', { concurrency: 4 });
        const ids: unknown[] = [];
        for (let step = await walk.next(); !step.done; step = await walk.next()) {
          numbers.push(step.value.number);
          ids.push(...step.value.items.map((u) => (u as { id: string }).id));
        }
        assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.deepEqual(ids, Array.from({ length: 95 }, (_, i) => `u${i + 1}`));
        // Page 2 was the slowest: pages after it were answered while it was still on its way, and waited for it.
        assert.deepEqual(answered.slice(0, 4), [1, 21, 31, 41]);
      } finally {
        await server.close();
      }
    });

    it('a slow reader holds the requests back: no more than `concurrency` pages fetched ahead of it', async () => {
      const server = await scim();
      try {
        const walk = walkPages(clientOf(server), first, 'scim', { concurrency: 3 });
        const firstPage = await walk.next();
        assert.equal(firstPage.done, false);
        const second = await walk.next();
        assert.equal(!second.done && second.value.number, 2);
        // While the reader holds page 2, pages 3 and 4 may be fetched; nothing further.
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(server.requests.length, 1 + 3);
        let pages = 2;
        while (!(await walk.next()).done) pages++;
        assert.equal(pages, 10);
        assert.equal(server.requests.length, 10);
      } finally {
        await server.close();
      }
    });

    it('a reader that stops reading aborts what is in flight, and nothing more is asked for', async () => {
      const server = await scim((start) => (start > 11 ? { delayMs: 200 } : undefined));
      try {
        const walk = walkPages(clientOf(server), first, 'scim', { concurrency: 4 });
        await walk.next();
        await walk.next();
        // Pages 3..5 are on their way (200 ms each): let them arrive, then stop reading.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const asked = server.requests.length;
        const stoppedAt = Date.now();
        const end = await walk.return({ complete: false });
        assert.equal(end.done, true);
        assert.ok(Date.now() - stoppedAt < 100, 'the reader does not wait for the pages in flight');
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(server.requests.length, asked);
        assert.ok(asked <= 1 + 4 + 1, `${asked} requests`);
      } finally {
        await server.close();
      }
    });

    it('one page at a time, a 429 the client hands back is waited out at the gate and the page asked for again', async () => {
      let limited = 0;
      const server = await scim((start) => (start === 31 && limited++ === 0 ? { status: 429, headers: { 'retry-after': '0' } } : undefined));
      try {
        const waits: number[] = [];
        const outcome = await fetchAllPages(clientOf(server, 0), first, 'scim', { onRateLimited: (w) => waits.push(w.attempt) });
        assert.equal(outcome.complete, true);
        assert.equal(outcome.items, 95);
        assert.deepEqual(waits, [1]);
        assert.equal(server.requests.filter((r) => r.url.includes('startIndex=31')).length, 2);
      } finally {
        await server.close();
      }
    });

    it('the first page failing: nothing merged, the answer kept, and the stream says so', async () => {
      const server = await scim((start) => (start === 1 ? { status: 503 } : undefined));
      try {
        const client = clientOf(server);
        const outcome = await fetchAllPages(client, first, 'scim', { concurrency: 4 });
        assert.deepEqual({ merged: outcome.merged, pages: outcome.pages, complete: outcome.complete, stoppedBy: outcome.stoppedBy?.status }, { merged: undefined, pages: 0, complete: false, stoppedBy: 503 });
        const streamed = await streamAllPages(client, first, 'scim', async () => assert.fail('no items'));
        assert.equal(streamed.stopReason, 'the first page answered HTTP 503');
        assert.equal(server.requests.length, 2);
      } finally {
        await server.close();
      }
    });
  });

  describe('against a server that overstates its total', () => {
    /** SCIM pages of 10 over 25 real users, claiming a million: past the end, pages are empty. */
    const overstating = () =>
      scriptedServer((req) => {
        const start = Number(new URL(req.url, 'http://x').searchParams.get('startIndex') ?? 1);
        const Resources = Array.from({ length: Math.max(0, Math.min(10, 26 - start)) }, (_, i) => ({ id: `u${start + i}` }));
        return { status: 200, body: { totalResults: 1_000_000, startIndex: start, itemsPerPage: Resources.length, Resources } };
      });

    it('parallel fetch and stream stop at the first empty page, not after every planned page', async () => {
      const server = await overstating();
      const http = new HttpClient();
      try {
        const token: SessionToken = { sessionId: 's', accessToken: 'a'.repeat(40), geolocation: server.url, baseUrl: server.url };
        const client = new ApiClient(http, fixedTokens(token));
        const outcome = await fetchAllPages(client, { method: 'GET', target: `${USERS}?startIndex=1&count=10` }, 'scim', { concurrency: 4 });
        assert.equal(outcome.items, 25);
        assert.ok(server.requests.length <= 1 + 3 + 4, `${server.requests.length} requests for 3 pages of users`);
        server.requests.length = 0;
        const streamed: unknown[] = [];
        const streamOutcome = await streamAllPages(client, { method: 'GET', target: `${USERS}?startIndex=1&count=10` }, 'scim', async (items) => void streamed.push(...items), { concurrency: 4 });
        assert.equal(streamed.length, 25);
        assert.equal(streamOutcome.complete, true);
        assert.ok(server.requests.length <= 1 + 3 + 4, `${server.requests.length} requests for 3 pages of users`);
      } finally {
        await http.close();
        await server.close();
      }
    });

    it('the page stream does not follow a next-page link to another host: it stops and says why', async () => {
      const other = await scriptedServer(() => ({ status: 200, body: { Items: [{ ID: 'stolen' }], NextPage: null } }));
      const server = await scriptedServer(() => ({ status: 200, body: { Items: [{ ID: '1' }], NextPage: `${other.url}/api/v3.0/expense/reports?offset=x` } }));
      const http = new HttpClient();
      try {
        const token: SessionToken = { sessionId: 's', accessToken: 'a'.repeat(40), geolocation: server.url, baseUrl: server.url };
        const client = new ApiClient(http, fixedTokens(token));
        const streamed: unknown[] = [];
        const outcome = await streamAllPages(client, { method: 'GET', target: '/api/v3.0/expense/reports' }, 'v3', async (items) => void streamed.push(...items));
        assert.deepEqual(streamed, [{ ID: '1' }]);
        assert.equal(outcome.complete, false);
        assert.match(outcome.stopReason ?? '', /next page's link was refused/);
        assert.equal(other.requests.length, 0);
      } finally {
        await http.close();
        await server.close();
        await other.close();
      }
    });
  });
});
