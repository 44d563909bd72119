/**
 * A request body prefilled from its JSON Schema: exactly the required fields, recursively. Each gets
 * its `default`, else its `const`, else its first `enum` value, else an empty value of its type
 * ('' · 0 · false · [] · null · an object of its own required fields). Internal `$ref`s (`#/…`,
 * against the root schema) and `allOf` are followed (their `required` and `properties` merged);
 * `oneOf`/`anyOf` take their first branch that is not just `null`. Stops at depth 8 and on cycles.
 * A required property marked `readOnly` is left out: OpenAPI requires it in responses only.
 * No dependencies: this is in the activation bundle.
 */
import type { JsonSchema } from './catalog';

const MAX_DEPTH = 8;

type Obj = { readonly [key: string]: unknown };
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a schema and everything it pulls in (`$ref`, `allOf`, a first `oneOf`/`anyOf` branch) says. */
interface Merged {
  type?: string;
  value?: { readonly v: unknown };
  enumFirst?: { readonly v: unknown };
  readonly properties: Map<string, unknown>;
  readonly required: string[];
  /** `readOnly: true`: a value the server sets, which a request leaves out even when required. */
  readOnly: boolean;
  /** The schema objects merged: a cycle is a property whose schema is one of its ancestors'. */
  readonly parts: Set<object>;
}

export function skeleton(schema: JsonSchema): unknown {
  const merged = merge(schema, schema);
  const value = valueOf(schema, merged, 0, new Set());
  // A body with nothing known about it is an empty object.
  return value === null && !merged.type ? {} : value;
}

function resolve(root: JsonSchema, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let current: unknown = root;
  let pointer = ref.slice(1);
  if (pointer.includes('%')) {
    try {
      pointer = decodeURIComponent(pointer);
    } catch {
      // as written
    }
  }
  if (pointer === '') return root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isObj(current)) current = current[token];
    else return undefined;
  }
  return current;
}

function merge(root: JsonSchema, schema: unknown): Merged {
  const merged: Merged = { properties: new Map(), required: [], readOnly: false, parts: new Set() };
  const visit = (s: unknown): void => {
    if (!isObj(s) || merged.parts.has(s)) return;
    merged.parts.add(s);
    if (merged.value === undefined) {
      if (s.default !== undefined) merged.value = { v: s.default };
      else if (s.const !== undefined) merged.value = { v: s.const };
    }
    if (s.readOnly === true) merged.readOnly = true;
    if (merged.enumFirst === undefined && Array.isArray(s.enum) && s.enum.length) merged.enumFirst = { v: s.enum[0] };
    if (merged.type === undefined) {
      if (typeof s.type === 'string' && s.type !== 'null') merged.type = s.type;
      else if (Array.isArray(s.type)) merged.type = s.type.find((t): t is string => typeof t === 'string' && t !== 'null');
    }
    if (isObj(s.properties)) for (const [name, sub] of Object.entries(s.properties)) if (!merged.properties.has(name)) merged.properties.set(name, sub);
    if (Array.isArray(s.required)) for (const name of s.required) if (typeof name === 'string' && !merged.required.includes(name)) merged.required.push(name);
    if (typeof s.$ref === 'string') visit(resolve(root, s.$ref));
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) visit(sub);
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = s[key];
      if (!Array.isArray(branches) || !branches.length) continue;
      visit(branches.find((b) => !isNullOnly(root, b)) ?? branches[0]);
    }
  };
  visit(schema);
  if (merged.type === undefined) {
    if (merged.properties.size || merged.required.length) merged.type = 'object';
    else if ([...merged.parts].some((p) => 'items' in p)) merged.type = 'array';
  }
  return merged;
}

function isNullOnly(root: JsonSchema, schema: unknown): boolean {
  const s = isObj(schema) && typeof schema.$ref === 'string' ? resolve(root, schema.$ref) : schema;
  return isObj(s) && (s.type === 'null' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'null'));
}

function valueOf(root: JsonSchema, merged: Merged, depth: number, ancestors: Set<object>): unknown {
  if (merged.value) return copy(merged.value.v);
  if (merged.enumFirst) return copy(merged.enumFirst.v);
  switch (merged.type) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth >= MAX_DEPTH) return out;
      const inner = new Set(ancestors);
      for (const part of merged.parts) inner.add(part);
      // In the order the schema lists its properties, then required names it does not describe.
      const names = [...[...merged.properties.keys()].filter((n) => merged.required.includes(n)), ...merged.required.filter((n) => !merged.properties.has(n))];
      for (const name of names) {
        const sub = merged.properties.get(name);
        const target = isObj(sub) && typeof sub.$ref === 'string' ? resolve(root, sub.$ref) : sub;
        const child = merge(root, sub);
        if (child.readOnly) continue;
        // A cycle: the property's schema is one of its ancestors'. Its value is an empty one of its type
        // (at the depth limit an object gets no fields).
        if ((isObj(sub) && inner.has(sub)) || (isObj(target) && inner.has(target))) {
          out[name] = valueOf(root, child, MAX_DEPTH, inner);
          continue;
        }
        out[name] = valueOf(root, child, depth + 1, inner);
      }
      return out;
    }
    default:
      return null;
  }
}


/** Defaults are the schema's own objects: the body gets a copy. */
function copy(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as unknown) : value;
}
