/**
 * The request model: what the user asked to send (`ApiRequest`), what was sent and answered
 * (`ResponseRecord`), and the history of both, in one store that the response tabs, the Request
 * History view and the commands all read. Knows nothing of VS Code.
 *
 * Responses are kept in memory up to a count and a size; history entries outlive them, and a
 * history entry whose response is gone runs its request again to reopen it.
 */
import type { ApiResult, SentRequest } from '../concur/api';
import type { PagingStyle } from '../concur/catalog';
import type { FormattedBody } from '../concur/format';
import type { CheckedUrl } from '../concur/resolver';
import { Emitter } from '../util/events';

/** A request as asked for: prompts and command arguments produce these; nothing here is checked yet. */
export interface ApiRequest {
  readonly method: string;
  /** A path on the session's geolocation or a full URL on one of its hosts; the resolver decides. */
  readonly target: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** The session to send it with; the active session when absent. */
  readonly sessionId?: string;
  readonly endpointId?: string;
  readonly paging: PagingStyle;
  /** "page 2", "all 2,500 items": what part of a paged result the answer is. */
  readonly part?: string;
}

/** An answer, kept for its tab. */
export interface ResponseRecord {
  readonly id: number;
  readonly request: ApiRequest;
  readonly result: ApiResult;
  readonly body: FormattedBody;
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
  /** … and by the characters of their text. */
  readonly keepChars: number;
}

const DEFAULT_LIMITS: RequestStoreLimits = { historySize: 50, keepResponses: 30, keepChars: 256 * 1024 * 1024 };

export class RequestStore {
  private readonly history: HistoryEntry[] = [];
  private readonly responses = new Map<number, ResponseRecord>();
  private nextHistoryId = 1;
  private nextResponseId = 1;
  private readonly historyEmitter = new Emitter<void>();
  /** The history changed (an entry added, or cleared). */
  readonly onDidChangeHistory = this.historyEmitter.event;

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
    let chars = 0;
    for (const [key, kept] of [...this.responses].reverse()) {
      chars += kept.body.text.length;
      if (key !== record.id && (key <= record.id - this.limits.keepResponses || chars > this.limits.keepChars)) this.responses.delete(key);
    }
    return record;
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
    this.responses.clear();
  }
}
