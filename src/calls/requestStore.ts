/**
 * The request model: what the user asked to send (`ApiRequest`), what was sent and answered
 * (`ResponseRecord`), and the history of both, in one store that the response tabs, the Request
 * History view and the commands all read. Knows nothing of VS Code.
 *
 * Responses are kept in memory up to a count and the bytes they really hold (raw body, text and
 * parsed JSON); a large answer's text lives in a file instead (`body.file`), and only its paging
 * facts stay here. History entries outlive responses, and a history entry whose response is gone
 * runs its request again to reopen it.
 */
import type { FormRequestBody } from './formBody';
import * as fs from 'node:fs';
import type { ApiResult, SentRequest } from './apiClient';
import type { PagingStyle } from '../catalog/catalog';
import type { FormattedBody } from '../responses/format';
import type { CheckedUrl } from '../platform/resolver';
import { Emitter } from '../platform/events';

/** A request as asked for: prompts and command arguments produce these; nothing here is checked yet. */
export interface ApiRequest {
  readonly method: string;
  /** A path on the session's geolocation or a full URL on one of its hosts; the resolver decides. */
  readonly target: string;
  readonly body?: string | Uint8Array;
  /** A form body (multipart or form-urlencoded), encoded at send time: its files are read then. */
  readonly form?: FormRequestBody;
  readonly headers?: Record<string, string>;
  /** The session to send it with; the active session when absent. */
  readonly sessionId?: string;
  readonly endpointId?: string;
  readonly paging: PagingStyle;
  /** "page 2", "all 2,500 items": what part of a paged result the answer is. */
  readonly part?: string;
  /** How a request file writes this request back (sent from a request file): references to environments and built-ins kept, never their values. */
  readonly asWritten?: WrittenRequest;
}

/** A request as a request file writes it back: its target, headers and body with references kept where they stood for values from the environment. */
export interface WrittenRequest {
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** An answer's body as kept: formatted text in memory, or (large answers) in a file. */
export interface KeptBody extends FormattedBody {
  /** The body is JSON, but it was parsed in a worker thread and `json` is not kept: see responseJson(). */
  readonly jsonOmitted?: boolean;
  /** A large answer: the formatted text is in this file (UTF-8), `text` is ''. */
  readonly file?: string;
  /** The file's size in bytes. */
  readonly fileBytes?: number;
}

/** An answer, kept for its tab. */
export interface ResponseRecord {
  readonly id: number;
  readonly request: ApiRequest;
  readonly result: ApiResult;
  readonly body: KeptBody;
  readonly paging: PagingStyle;
  /** The next page, already through the resolver; absent on the last page or when its link was refused. */
  readonly next?: CheckedUrl;
  /** Why there is no next page although the answer names one. */
  readonly nextRefused?: string;
}

export interface HistoryEntry {
  readonly id: number;
  readonly at: number;
  readonly request: ApiRequest;
  /** What went out, when something did. */
  readonly sent?: SentRequest;
  /** Where it went, as the resolver checked it. */
  readonly url?: CheckedUrl;
  readonly status?: number;
  readonly durationMs?: number;
  /** Why it failed (already redacted), when no answer came. */
  readonly error?: string;
  readonly responseId?: number;
}

export interface RequestStoreLimits {
  readonly historySize: number;
  /** Responses kept for their tabs, by count … */
  readonly keepResponses: number;
  /** … and by the bytes they hold in memory (see retainedBytes). */
  readonly keepBytes: number;
}

const DEFAULT_LIMITS: RequestStoreLimits = { historySize: 50, keepResponses: 30, keepBytes: 256 * 1024 * 1024 };

/** Parsed JSON takes about as much memory as its text (UTF-16, two bytes a character) or more. */
const JSON_BYTES_PER_CHAR = 2;
const parsed = new WeakMap<ResponseRecord, unknown>();

/**
 * What a kept answer holds in memory, in bytes: the raw body as received, its formatted text (two
 * bytes a character, as V8 may store it), and the parsed JSON when kept or parsed since. A
 * file-backed answer holds only its raw body when that was kept (it is not, see ApiSender).
 */
export function retainedBytes(record: ResponseRecord): number {
  const textBytes = record.body.text.length * 2;
  const json = record.body.json !== undefined || parsed.has(record) ? record.body.text.length * JSON_BYTES_PER_CHAR : 0;
  return record.result.body.byteLength + textBytes + json;
}

/** The answer is JSON (parsed or not). */
export function isJsonBody(record: ResponseRecord): boolean {
  return record.body.json !== undefined || record.body.jsonOmitted === true;
}

/**
 * The answer's JSON: the kept object, or (formatted in a worker) its text parsed on first use and
 * remembered; undefined when it is not JSON. A file-backed answer needs loadResponseJson().
 */
export function responseJson(record: ResponseRecord): unknown {
  if (record.body.json !== undefined || !record.body.jsonOmitted) return record.body.json;
  if (record.body.file) return undefined;
  if (!parsed.has(record)) parsed.set(record, JSON.parse(record.body.text));
  return parsed.get(record);
}

/** The answer's JSON, read from its file when it has one; undefined when it is not JSON. */
export async function loadResponseJson(record: ResponseRecord): Promise<unknown> {
  if (record.body.file && record.body.jsonOmitted) return JSON.parse(await fs.promises.readFile(record.body.file, 'utf8'));
  return responseJson(record);
}

export class RequestStore {
  private readonly history: HistoryEntry[] = [];
  private readonly responses = new Map<number, ResponseRecord>();
  private nextHistoryId = 1;
  private nextResponseId = 1;
  private readonly historyEmitter = new Emitter<void>();
  /** The history changed (an entry added, or cleared). */
  readonly onDidChangeHistory = this.historyEmitter.event;
  private readonly forgetEmitter = new Emitter<ResponseRecord>();
  /** An answer is no longer kept (beyond the limits, or forgotten): its file, if any, may go. */
  readonly onDidForgetResponse = this.forgetEmitter.event;

