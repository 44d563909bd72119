import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { JsonSchema } from '../../../src/catalog/catalog';
import { checkAgainstSchema, loadDefinition, locateInJson } from '../../../src/catalog/definitions/openapi';
import { repoRoot } from '../../host/paths';

const draft07 = (fragment: unknown, extra: Record<string, unknown> = {}): JsonSchema => ({ $schema: 'http://json-schema.org/draft-07/schema#', allOf: [fragment], ...extra });
const draft2020 = (fragment: unknown): JsonSchema => ({ $schema: 'https://json-schema.org/draft/2020-12/schema', allOf: [fragment] });

const report = draft07(
  { $ref: '#/definitions/Report' },
  {
    definitions: {
      Report: {
        type: 'object',
        required: ['id', 'status', 'lines'],
        properties: {
          id: { type: 'integer' },
          status: { type: 'string', enum: ['APPROVED', 'SUBMITTED'] },
          lines: { type: 'array', items: { $ref: '#/definitions/Line' } },
        },
      },
      Line: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, kind: { enum: ['MEAL', 'TAXI'] } } },
    },
  },
);

describe('schema check of answers', () => {
  it('finds nothing wrong with an answer that matches', () => {
    assert.deepEqual(checkAgainstSchema({ id: 1, status: 'APPROVED', lines: [{ amount: 2.5, kind: 'MEAL' }], extra: true }, report), []);
  });

  it('says which required property is missing, at the object\'s path plus its name', () => {
    assert.deepEqual(checkAgainstSchema({ status: 'APPROVED', lines: [] }, report), [{ path: ['id'], kind: 'required', message: 'missing required property "id"' }]);
  });

  it('says what type a value is and what the schema says', () => {
    assert.deepEqual(checkAgainstSchema({ id: 'R1', status: 'APPROVED', lines: [] }, report), [{ path: ['id'], kind: 'type', message: 'is a string, the schema says integer' }]);
  });

  it('lists the allowed values of an enum', () => {
    assert.deepEqual(checkAgainstSchema({ id: 1, status: 'PENDING', lines: [] }, report), [{ path: ['status'], kind: 'enum', message: '"PENDING" is not one of APPROVED, SUBMITTED' }]);
  });

  it('finds mismatches nested in arrays, with numeric indexes', () => {
    const answer = { id: 1, status: 'APPROVED', lines: [{ amount: 1 }, { kind: 'BUS' }, { amount: '3' }] };
    assert.deepEqual(
      checkAgainstSchema(answer, report).map((m) => [m.path, m.kind]),
      [
        [['lines', 1, 'amount'], 'required'],
        [['lines', 1, 'kind'], 'enum'],
        [['lines', 2, 'amount'], 'type'],
      ],
    );
  });

  it('removes the duplicates allOf produces, and keeps at most 100 mismatches', () => {
    const twice = draft07({ allOf: [{ required: ['id'] }, { required: ['id'], properties: { id: { type: 'string' } } }, { properties: { id: { type: 'string' } } }] });
    assert.deepEqual(checkAgainstSchema({}, twice), [{ path: ['id'], kind: 'required', message: 'missing required property "id"' }]);
    assert.deepEqual(checkAgainstSchema({ id: 1 }, twice), [{ path: ['id'], kind: 'type', message: 'is a number, the schema says string' }]);
    const many = checkAgainstSchema(Array.from({ length: 500 }, () => 'x'), draft07({ type: 'array', items: { type: 'integer' } }));
    assert.equal(many.length, 100);
  });

  it('merges the types anyOf branches allow into one mismatch', () => {
    const either = draft07({ properties: { v: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } });
    const mismatches = checkAgainstSchema({ v: 'x' }, either);
    assert.deepEqual(
      mismatches.filter((m) => m.kind === 'type'),
      [{ path: ['v'], kind: 'type', message: 'is a string, the schema says integer or null' }],
    );
  });

  it('reads OpenAPI 3.0 `nullable` and boolean exclusive bounds as their document meant', async () => {
    const entries = await loadDefinition({ id: 'n', location: path.join(repoRoot, 'test', 'fixtures', 'definitions', 'nullable-3.0.yaml') }, { fetchText: () => Promise.reject(new Error('no')) });
    const schema = entries.endpoints[0].responses!['200'];
    assert.deepEqual(checkAgainstSchema({ id: 1, status: null, approver: null, amount: 1 }, schema), []);
    assert.deepEqual(checkAgainstSchema({ id: 1, status: 'APPROVED', approver: { name: 'Ana' }, amount: 0.5, lines: [{ code: 'MEAL', quantity: 2 }] }, schema), []);
    assert.deepEqual(
      checkAgainstSchema({ id: 1, status: 'PENDING', approver: {}, amount: 0, lines: [{ code: 'BUS', quantity: 1.5 }] }, schema).map((m) => [m.path, m.kind, m.message]),
      [
        [['status'], 'enum', '"PENDING" is not one of APPROVED, SUBMITTED, null'],
        [['approver', 'name'], 'required', 'missing required property "name"'],
        [['amount'], 'other', 'must be > 0'],
        [['lines', 0, 'code'], 'enum', '"BUS" is not one of MEAL, TAXI, HOTEL'],
        [['lines', 0, 'quantity'], 'type', 'is a number, the schema says integer'],
      ],
    );
  });

  it('reads an OpenAPI 3.1 type list with null', () => {
    const schema = draft2020({ type: 'object', properties: { note: { type: ['string', 'null'] } }, required: ['note'] });
    assert.deepEqual(checkAgainstSchema({ note: null }, schema), []);
    assert.deepEqual(checkAgainstSchema({ note: 'x' }, schema), []);
    assert.deepEqual(checkAgainstSchema({ note: 3 }, schema), [{ path: ['note'], kind: 'type', message: 'is a number, the schema says string or null' }]);
  });

  it('says a schema that cannot be compiled is one, without throwing; compiles each schema once', () => {
    const broken = draft07({ $ref: '#/definitions/Nowhere' });
    const [mismatch, ...rest] = checkAgainstSchema({}, broken);
    assert.equal(rest.length, 0);
    assert.equal(mismatch.kind, 'other');
    assert.match(mismatch.message, /could not be compiled/);
    const started = performance.now();
    for (let i = 0; i < 2000; i++) checkAgainstSchema({ id: 1, status: 'APPROVED', lines: [] }, report);
    assert.ok(performance.now() - started < 1000, 'the validator is cached per schema');
  });
});

