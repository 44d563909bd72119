/**
 * Checks an API answer against the schema its definition gives, with Ajv (draft-07, or 2020-12 for
 * OpenAPI 3.1 schemas), and finds where in the answer's text a mismatch is. Never throws: a schema
 * Ajv cannot compile is one mismatch that says so.
 */
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { JsonSchema } from '../catalog';
import { orList } from '../../platform/errors';
import { l10n } from '../../platform/l10n';
import { isObject } from './pointer';

export interface SchemaMismatch {
  /** Where in the answer: property names and array indexes from the root. */
  readonly path: readonly (string | number)[];
  readonly kind: 'required' | 'type' | 'enum' | 'other';
  readonly message: string;
}

export const MAX_MISMATCHES = 100;

const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  validateFormats: false,
  validateSchema: false,
  discriminator: false,
  // Patterns in API definitions are often written for other regex engines.
  unicodeRegExp: false,
  logger: false,
};

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
type Compiled = ValidateFunction | { readonly failure: string };
const compiled = new WeakMap<object, Compiled>();

/**
 * A definition's `pattern`s are not run against answers: a document (which a workspace can list) could
 * carry a regular expression that backtracks for minutes on the extension host. The check is about
 * missing fields, types and enums; VS Code's JSON service still uses patterns in body tabs.
 */
function withoutPatterns<T extends Ajv>(ajv: T): T {
  ajv.removeKeyword('pattern');
  return ajv;
}

function compile(schema: { readonly [key: string]: unknown }): Compiled {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  const ajv: Ajv = /draft\/20(19-09|20-12)/.test(dialect) ? (draft2020 ??= withoutPatterns(new Ajv2020(AJV_OPTIONS))) : (draft07 ??= withoutPatterns(new Ajv(AJV_OPTIONS)));
  let result: Compiled;
  try {
    result = ajv.compile(schema);
  } catch (error) {
    result = { failure: l10n.t('The schema could not be compiled to check the answer: {0}', (error as Error).message) };
  } finally {
    // The validator keeps what it needs; Ajv's own cache would keep every schema alive.
    try {
      ajv.removeSchema(schema);
    } catch {
      // not added
    }
  }
  compiled.set(schema, result);
  return result;
}

/** Why a schema cannot be compiled for the answer check, or undefined when it can. */
export function schemaCompileFailure(schema: JsonSchema): string | undefined {
  if (!isObject(schema)) return undefined;
  const validate = compile(schema);
  return 'failure' in validate ? validate.failure : undefined;
}

/** The mismatches between a value and a schema (at most 100, duplicates removed); [] when it matches. */
export function checkAgainstSchema(value: unknown, schema: JsonSchema): SchemaMismatch[] {
  if (schema === true) return [];
  if (schema === false) return [{ path: [], kind: 'other', message: l10n.t('the schema allows no value here') }];
  if (!isObject(schema)) return [];
  const validate = compile(schema);
  if ('failure' in validate) return [{ path: [], kind: 'other', message: validate.failure }];
  let valid: boolean;
  try {
    valid = validate(value) as boolean;
  } catch (error) {
    return [{ path: [], kind: 'other', message: l10n.t('The answer could not be checked against the schema: {0}', (error as Error).message) }];
  }
  return valid ? [] : mismatchesOf(value, validate.errors ?? []);
}

/**
 * A value's problems against a schema in the validator's own words (English, as an API answers),
 * each with its JSON Pointer into the value: what the local Concur server puts in a 400's
 * `validationErrors`. [] when it matches or the schema cannot be compiled.
 */
export function schemaErrors(value: unknown, schema: JsonSchema): { pointer: string; message: string }[] {
  if (schema === true || !isObject(schema)) return schema === false ? [{ pointer: '', message: 'no value is allowed here' }] : [];
  const validate = compile(schema);
  if ('failure' in validate) return [];
  try {
    if (validate(value)) return [];
  } catch {
    return [];
  }
  const out: { pointer: string; message: string }[] = [];
  for (const error of validate.errors ?? []) {
    const params = error.params as Record<string, unknown>;
    const pointer = error.keyword === 'required' ? `${error.instancePath}/${String(params.missingProperty)}` : error.instancePath;
    const message = error.keyword === 'additionalProperties' ? `must NOT have additional property "${String(params.additionalProperty)}"` : (error.message ?? `fails "${error.keyword}"`);
    if (!out.some((o) => o.pointer === pointer && o.message === message)) out.push({ pointer, message });
    if (out.length >= MAX_MISMATCHES) break;
  }
  return out;
}

