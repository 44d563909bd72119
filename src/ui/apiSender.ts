/**
 * Sends `ApiRequest`s with a session's token and shows the answers: a cancellable progress
 * notification while Concur is asked, the answer kept in the RequestStore and opened as a tab, an
 * explanation when it is an error, and paging (next page, every page). Where a request may go is
 * the resolver's decision, inside ApiClient; this file never builds a URL of its own.
 */
import * as vscode from 'vscode';
import { ApiClient, ApiUsageError, HTTP_TOKEN, type ApiResult, type RateLimitWait, type SessionToken } from '../concur/api';
import { changesData, endpointById, tokenAccess, type Endpoint } from '../concur/catalog';
import { describeError, isCancellation } from '../concur/errors';
import { explainResponse, type ExplanationAction } from '../concur/explain';
import { formatBody } from '../concur/format';
import { streamAllPages } from '../concur/pageStream';
import { fetchAllPagesParallel } from '../concur/parallelPager';
import { createItemWriter, type ItemFormat } from '../requests/itemWriters';
import type { HttpClient } from '../concur/http';
import { subjectOf } from '../concur/jwt';
import { detectPaging, nextPageUrl } from '../concur/paging';
import { RefusedTargetError, resolveApiTarget, resolveLink } from '../concur/resolver';
import { Command } from '../ids';
import type { Log } from '../log';
import type { ApiRequest, RequestStore, ResponseRecord } from '../requests/requestStore';
import { SignedOutError, type SessionManager } from '../session/sessionManager';
import type { Session } from '../session/types';
import { Disposable } from '../util/lifecycle';
import { reportError, type ErrorReporting } from './commandErrors';
import type { Messages } from './messages';
import { formatBytes, type ResponseDocuments, type ResponseStatusBar } from './responses';

export interface ApiSettings {
  readonly maxResponseSizeMB: number;
  readonly fetchAllPagesLimit: number;
  /** Pages Fetch All Pages asks for at once, where the paging style allows it. */
  readonly pageConcurrency: number;
}

export interface SendOptions {
  /** How many errors VS Code's JSON service reports in the body tab (said in the confirmation). */
  readonly bodyProblems?: number;
}

export class ApiSender extends Disposable {
  readonly client: ApiClient;

  constructor(
    http: HttpClient,
    private readonly sessions: SessionManager,
    private readonly store: RequestStore,
    private readonly documents: ResponseDocuments,
    private readonly statusBar: ResponseStatusBar,
    private readonly messages: Messages,
    private readonly log: Log,
    private readonly settings: () => ApiSettings,
    private readonly reporting: ErrorReporting,
  ) {
    super();
    const token = (session: Session, accessToken: string): SessionToken => ({ sessionId: session.id, accessToken, geolocation: session.geolocation, baseUrl: session.baseUrl });
    this.client = new ApiClient(http, {
      get: async (sessionId, signal) => {
        const { session, accessToken } = await sessions.getAccessToken(sessionId, { signal });
        return token(session, accessToken);
      },
      refresh: async (sessionId) => {
        const session = await sessions.refresh(sessionId, 'Concur answered 401');
        return token(session, session.accessToken);
      },
    });
  }