describe('locateInJson', () => {
  const text = '{\n  "id": "R1",\n  "owner": { "name": "Ana" },\n  "lines": [ { "amount": 1 }, { "amount": "x" } ]\n}';

  it('finds the value at a path', () => {
    const at = (p: (string | number)[]): string => {
      const { offset, length } = locateInJson(text, p);
      return text.slice(offset, offset + length);
    };
    assert.equal(at(['id']), '"R1"');
    assert.equal(at(['lines', 1, 'amount']), '"x"');
    assert.equal(at(['lines', 0]), '{ "amount": 1 }');
    assert.equal(at([]), text);
  });

  it('points a missing property at the enclosing object\'s key, or its opening brace', () => {
    const owner = locateInJson(text, ['owner', 'id']);
    assert.deepEqual(owner, { offset: text.indexOf('"owner"'), length: '"owner"'.length });
    const inArray = locateInJson(text, ['lines', 1, 'code']);
    assert.deepEqual(inArray, { offset: text.indexOf('{ "amount": "x" }'), length: 1 });
    assert.deepEqual(locateInJson(text, ['missing']), { offset: 0, length: 1 });
  });

  it('falls back to the start for text that is not JSON', () => {
    assert.deepEqual(locateInJson('', ['a']), { offset: 0, length: 1 });
    assert.deepEqual(locateInJson('<html>', ['a']), { offset: 0, length: 1 });
  });
});
