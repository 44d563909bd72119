/**
 * The one module that loads jsonpath-plus: required lazily (see `loadJsonPath`), so that reading a
 * request file on every edit, and activation, never load it.
 */
import { JSONPath } from 'jsonpath-plus';

/** Every value a JSONPath selects in a JSON value (none: an empty list). Filter scripts run in jsonpath-plus's safe evaluator, never `eval`. */
export function queryJsonPath(path: string, json: unknown): unknown[] {
  const result = JSONPath({ path, json: json as null, wrap: true, eval: 'safe' }) as unknown;
  return Array.isArray(result) ? result : [];
}
