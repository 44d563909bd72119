/**
 * Calling Concur from VS Code: "Open My Profile", catalog endpoints, "Call API…", paging, request
 * history and "Copy as cURL". Requests go to the active session's geolocation through the one
 * HTTP stack, refreshing first when the token is about to expire; responses open as editor tabs.
 */
import * as vscode from 'vscode';
import { ApiClient, ApiUsageError, type ApiCall, type ApiResult, type RateLimitWait, type SessionToken } from '../concur/api';
import { accessProblem, buildRequestPath, CATALOG, endpointById, prefill, type Endpoint, type PagingStyle } from '../concur/catalog';
import { toCurl } from '../concur/curl';
import { describeError, isCancellation } from '../concur/errors';
import { explainResponse, type ExplanationAction } from '../concur/explain';
import { formatBody } from '../concur/format';
import type { HttpClient } from '../concur/http';
import { scopesOf, subjectOf, tokenTypeOf } from '../concur/jwt';
import { detectPaging, nextPageUrl } from '../concur/paging';
import type { Log } from '../log';
import type { SessionManager } from '../session/sessionManager';
import type { Session } from '../session/types';
import { MultiStepInput, type InputStep } from './multiStepInput';
import { statusLine, type ResponseStatusBar, type ResponseStore, type StoredResponse } from './responses';

export interface HistoryEntry {
  readonly id: number;
  readonly at: number;
  readonly request: ApiResult['request'];
  readonly endpointId?: string;
  readonly paging: PagingStyle;
  readonly status?: number;
  readonly durationMs?: number;
  readonly error?: string;
  readonly responseId?: number;
}

const HISTORY_SIZE = 50;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface ApiSettings {
  readonly maxResponseSizeMB: number;
  readonly fetchAllPagesLimit: number;
}

export class ApiExplorer implements vscode.Disposable {
  readonly client: ApiClient;
  private readonly history: HistoryEntry[] = [];
  private nextHistoryId = 1;
  private readonly historyEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeHistory = this.historyEmitter.event;
  /** Parameter values typed earlier (report ids, list ids…), offered again. */
  private readonly remembered: Record<string, string> = {};
  private lastCall: { method: string; target: string; body?: string } = { method: 'GET', target: '/profile/v1/me' };

  constructor(
    http: HttpClient,
    private readonly sessions: SessionManager,
    private readonly store: ResponseStore,
    private readonly statusBar: ResponseStatusBar,
    private readonly log: Log,
    private readonly settings: () => ApiSettings,
  ) {
    const token = (session: Session, accessToken: string): SessionToken => ({ sessionId: session.id, accessToken, geolocation: session.geolocation, baseUrl: session.baseUrl });
    this.client = new ApiClient(http, {
      get: async (signal) => {
        const { session, accessToken } = await sessions.getAccessToken(undefined, { signal });
        return token(session, accessToken);
      },
      refresh: async (sessionId) => {
        const session = await sessions.refresh(sessionId, 'Concur answered 401');
        return token(session, session.accessToken);
      },
    });
  }

  get entries(): readonly HistoryEntry[] {
    return this.history;
  }

  clearHistory(): void {
    this.history.length = 0;
    this.historyEmitter.fire();
  }

  /** "Open My Profile": GET /profile/v1/me, one step. */
  openProfile(): Promise<StoredResponse | undefined> {
    return this.callEndpoint('profile.me', {});
  }

  /** A catalog endpoint, its parameters asked for (prefilled) unless all are given. */
  async callEndpoint(endpointOrId: Endpoint | string | undefined, given?: Record<string, string>): Promise<StoredResponse | undefined> {
    const endpoint = typeof endpointOrId === 'string' ? endpointById(endpointOrId) : (endpointOrId ?? (await this.pickEndpoint()));
    if (!endpoint) return undefined;
    const session = await this.requireSession();
    if (!session) return undefined;
    let values: Record<string, string> | undefined = { ...prefill(endpoint, { sub: subjectOf(session.accessToken, session.idToken) }, this.remembered), ...given };
    const missing = endpoint.params.filter((p) => p.required && !values?.[p.name]);
    if (!given || missing.length > 0) values = await this.askParameters(endpoint, values);
    if (!values) return undefined;
    for (const param of endpoint.params) if (values[param.name] && !param.fromSession && !param.paging) this.remembered[param.name] = values[param.name];
    return this.run({ method: endpoint.method, target: buildRequestPath(endpoint, values) }, { endpoint, paging: endpoint.paging });
  }

