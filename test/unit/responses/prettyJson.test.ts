import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { prettyJsonInTurns } from '../../../src/responses/prettyJson';
import { mergePages } from '../../../src/responses/paging';

describe('prettyJsonInTurns', () => {
  it('writes exactly what JSON.stringify(value, null, 2) writes, for any JSON with a long array of items', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.array(fc.jsonValue(), { minLength: 3, maxLength: 30 }), async (rest, key, items) => {
        const value = { ...rest, [key]: items };
        assert.equal(await prettyJsonInTurns(value, 2), JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('the same for merged pages of every paging style, odd items included', async () => {
    const item = (i: number): unknown => ({ id: i, name: { givenName: 'Zoë', familyName: `Müller "${i}"` }, tags: i % 2 ? [] : ['a', { b: null }], empty: {}, gone: undefined, note: 'line\nbreak \u2028 🚀' });
    const items = [...Array.from({ length: 40 }, (_, i) => item(i)), undefined, null, 7, 'text', [1, [2]]];
    const pages = {
      scim: [{ schemas: ['urn:x'], totalResults: 45, startIndex: 1, itemsPerPage: 45, Resources: items }],
      cursor: [{ Resources: items, nextCursor: 'c' }],
      v3: [{ Items: items, NextPage: null }],
      listv4: [{ content: items, page: { size: 45, totalElements: 45, totalPages: 1, number: 1 } }],
    } as const;
    for (const [style, list] of Object.entries(pages)) {
      const merged = mergePages(style as keyof typeof pages, list);
      assert.equal(await prettyJsonInTurns(merged, 4), JSON.stringify(merged, null, 2), style);
    }
    // Values it leaves to JSON.stringify whole: not an object, no long array, an object with toJSON.
    for (const value of [[1, 2, 3], 'x', null, { a: [1] }, { toJSON: () => ({ a: [1, 2, 3, 4, 5, 6] }) }]) assert.equal(await prettyJsonInTurns(value, 2), JSON.stringify(value, null, 2));
  });

  it('lets the event loop turn while it writes', async () => {
    const value = { Resources: Array.from({ length: 5000 }, (_, i) => ({ i })) };
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    await prettyJsonInTurns(value, 100);
    clearInterval(timer);
    assert.ok(turns > 0, 'no timer ran while it wrote');
  });
});
