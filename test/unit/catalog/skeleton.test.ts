import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { JsonSchema } from '../../../src/catalog/catalog';
import { skeleton } from '../../../src/catalog/schemaSkeleton';
import { checkAgainstSchema } from '../../../src/catalog/definitions/openapi';

describe('request body skeleton', () => {
  it('has exactly the required fields, deeply, each an empty value of its type', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['name', 'count', 'rate', 'active', 'tags', 'owner', 'anything'],
      properties: {
        name: { type: 'string', format: 'date' },
        optional: { type: 'string' },
        count: { type: 'integer' },
        rate: { type: 'number' },
        active: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        owner: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, nickname: { type: 'string' } } },
      },
    };
    assert.deepEqual(skeleton(schema), { name: '', count: 0, rate: 0, active: false, tags: [], owner: { id: '' }, anything: null });
  });

  it('uses a default, else a const, else the first enum value', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['a', 'b', 'c', 'd'],
      properties: {
        a: { type: 'string', default: 'STANDARD', enum: ['X', 'STANDARD'] },
        b: { const: 'v2' },
        c: { type: 'string', enum: ['DRAFT', 'SENT'] },
        d: { type: 'object', default: { nested: [1] } },
      },
    };
    const body = skeleton(schema) as Record<string, unknown>;
    assert.deepEqual(body, { a: 'STANDARD', b: 'v2', c: 'DRAFT', d: { nested: [1] } });
    // A copy: changing the body leaves the schema's default alone.
    (body.d as { nested: number[] }).nested.push(2);
    assert.deepEqual(skeleton(schema), { a: 'STANDARD', b: 'v2', c: 'DRAFT', d: { nested: [1] } });
  });

  it('follows $refs against the root and merges allOf; takes the first non-null branch of oneOf/anyOf', () => {
    const schema: JsonSchema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      allOf: [{ $ref: '#/definitions/Report' }],
      definitions: {
        Base: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, note: { type: 'string' } } },
        Report: {
          allOf: [{ $ref: '#/definitions/Base' }, { required: ['total', 'payee'], properties: { total: { $ref: '#/definitions/Money' }, payee: { anyOf: [{ type: 'null' }, { $ref: '#/definitions/Person' }] } } }],
        },
        Money: { type: 'object', required: ['amount', 'currency'], properties: { amount: { type: 'number' }, currency: { type: 'string', enum: ['EUR', 'USD'] } } },
        Person: { oneOf: [{ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, { type: 'string' }] },
      },
    };
    assert.deepEqual(skeleton(schema), { id: '', total: { amount: 0, currency: 'EUR' }, payee: { name: '' } });
  });

  it('leaves out required properties the server sets (readOnly)', () => {
    const schema: JsonSchema = {
      definitions: { Id: { type: 'string', readOnly: true } },
      type: 'object',
      required: ['id', 'created', 'name'],
      properties: { id: { $ref: '#/definitions/Id' }, created: { type: 'string', readOnly: true }, name: { type: 'string' } },
    };
    assert.deepEqual(skeleton(schema), { name: '' });
  });

  it('stops on cycles and at depth 8', () => {
    const cyclic: JsonSchema = {
      definitions: { Node: { type: 'object', required: ['name', 'parent'], properties: { name: { type: 'string' }, parent: { $ref: '#/definitions/Node' } } } },
      $ref: '#/definitions/Node',
    };
    assert.deepEqual(skeleton(cyclic), { name: '', parent: {} });
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 12; i++) deep = { type: 'object', required: ['next'], properties: { next: deep } };
    let value = skeleton(deep) as Record<string, unknown>;
    let levels = 0;
    while (value && typeof value === 'object' && 'next' in value) {
      value = value.next as Record<string, unknown>;
      levels++;
    }
    assert.equal(levels, 8);
    assert.deepEqual(value, {});
  });

  it('gives a value by type for a root that is not an object, and {} for a schema that says nothing', () => {
    assert.equal(skeleton({ type: 'string' }), '');
    assert.deepEqual(skeleton({ type: 'array', items: { type: 'object' } }), []);
    assert.equal(skeleton({ type: ['integer', 'null'] }), 0);
    assert.deepEqual(skeleton({}), {});
    assert.deepEqual(skeleton(true), {});
  });
});

describe('request body skeleton (property)', () => {
  type Schema = Record<string, unknown>;
  const NAMES = ['id', 'name', 'amount', 'status', 'items', 'owner', 'tags', 'x-y', 'a/b', '~t'];
  const leaf: fc.Arbitrary<Schema> = fc.oneof(
    fc.constant({ type: 'string' }),
    fc.constant({ type: 'integer' }),
    fc.constant({ type: 'number' }),
    fc.constant({ type: 'boolean' }),
    fc.constant({ type: ['string', 'null'] }),
    fc.constant({}),
    fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 }).map((values) => ({ type: 'string', enum: values })),
    fc.integer({ min: -5, max: 5 }).map((n) => ({ type: 'integer', default: n })),
    fc.string({ maxLength: 5 }).map((s) => ({ const: s })),
  );
  const schemaOf = fc.letrec<{ node: Schema; object: Schema }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', maxDepth: 5, withCrossShrink: true }, leaf, tie('object'), tie('node').map((items) => ({ type: 'array', items }))),
    object: fc
      .dictionary(fc.constantFrom(...NAMES), tie('node'), { maxKeys: 5 })
      .chain((properties) =>
        fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', properties, required })),
      ),
  }));

  it('always validates against its (unconstrained) object schema', () => {
    fc.assert(
      fc.property(schemaOf.object, fc.boolean(), (fragment, viaRef) => {
        // Half the time behind a $ref and an allOf, as definitions store them.
        const schema: JsonSchema = viaRef ? { $schema: 'http://json-schema.org/draft-07/schema#', allOf: [{ $ref: '#/definitions/Body' }], definitions: { Body: fragment } } : fragment;
        const body = skeleton(schema);
        assert.deepEqual(checkAgainstSchema(body, schema), []);
        // Exactly the required fields at the top.
        assert.deepEqual(Object.keys(body as object).sort(), [...(fragment.required as string[])].sort());
      }),
      { numRuns: 300 },
    );
  });
});
