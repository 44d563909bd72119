import assert from 'node:assert/strict';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { get, type Json } from './helpers';

/** Asserts every id appears once: no duplicates across pages. */
function assertUnique(ids: string[]): void {
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids across pages');
}

describe('mock Concur: paging, walked end to end', function () {
  this.timeout(20_000);
  let mock: MockConcur;
  let company: string;
  let user: string;

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    company = mock.issueTokens({ principal: 'company' }).access_token;
    user = mock.issueTokens().access_token;
  });
  after(() => mock.close());

  it('SCIM startIndex/count: all 2,500 users of Identity v4, 100 at a time', async () => {
    const ids: string[] = [];
    let startIndex = 1;
    let pages = 0;
    for (;;) {
      const res = await get(`${mock.geoUrl}/profile/identity/v4/Users?startIndex=${startIndex}&count=100`, company);
      assert.equal(res.status, 200);
      assert.equal(res.body.totalResults, 2500);
      assert.equal(res.body.startIndex, startIndex);
      assert.equal(res.body.itemsPerPage, res.body.Resources.length);
      ids.push(...res.body.Resources.map((u: Json) => u.id));
      pages += 1;
      if (res.body.Resources.length === 0 || startIndex - 1 + res.body.itemsPerPage >= res.body.totalResults) {
        break;
      }
      startIndex += res.body.itemsPerPage;
    }
    assert.equal(pages, 25);
    assert.equal(ids.length, 2500);
    assertUnique(ids);
    assert.equal(ids[0], mock.demo.userId);
  });

  it('SCIM caps count at 100 and treats startIndex below 1 as 1', async () => {
    const res = await get(`${mock.geoUrl}/profile/identity/v4/Users?startIndex=0&count=500`, company);
    assert.equal(res.body.startIndex, 1);
    assert.equal(res.body.itemsPerPage, 100);
    const past = await get(`${mock.geoUrl}/profile/identity/v4/Users?startIndex=2501`, company);
    assert.deepEqual(past.body.Resources, []);
    const bad = await get(`${mock.geoUrl}/profile/identity/v4/Users?count=ten`, company);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidValue');
  });

  it('SCIM on Spend v4.1 users too', async () => {
    const ids: string[] = [];
    for (let startIndex = 1; startIndex <= 2500; startIndex += 100) {
      const res = await get(`${mock.geoUrl}/profile/spend/v4.1/Users?startIndex=${startIndex}&count=100`, company);
      ids.push(...res.body.Resources.map((u: Json) => u.id));
    }
    assert.equal(ids.length, 2500);
    assertUnique(ids);
  });

  for (const count of [1000, 700]) {
    it(`cursor/nextCursor: all 2,500 users of Identity v4.1, ${count} at a time`, async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const q = new URLSearchParams({ count: String(count), ...(cursor ? { cursor } : {}) });
        const res = await get(`${mock.geoUrl}/profile/identity/v4.1/Users?${q.toString()}`, company);
        assert.equal(res.status, 200);
        ids.push(...res.body.Resources.map((u: Json) => u.id));
        cursor = res.body.nextCursor;
        pages += 1;
        if (cursor === undefined) {
          assert.ok(!('nextCursor' in res.body), 'nextCursor is absent on the last page');
        }
      } while (cursor);
      assert.equal(pages, Math.ceil(2500 / count));
      assert.equal(ids.length, 2500);
      assertUnique(ids);
    });
  }

  it('cursor: rejects a forged cursor with 400 invalidCursor and caps count at 1000', async () => {
    const forged = Buffer.from('u:10:x').toString('base64url');
    const res = await get(`${mock.geoUrl}/profile/identity/v4.1/Users?cursor=${forged}`, company);
    assert.equal(res.status, 400);
    assert.equal(res.body.scimType, 'invalidCursor');
    const big = await get(`${mock.geoUrl}/profile/identity/v4.1/Users?count=5000`, company);
    assert.equal(big.body.itemsPerPage, 1000);
  });

  it("v3 Items/NextPage: the demo user's 60 reports at the default limit of 25", async () => {
    const ids: string[] = [];
    const sizes: number[] = [];
    let url: string | null = `${mock.geoUrl}/api/v3.0/expense/reports`;
    while (url) {
      const res: Json = await get(url, user);
      assert.equal(res.status, 200);
      sizes.push(res.body.Items.length);
      ids.push(...res.body.Items.map((r: Json) => r.ID));
      url = res.body.NextPage;
      if (url) {
        assert.ok(url.startsWith(`${mock.geoUrl}/api/v3.0/expense/reports?`), 'NextPage is an absolute URL at the same host');
        assert.doesNotMatch(new URL(url).searchParams.get('offset') ?? '', /^\d+$/, 'the offset is an opaque marker');
      }
    }
    assert.deepEqual(sizes, [25, 25, 10]);
    assertUnique(ids);
  });

  it('v3 Items/NextPage: every report of the company with user=ALL and limit=100', async () => {
    const ids: string[] = [];
    let url: string | null = `${mock.geoUrl}/api/v3.0/expense/reports?user=ALL&limit=100`;
    let pages = 0;
    while (url) {
      const res: Json = await get(url, company);
      ids.push(...res.body.Items.map((r: Json) => r.ID));
      assert.ok(res.body.Items.length <= 100);
      url = res.body.NextPage;
      if (url) {
        assert.equal(new URL(url).searchParams.get('user'), 'ALL');
      }
      pages += 1;
    }
    assert.ok(ids.length > 2500, `a company-sized report set (${ids.length})`);
    assert.equal(pages, Math.ceil(ids.length / 100));
    assertUnique(ids);
  });

  it('v3: refuses a forged offset and another user for a user token', async () => {
    assert.equal((await get(`${mock.geoUrl}/api/v3.0/expense/reports?offset=gWforged`, user)).status, 400);
    assert.equal((await get(`${mock.geoUrl}/api/v3.0/expense/reports?limit=0`, user)).status, 400);
    assert.equal((await get(`${mock.geoUrl}/api/v3.0/expense/reports?user=ALL`, user)).status, 403);
  });

  it('List v4 page objects: the 250 cost centers over 3 pages', async () => {
    const lists = await get(`${mock.geoUrl}/list/v4/lists`, user);
    assert.deepEqual(lists.body.page, { size: 100, totalElements: 12, totalPages: 1, number: 1 });
    const costCenters = lists.body.content.find((l: Json) => l.value === 'Cost Centers');
    const ids: string[] = [];
    let page = 1;
    let totalPages = Infinity;
    while (page <= totalPages) {
      const res = await get(`${mock.geoUrl}/list/v4/lists/${costCenters.id}/children?page=${page}`, user);
      assert.equal(res.status, 200);
      assert.equal(res.body.page.number, page);
      assert.equal(res.body.page.size, 100);
      assert.equal(res.body.page.totalElements, 250);
      totalPages = res.body.page.totalPages;
      ids.push(...res.body.content.map((i: Json) => i.id));
      page += 1;
    }
    assert.equal(totalPages, 3);
    assert.equal(ids.length, 250);
    assertUnique(ids);
    const beyond = await get(`${mock.geoUrl}/list/v4/lists/${costCenters.id}/children?page=4`, user);
    assert.deepEqual(beyond.body.content, []);
    const zero = await get(`${mock.geoUrl}/list/v4/lists/${costCenters.id}/children?page=0`, user);
    assert.equal(zero.status, 400);
    assert.equal(zero.body.error.id, 'INVALID_PAGE');
  });
});
