/**
 * `# @expect` lines checked against a response: status, a header's text, or a JSONPath compared
 * with a value. JSONPath (jsonpath-plus) is reached through a parameter or a lazy require.
 */
import { isDeepStrictEqual } from 'node:util';
import { l10n } from '../platform/l10n';
import { jsonOf, loadJsonPath, type JsonPathQuery } from '../platform/lazyJsonPath';
import type { Expectation } from './parse';

export interface ExpectationOutcome {
  readonly passed: boolean;
  readonly message: string;
  readonly actual?: string;
}

export interface ExpectationResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

const MAX_SHOWN = 200;

/** A value for a message: JSON, shortened. */
function shown(value: unknown): string {
  const text = value === undefined ? l10n.t('nothing') : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function compare(op: Exclude<Extract<Expectation, { kind: 'jsonpath' }>['op'], 'exists'>, actual: unknown, expected: unknown): boolean | string {
  switch (op) {
    case '==':
      return isDeepStrictEqual(actual, expected);
    case '!=':
      return !isDeepStrictEqual(actual, expected);
    case 'contains':
      if (typeof actual === 'string') return actual.includes(typeof expected === 'string' ? expected : JSON.stringify(expected));
      if (Array.isArray(actual)) return actual.some((item) => isDeepStrictEqual(item, expected));
      if (actual !== null && typeof actual === 'object' && typeof expected === 'string') return Object.prototype.hasOwnProperty.call(actual, expected);
      return l10n.t('contains needs a string, an array or an object');
    default: {
      const bothNumbers = typeof actual === 'number' && typeof expected === 'number';
      const bothStrings = typeof actual === 'string' && typeof expected === 'string';
      if (!bothNumbers && !bothStrings) return l10n.t('{0} compares two numbers or two strings', op);
      const a = actual as number | string;
      const b = expected as number | string;
      return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
    }
  }
}

export function evaluateExpectation(expectation: Expectation, response: ExpectationResponse, jsonPath?: JsonPathQuery): ExpectationOutcome {
  switch (expectation.kind) {
    case 'status': {
      const actual = String(response.status);
      if (response.status === expectation.status) return { passed: true, message: l10n.t('status {0}', expectation.status), actual };
      return { passed: false, message: l10n.t('expected status {0}, got {1}', expectation.status, response.status), actual };
    }
    case 'header': {
      const wanted = expectation.name.toLowerCase();
      const entry = Object.entries(response.headers).find(([name]) => name.toLowerCase() === wanted);
      if (!entry) return { passed: false, message: l10n.t('expected a {0} header containing "{1}", got no {0} header', expectation.name, expectation.contains) };
      const actual = entry[1];
      // Media types, charsets and the like are case-insensitive: so is the comparison.
      if (actual.toLowerCase().includes(expectation.contains.toLowerCase())) return { passed: true, message: l10n.t('{0} contains "{1}"', expectation.name, expectation.contains), actual };
      return { passed: false, message: l10n.t('{0}: expected to contain "{1}", got "{2}"', expectation.name, expectation.contains, actual), actual };
    }
    case 'jsonpath': {
      const body = jsonOf(response.body);
      const path = expectation.path;
      const query = jsonPath ?? loadJsonPath();
      let values: unknown[];
      try {
        values = typeof body === 'object' && body !== null ? query(path, body) : path === '$' && body !== undefined && body !== '' ? [body] : [];
      } catch (error) {
        return { passed: false, message: l10n.t('{0}: cannot read the JSON path ({1})', path, (error as Error).message) };
      }
      const found = values.length > 0;
      // One match: that value; a path with wildcards or filters: the list of what it matched.
      const actual = values.length === 1 ? values[0] : values;
      if (expectation.op === 'exists') {
        return found ? { passed: true, message: l10n.t('{0} exists', path), actual: shown(actual) } : { passed: false, message: l10n.t('{0}: expected to exist, got nothing', path) };
      }
      // The operator and the value as written in the file: `== "x"`, `> 0`.
      const expected = `${expectation.op} ${shown(expectation.value)}`;
      if (!found) return { passed: false, message: l10n.t('{0}: expected {1}, got nothing', path, expected) };
      const result = compare(expectation.op, actual, expectation.value);
      if (typeof result === 'string') return { passed: false, message: l10n.t('{0}: expected {1}, got {2} ({3})', path, expected, shown(actual), result), actual: shown(actual) };
      if (result) return { passed: true, message: `${path} ${expected}`, actual: shown(actual) };
      return { passed: false, message: l10n.t('{0}: expected {1}, got {2}', path, expected, shown(actual)), actual: shown(actual) };
    }
  }
}
