/**
 * Makes Swagger 2.0 and OpenAPI 3.0 schemas read right with draft-07 tools, in place on the bundled
 * document, once: `nullable: true` (and Swagger's `x-nullable: true`) adds 'null' to `type` (and to
 * `enum` when there is one); draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` become the
 * numbers of draft-06 and later; draft-03's `required: true` on a property becomes the name in its
 * object's `required` list; types that are no JSON Schema type (`file`, and `date`, `int`, `double`…
 * that some of Concur's files use) become the type they mean, or go, with a warning. OpenAPI 3.1
 * schemas are JSON Schema 2020-12 already and are only walked (to learn which parts of the document
 * their `$ref`s reach).
 *
 * In every dialect `patternProperties` goes: its regular expressions would be run against every key of
 * an answer, and a definition (which a workspace can list) could carry one that backtracks for
 * minutes on the extension host. The answer check is about missing fields, types and enums.
 *
 * The walk starts at the schemas the operations use and follows internal `$ref`s, so it touches
 * only what the catalog stores, each object once (recursive schemas are `$ref`s back to an ancestor
 * in a bundled document, and a visited set ends those walks).
 */
import { l10n } from '../../platform/l10n';
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
  /** What was read leniently (an unknown type), once each. */
  readonly warnings: string[] = [];
  private readonly unknownTypes = new Set<string>();

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
      this.normaliseTypes(s);
      withoutPatternProperties(s);
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

  /** A `type` that JSON Schema does not know, as the type it means (`date` is a string in date format), else none. */
  private normaliseTypes(s: JsonObject): void {
    if (s.type === undefined) return;
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const out: string[] = [];
    for (const t of types) {
      if (typeof t !== 'string') continue;
      const lower = t.toLowerCase();
      if (JSON_TYPES.has(t)) out.push(t);
      else if (ALIASES.has(lower)) {
        const alias = ALIASES.get(lower)!;
        out.push(alias.type);
        if (alias.format && s.format === undefined) s.format = alias.format;
      } else if (lower !== 'file' && !this.unknownTypes.has(t)) {
        // `file` is Swagger's own (a form field's file), not worth a warning.
        this.unknownTypes.add(t);
        this.warnings.push(l10n.t('The schema type "{0}" is not a JSON Schema type; values of that type are not checked.', t.slice(0, 60)));
      }
    }
    const unique = [...new Set(out)];
    if (unique.length === 0) delete s.type;
    else s.type = unique.length === 1 ? unique[0] : unique;
  }
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
/** Types written in some API definitions (Concur's among them) for what JSON Schema calls otherwise. */
const ALIASES = new Map<string, { type: string; format?: string }>([
  ['date', { type: 'string', format: 'date' }],
  ['datetime', { type: 'string', format: 'date-time' }],
  ['date-time', { type: 'string', format: 'date-time' }],
  ['time', { type: 'string', format: 'time' }],
  ['uuid', { type: 'string', format: 'uuid' }],
  ['guid', { type: 'string', format: 'uuid' }],
  ['str', { type: 'string' }],
  ['text', { type: 'string' }],
  ['int', { type: 'integer' }],
  ['int32', { type: 'integer', format: 'int32' }],
  ['int64', { type: 'integer', format: 'int64' }],
  ['long', { type: 'integer', format: 'int64' }],
  ['float', { type: 'number', format: 'float' }],
  ['double', { type: 'number', format: 'double' }],
  ['decimal', { type: 'number' }],
  ['bool', { type: 'boolean' }],
  ['map', { type: 'object' }],
  ['dictionary', { type: 'object' }],
  ['list', { type: 'array' }],
]);

/** `patternProperties` out (see the module comment); an object that allowed only those keys then allows any. */
function withoutPatternProperties(s: JsonObject): void {
  if (s.patternProperties === undefined) return;
  delete s.patternProperties;
  if (s.additionalProperties === false) delete s.additionalProperties;
}

/** Property schemas that said draft-03's `required: true` (taken off them before their object was walked). */
const requiredByDraft03 = new WeakSet<object>();

function normaliseKeywords(s: JsonObject): void {
  // draft-03: `required: true` on the property itself; later drafts list the names on the object.
  if (isObject(s.properties)) {
    const names: string[] = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [];
    let changed = false;
    for (const [name, property] of Object.entries(s.properties)) {
      if (!isObject(property)) continue;
      const marked = property.required === true || requiredByDraft03.has(property);
      if (typeof property.required === 'boolean') delete property.required;
      if (marked && !names.includes(name)) {
        names.push(name);
        changed = true;
      }
    }
    if (changed) s.required = names;
  }
  // A property schema may be walked before the object that holds it: its mark is kept for that object.
  if (typeof s.required === 'boolean') {
    if (s.required) requiredByDraft03.add(s);
    delete s.required;
  }
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
