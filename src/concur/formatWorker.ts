/**
 * Formatting big response bodies off the extension host's thread. `JSON.parse` + `JSON.stringify`
 * of a 50 MB body holds the thread for about a second; every other extension waits meanwhile.
 *
 * The worker runs the very same `formatBody` (src/concur/format.ts), never a second formatter: it is a
 * small inline script (`new Worker(source, { eval: true })`) that `require`s the module whose path it
 * is given. Where that module is depends on how the code runs:
 *   - compiled by tsc (tests, out/src/concur/): `format.js` next to this file, found by default;
 *   - bundled (dist/extension.js): format.ts is inside the bundle, which cannot be required from a
 *     worker (it requires 'vscode'). The bundle must ship `dist/format-worker.js`, built by esbuild
 *     from src/concur/format.ts alone (format: 'cjs', platform: 'node'); it is found by default too
 *     (`format-worker.js` next to the running file), or pass its path as `options.modulePath`.
 *
 * What comes back: `text`, `language` and `note`, byte for byte what formatBody returns. The parsed
 * object (`json`) does NOT come back from the worker: a structured clone of a 50 MB JSON tree is
 * rebuilt object by object on the receiving thread, which stalls it as long as parsing would. Instead
 * the result says `jsonOmitted: true`, and a caller that needs the object (paging) parses `text`
 * lazily, when and if it needs it. Below the threshold formatBody runs here and `json` is present.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { formatBody, type BodyLanguage, type FormattedBody } from './format';

export interface OffThreadFormattedBody extends FormattedBody {
  /**
   * True when the body was formatted in a worker and is valid JSON: `json` is then undefined, and
   * `JSON.parse(text)` gives the object formatBody would have returned.
   */
  readonly jsonOmitted?: boolean;
}

export interface FormatOffThreadOptions {
  /** Bodies larger than this many bytes go to a worker thread (default 1 MB). */
  threshold?: number;
  /** Aborting terminates the worker; the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Path of a CommonJS module exporting `formatBody` (default: format.js or format-worker.js next to this file). */
  modulePath?: string;
}

export const DEFAULT_OFF_THREAD_THRESHOLD = 1_048_576;

/** The worker's first message: the FormattedBody without `text` (which follows in pieces) and `json`. */
interface WorkerHead {
  readonly language: BodyLanguage;
  readonly note?: string;
  readonly hasJson: boolean;
  readonly length: number;
}

/**
 * The worker's whole program (`require` is Node's; the module path is absolute). It formats, posts the
 * head, then posts `text` one slice per request from the main thread: a single 77 M-character string
 * takes the receiving thread 50 ms (Latin-1) to 110 ms (any other character) to copy in, and messages
 * already queued are all taken in one go, so the main thread asks for the next slice only after it has
 * taken the previous one, and runs its event loop in between.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { formatBody } = require(workerData.modulePath);
const formatted = formatBody(Buffer.from(workerData.body), workerData.contentType, workerData.truncated, workerData.maxMB);
const text = formatted.text;
const size = workerData.sliceChars;
let offset = 0;
parentPort.postMessage({ language: formatted.language, note: formatted.note, hasJson: formatted.json !== undefined, length: text.length });
if (text.length === 0) parentPort.close();
parentPort.on('message', () => {
  parentPort.postMessage(text.slice(offset, offset + size));
  offset += size;
  if (offset >= text.length) parentPort.close();
});
`;

/** Characters per slice of the reply: 2 M characters, 2 to 4 MB, a few milliseconds to take in. */
const SLICE_CHARS = 2 * 1_048_576;
/** Bytes of the body copied per turn of the event loop before it goes to the worker. */
const COPY_BYTES = 8 * 1_048_576;

/**
 * Same result as formatBody(...), computed in a worker thread (node:worker_threads) when the body is
 * larger than `threshold` bytes (default 1 MB); below it, on the calling thread. The caller's Buffer
 * is copied, never detached.
 *
 * The text arrives in slices joined with `+`, so it is a V8 rope, flattened by the first operation
 * that needs it flat; measured on a 77 M-character text, a first search over the rope took the same
 * time as over the flat string (about 140 ms each, the search itself), so the copy hardly shows.
 *
 * Measured (/tmp/stall-bench.js, 50 MB body, Node 20, 2 cores): the main thread's longest stall
 * is about 900 ms with formatBody, 19 to 26 ms with this function (wall time 1.1 to 1.3 s).
 */
export async function formatBodyOffThread(
  body: Buffer,
  contentType: string,
  truncated: boolean,
  maxMB: number,
  options: FormatOffThreadOptions = {},
): Promise<OffThreadFormattedBody> {
  const { threshold = DEFAULT_OFF_THREAD_THRESHOLD, signal } = options;
  if (signal?.aborted) throw abortError(signal);
  if (body.length <= threshold) return formatBody(body, contentType, truncated, maxMB);
  const modulePath = options.modulePath ?? defaultModulePath();
  const copy = await transferableCopy(body, signal);

  return new Promise<OffThreadFormattedBody>((resolve, reject) => {
    let settled = false;
    let head: WorkerHead | undefined;
    let text = '';
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Transferred, not cloned: the worker owns the copy.
      workerData: { body: copy, contentType, truncated, maxMB, modulePath, sliceChars: SLICE_CHARS },
      transferList: [copy],
    });
    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        reject(error);
        return;
      }
      const done = head as WorkerHead;
      resolve({
        text,
        language: done.language,
        ...(done.note !== undefined ? { note: done.note } : {}),
        ...(done.hasJson ? { jsonOmitted: true } : {}),
      });
    };
    const onAbort = (): void => {
      finish(abortError(signal));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerHead | string) => {
      if (settled) return;
      if (typeof message === 'string') text += message;
      else head = message;
      if (head && text.length >= head.length) finish(undefined);
      else setImmediate(() => settled || worker.postMessage('next'));
    });
    worker.once('error', (error) => finish(new Error(`Formatting the body in a worker failed: ${error.message}`, { cause: error })));
    worker.once('exit', (code) => finish(new Error(`The formatting worker stopped (exit code ${code}) before it answered.`)));
  });
}

/** A copy of the body in an ArrayBuffer of its own (the caller's Buffer may be a slice of a pool), a few MB per event-loop turn. */
async function transferableCopy(body: Buffer, signal: AbortSignal | undefined): Promise<ArrayBuffer> {
  const copy = new ArrayBuffer(body.length);
  const view = new Uint8Array(copy);
  for (let offset = 0; offset < body.length; offset += COPY_BYTES) {
    if (offset > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw abortError(signal);
    }
    view.set(body.subarray(offset, offset + COPY_BYTES), offset);
  }
  return copy;
}

/** format.js next to this file when compiled by tsc; format-worker.js next to the bundle. */
function defaultModulePath(): string {
  const compiled = path.join(__dirname, 'format.js');
  return fs.existsSync(compiled) ? compiled : path.join(__dirname, 'format-worker.js');
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('Formatting the body was cancelled.', 'AbortError');
}
