/**
 * Streaming writers for "Fetch All Pages to File": each page's items go to disk as they arrive, so
 * memory stays flat however many items there are.
 *
 *   json    one JSON array, written item by item (`[\n` item `,\n` item … `\n]\n`); `[]\n` when empty
 *   ndjson  one `JSON.stringify(item)` per line (`\n`)
 *   csv     RFC 4180: UTF-8 with a BOM, `\r\n` line ends, one header row. The columns are the union of
 *           the items' flattened keys in the order first seen, which is only known at the end, so rows
 *           go to a spool file next to the target (`<file>.part`, one JSON array of values per line)
 *           and `close()` writes the header and streams the spool through into the CSV.
 *
 * Nothing touches the target until close(): JSON and NDJSON are written to `<file>.part` and renamed
 * over it, CSV rows are spooled; an existing file there is replaced only then (the caller has asked
 * the user), and survives a cancel or a failure.
 * No vscode import: this module runs in plain Node (unit tests) as well as in the extension.
 */
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type ItemFormat = 'json' | 'ndjson' | 'csv';

export interface ItemWriter {
  /** Appends a page's items; resolves when they are written (respects the stream's backpressure: awaits 'drain'). */
  write(items: readonly unknown[]): Promise<void>;
  /** Finishes the file (closing bracket for json; header + rows for csv) and closes it. */
  close(): Promise<{ items: number; bytes: number }>;
  /** Stops and deletes the partial file (and the csv spool). A no-op once `close()` has finished. */
  abort(): Promise<void>;
}

/**
 * Excel opens a BOM-less CSV as the system's ANSI code page and garbles every non-ASCII character
 * (names with accents, emoji); with a UTF-8 BOM it reads UTF-8. Other readers (pandas, csvkit, Google
 * Sheets, LibreOffice) skip the BOM, so the CSV starts with one. JSON and NDJSON never do (RFC 8259).
 */
const UTF8_BOM = '\uFEFF';
/** Writes go to the stream in chunks of about this many characters, whatever the page size. */
const CHUNK_CHARS = 256 * 1024;
/** Column name for an item that is not an object (a string, a number, an array). */
const VALUE_COLUMN = 'value';

/**
 * A value's flattened keys/values for CSV: nested objects as dotted keys (`name.familyName`), arrays
 * as JSON text, null as an empty string, numbers and booleans as JSON writes them; an empty nested
 * object as `{}` so that its key is not lost. Keys whose value is undefined or a function are left
 * out (as JSON.stringify does). An item that is not an object becomes one column, `value`.
 * A literal key holding a dot can collide with a nested one (`{"a.b":1,"a":{"b":2}}`): the later wins.
 */
export function flatten(item: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(item)) flattenInto(out, '', item);
  else {
    const text = scalarText(item);
    if (text !== undefined) out[VALUE_COLUMN] = text;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flattenInto(out: Record<string, string>, prefix: string, object: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix + key;
    if (isPlainObject(value) && Object.keys(value).length > 0) flattenInto(out, `${name}.`, value);
    else {
      const text = scalarText(value);
      if (text !== undefined) out[name] = text;
    }
  }
}

function scalarText(value: unknown): string | undefined {
  if (value === null) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return JSON.stringify(value); // arrays, empty objects
    default:
      return undefined; // undefined, functions, symbols
  }
}

/** A plain number literal: cannot be a formula, and a negative amount must stay a number in the sheet. */
const NUMBER_LITERAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF (quotes doubled).
 * Spreadsheet formula injection (OWASP "CSV Injection"): a value starting with =, +, -, @, tab or CR
 * is prefixed with a single quote so that Excel/Sheets show it as text, not run it, except a plain
 * number literal (`-12.5`, `+1e3`), which no spreadsheet evaluates as a formula.
 */
export function csvField(value: string): string {
  let field = value;
  if (/^[=+\-@\t\r]/.test(field) && !NUMBER_LITERAL.test(field)) field = `'${field}`;
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export async function createItemWriter(file: string, format: ItemFormat): Promise<ItemWriter> {
  switch (format) {
    case 'json':
    case 'ndjson':
      // Written next to the target and renamed over it at close(): a cancel or a failure leaves an existing file alone.
      return new JsonWriter(await openStream(`${file}.part`), format, file);
    case 'csv': {
      const spool = `${file}.part`;
      return new CsvWriter(await openStream(spool), file, spool);
    }
    default:
      throw new Error(`Unknown item format "${String(format)}" (expected json, ndjson or csv).`);
  }
}

// ─── streams ────────────────────────────────────────────────────────────────────────────────────

/** Opens a file for writing (replacing it); rejects with the open error (EACCES, ENOENT, EISDIR, …). */
function openStream(file: string): Promise<fs.WriteStream> {
  const stream = fs.createWriteStream(file, { flags: 'w', encoding: 'utf8' });
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      stream.off('open', onOpen);
      reject(error);
    };
    const onOpen = (): void => {
      stream.off('error', onError);
      resolve(stream);
    };
    stream.once('error', onError);
    stream.once('open', onOpen);
  });
}

