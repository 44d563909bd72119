/** Reaches jsonpath.ts (and with it jsonpath-plus) on first use only. */
import type * as JsonPathModule from './jsonpath';

/** Every value a JSONPath selects in a JSON value. */
export type JsonPathQuery = (path: string, json: unknown) => unknown[];

let jsonPathModule: typeof JsonPathModule | undefined;

/** The JSONPath query, required on first use (the build maps `./jsonpath` to the lazily loaded dist/openapi.js). */
export function loadJsonPath(): JsonPathQuery {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jsonPathModule ??= require('./jsonpath') as typeof JsonPathModule;
  return jsonPathModule.queryJsonPath;
}

/** Whether jsonpath-plus has been loaded through `loadJsonPath` (for tests and the benchmark). */
export function jsonPathLoaded(): boolean {
  return jsonPathModule !== undefined;
}

/** A body as JSON: a string or Buffer that parses is parsed; anything else is itself. */
export function jsonOf(body: unknown): unknown {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = Buffer.from(body).toString('utf8');
  if (text === undefined) return body;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
