/**
 * Makes Swagger 2.0 and OpenAPI 3.0 schemas read right with draft-07 tools, in place on the bundled
 * document, once: `nullable: true` (and Swagger's `x-nullable: true`) adds 'null' to `type` (and to
 * `enum` when there is one); draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` become the
 * numbers of draft-06 and later; `type: 'file'` goes. OpenAPI 3.1 schemas are JSON Schema 2020-12
 * already and are only walked (to learn which parts of the document their `$ref`s reach).
 *
 * The walk starts at the schemas the operations use and follows internal `$ref`s, so it touches
 * only what the catalog stores, each object once (recursive schemas are `$ref`s back to an ancestor
 * in a bundled document, and a visited set ends those walks).
 */
import { isObject, valueAt, type JsonObject } from './pointer';

/** How each keyword that holds schemas holds them: one schema (or, for draft-04 `items`, a list), a list, or a map of names to schemas. */
const SUBSCHEMAS = new Map<string, 'one' | 'list' | 'map'>([
  ['additionalProperties', 'one'],
  ['items', 'one'],
  ['additionalItems', 'one'],
  ['not', 'one'],
  ['if', 'one'],
  ['then', 'one'],
  ['else', 'one'],
  ['contains', 'one'],
  ['propertyNames', 'one'],
  ['unevaluatedProperties', 'one'],
  ['unevaluatedItems', 'one'],
  ['contentSchema', 'one'],
  ['allOf', 'list'],
  ['anyOf', 'list'],
  ['oneOf', 'list'],
  ['prefixItems', 'list'],
  ['properties', 'map'],
  ['patternProperties', 'map'],
  ['definitions', 'map'],
  ['$defs', 'map'],
  ['dependentSchemas', 'map'],
  // draft-07 `dependencies`: a schema or a list of names per property (the lists are skipped).
  ['dependencies', 'map'],
]);

export class SchemaNormaliser {
  private readonly seen = new WeakSet<object>();
  /** The first tokens of the internal `$ref`s met (`components`, `definitions`, `paths`…). */
  readonly refRoots = new Set<string>();

  constructor(
    private readonly document: unknown,
    /** Rewrite draft-04/OpenAPI 3.0 keywords (false for OpenAPI 3.1). */
    private readonly legacy: boolean,
  ) {}

  visit(schema: unknown): void {
    // An explicit stack rather than recursion: deep documents do not exhaust the call stack.
    const stack: unknown[] = [schema];
    while (stack.length) {
      const s = stack.pop();
      if (!isObject(s) || this.seen.has(s)) continue;
      this.seen.add(s);
      if (this.legacy) normaliseKeywords(s);
      const ref = s.$ref;
      if (typeof ref === 'string' && ref.startsWith('#/')) {
        const end = ref.indexOf('/', 2);
        this.refRoots.add(end < 0 ? ref.slice(2) : ref.slice(2, end));
        stack.push(valueAt(this.document, ref));
      }
      // Schema objects have a few keys: going through them is cheaper than probing every keyword.
      for (const key in s) {
        const how = SUBSCHEMAS.get(key);
        if (how === undefined) continue;
        const v = s[key];
        if (Array.isArray(v)) {
          if (how !== 'map') for (const sub of v) stack.push(sub);
        } else if (isObject(v)) {
          if (how === 'map') {
            for (const name in v) stack.push(v[name]);
          } else {
            stack.push(v);
          }
        }
      }
    }
  }
}

function normaliseKeywords(s: JsonObject): void {
  if (s.type === 'file') delete s.type;
  if (s.nullable === true || s['x-nullable'] === true) {
    if (typeof s.type === 'string') s.type = s.type === 'null' ? 'null' : [s.type, 'null'];
    else if (Array.isArray(s.type) && !s.type.includes('null')) s.type = [...s.type, 'null'];
    if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  }
  for (const [bound, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (typeof s[exclusive] !== 'boolean') continue;
    if (s[exclusive] === true && typeof s[bound] === 'number') {
      s[exclusive] = s[bound];
      delete s[bound];
    } else {
      delete s[exclusive];
    }
  }
}