class WriterClosedError extends Error {
  constructor(state: string) {
    super(`The item writer is ${state}.`);
    this.name = state === 'aborted' ? 'AbortError' : 'Error';
  }
}

/** Writes a chunk; when the stream's buffer is full, waits for 'drain' (or fails on 'error'/'close'). */
function writeChunk(stream: fs.WriteStream, chunk: string): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.reject(stream.errored ?? new WriterClosedError('aborted'));
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => done();
    const onError = (error: Error): void => done(error);
    const onClose = (): void => done(stream.errored ?? new WriterClosedError('aborted'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Ends the stream and waits until its file descriptor is closed. */
function endStream(stream: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.errored) return reject(stream.errored);
    if (stream.closed) return resolve();
    const onError = (error: Error): void => {
      stream.off('close', onClose);
      reject(error);
    };
    const onClose = (): void => {
      stream.off('error', onError);
      if (stream.errored) reject(stream.errored);
      else resolve();
    };
    stream.once('error', onError);
    stream.once('close', onClose);
    stream.end();
  });
}

function destroyAndWait(stream: FileStream): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    stream.on('error', () => undefined); // already reported, or caused by the abort itself
    stream.destroy();
  });
}

async function removeFile(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
}

/** A read or write file stream, as far as clean-up needs to know it. */
interface FileStream extends EventEmitter {
  readonly closed: boolean;
  destroy(): unknown;
}

type State = 'open' | 'closing' | 'closed' | 'aborted';

/** Shared bookkeeping: operations run one at a time, in call order; abort cuts in. */
abstract class BaseWriter implements ItemWriter {
  protected state: State = 'open';
  protected count = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Every stream this writer has open, destroyed by abort(). */
  protected readonly streams = new Set<FileStream>();

  write(items: readonly unknown[]): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new WriterClosedError(this.state));
    return this.enqueue(() => this.writeItems(items));
  }

  close(): Promise<{ items: number; bytes: number }> {
    if (this.state !== 'open') return Promise.reject(new WriterClosedError(this.state));
    this.state = 'closing';
    return this.enqueue(async () => {
      try {
        const bytes = await this.finish();
        this.state = 'closed';
        return { items: this.count, bytes };
      } catch (error) {
        // A failed close leaves no half-written file behind (abort() runs its own clean-up).
        if (this.state !== 'aborted') {
          this.state = 'aborted';
          await this.discard().catch(() => undefined); // the close error is the one to report
        }
        throw error;
      }
    });
  }

  async abort(): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return;
    this.state = 'aborted';
    await this.discard();
    await Promise.allSettled([this.queue]); // the operation in flight fails on the destroyed stream
    await this.discard(); // in case it opened something before it noticed
  }

  private async discard(): Promise<void> {
    await Promise.all([...this.streams].map(destroyAndWait));
    await this.removeFiles();
  }

  /** For operations with several steps: stop between them once aborted. */
  protected checkAborted(): void {
    if (this.state === 'aborted') throw new WriterClosedError('aborted');
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.state === 'aborted') throw new WriterClosedError('aborted');
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  protected track<S extends FileStream>(stream: S): S {
    this.streams.add(stream);
    stream.once('close', () => this.streams.delete(stream));
    // An error surfaces through the operation awaiting the stream; keep it from being unhandled.
    stream.on('error', () => undefined);
    return stream;
  }

  protected abstract writeItems(items: readonly unknown[]): Promise<void>;
  /** Completes the file; returns its size in bytes. */
  protected abstract finish(): Promise<number>;
  protected abstract removeFiles(): Promise<void>;
}

/** Batches strings into chunks of about CHUNK_CHARS and writes each with backpressure. */
async function writeBatched(stream: fs.WriteStream, parts: Iterable<string>): Promise<void> {
  let chunk = '';
  for (const part of parts) {
    chunk += part;
    if (chunk.length >= CHUNK_CHARS) {
      await writeChunk(stream, chunk);
      chunk = '';
    }
  }
  if (chunk) await writeChunk(stream, chunk);
}

