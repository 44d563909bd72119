/**
 * Concur as language model tools for VS Code chat (contributed in package.json `languageModelTools`):
 *  - `concur_session`        who is signed in, where, which token type and scopes, until when;
 *  - `concur_findEndpoints`  API Catalog entries (API definitions included) and what the token lacks for them;
 *  - `concur_callApi`        a request with the active session, sent exactly like every other request
 *                            (ApiSender → ApiClient → resolver), its full answer opened as a response tab;
 *  - `concur_explainError`   what a Concur error code, an HTTP status or a request in the history means.
 *
 * Registering is cheap: nothing is read or loaded until a tool runs (API definitions are read only
 * when a search needs them). Every text a tool returns goes through the extension's redactor and is
 * cut to the `concur.chat.resultBudget` setting; no text ever carries a token or a secret.
 *
 * Writes: a request that changes data (any method but GET, HEAD, OPTIONS) is sent only once the
 * user has said so in ApiSender's own modal question, which names method, path, host and account and
 * shows the body. VS Code's tool confirmation cannot stand in for it: VS Code skips it when tools
 * are approved automatically (the `chat.tools.autoApprove` setting, or "Always Allow" for this tool),
 * and an extension cannot tell whether it was shown — `prepareInvocation` runs either way. So
 * `prepareInvocation` only says what runs, and every write is asked about once, by the extension.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { allEndpoints, catalogByProduct, changesData, endpointById, tokenAccess, type Endpoint } from '../../catalog/catalog';
import { ApiUsageError, describeError, oneLine } from '../../platform/errors';
import { errorMessageOf } from '../../calls/explain';
import { subjectOf } from '../../auth/jwt';
import { RefusedTargetError } from '../../platform/resolver';
import type { Log } from '../../platform/ui/log';
import { loadResponseJson, isJsonBody, type ApiRequest, type RequestStore, type ResponseRecord } from '../../calls/requestStore';
import { SignedOutError, type SessionManager } from '../../sessions/sessionManager';
import type { Session } from '../../sessions/types';
import { boundedNumber } from '../../platform/bounds';
import { Disposable } from '../../platform/lifecycle';
import type { ApiDefinitions } from '../../catalog/ui/apiDefinitions';
import type { ApiSender } from '../../calls/ui/apiSender';
import {
  FIND_LIMIT,
  INPUT_CHARS,
  REDACTION_MARGIN,
  RESULT_BUDGET,
  callInputOf,
  containsWord,
  describeCallOutcome,
  describeEndpointSearch,
  describeHistoryEntry,
  describeSessions,
  endpointForCall,
  explainCode,
  explainInputOf,
  explainStatus,
  fitText,
  searchEndpoints,
  signInText,
  type SessionAccess,
} from '../tools';
import type { Messages } from '../../platform/ui/messages';

/** The tools' names, as package.json contributes them. */
export const ChatTool = {
  session: 'concur_session',
  findEndpoints: 'concur_findEndpoints',
  callApi: 'concur_callApi',
  explainError: 'concur_explainError',
} as const;

export const RESULT_BUDGET_SETTING = 'chat.resultBudget';

/** A correlation id shorter than this is not looked up: a fragment would name the wrong request. */
const MIN_CORRELATION_ID = 8;

export interface ChatToolsDeps {
  readonly sessions: SessionManager;
  readonly sender: ApiSender;
  readonly requests: RequestStore;
  readonly definitions: ApiDefinitions;
  readonly messages: Messages;
  readonly log: Log;
}

type Tool = vscode.LanguageModelTool<Record<string, unknown>>;

export class ChatTools extends Disposable {
  /** The tools by name: what is registered with VS Code (tests call them directly too). */
  readonly tools: Readonly<Record<(typeof ChatTool)[keyof typeof ChatTool], Tool>>;
  private readonly saidBudget = new Set<string>();