  /**
   * Sends a request and opens the answer. A request the resolver refuses, or one without a usable
   * session, throws (nothing was sent, so nothing goes into the history); a failure on the way is
   * recorded in the history and offered to retry.
   */
  async send(request: ApiRequest, options: SendOptions = {}): Promise<ResponseRecord | undefined> {
    const title = `${request.method} ${shortTarget(request.target)}`;
    const method = request.method.trim().toUpperCase();
    // A method that is no HTTP method is refused by the client before anything is asked or sent.
    if (HTTP_TOKEN.test(method) && changesData(method) && !(await this.confirm(request, options))) return undefined;
    const at = Date.now();
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: this.messages.redact(`Concur: ${title}`), cancellable: true },
        (progress, cancel) =>
          withAbort(cancel, (signal) =>
            this.client.call(
              { method: request.method, target: request.target, body: request.body, headers: request.headers, sessionId: request.sessionId, signal, maxBodyBytes: this.maxBytes() },
              this.rateLimitReporter(progress, signal),
            ),
          ),
      );
      const record = this.keep(result, request);
      this.store.record({ at, request, sent: result.request, url: result.target, status: result.status, durationMs: result.durationMs, responseId: record.id });
      await this.show(record);
      if (result.status >= 400) void this.explain(record);
      return record;
    } catch (error) {
      if (isCancellation(error)) return undefined;
      if (error instanceof RefusedTargetError || error instanceof ApiUsageError || error instanceof SignedOutError) throw error;
      this.store.record({ at, request, error: this.messages.redact(describeError(error)) });
      this.log.error(`${title} failed`, error);
      void this.messages.error(`${title} failed: ${describeError(error)}`, 'Retry', 'Show Log').then((choice) => {
        if (choice === 'Retry') void this.send(request).catch((e: unknown) => reportError(title, e, this.reporting));
        if (choice === 'Show Log') this.log.show();
      });
      return undefined;
    }
  }

  /**
   * Asks before a request that changes data (POST, PUT, PATCH, DELETE, …), naming the method, path,
   * host and account. A request the resolver would refuse, or one without a session, is not asked
   * about: it fails before anything is sent.
   */
  private async confirm(request: ApiRequest, options: SendOptions): Promise<boolean> {
    const session = request.sessionId ? this.sessions.getSession(request.sessionId) : this.sessions.activeSession;
    if (!session || session.state !== 'active') return true;
    const resolution = resolveApiTarget(request.target, session);
    if (!resolution.ok) return true;
    const method = request.method.trim().toUpperCase();
    const bytes = request.body === undefined ? 0 : Buffer.byteLength(request.body);
    const detail =
      `This ${method} request changes data in Concur: it goes to ${resolution.url.host} with the token of ${session.label}.` +
      (bytes ? ` The body is ${bytes.toLocaleString('en-US')} bytes.` : '') +
      (options.bodyProblems ? ` The body differs from its schema in ${options.bodyProblems} place${options.bodyProblems === 1 ? '' : 's'} (see the Problems view).` : '');
    const choice = await this.messages.ask(`Send ${method} ${resolution.url.pathAndQuery} to ${resolution.url.host} as ${session.label}?`, detail, 'Send');
    return choice === 'Send';
  }

  /** "Load Next Page": the next page of an answer, with the session that fetched it. */
  async nextPage(record: ResponseRecord): Promise<ResponseRecord | undefined> {
    if (!record.next) {
      void this.messages.info(record.nextRefused ? `The next page is not loaded: ${record.nextRefused}` : 'This response has no further page.');
      return undefined;
    }
    const pageNumber = (Number(/page (\d+)/.exec(record.request.part ?? '')?.[1]) || 1) + 1;
    return this.send({
      method: record.result.request.method,
      target: record.next.href,
      headers: record.result.request.headers,
      sessionId: record.result.sessionId,
      endpointId: record.request.endpointId,
      paging: record.paging,
      part: `page ${pageNumber}`,
    });
  }

  /** "Fetch All Pages": every page merged into one document, with progress, cancellable, capped. */
  async fetchAll(record: ResponseRecord): Promise<ResponseRecord | undefined> {
    if (record.paging === 'none' || record.body.json === undefined) {
      void this.messages.info('This response is not paged.');
      return undefined;
    }
    const limit = this.settings().fetchAllPagesLimit;
    const sent = record.result.request;
    let outcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: this.messages.redact(`Concur: fetching all pages of ${record.result.target.pathAndQuery}`), cancellable: true },
        (progress, cancel) =>
          withAbort(cancel, (signal) =>
            // Pages 2..n in parallel where the first page says how many there are (SCIM, List v4); one after another otherwise.
            fetchAllPagesParallel(this.client, { method: sent.method, target: record.result.target.href, headers: sent.headers, sessionId: record.result.sessionId, signal, maxBodyBytes: this.maxBytes() }, record.paging, {
              concurrency: this.settings().pageConcurrency,
              maxItems: limit,
              firstResult: record.result,
              firstBody: record.body.json,
              onRateLimited: this.rateLimitReporter(progress, signal),
              onPage: ({ pages, items, total }) =>
                progress.report({ message: `${items.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''} items, ${pages} page${pages === 1 ? '' : 's'}` }),
            }),
          ),
      );
    } catch (error) {
      if (isCancellation(error)) {
        void this.messages.info('Fetching all pages was cancelled.');
        return undefined;
      }
      throw error;
    }
    let merged: ResponseRecord | undefined;
    if (outcome.merged !== undefined) {
      const text = JSON.stringify(outcome.merged, null, 2);
      const part = `all ${outcome.items.toLocaleString('en-US')} items${outcome.complete ? '' : ', incomplete'}`;
      merged = this.store.addResponse({
        request: { ...record.request, part },
        result: { ...outcome.last, request: record.result.request, target: record.result.target, status: 200, bytes: Buffer.byteLength(text) },
        body: { text, language: 'json', json: outcome.merged },
        paging: 'none',
      });
      this.store.record({ at: Date.now(), request: merged.request, sent: record.result.request, url: record.result.target, status: 200, responseId: merged.id });
      await this.show(merged);
    }
    if (outcome.stoppedBy) {
      const failed = this.keep(outcome.stoppedBy, { ...record.request, part: `page ${outcome.pages + 1}` });
      await this.show(failed);
      void this.explain(failed);
    }
    if (!outcome.complete && outcome.stopReason) {
      void this.messages.warn(
        `Fetching all pages stopped after ${outcome.items.toLocaleString('en-US')} items (${outcome.pages} page${outcome.pages === 1 ? '' : 's'}): ${outcome.stopReason}. ` +
          'The document holds what was fetched.',
      );
    }
    return merged;
  }

  /**
   * "Fetch All Pages to File…": every item of a paged answer, written to a file as the pages arrive
   * (JSON array, NDJSON or CSV), so that memory does not grow with the number of items. The file
   * opens when done, or is offered when it is larger than VS Code opens comfortably.
   */
  async fetchAllToFile(record: ResponseRecord, target: vscode.Uri, format: ItemFormat): Promise<{ items: number; bytes: number; complete: boolean } | undefined> {
    if (record.paging === 'none' || record.body.json === undefined) {
      void this.messages.info('This response is not paged.');
      return undefined;
    }
    const sent = record.result.request;
    const writer = await createItemWriter(target.fsPath, format);
    let outcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: this.messages.redact(`Concur: writing all pages of ${record.result.target.pathAndQuery} to ${target.fsPath.split(/[\\/]/).pop() ?? ''}`), cancellable: true },
        (progress, cancel) =>
          withAbort(cancel, (signal) =>
            streamAllPages(
              this.client,
              { method: sent.method, target: record.result.target.href, headers: sent.headers, sessionId: record.result.sessionId, signal, maxBodyBytes: this.maxBytes() },
              record.paging,
              (items) => writer.write(items),
              {
                concurrency: this.settings().pageConcurrency,
                maxItems: this.settings().fetchAllPagesLimit,
                firstResult: record.result,
                firstBody: record.body.json,
                onRateLimited: this.rateLimitReporter(progress, signal),
                onPage: ({ pages, items, total }) => progress.report({ message: `${items.toLocaleString('en-US')}${total ? ` of ${total.toLocaleString('en-US')}` : ''} items, ${pages} page${pages === 1 ? '' : 's'}` }),
              },
            ),
          ),
      );
    } catch (error) {
      await writer.abort();
      if (isCancellation(error)) {
        void this.messages.info('Fetching all pages to a file was cancelled; the partial file was deleted.');
        return undefined;
      }
      throw error;
    }
    const written = await writer.close();
    if (outcome.stoppedBy) {
      const failed = this.keep(outcome.stoppedBy, { ...record.request, part: `page ${outcome.pages + 1}` });
      await this.show(failed);
      void this.explain(failed);
    }
    const summary = `Wrote ${written.items.toLocaleString('en-US')} items (${formatBytes(written.bytes)}) to ${target.fsPath}${outcome.complete ? '' : `; it stopped early: ${outcome.stopReason ?? 'see the log'}`}.`;
    if (written.bytes <= OPEN_FILE_LIMIT) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
      void this.messages.info(summary);
    } else {
      void this.messages.info(`${summary} It is large for the editor.`, 'Open Anyway', 'Reveal in File Explorer').then(async (choice) => {
        if (choice === 'Open Anyway') await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
        if (choice === 'Reveal in File Explorer') await vscode.commands.executeCommand('revealFileInOS', target);
      });
    }
    return { items: written.items, bytes: written.bytes, complete: outcome.complete };
  }

  /** Runs a request again, with the session that sent it. */
  rerun(request: ApiRequest, sentUrl?: string): Promise<ResponseRecord | undefined> {
    return this.send({ ...request, target: sentUrl ?? request.target, part: undefined });
  }

  /** Checks an answer against its operation's response schema (set by the composition root). */
  checkResponse: (record: ResponseRecord) => void = () => undefined;

  async show(record: ResponseRecord): Promise<void> {
    try {
      this.checkResponse(record);
    } catch (error) {
      this.log.error('Checking the answer against its schema failed', error);
    }
    await this.documents.show(record);
    this.statusBar.update();
  }

  private keep(result: ApiResult, request: ApiRequest): ResponseRecord {
    const body = formatBody(result.body, result.contentType, result.truncated, this.settings().maxResponseSizeMB);
    const paging = result.status < 300 && body.json !== undefined ? (request.paging !== 'none' ? request.paging : detectPaging(body.json)) : 'none';
    let next: ResponseRecord['next'];
    let nextRefused: string | undefined;
    const link = paging !== 'none' ? nextPageUrl(paging, result.target.href, body.json) : undefined;
    const session = this.sessions.getSession(result.sessionId);
    if (link && session) {
      const resolution = resolveLink(link, result.target, session);
      if (resolution.ok) next = resolution.url;
      else nextRefused = resolution.message;
    }
    if (body.note) void this.messages.warn(body.note);
    return this.store.addResponse({ request, result, body, paging, next, nextRefused });
  }

  private async explain(record: ResponseRecord): Promise<void> {
    const endpoint: Endpoint | undefined = record.request.endpointId ? endpointById(record.request.endpointId) : undefined;
    const session = this.sessions.getSession(record.result.sessionId);
    const access = session && tokenAccess(session);
    const explanation = explainResponse(record.result, {
      endpoint,
      tokenScopes: access?.scopes,
      tokenType: access?.type,
      sub: session ? subjectOf(session.accessToken, session.idToken) : undefined,
      geolocation: record.result.geolocation,
      retriedAfter401: record.result.retriedAfter401,
      rateLimitWaits: record.result.rateLimitWaits,
    });
    if (!explanation) return;
    this.log.warn(`${record.result.request.method} ${record.result.request.url}: ${explanation.message}`);
    const labels: Record<ExplanationAction, string> = { signIn: 'Sign In Again', showClaims: 'Show Token Claims', retry: 'Retry', callAtGeolocation: 'Call at Geolocation' };
    const show = explanation.severity === 'error' ? this.messages.error.bind(this.messages) : this.messages.warn.bind(this.messages);
    const choice = await show(explanation.message, ...explanation.actions.map((a) => labels[a]), 'Show Response Headers');
    try {
      if (choice === labels.signIn) await vscode.commands.executeCommand(Command.signIn, session ? { sessionId: session.id } : undefined);
      else if (choice === labels.showClaims) await vscode.commands.executeCommand(Command.showClaims, record.result.sessionId);
      else if (choice === labels.retry) await this.rerun(record.request, record.result.target.href);
      else if (choice === labels.callAtGeolocation) await this.send({ ...record.request, target: record.result.target.pathAndQuery, sessionId: record.result.sessionId });
      else if (choice === 'Show Response Headers') await this.documents.showHeaders(record);
    } catch (error) {
      reportError(choice ?? 'Concur', error, this.reporting);
    }
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

  private maxBytes(): number {
    return this.settings().maxResponseSizeMB * 1024 * 1024;
  }
}

async function withAbort<T>(cancel: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const subscription = cancel.onCancellationRequested(() => abort.abort());
  try {
    return await work(abort.signal);
  } finally {
    subscription.dispose();
  }
}

/** Files above this open only when asked: VS Code turns off features for large files and opens them slowly. */
const OPEN_FILE_LIMIT = 50 * 1024 * 1024;

export function shortTarget(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return target;
  }
}
