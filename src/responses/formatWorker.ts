/**
 * Formatting big response bodies off the extension host's thread. `JSON.parse` + `JSON.stringify`
 * of a 50 MB body holds the thread for about a second; every other extension waits meanwhile.
 *
 * The worker runs the very same `formatBody` (src/responses/format.ts), never a second formatter: it is a
 * small inline script (`new Worker(source, { eval: true })`) that `require`s the module whose path it
 * is given. Where that module is depends on how the code runs:
 *   - compiled by tsc (tests, out/src/concur/): `formatWorkerMain.js` next to this file, found by default;
 *   - bundled (dist/extension.js): format.ts is inside the bundle, which cannot be required from a
 *     worker (it requires 'vscode'). The bundle ships `dist/format-worker.js`, built by esbuild
 *     from src/responses/formatWorkerMain.ts alone (format: 'cjs', platform: 'node'); it is found by default too
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
import { l10n } from '../platform/l10n';
import { detectPaging, nextPageUrl } from './paging';
import { formatBody, type BodyLanguage, type FormattedBody } from './format';
import type { PagingStyle } from '../catalog/catalog';

export interface OffThreadFormattedBody extends FormattedBody {
  /**
   * True when the body was formatted in a worker and is valid JSON: `json` is then undefined, and
   * `JSON.parse(text)` (or of the file's content) gives the object formatBody would have returned.
   */
  readonly jsonOmitted?: boolean;
  /** When `options.file` was given and the worker ran: the text is in that file (UTF-8) and `text` is ''. */
  readonly file?: string;
  /** The formatted text's length in UTF-8 bytes, when it went to a file. */
  readonly fileBytes?: number;
  /** When `options.paging` was given: the paging style and next page, found where the JSON was parsed. */
  readonly paging?: { readonly style: PagingStyle; readonly next?: string };
}

export interface FormatOffThreadOptions {
  /** Bodies larger than this many bytes go to a worker thread (default 1 MB). */
  threshold?: number;
  /** Aborting terminates the worker; the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Path of a CommonJS module exporting `formatBody`, `detectPaging` and `nextPageUrl` (default: formatWorkerMain.js or format-worker.js next to this file). */
  modulePath?: string;
  /**
   * Write the formatted text to this file instead of sending it back (in the worker, so the text never
   * exists on the calling thread). Only when the worker runs: below the threshold the text comes back.
   */
  file?: string;
  /**
   * Find the paging style (`hint`, or detected from the body when 'none') and the next page's URL
   * (relative to `url`), for a successful JSON answer.
   */
  paging?: { readonly hint: PagingStyle; readonly url: string };
  /**
   * Hand the body's memory to the worker instead of copying it, when the Buffer owns its whole
   * ArrayBuffer (a large one read into place does): the caller's Buffer is then detached (empty)
   * and must not be used again. Saves copying tens of MB on the calling thread.
   */
  transfer?: boolean;
  /** The notes formatBody may write, translated (the worker cannot reach VS Code's translations itself). */
  translations?: Record<string, string>;
}

export const DEFAULT_OFF_THREAD_THRESHOLD = 1_048_576;

/** The worker's first message: the FormattedBody without `text` (which follows in pieces) and `json`. */
interface WorkerHead {
  readonly language: BodyLanguage;
  readonly note?: string;
  readonly hasJson: boolean;
  readonly length: number;
  /** Set when the text went to a file: its bytes. */
  readonly fileBytes?: number;
  readonly paging?: { readonly style: PagingStyle; readonly next?: string };
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
const fs = require('node:fs');
const path = require('node:path');
const worker = require(workerData.modulePath);
if (workerData.translations && worker.setTranslations) worker.setTranslations(workerData.translations);
const formatted = worker.formatBody(Buffer.from(workerData.body), workerData.contentType, workerData.truncated, workerData.maxMB);
const text = formatted.text;
let paging;
if (workerData.paging) {
  const style = formatted.json === undefined ? 'none' : workerData.paging.hint !== 'none' ? workerData.paging.hint : worker.detectPaging(formatted.json);
  let next;
  if (style !== 'none') { try { next = worker.nextPageUrl(style, workerData.paging.url, formatted.json); } catch { next = undefined; } }
  paging = { style, next };
}
const head = { language: formatted.language, note: formatted.note, hasJson: formatted.json !== undefined, length: text.length, paging };
if (workerData.file) {
  // An answer can hold personal data: readable by this user only.
  fs.mkdirSync(path.dirname(workerData.file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(workerData.file, text, { mode: 0o600 });
  head.fileBytes = fs.statSync(workerData.file).size;
  head.length = 0;
  parentPort.postMessage(head);
  parentPort.close();
} else {
  const size = workerData.sliceChars;
  let offset = 0;
  parentPort.postMessage(head);
  if (text.length === 0) parentPort.close();
  parentPort.on('message', () => {
    parentPort.postMessage(text.slice(offset, offset + size));
    offset += size;
    if (offset >= text.length) parentPort.close();
  });
}
`;

/** Characters per slice of the reply: 2 M characters, 2 to 4 MB, a few milliseconds to take in. */
const SLICE_CHARS = 2 * 1_048_576;
/** Bytes of the body copied per turn of the event loop before it goes to the worker. */
const COPY_BYTES = 8 * 1_048_576;

/**
 * Same result as formatBody(...), computed in a worker thread (node:worker_threads) when the body is
 * larger than `threshold` bytes (default 1 MB); below it, on the calling thread. The caller's Buffer
 * is copied, never detached, unless `transfer` is asked for.
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
  if (body.length <= threshold) {
    const formatted = formatBody(body, contentType, truncated, maxMB);
    if (!options.paging) return formatted;
    const { hint, url } = options.paging;
    const style = formatted.json === undefined ? 'none' : hint !== 'none' ? hint : detectPaging(formatted.json);
    let next: string | undefined;
    try {
      next = style === 'none' ? undefined : nextPageUrl(style, url, formatted.json);
    } catch {
      next = undefined;
    }
    return { ...formatted, paging: { style, next } };
  }
  const modulePath = options.modulePath ?? defaultModulePath();
  const owned = options.transfer === true && body.byteOffset === 0 && body.buffer.byteLength === body.length && body.buffer instanceof ArrayBuffer;
  const copy = owned ? (body.buffer as ArrayBuffer) : await transferableCopy(body, signal);

  return new Promise<OffThreadFormattedBody>((resolve, reject) => {
    let settled = false;
    let head: WorkerHead | undefined;
    let text = '';
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Transferred, not cloned: the worker owns the copy.
      workerData: { body: copy, contentType, truncated, maxMB, modulePath, sliceChars: SLICE_CHARS, file: options.file, paging: options.paging, translations: options.translations },
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
        ...(done.fileBytes !== undefined ? { file: options.file, fileBytes: done.fileBytes } : {}),
        ...(done.paging ? { paging: done.paging } : {}),
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
    worker.once('error', (error) => finish(new Error(l10n.t('Formatting the body in a worker failed: {0}', error.message), { cause: error })));
    worker.once('exit', (code) => finish(new Error(l10n.t('The formatting worker stopped (exit code {0}) before it answered.', code))));
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

/** formatWorkerMain.js next to this file when compiled by tsc; format-worker.js next to the bundle. */
function defaultModulePath(): string {
  const compiled = path.join(__dirname, 'formatWorkerMain.js');
  return fs.existsSync(compiled) ? compiled : path.join(__dirname, 'format-worker.js');
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('Formatting the body was cancelled.', 'AbortError');
}
