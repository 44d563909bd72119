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
 * Writes: `concur_callApi`'s `prepareInvocation` returns a confirmation for any method but GET,
 * naming method, path, host and account, which VS Code shows before it runs the tool (inline in chat,
 * or as a dialog when a tool is invoked outside a chat request). A request confirmed that way is sent
 * without ApiSender asking the same question again; one that reaches `invoke` unconfirmed (or whose
 * session changed meanwhile) gets ApiSender's own modal question.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { allEndpoints, catalogByProduct, changesData, endpointById, tokenAccess, type Endpoint } from '../concur/catalog';
import { describeError, oneLine } from '../concur/errors';
import { errorMessageOf } from '../concur/explain';
import { subjectOf } from '../concur/jwt';
import { RefusedTargetError, resolveApiTarget } from '../concur/resolver';
import { ApiUsageError } from '../concur/api';
import type { Log } from '../log';
import { loadResponseJson, isJsonBody, type ApiRequest, type RequestStore, type ResponseRecord } from '../requests/requestStore';
import { SignedOutError, type SessionManager } from '../session/sessionManager';
import type { Session } from '../session/types';
import { boundedNumber } from '../util/bounds';
import { Disposable } from '../util/lifecycle';
import type { ApiDefinitions } from './apiDefinitions';
import type { ApiSender } from './apiSender';
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
  type CallInput,
  type SessionAccess,
} from './chatToolsCore';
import type { Messages } from './messages';

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

/** How long a write confirmed in prepareInvocation may wait for its invoke. */
const CONFIRMATION_TTL_MS = 10 * 60_000;

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
  /** Writes whose confirmation VS Code showed: a digest of the request → the session named in it, and when. */
  private readonly confirmed = new Map<string, { sessionId: string; at: number }>();
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

  /** A request as a short digest: what is remembered between prepareInvocation and invoke (never the body itself). */
  private static key(input: CallInput): string {
    return createHash('sha256')
      .update(JSON.stringify([input.method, input.path, input.body ?? null]))
      .digest('base64url');
  }

  /** Forgets the confirmations older than the TTL (VS Code ran no invoke for them). */
  private sweepConfirmed(now: number): void {
    for (const [k, v] of this.confirmed) if (now - v.at > CONFIRMATION_TTL_MS) this.confirmed.delete(k);
  }

  /**
   * GET: a progress message only. Anything else: the confirmation VS Code shows before the tool runs,
   * naming method, path, host and account. Side-effect free but for remembering what was shown.
   */
  private prepareCall(raw: unknown): vscode.PreparedToolInvocation {
    const input = callInputOf(raw);
    if ('problem' in input) return { invocationMessage: vscode.l10n.t('Calling Concur') };
    // Redacted before it is cut: a secret cut in two is no longer recognised.
    const redact = (text: string): string => this.deps.messages.redact(text);
    const invocationMessage = redact(vscode.l10n.t('Calling Concur: {0} {1}', input.method, oneLine(redact(input.path), 120)));
    if (!changesData(input.method)) return { invocationMessage };
    const session = this.activeSession();
    // Without a session, or for a target the resolver refuses, nothing is sent: the tool says why.
    if (!session) return { invocationMessage };
    const resolution = resolveApiTarget(input.path, session);
    if (!resolution.ok) return { invocationMessage };
    const now = Date.now();
    this.sweepConfirmed(now);
    this.confirmed.set(ChatTools.key(input), { sessionId: session.id, at: now });
    const bytes = input.body === undefined ? 0 : Buffer.byteLength(input.body);
    const message = [
      vscode.l10n.t('This {0} request changes data in Concur: {0} {1} goes to {2} with the token of {3}.', input.method, resolution.url.pathAndQuery, resolution.url.host, session.label),
      bytes ? vscode.l10n.t('The request body is {0} bytes.', bytes) : '',
    ]
      .filter(Boolean)
      .join(' ');
    return {
      invocationMessage,
      confirmationMessages: {
        title: redact(vscode.l10n.t('Send {0} {1} to {2} as {3}?', input.method, oneLine(redact(resolution.url.pathAndQuery), 120), resolution.url.host, session.label)),
        message: redact(message),
      },
    };
  }

  /** Whether VS Code showed this write's confirmation (for the same session) and the user went on. */
  private wasConfirmed(input: CallInput, session: Session): boolean {
    const key = ChatTools.key(input);
    const entry = this.confirmed.get(key);
    this.confirmed.delete(key);
    const now = Date.now();
    this.sweepConfirmed(now);
    return !!entry && entry.sessionId === session.id && now - entry.at <= CONFIRMATION_TTL_MS;
  }

  private async callApi(raw: unknown, budget: number, token: vscode.CancellationToken): Promise<string> {
    const input = callInputOf(raw);
    if ('problem' in input) return input.problem;
    await this.deps.sessions.initialize();
    const session = this.activeSession();
    if (!session) return signInText();
    const writes = changesData(input.method);
    const confirmed = writes && this.wasConfirmed(input, session);
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
      record = await this.deps.sender.send(request, { confirmed });
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

