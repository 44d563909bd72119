/**
 * Filter Response… on a large answer, off the extension host's thread: reading and parsing the file a
 * 50 MB answer was formatted into takes a second or more, during which every extension in the window
 * would wait. A worker thread (`node:worker_threads`) reads the file, parses it, applies the JSONPath
 * expression with the same engine request files use (`queryJsonPath`, from the lazily loaded
 * definitions bundle), and sends back only the selection, formatted.
 *
 * The engine's module: `definitions/openapi.js` when compiled by tsc (tests), `openapi.js` next to
 * the bundle (dist/); or `options.modulePath`. No vscode import: it runs in plain Node as well.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { l10n } from '../platform/l10n';

export interface FilteredFile {
  /** The selection as formatted JSON text: one match as the value itself, several as an array. */
  readonly text: string;
  readonly matches: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const message = (error) => (error && error.message ? String(error.message) : String(error));
const run = () => {
  let json;
  try {
    json = JSON.parse(fs.readFileSync(workerData.file, 'utf8'));
  } catch (error) {
    return { error: message(error), kind: 'json' };
  }
  try {
    const { queryJsonPath } = require(workerData.modulePath);
    const selected = queryJsonPath(workerData.expression, json);
    const value = selected.length === 1 ? selected[0] : selected;
    return { text: JSON.stringify(value, null, 2) ?? 'null', matches: selected.length };
  } catch (error) {
    return { error: message(error), kind: 'expression' };
  }
};
parentPort.postMessage(run());
`;

/** Raised when the expression does not read (the file itself parsed). */
export class FilterExpressionError extends Error {}

/**
 * Applies a JSONPath expression to the JSON in `file`, in a worker thread. Rejects with a
 * FilterExpressionError when the expression does not read, with an Error when the file is not JSON,
 * and with an AbortError when `signal` aborts (the worker is terminated).
 */
export function filterJsonFileOffThread(file: string, expression: string, options: { modulePath?: string; signal?: AbortSignal } = {}): Promise<FilteredFile> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new DOMException('Filtering was cancelled.', 'AbortError'));
  const modulePath = options.modulePath ?? defaultModulePath();
  return new Promise<FilteredFile>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, expression, modulePath } });
    const finish = (error: Error | undefined, result?: FilteredFile): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result as FilteredFile);
    };
    const onAbort = (): void => finish(new DOMException('Filtering was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: FilteredFile | { error: string; kind: 'json' | 'expression' }) => {
      if ('error' in message) finish(message.kind === 'json' ? new Error(message.error) : new FilterExpressionError(message.error));
      else finish(undefined, message);
    });
    worker.once('error', (error) => finish(error));
    worker.once('exit', (code) => finish(new Error(l10n.t('The filter worker stopped (exit code {0}) before it answered.', code))));
  });
}

/** platform/jsonpath.js when compiled by tsc; openapi.js (the lazily loaded bundle, which holds it) next to the bundle. */
function defaultModulePath(): string {
  const compiled = path.join(__dirname, '..', 'platform', 'jsonpath.js');
  return fs.existsSync(compiled) ? compiled : path.join(__dirname, 'openapi.js');
}