  /** "Call API…": any method, a path or a full URL on the session's host, and a JSON body. */
  async callApi(args?: { method?: string; target?: string; body?: string }): Promise<StoredResponse | undefined> {
    const session = await this.requireSession();
    if (!session) return undefined;
    let call = args?.target ? { method: (args.method ?? 'GET').toUpperCase(), target: args.target, body: args.body } : await this.askCall(session);
    if (!call) return undefined;
    call = { ...call, body: call.body?.trim() ? call.body : undefined };
    this.lastCall = call;
    return this.run(call, { paging: 'none' });
  }

  /** Runs a request with a cancellable progress notification and opens the answer. */
  async run(call: Omit<ApiCall, 'signal'>, meta: { endpoint?: Endpoint; paging: PagingStyle; part?: string }): Promise<StoredResponse | undefined> {
    const title = `${call.method} ${shortTarget(call.target)}`;
    const historyBase = { at: Date.now(), endpointId: meta.endpoint?.id, paging: meta.paging };
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Concur: ${title}`, cancellable: true },
        (progress, cancel) => this.withAbort(cancel, (signal) => this.client.call({ ...call, signal, maxBodyBytes: this.maxBytes() }, this.rateLimitReporter(progress, signal))),
      );
      const stored = this.keep(result, meta);
      this.record({ ...historyBase, request: result.request, status: result.status, durationMs: result.durationMs, responseId: stored.id });
      await this.show(stored);
      if (result.status >= 400) void this.explain(stored, meta.endpoint);
      return stored;
    } catch (error) {
      if (isCancellation(error)) return undefined;
      this.record({ ...historyBase, request: { method: call.method, url: call.target, headers: {} }, error: describeError(error) });
      this.log.error(`${title} failed`, error);
      const retry = 'Retry';
      const choice = await vscode.window.showErrorMessage(
        error instanceof ApiUsageError ? error.message : `${title} failed: ${describeError(error)}`,
        ...(error instanceof ApiUsageError ? [] : [retry]),
      );
      if (choice === retry) return this.run(call, meta);
      return undefined;
    }
  }

  /** "Load Next Page": the next page of the response in a new tab. */
  async loadNextPage(target?: vscode.Uri): Promise<StoredResponse | undefined> {
    const stored = this.store.fromUri(target) ?? this.store.active();
    if (!stored?.nextUrl) {
      void vscode.window.showInformationMessage('This response has no further page.');
      return undefined;
    }
    const pageNumber = (Number(/page (\d+)/.exec(stored.part ?? '')?.[1]) || 1) + 1;
    return this.run({ method: stored.result.request.method, target: stored.nextUrl, headers: stored.result.request.headers }, {
      endpoint: stored.endpointId ? endpointById(stored.endpointId) : undefined,
      paging: stored.paging,
      part: `page ${pageNumber}`,
    });
  }

  /** "Fetch All Pages": every page merged into one document, with progress, cancellable, capped. */
  async fetchAllPages(target?: vscode.Uri): Promise<StoredResponse | undefined> {
    const stored = this.store.fromUri(target) ?? this.store.active();
    if (!stored || stored.paging === 'none' || stored.body.json === undefined) {
      void vscode.window.showInformationMessage('This response is not paged.');
      return undefined;
    }
    const limit = this.settings().fetchAllPagesLimit;
    const endpoint = stored.endpointId ? endpointById(stored.endpointId) : undefined;
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Concur: fetching all pages of ${shortTarget(stored.result.request.url)}`, cancellable: true },
        (progress, cancel) =>
          this.withAbort(cancel, (signal) =>
            this.client.fetchAllPages(
              { method: stored.result.request.method, target: stored.result.request.url, headers: stored.result.request.headers, signal, maxBodyBytes: this.maxBytes() },
              stored.paging,
              {
                maxItems: limit,
                firstResult: stored.result,
                firstBody: stored.body.json,
                onRateLimited: this.rateLimitReporter(progress, signal),
                onPage: ({ pages, items, total }) => progress.report({ message: `${items.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''} items, ${pages} page${pages === 1 ? '' : 's'}` }),
              },
            ),
          ),
      );
      if (outcome.stoppedBy) {
        const failed = this.keep(outcome.stoppedBy, { endpoint, paging: stored.paging, part: `page ${outcome.pages + 1}` });
        await this.show(failed);
        void this.explain(failed, endpoint);
        return failed;
      }
      const text = JSON.stringify(outcome.merged, null, 2);
      const merged = this.store.add({
        result: { ...outcome.last, request: stored.result.request, status: 200, bytes: Buffer.byteLength(text), durationMs: outcome.last.durationMs },
        body: { text, language: 'json', json: outcome.merged },
        paging: 'none',
        endpointId: stored.endpointId,
        part: `all ${outcome.items.toLocaleString('en-US')} items${outcome.complete ? '' : ', capped'}`,
      });
      this.record({ at: Date.now(), request: stored.result.request, endpointId: stored.endpointId, paging: stored.paging, status: 200, responseId: merged.id });
      await this.show(merged);
      if (!outcome.complete) {
        void vscode.window.showWarningMessage(
          `Stopped after ${outcome.items.toLocaleString('en-US')} items (${outcome.pages} pages), the limit set by concur.api.fetchAllPagesLimit. The document holds what was fetched.`,
        );
      }
      return merged;
    } catch (error) {
      if (isCancellation(error)) {
        void vscode.window.showInformationMessage('Fetching all pages was cancelled.');
        return undefined;
      }
      this.log.error('Fetching all pages failed', error);
      void vscode.window.showErrorMessage(`Fetching all pages failed: ${describeError(error)}`);
      return undefined;
    }
  }

  async showHeaders(target?: vscode.Uri): Promise<void> {
    const stored = this.store.fromUri(target) ?? this.store.active();
    if (!stored) return;
    const doc = await vscode.workspace.openTextDocument(this.store.headersUri(stored));
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  /** "Copy as cURL", with $CONCUR_TOKEN in place of the token unless the user asks for the token itself. */
  async copyAsCurl(target?: vscode.Uri | { historyId: number }, includeToken?: boolean): Promise<string | undefined> {
    const request = this.requestOf(target);
    if (!request) return undefined;
    let include = includeToken;
    if (include === undefined) {
      const placeholder = { label: '$(shield) With $CONCUR_TOKEN', detail: 'Set CONCUR_TOKEN in your shell; the clipboard holds no secret', include: false };
      const withToken = { label: '$(key) With the access token', detail: 'The clipboard will hold a secret that works until the token expires', include: true };
      const picked = await vscode.window.showQuickPick([placeholder, withToken], { placeHolder: 'Copy as cURL' });
      if (!picked) return undefined;
      include = picked.include;
    }
    const accessToken = include ? (await this.sessions.getAccessToken()).accessToken : undefined;
    const command = toCurl(request, { accessToken });
    await vscode.env.clipboard.writeText(command);
    vscode.window.setStatusBarMessage(include ? 'Copied as cURL, with the access token (a secret)' : 'Copied as cURL (with $CONCUR_TOKEN)', 4000);
    return command;
  }

  async rerun(target?: vscode.Uri | { historyId: number }): Promise<StoredResponse | undefined> {
    const entry = this.historyEntryOf(target);
    const request = entry?.request ?? this.requestOf(target);
    if (!request) return undefined;
    return this.run({ method: request.method, target: request.url, body: request.body }, { endpoint: entry?.endpointId ? endpointById(entry.endpointId) : undefined, paging: entry?.paging ?? 'none' });
  }

  async reopen(target?: { historyId: number }): Promise<void> {
    const entry = this.historyEntryOf(target);
    const stored = entry?.responseId !== undefined ? this.store.get(entry.responseId) : undefined;
    if (stored) await this.show(stored);
    else if (entry) await this.rerun(target);
  }

  /** "Show Request History": pick one to reopen, re-run or copy as cURL. */
  async showHistory(): Promise<void> {
    if (this.history.length === 0) {
      void vscode.window.showInformationMessage('No Concur requests yet.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      this.history.map((e) => ({ label: `${e.request.method} ${shortTarget(e.request.url)}`, description: describeEntry(e), entry: e })),
      { placeHolder: 'Reopen a response (its request runs again when it is no longer kept)' },
    );
    if (picked) await this.reopen({ historyId: picked.entry.id });
  }

  /** Runs the URL of a claim such as concur.profile, on the session's host. */
  callUrl(url: string): Promise<StoredResponse | undefined> {
    return this.run({ method: 'GET', target: url }, { paging: 'none' });
  }

  private keep(result: ApiResult, meta: { endpoint?: Endpoint; paging: PagingStyle; part?: string }): StoredResponse {
    const body = formatBody(result.body, result.contentType, result.truncated, this.settings().maxResponseSizeMB);
    const paging = result.status < 300 && body.json !== undefined ? (meta.paging !== 'none' ? meta.paging : detectPaging(body.json)) : 'none';
    const nextUrl = paging !== 'none' ? nextPageUrl(paging, result.request.url, body.json) : undefined;
    if (body.note) void vscode.window.showWarningMessage(body.note);
    return this.store.add({ result, body, paging, nextUrl: nextUrl && this.onSessionHost(nextUrl, result) ? nextUrl : undefined, endpointId: meta.endpoint?.id, part: meta.part });
  }

  private onSessionHost(url: string, result: ApiResult): boolean {
    return new URL(url).origin === new URL(result.request.url).origin;
  }

  private async show(stored: StoredResponse): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(stored.uri);
    if (doc.languageId !== stored.body.language) await vscode.languages.setTextDocumentLanguage(doc, stored.body.language);
    await vscode.window.showTextDocument(doc, { preview: false });
    this.statusBar.update();
  }

  private async explain(stored: StoredResponse, endpoint?: Endpoint): Promise<void> {
    const session = this.sessions.getSession(stored.result.sessionId);
    const explanation = explainResponse(stored.result, {
      endpoint,
      tokenScopes: session ? (scopesOf(session.accessToken) ?? [...session.scopes]) : undefined,
      tokenType: session ? tokenTypeOf(session.accessToken, session.idToken) : undefined,
      sub: session ? subjectOf(session.accessToken, session.idToken) : undefined,
      geolocation: stored.result.geolocation,
      retriedAfter401: stored.result.retriedAfter401,
      rateLimitWaits: stored.result.rateLimitWaits,
    });
    if (!explanation) return;
    this.log.warn(`${stored.result.request.method} ${stored.result.request.url}: ${explanation.message}`);
    const labels: Record<ExplanationAction, string> = { signIn: 'Sign In Again', showClaims: 'Show Token Claims', retry: 'Retry', callAtGeolocation: 'Call at Geolocation' };
    const show = explanation.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const choice = await show(explanation.message, ...explanation.actions.map((a) => labels[a]), 'Show Response Headers');
    if (choice === labels.signIn) await vscode.commands.executeCommand('concur.signIn', session ? { sessionId: session.id } : undefined);
    else if (choice === labels.showClaims) await vscode.commands.executeCommand('concur.showClaims');
    else if (choice === labels.retry) await this.rerun(stored.uri);
    else if (choice === labels.callAtGeolocation) {
      const url = new URL(stored.result.request.url);
      await this.run({ method: stored.result.request.method, target: url.pathname + url.search }, { endpoint, paging: stored.paging });
    } else if (choice === 'Show Response Headers') await this.showHeaders(stored.uri);
  }

  private rateLimitReporter(progress: vscode.Progress<{ message?: string }>, signal: AbortSignal): (wait: RateLimitWait) => void {
    return ({ waitMs, attempt }) => {
      const until = Date.now() + waitMs;
      const tick = (): void => {
        const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        progress.report({ message: `Concur is limiting requests (429): retrying in ${left} s (wait ${attempt})…` });
      };
      tick();
      const timer = setInterval(tick, 1000);
      const stop = (): void => clearInterval(timer);
      setTimeout(stop, waitMs + 50);
      signal.addEventListener('abort', stop, { once: true });
    };
  }

  private async withAbort<T>(cancel: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const subscription = cancel.onCancellationRequested(() => abort.abort());
    try {
      return await work(abort.signal);
    } finally {
      subscription.dispose();
    }
  }

  private maxBytes(): number {
    return Math.max(1, this.settings().maxResponseSizeMB) * 1024 * 1024;
  }

  private record(entry: Omit<HistoryEntry, 'id'>): void {
    this.history.unshift({ ...entry, id: this.nextHistoryId++ });
    this.history.length = Math.min(this.history.length, HISTORY_SIZE);
    this.historyEmitter.fire();
  }

  /** A history entry from a command argument: `{ historyId }`, or the entry itself (from the view). */
  private historyEntryOf(target: unknown): HistoryEntry | undefined {
    const t = target as { historyId?: unknown; id?: unknown; request?: unknown } | undefined;
    const id = t?.historyId ?? (t?.request !== undefined ? t.id : undefined);
    if (typeof id === 'number') return this.history.find((e) => e.id === id);
    const stored = target instanceof vscode.Uri ? this.store.fromUri(target) : undefined;
    return stored ? this.history.find((e) => e.responseId === stored.id) : undefined;
  }

  private requestOf(target: unknown): ApiResult['request'] | undefined {
    const entry = this.historyEntryOf(target);
    if (entry) return entry.request;
    return (this.store.fromUri(target instanceof vscode.Uri ? target : undefined) ?? this.store.active())?.result.request;
  }

  private async requireSession(): Promise<Session | undefined> {
    await this.sessions.initialize();
    const session = this.sessions.activeSession;
    if (session?.state === 'active') return session;
    const choice = await vscode.window.showInformationMessage(
      session ? `The Concur session for ${session.label} has ended. Sign in again to call Concur.` : 'Sign in to Concur to call its APIs.',
      'Sign In',
    );
    if (choice) await vscode.commands.executeCommand('concur.signIn', session ? { sessionId: session.id } : undefined);
    return undefined;
  }

  private async pickEndpoint(): Promise<Endpoint | undefined> {
    const session = this.sessions.activeSession;
    const token = { scopes: session ? (scopesOf(session.accessToken) ?? [...session.scopes]) : undefined, type: session ? tokenTypeOf(session.accessToken) : undefined };
    const picked = await vscode.window.showQuickPick(
      CATALOG.map((e) => {
        const problem = accessProblem(e, token);
        return { label: `${problem ? '$(warning) ' : ''}${e.method} ${e.path}`, description: `${e.product}: ${e.title}`, detail: problem ?? e.description, endpoint: e };
      }),
      { placeHolder: 'Concur endpoint to call', matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.endpoint;
  }

  private async askParameters(endpoint: Endpoint, initial: Record<string, string>): Promise<Record<string, string> | undefined> {
    const values = { ...initial };
    const params = endpoint.params;
    if (params.length === 0) return values;
    const title = `${endpoint.method} ${endpoint.path}`;
    const step = (index: number): InputStep => async (input) => {
      const param = params[index];
      const next = index + 1 < params.length ? step(index + 1) : undefined;
      const prompt = `${param.name}${param.in === 'query' ? ' (query)' : ''}: ${param.description}${param.fromSession ? ' — prefilled from your token' : ''}`;
      if (param.choices) {
        const items = param.choices.map((c) => ({ label: c }));
        const picked = await input.showQuickPick({ title, step: index + 1, totalSteps: params.length, items, activeItem: items.find((i) => i.label === values[param.name]), placeholder: prompt });
        values[param.name] = picked.label;
      } else {
        values[param.name] = (
          await input.showInputBox({
            title,
            step: index + 1,
            totalSteps: params.length,
            value: values[param.name] ?? '',
            prompt,
            validate: (text) => (param.required && !text.trim() ? `Enter ${param.name}.` : param.paging && text.trim() && !/^\d+$/.test(text.trim()) && param.name !== 'cursor' ? `${param.name} is a number.` : undefined),
          })
        ).trim();
      }
      return next;
    };
    return (await MultiStepInput.run(step(0))) ? values : undefined;
  }

  private async askCall(session: Session): Promise<{ method: string; target: string; body?: string } | undefined> {
    const call = { ...this.lastCall };
    const title = 'Call Concur API';
    const pickMethod: InputStep = async (input) => {
      const items = METHODS.map((m) => ({ label: m }));
      call.method = (await input.showQuickPick({ title, step: 1, totalSteps: 3, items, activeItem: items.find((i) => i.label === call.method), placeholder: 'HTTP method' })).label;
      return enterTarget;
    };
    const enterTarget: InputStep = async (input) => {
      call.target = (
        await input.showInputBox({
          title,
          step: 2,
          totalSteps: call.method === 'GET' || call.method === 'DELETE' ? 2 : 3,
          value: call.target,
          prompt: `A path such as /profile/v1/me (sent to ${session.geolocation}), or a full URL on that host`,
          validate: (text) => {
            try {
              ApiClient.resolveUrl(text, session);
              return undefined;
            } catch (error) {
              return (error as Error).message;
            }
          },
        })
      ).trim();
      return call.method === 'GET' || call.method === 'DELETE' ? undefined : enterBody;
    };
    const enterBody: InputStep = async (input) => {
      call.body = await input.showInputBox({
        title,
        step: 3,
        totalSteps: 3,
        value: call.body ?? '',
        prompt: 'JSON body (empty for none)',
        validate: (text) => {
          if (!text.trim()) return undefined;
          try {
            JSON.parse(text);
            return undefined;
          } catch (error) {
            return `Not valid JSON: ${(error as Error).message}`;
          }
        },
      });
    };
    return (await MultiStepInput.run(pickMethod)) ? call : undefined;
  }

  dispose(): void {
    this.historyEmitter.dispose();
  }
}

export function describeEntry(e: HistoryEntry): string {
  const time = new Date(e.at).toLocaleTimeString();
  if (e.error) return `failed · ${time}`;
  return `${e.status !== undefined ? statusLine(e.status) : ''}${e.durationMs !== undefined ? ` · ${Math.round(e.durationMs)} ms` : ''} · ${time}`;
}

function shortTarget(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return target;
  }
}