function mismatchesOf(value: unknown, errors: readonly ErrorObject[]): SchemaMismatch[] {
  const out: SchemaMismatch[] = [];
  /** Type errors by place, merged: one per place, naming every type a branch allows. */
  const typesAt = new Map<string, { index: number; types: string[]; actual: string }>();
  const seen = new Set<string>();
  for (const error of errors) {
    const path = pathOf(value, error.instancePath);
    const params = error.params as Record<string, unknown>;
    let mismatch: SchemaMismatch;
    switch (error.keyword) {
      case 'required': {
        const name = String(params.missingProperty);
        mismatch = { path: [...path, name], kind: 'required', message: l10n.t('missing required property "{0}"', name) };
        break;
      }
      case 'type': {
        const types = (Array.isArray(params.type) ? params.type.map(String) : String(params.type).split(',')).map((t) => t.trim());
        const key = JSON.stringify(path);
        const merged = typesAt.get(key);
        if (merged) {
          for (const t of types) if (!merged.types.includes(t)) merged.types.push(t);
          out[merged.index] = { path, kind: 'type', message: typeMessage(merged.actual, merged.types) };
          continue;
        }
        if (out.length >= MAX_MISMATCHES) continue;
        const actual = describe(valueAt(value, path));
        typesAt.set(key, { index: out.length, types: [...types], actual });
        out.push({ path, kind: 'type', message: typeMessage(actual, types) });
        continue;
      }
      case 'enum': {
        const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
        const shown = allowed.slice(0, 20).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
        if (allowed.length > shown.length) shown.push(l10n.t('… ({0} values)', allowed.length));
        mismatch = { path, kind: 'enum', message: l10n.t('{0} is not one of {1}', clipValue(valueAt(value, path)), shown.join(', ')) };
        break;
      }
      case 'additionalProperties':
        mismatch = { path, kind: 'other', message: `${error.message ?? 'must NOT have additional properties'}: "${String(params.additionalProperty)}"` };
        break;
      default:
        mismatch = { path, kind: 'other', message: error.message ?? l10n.t('fails "{0}"', error.keyword) };
    }
    const key = `${mismatch.kind}\n${JSON.stringify(mismatch.path)}\n${mismatch.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length >= MAX_MISMATCHES) break;
    out.push(mismatch);
  }
  return out;
}

/** "is a string, the schema says number or null": the schema's type names are its own, shown as they are. */
function typeMessage(actual: string, types: readonly string[]): string {
  const says = orList(types);
  switch (actual) {
    case 'null':
      return l10n.t('is null, the schema says {0}', says);
    case 'array':
      return l10n.t('is an array, the schema says {0}', says);
    case 'string':
      return l10n.t('is a string, the schema says {0}', says);
    case 'number':
      return l10n.t('is a number, the schema says {0}', says);
    case 'boolean':
      return l10n.t('is a boolean, the schema says {0}', says);
    case 'object':
      return l10n.t('is an object, the schema says {0}', says);
    default:
      return l10n.t('is {0}, the schema says {1}', actual, says);
  }
}

/** The JSON kind of a value: null, array, or its `typeof`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function clipValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Ajv's instance path (`/items/0/status`) as segments, with array indexes as numbers. */
function pathOf(value: unknown, instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  const out: (string | number)[] = [];
  let current = value;
  for (const raw of instancePath.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(token)) {
      out.push(Number(token));
      current = current[Number(token)];
    } else {
      out.push(token);
      current = isObject(current) ? current[token] : undefined;
    }
  }
  return out;
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isObject(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

/**
 * The last text parsed by locateInJson: a response's mismatches are located one after another in
 * the same text. Let go of after a while, so that a large answer's tree does not stay in memory.
 */
let lastTree: { text: string; root: JsonNode | undefined } | undefined;
let forget: ReturnType<typeof setTimeout> | undefined;

/**
 * Where a path's value is in a JSON text: the value's own range; for a property that is missing,
 * the enclosing object's key (or its opening brace when it has none); {0, 1} when the text does
 * not say.
 */
export function locateInJson(text: string, path: readonly (string | number)[]): { offset: number; length: number } {
  if (lastTree?.text !== text) {
    lastTree = { text, root: parseTree(text, [], { allowTrailingComma: true }) };
    clearTimeout(forget);
    forget = setTimeout(() => (lastTree = undefined), 30_000);
    forget.unref?.();
  }
  const root = lastTree.root;
  if (!root) return { offset: 0, length: 1 };
  const node = findNodeAtLocation(root, [...path]);
  if (node) return { offset: node.offset, length: Math.max(1, node.length) };
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = findNodeAtLocation(root, path.slice(0, i));
    if (!parent) continue;
    const key = parent.parent?.type === 'property' ? parent.parent.children?.[0] : undefined;
    if (key) return { offset: key.offset, length: key.length };
    return { offset: parent.offset, length: 1 };
  }
  return { offset: 0, length: 1 };
}