  constructor(private readonly limits: RequestStoreLimits = DEFAULT_LIMITS) {}

  get entries(): readonly HistoryEntry[] {
    return this.history;
  }

  entry(id: number): HistoryEntry | undefined {
    return this.history.find((e) => e.id === id);
  }

  entryForResponse(responseId: number): HistoryEntry | undefined {
    return this.history.find((e) => e.responseId === responseId);
  }

  response(id: number): ResponseRecord | undefined {
    return this.responses.get(id);
  }

  /** The answers still kept, newest first. */
  keptResponses(): ResponseRecord[] {
    return [...this.responses.values()].reverse();
  }

  /** The answer before this one to the same request (same method and URL), if it is still kept. */
  previousAnswer(record: ResponseRecord): ResponseRecord | undefined {
    return this.keptResponses().find((r) => r.id < record.id && r.result.request.method === record.result.request.method && r.result.target.href === record.result.target.href && r.request.part === record.request.part);
  }

  /** Keeps an answer; older ones are forgotten beyond the limits (a single one larger than them stays). */
  addResponse(entry: Omit<ResponseRecord, 'id'>): ResponseRecord {
    const record: ResponseRecord = { ...entry, id: this.nextResponseId++ };
    this.responses.set(record.id, record);
    this.trim(record.id);
    return record;
  }

  /** The bytes the kept answers hold in memory. */
  get retainedBytes(): number {
    let bytes = 0;
    for (const kept of this.responses.values()) bytes += retainedBytes(kept);
    return bytes;
  }

  /** Forgets one answer (its tab was closed and its file deleted); its history entry stays. */
  forget(id: number): void {
    const record = this.responses.get(id);
    if (!record) return;
    this.responses.delete(id);
    this.forgetEmitter.fire(record);
  }

  /** Forgets the oldest answers beyond the count or the bytes, newest first kept; `keep` always stays. */
  private trim(keep: number): void {
    let bytes = 0;
    for (const [key, kept] of [...this.responses].reverse()) {
      bytes += retainedBytes(kept);
      if (key !== keep && (key <= this.nextResponseId - 1 - this.limits.keepResponses || bytes > this.limits.keepBytes)) this.forget(key);
    }
  }

  record(entry: Omit<HistoryEntry, 'id'>): HistoryEntry {
    const added: HistoryEntry = { ...entry, id: this.nextHistoryId++ };
    this.history.unshift(added);
    this.history.length = Math.min(this.history.length, this.limits.historySize);
    this.historyEmitter.fire();
    return added;
  }

  clearHistory(): void {
    this.history.length = 0;
    this.historyEmitter.fire();
  }

  dispose(): void {
    this.historyEmitter.dispose();
    this.forgetEmitter.dispose();
    this.responses.clear();
  }
}