// ─── json / ndjson ──────────────────────────────────────────────────────────────────────────────

class JsonWriter extends BaseWriter {
  constructor(
    private readonly stream: fs.WriteStream,
    private readonly format: 'json' | 'ndjson',
    private readonly file: string,
  ) {
    super();
    this.track(stream);
  }

  protected writeItems(items: readonly unknown[]): Promise<void> {
    return writeBatched(this.stream, this.parts(items));
  }

  private *parts(items: readonly unknown[]): Generator<string> {
    for (const item of items) {
      // JSON.stringify(undefined) is undefined: write null, as JSON.stringify does inside an array.
      const text = JSON.stringify(item) ?? 'null';
      if (this.format === 'ndjson') yield `${text}\n`;
      else yield `${this.count === 0 ? '[\n' : ',\n'}${text}`;
      this.count++;
    }
  }

  protected async finish(): Promise<number> {
    if (this.format === 'json') await writeChunk(this.stream, this.count === 0 ? '[]\n' : '\n]\n');
    await endStream(this.stream);
    this.checkAborted();
    await fs.promises.rename(`${this.file}.part`, this.file);
    return this.stream.bytesWritten;
  }

  protected removeFiles(): Promise<void> {
    return removeFile(`${this.file}.part`);
  }
}

// ─── csv ────────────────────────────────────────────────────────────────────────────────────────

class CsvWriter extends BaseWriter {
  /** Column name → index, in the order first seen. Grows with distinct keys, never with items. */
  private readonly columns = new Map<string, number>();
  private targetOpened = false;

  constructor(
    private readonly spool: fs.WriteStream,
    private readonly file: string,
    private readonly spoolFile: string,
  ) {
    super();
    this.track(spool);
  }

  protected writeItems(items: readonly unknown[]): Promise<void> {
    return writeBatched(this.spool, this.rows(items));
  }

  /** Spool lines: the row's values by column index, trailing missing columns left off. */
  private *rows(items: readonly unknown[]): Generator<string> {
    for (const item of items) {
      const values: string[] = [];
      for (const [key, value] of Object.entries(flatten(item))) {
        let index = this.columns.get(key);
        if (index === undefined) {
          index = this.columns.size;
          this.columns.set(key, index);
        }
        while (values.length < index) values.push('');
        values[index] = value;
      }
      this.count++;
      yield `${JSON.stringify(values)}\n`;
    }
  }

  protected async finish(): Promise<number> {
    await endStream(this.spool);
    this.checkAborted();
    const target = this.track(await openStream(this.file));
    this.targetOpened = true;
    this.checkAborted();
    const width = this.columns.size;
    const header = width > 0 ? `${[...this.columns.keys()].map(csvField).join(',')}\r\n` : '';
    await writeChunk(target, UTF8_BOM + header);
    const source = this.track(fs.createReadStream(this.spoolFile));
    await pipeline(source, new SpoolToCsv(width), target);
    this.checkAborted();
    await removeFile(this.spoolFile);
    return target.bytesWritten;
  }

  protected async removeFiles(): Promise<void> {
    await removeFile(this.spoolFile);
    // The target is only touched at close(); before that an existing file there is left alone.
    if (this.targetOpened) await removeFile(this.file);
  }
}

/** Spool lines (JSON arrays of strings) in, CSV rows of `width` fields out. Splits on byte \n, which UTF-8 never uses inside a character. */
class SpoolToCsv extends Transform {
  private rest: Buffer = Buffer.alloc(0);

  constructor(private readonly width: number) {
    super({ readableObjectMode: false });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
      let start = 0;
      let out = '';
      for (let end = data.indexOf(10, start); end >= 0; end = data.indexOf(10, start)) {
        out += this.row(data.toString('utf8', start, end));
        start = end + 1;
      }
      this.rest = data.subarray(start);
      callback(null, out || undefined);
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      callback(null, this.rest.length ? this.row(this.rest.toString('utf8')) : undefined);
    } catch (error) {
      callback(error as Error);
    }
  }

  private row(line: string): string {
    const values = JSON.parse(line) as string[];
    let row = '';
    for (let i = 0; i < this.width; i++) row += (i > 0 ? ',' : '') + (i < values.length ? csvField(values[i]) : '');
    return `${row}\r\n`;
  }
}