  constructor(private readonly deps: ChatToolsDeps) {
    super();
    this.tools = {
      [ChatTool.session]: { invoke: (options) => this.run(ChatTool.session, options, () => this.session()) },
      [ChatTool.findEndpoints]: { invoke: (options) => this.run(ChatTool.findEndpoints, options, (budget) => this.findEndpoints(options.input, budget)) },
      [ChatTool.callApi]: {
        prepareInvocation: (options) => this.prepareCall(options.input),
        invoke: (options, token) => this.run(ChatTool.callApi, options, (budget) => this.callApi(options.input, budget, token)),
      },
      [ChatTool.explainError]: { invoke: (options) => this.run(ChatTool.explainError, options, () => this.explainError(options.input)) },
    };
    // VS Code 1.95 (the oldest the extension runs in, see engines in package.json) has vscode.lm.registerTool.
    for (const [name, tool] of Object.entries(this.tools)) this._register(vscode.lm.registerTool(name, tool));
  }

  /** The characters a tool's answer may take: the setting, and less when VS Code asks for fewer tokens. */
  budget(tokenBudget?: number): number {
    const raw = vscode.workspace.getConfiguration('concur').get<unknown>(RESULT_BUDGET_SETTING, RESULT_BUDGET.fallback);
    const { value, problem } = boundedNumber(`concur.${RESULT_BUDGET_SETTING}`, raw, { ...RESULT_BUDGET, integer: true });
    if (problem && !this.saidBudget.has(problem)) {
      this.saidBudget.add(problem);
      this.deps.log.warn(problem);
    }
    // About three characters a token is a cautious guess for JSON; never below the setting's minimum.
    return tokenBudget && tokenBudget > 0 ? Math.max(RESULT_BUDGET.min, Math.min(value, tokenBudget * 3)) : value;
  }

  /** Runs a tool: its text redacted and cut to the budget, and a failure said as text rather than thrown. */
  private async run(name: string, options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>, work: (budget: number) => Promise<string> | string): Promise<vscode.LanguageModelToolResult> {
    const budget = this.budget(options.tokenizationOptions?.tokenBudget);
    let text: string;
    try {
      text = await work(budget);
    } catch (error) {
      this.deps.log.error(`The chat tool ${name} failed`, error);
      text = vscode.l10n.t('The Concur tool failed: {0}', describeError(error));
    }
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(fitText(this.deps.messages.redact(text), budget))]);
  }

  private activeSession(): Session | undefined {
    const session = this.deps.sessions.activeSession;
    return session?.state === 'active' ? session : undefined;
  }

  private access(session: Session): SessionAccess {
    return tokenAccess(session);
  }

  // ── concur_session ──────────────────────────────────────────────────────────────────────────

  private async session(): Promise<string> {
    await this.deps.sessions.initialize();
    return describeSessions(this.deps.sessions.activeSession, this.deps.sessions.sessions, (s) => this.access(s), Date.now());
  }

  // ── concur_findEndpoints ────────────────────────────────────────────────────────────────────

  private async findEndpoints(raw: unknown, budget: number): Promise<string> {
    const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.slice(0, INPUT_CHARS).trim() : undefined);
    const requested = typeof input.limit === 'number' && Number.isFinite(input.limit) ? Math.floor(input.limit) : FIND_LIMIT.fallback;
    const limit = Math.min(Math.max(1, requested), FIND_LIMIT.max);
    // API definitions are part of the catalog: read them if that has not happened yet (a failure leaves the built-in entries).
    await this.deps.definitions.ensureLoaded().catch((error: unknown) => this.deps.log.warn(`The API definitions could not be read for a chat search: ${describeError(error)}`));
    await this.deps.sessions.initialize();
    const find = { query: text(input.query), scope: text(input.scope), product: text(input.product) };
    const endpoints = allEndpoints();
    const search = searchEndpoints(endpoints, find, limit);
    const session = this.activeSession();
    return describeEndpointSearch(search, find, {
      access: session ? { ...this.access(session), account: session.label } : undefined,
      products: catalogByProduct(endpoints).map((g) => g.product),
      describeSuccessor: (id) => {
        const successor = endpointById(id);
        return successor ? `${successor.method} ${successor.path} (${successor.product}: ${successor.title})` : undefined;
      },
      budget,
      redact: (t) => this.deps.messages.redact(t),
    });
  }

  // ── concur_callApi ──────────────────────────────────────────────────────────────────────────

  /**
   * What VS Code shows while the tool runs: method and path (redacted, then cut). Writes are asked
   * about in `invoke`, by ApiSender, whatever VS Code's tool approval settings are.
   */
  private prepareCall(raw: unknown): vscode.PreparedToolInvocation {
    const input = callInputOf(raw);
    if ('problem' in input) return { invocationMessage: vscode.l10n.t('Calling Concur') };
    // Redacted before it is cut: a secret cut in two is no longer recognised.
    const redact = (text: string): string => this.deps.messages.redact(text);
    return { invocationMessage: redact(vscode.l10n.t('Calling Concur: {0} {1}', input.method, oneLine(redact(input.path), 120))) };
  }

  private async callApi(raw: unknown, budget: number, token: vscode.CancellationToken): Promise<string> {
    const input = callInputOf(raw);
    if ('problem' in input) return input.problem;
    await this.deps.sessions.initialize();
    const session = this.activeSession();
    if (!session) return signInText();
    const writes = changesData(input.method);
    const endpoint: Endpoint | undefined = endpointForCall(allEndpoints(), input.method, input.path);
    const before = this.deps.requests.entries[0]?.id ?? 0;
    const request: ApiRequest = {
      method: input.method,
      target: input.path,
      body: input.body,
      headers: input.contentType ? { 'content-type': input.contentType } : undefined,
      // Pinned to the session the user saw named (the active one): a switch meanwhile does not redirect it.
      sessionId: session.id,
      endpointId: endpoint?.id,
      paging: endpoint?.paging ?? 'none',
    };
    let record: ResponseRecord | undefined;
    try {
      // A write is asked about in there, in every configuration (see the header).
      record = await this.deps.sender.send(request);
    } catch (error) {
      if (error instanceof RefusedTargetError || error instanceof ApiUsageError) return vscode.l10n.t('Nothing was sent: {0}', error.message);
      if (error instanceof SignedOutError) return `${error.message} ${signInText()}`;
      throw error;
    }
    if (!record) {
      // This request's own history entry (another request may have finished meanwhile).
      const entry = this.deps.requests.entries.find((e) => e.id > before && e.request === request);
      if (entry?.error) return vscode.l10n.t('The request failed before Concur answered: {0}', entry.error);
      if (token.isCancellationRequested) return vscode.l10n.t('The request was cancelled.');
      return writes ? vscode.l10n.t('The request was not sent: the user did not confirm it, or cancelled it.') : vscode.l10n.t('The request was cancelled; nothing was answered.');
    }
    return describeCallOutcome(await this.outcomeOf(record, budget), budget, (t) => this.deps.messages.redact(t));
  }

  private async outcomeOf(record: ResponseRecord, budget: number): Promise<Parameters<typeof describeCallOutcome>[0]> {
    const result = record.result;
    let json: unknown;
    let text = record.body.text;
    let textLength: number | undefined;
    // Only a page is parsed here (its items and totals are needed), and never a file-backed answer (above
    // 16 MB) on the extension host's thread; of any other body formatted elsewhere, the start is enough.
    const parse = isJsonBody(record) && !record.body.file && (record.body.json !== undefined || record.paging !== 'none');
    if (parse) {
      try {
        json = await loadResponseJson(record);
      } catch (error) {
        this.deps.log.warn(`The answer ${result.request.method} ${result.target.pathAndQuery} could not be read for chat: ${describeError(error)}`);
      }
    } else if (record.body.file) {
      text = await readStart(record.body.file, budget + REDACTION_MARGIN);
      textLength = record.body.fileBytes;
    } else if (text.length > budget + REDACTION_MARGIN) {
      textLength = text.length;
      text = text.slice(0, budget + REDACTION_MARGIN);
    }
    return {
      method: result.request.method,
      host: result.target.host,
      pathAndQuery: result.target.pathAndQuery,
      status: result.status,
      contentType: result.contentType,
      bytes: result.bytes,
      durationMs: result.durationMs,
      correlationId: result.correlationId,
      json,
      text,
      textLength,
      paging: record.paging,
      next: record.next?.pathAndQuery,
      nextRefused: record.nextRefused,
      note: record.body.note,
      explanation: result.status >= 400 ? this.explanationOf(record) : undefined,
    };
  }

  /** What an error answer means, as ApiSender explains it to the user. */
  private explanationOf(record: ResponseRecord): string | undefined {
    return this.deps.sender.explanationOf(record)?.message;
  }

  // ── concur_explainError ─────────────────────────────────────────────────────────────────────

  private async explainError(raw: unknown): Promise<string> {
    const input = explainInputOf(raw);
    await this.deps.sessions.initialize();
    const session = this.activeSession();
    const access = session ? this.access(session) : undefined;
    const parts: string[] = [];
    if (input.correlationId) parts.push(this.explainHistory(input.correlationId));
    if (input.code) parts.push(explainCode(input.code, input.status));
    if (input.status !== undefined && !input.correlationId) {
      parts.push(explainStatus(input.status, { tokenScopes: access?.scopes, tokenType: access?.type, geolocation: session?.geolocation, sub: session ? subjectOf(session.accessToken, session.idToken) : undefined }));
    }
    if (parts.length === 0) parts.push(vscode.l10n.t('Give a Concur error code, an HTTP status or the correlation id of a request made in this window.'));
    if (!session) parts.push(signInText());
    return parts.join('\n\n');
  }

  /** A request of this window's history by its correlation id, explained. */
  private explainHistory(correlationId: string): string {
    if (correlationId.length < MIN_CORRELATION_ID) {
      return vscode.l10n.t('"{0}" is too short to be a correlation id: give the whole correlation id of the request (at least {1} characters).', correlationId, MIN_CORRELATION_ID);
    }
    const id = correlationId.toLowerCase();
    const record = this.deps.requests.keptResponses().find((r) => r.result.correlationId.toLowerCase() === id);
    if (record) {
      const entry = this.deps.requests.entryForResponse(record.id);
      return describeHistoryEntry({
        at: entry?.at ?? Date.now() - record.result.durationMs,
        method: record.result.request.method,
        host: record.result.target.host,
        pathAndQuery: record.result.target.pathAndQuery,
        status: record.result.status,
        correlationId: record.result.correlationId,
        serverText: record.result.status >= 400 ? errorMessageOf(record.result.body, record.result.contentType) : undefined,
        explanation: record.result.status >= 400 ? this.explanationOf(record) : vscode.l10n.t('Concur answered without an error.'),
      });
    }
    // A request that got no answer names its correlation id in its error (as a whole word); an answer no longer kept is gone.
    const failed = this.deps.requests.entries.find((e) => e.error !== undefined && containsWord(e.error.toLowerCase(), id));
    if (failed) {
      return describeHistoryEntry({
        at: failed.at,
        method: failed.request.method,
        host: failed.url ? failed.url.host : undefined,
        pathAndQuery: failed.url?.pathAndQuery ?? failed.request.target,
        status: failed.status,
        correlationId,
        serverText: failed.error,
      });
    }
    return vscode.l10n.t(
      'No request with correlation id {0} is in this window\'s history. The history keeps the last 50 requests and the last answers; for an older request, give SAP Concur support the correlation id.',
      correlationId,
    );
  }
}

/** The first `chars` characters (about) of a text file, without reading all of it. */
async function readStart(file: string, chars: number): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(chars);
    const { bytesRead } = await handle.read(buffer, 0, chars, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

