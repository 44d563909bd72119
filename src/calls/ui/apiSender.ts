/**
 * Sends `ApiRequest`s with a session's token and shows the answers: a cancellable progress
 * notification while Concur is asked, the answer kept in the RequestStore and opened as a tab, an
 * explanation when it is an error, and paging (next page, every page). Where a request may go is
 * the resolver's decision, inside ApiClient; this file never builds a URL of its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApiClient, checkCall, checkMethod, HTTP_TOKEN, type ApiResult, type RateLimitWait, type SessionToken } from '../apiClient';
import { changesData, endpointById, tokenAccess, type Endpoint } from '../../catalog/catalog';
import { ApiUsageError, describeError, isCancellation } from '../../platform/errors';
import { explainResponse, type ExplanationAction } from '../explain';
import { encodeForm, type EncodedForm } from '../formBody';
import { languageFor } from '../../responses/format';
import { bodyPreview } from '../../catalog/requestBody';
import { formatBodyOffThread, type OffThreadFormattedBody } from '../../responses/formatWorker';
import { prettyJsonInTurns } from '../../responses/prettyJson';
import { fetchAllPages, streamAllPages } from '../pages';
import { createItemWriter, type ItemFormat } from '../itemWriters';
import type { HttpClient } from '../../platform/http';
import { subjectOf } from '../../auth/jwt';
import { RefusedTargetError, resolveApiTarget, resolveLink, type CheckedUrl } from '../../platform/resolver';
import { Command } from '../../platform/ids';
import type { Log } from '../../platform/ui/log';
import { isJsonBody, loadResponseJson, type ApiRequest, type KeptBody, type RequestStore, type ResponseRecord } from '../requestStore';
import { SignedOutError, type SessionManager } from '../../sessions/sessionManager';
import type { Session } from '../../sessions/types';
import { bodyText } from '../../platform/bodyText';
import { Disposable } from '../../platform/lifecycle';
import { reportError, type ErrorReporting } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import { FILE_BACKED_BYTES, OFF_THREAD_BYTES } from '../../responses/ui/responseFiles';
import { formatBytes, responseTitle, type ResponseDocuments, type ResponseStatusBar } from '../../responses/ui/responses';
import type { ApiSettings } from '../../platform/ui/settings';

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
    // Where it goes, decided before any notification opens: a request the resolver refuses is said
    // as refused, with no "Concur: GET …" progress for a request that is never sent.
    await this.targetOf(request);
    const title = `${request.method} ${targetForTitle(request.target)}`;
    const method = request.method.trim().toUpperCase();
    // A form's files are read before anything is asked: a missing file is said before the question.
    const form = request.form ? await encodeForm(request.form, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath) : undefined;
    // A method that is no HTTP method is refused by the client before anything is asked or sent. A
    // request that changes data is asked about here, whoever made it (a command, a request file, a
    // chat tool): this question is the one no setting or earlier dialog stands in for.
    if (HTTP_TOKEN.test(method) && changesData(method) && !(await this.confirm(request, options, form))) return undefined;
    const body = form ? form.body : request.body;
    const headers = form ? { ...request.headers, 'content-type': form.contentType } : request.headers;
    const at = Date.now();
    try {
      const { result, formatted } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: this.messages.redact(vscode.l10n.t('Concur: {0}', title)), cancellable: true },
        (progress, cancel) =>
          withAbort(cancel, async (signal) => {
            const result = await this.client.call(
              { method: request.method, target: request.target, body, form: request.form, headers, sessionId: request.sessionId, signal, maxBodyBytes: this.maxBytes() },
              this.rateLimitReporter(progress, signal),
            );
            return { result, formatted: await this.format(result, request, signal, progress) };
          }),
      );
      for (const dropped of result.request.dropped ?? []) this.log.warn(`${title}: ${dropped.reason}`);
      const record = this.keep(result, request, formatted);
      this.store.record({ at, request, sent: result.request, url: result.target, status: result.status, durationMs: result.durationMs, responseId: record.id });
      await this.show(record);
      if (result.status >= 400) void this.explain(record);
      return record;
    } catch (error) {
      if (isCancellation(error)) return undefined;
      if (error instanceof RefusedTargetError || error instanceof ApiUsageError || error instanceof SignedOutError) throw error;
      this.store.record({ at, request, error: this.messages.redact(describeError(error)) });
      this.log.error(`${title} failed`, error);
      const retry = vscode.l10n.t('Retry');
      const showLog = vscode.l10n.t('Show Log');
      void this.messages.error(vscode.l10n.t('{0} failed: {1}', title, describeError(error)), retry, showLog).then((choice) => {
        if (choice === retry) void this.send(request).catch((e: unknown) => reportError(title, e, this.reporting));
        if (choice === showLog) this.log.show();
      });
      return undefined;
    }
  }

  /**
   * The URL a request goes to, as the resolver decides for its session, once its method and headers
   * have passed the same checks the API client makes: an ApiUsageError, a RefusedTargetError or a
   * SignedOutError (no usable session) when it would not be sent, so that no progress opens for it.
   */
  private async targetOf(request: ApiRequest): Promise<CheckedUrl> {
    checkMethod(request.method);
    await this.sessions.initialize();
    const session = this.sessions.usableSession(request.sessionId);
    // A form's content type is the encoder's, which the header check allows; its defaults are a body's.
    return checkCall({ method: request.method, target: request.target, headers: request.headers, body: request.body ?? (request.form ? '' : undefined) }, session).url;
  }

  /**
   * Asks before a request that changes data (POST, PUT, PATCH, DELETE, …), naming the method, path,
   * host and account, and showing the body (redacted, then cut). A request the resolver would
   * refuse, or one without a session, is not asked about: it fails before anything is sent.
   */
  private async confirm(request: ApiRequest, options: SendOptions, form?: EncodedForm): Promise<boolean> {
    const session = request.sessionId ? this.sessions.getSession(request.sessionId) : this.sessions.activeSession;
    if (!session || session.state !== 'active') return true;
    const resolution = resolveApiTarget(request.target, session);
    if (!resolution.ok) return true;
    const method = request.method.trim().toUpperCase();
    const bytes = form ? form.body.length : request.body === undefined ? 0 : Buffer.byteLength(request.body);
    const facts = [
      vscode.l10n.t('This {0} request changes data in Concur: it goes to {1} with the token of {2}.', method, resolution.url.host, session.label),
      bytes ? vscode.l10n.t('The body is {0} bytes.', bytes.toLocaleString(vscode.env.language)) : '',
      form ? vscode.l10n.t('Form fields: {0}.', form.summary.join(', ')) : '',
      options.bodyProblems === 1
        ? vscode.l10n.t('The body differs from its schema in 1 place (see the Problems view).')
        : options.bodyProblems
          ? vscode.l10n.t('The body differs from its schema in {0} places (see the Problems view).', options.bodyProblems)
          : '',
    ]
      .filter(Boolean)
      .join(' ');
    // A body of text is shown (redacted, then cut); one holding a file's bytes is only counted.
    const shown = request.body === undefined ? undefined : bodyText(request.body);
    const detail = shown ? `${facts}\n\n${bodyPreview(shown, (text) => this.messages.redact(text))}` : facts;
    const send = vscode.l10n.t('Send');
    const choice = await this.messages.ask(vscode.l10n.t('Send {0} {1} to {2} as {3}?', method, resolution.url.pathAndQuery, resolution.url.host, session.label), detail, send);
    return choice === send;
  }

  /**
   * The session that fetched a response, still signed in, or a SignedOutError: further pages go with
   * it, so without it nothing is asked and no progress opens for pages that would not be fetched.
   */
  async requireSessionOf(record: ResponseRecord): Promise<void> {
    await this.sessions.initialize();
    this.sessions.usableSession(record.result.sessionId);
  }

  /** "Load Next Page": the next page of an answer, with the session that fetched it. */
  async nextPage(record: ResponseRecord): Promise<ResponseRecord | undefined> {
    if (!record.next) {
      void this.messages.info(record.nextRefused ? vscode.l10n.t('The next page is not loaded: {0}', record.nextRefused) : vscode.l10n.t('This response has no further page.'));
      return undefined;
    }
    const pageNumber = pageOf(record) + 1;
    return this.send({
      method: record.result.request.method,
      target: record.next.href,
      headers: record.result.request.headers,
      sessionId: record.result.sessionId,
      endpointId: record.request.endpointId,
      paging: record.paging,
      part: `page ${pageNumber}`,
      // Sent from a request file: the next page is written back with the same references (never the values they stood for).
      ...(record.request.asWritten ? { asWritten: { ...record.request.asWritten, target: record.next.href } } : {}),
    });
  }

  /** "Fetch All Pages": every page merged into one document, with progress, cancellable, capped. */
  async fetchAll(record: ResponseRecord): Promise<ResponseRecord | undefined> {
    if (record.paging === 'none' || !isJsonBody(record)) {
      void this.messages.info(vscode.l10n.t('This response is not paged.'));
      return undefined;
    }
    await this.requireSessionOf(record);
    const limit = this.settings().fetchAllPagesLimit;
    const sent = record.result.request;
    const firstBody = await loadResponseJson(record);
    let outcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: this.messages.redact(vscode.l10n.t('Concur: fetching all pages of {0}', record.result.target.pathAndQuery)), cancellable: true },
        (progress, cancel) =>
          withAbort(cancel, (signal) =>
            // Pages 2..n several at a time where the first page says how many there are (SCIM, List v4); one after another otherwise.
            fetchAllPages(this.client, { method: sent.method, target: record.result.target.href, headers: sent.headers, sessionId: record.result.sessionId, signal, maxBodyBytes: this.maxBytes() }, record.paging, {
              concurrency: this.settings().pageConcurrency,
              maxItems: limit,
              firstResult: record.result,
              firstBody,
              onRateLimited: this.rateLimitReporter(progress, signal),
              onPage: ({ pages, items, total }) =>
                progress.report({ message: pageProgress(items, total, pages) }),
            }),
          ),
      );
    } catch (error) {
      if (isCancellation(error)) {
        void this.messages.info(vscode.l10n.t('Fetching all pages was cancelled.'));
        return undefined;
      }
      throw error;
    }
    let merged: ResponseRecord | undefined;
    if (outcome.merged !== undefined) {
      // Written item by item, the event loop turning between batches: 10,000 users are about 10 MB of text.
      const text = await prettyJsonInTurns(outcome.merged);
      // From a later page on, the merge holds that page and those after it: not "all" of them.
      const from = pageOf(record);
      const items = outcome.items.toLocaleString('en-US');
      const part = `${from > 1 ? `${items} items from page ${from} on` : `all ${items} items`}${outcome.complete ? '' : ', incomplete'}`;
      const bytes = Buffer.byteLength(text);
      let body: KeptBody = { text, language: 'json', json: outcome.merged };
      if (this.documents.files && bytes > FILE_BACKED_BYTES) {
        // Kept in a file like any large answer: the tab reads it from there, the store holds no copy.
        await this.documents.files.cleaned;
        const file = this.documents.files.pathFor(responseTitle(sent.method, sent.url, 200, part, (text) => this.messages.redact(text)), 'json');
        try {
          await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
          await fs.promises.writeFile(file, text, { mode: 0o600 });
        } catch (error) {
          await fs.promises.rm(path.dirname(file), { recursive: true, force: true });
          throw error;
        }
        body = { text: '', language: 'json', jsonOmitted: true, file, fileBytes: bytes };
      }
      merged = this.store.addResponse({
        request: { ...record.request, part },
        result: { ...outcome.last, body: Buffer.alloc(0), request: record.result.request, target: record.result.target, status: 200, bytes },
        body,
        paging: 'none',
      });
      this.store.record({ at: Date.now(), request: merged.request, sent: record.result.request, url: record.result.target, status: 200, responseId: merged.id });
      await this.show(merged);
    }
    if (outcome.stoppedBy) await this.showFailedPage(outcome.stoppedBy, { ...record.request, part: `page ${outcome.pages + 1}` });
    if (!outcome.complete && outcome.stopReason) {
      void this.messages.warn(
        vscode.l10n.t('Fetching all pages stopped after {0} items ({1} pages): {2}. The document holds what was fetched.', outcome.items.toLocaleString(vscode.env.language), outcome.pages, outcome.stopReason),
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
    if (record.paging === 'none' || !isJsonBody(record)) {
      void this.messages.info(vscode.l10n.t('This response is not paged.'));
      return undefined;
    }
    await this.requireSessionOf(record);
    const sent = record.result.request;
    const firstBody = await loadResponseJson(record);
    const writer = await createItemWriter(target.fsPath, format);
    let outcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: this.messages.redact(vscode.l10n.t('Concur: writing all pages of {0} to {1}', record.result.target.pathAndQuery, target.fsPath.split(/[\\/]/).pop() ?? '')), cancellable: true },
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
                firstBody,
                onRateLimited: this.rateLimitReporter(progress, signal),
                onPage: ({ pages, items, total }) => progress.report({ message: pageProgress(items, total, pages) }),
              },
            ),
          ),
      );
    } catch (error) {
      await writer.abort();
      if (isCancellation(error)) {
        void this.messages.info(vscode.l10n.t('Fetching all pages to a file was cancelled; the partial file was deleted.'));
        return undefined;
      }
      throw error;
    }
    const written = await writer.close();
    if (outcome.stoppedBy) await this.showFailedPage(outcome.stoppedBy, { ...record.request, part: `page ${outcome.pages + 1}` });
    const count = written.items.toLocaleString(vscode.env.language);
    const summary = outcome.complete
      ? vscode.l10n.t('Wrote {0} items ({1}) to {2}.', count, formatBytes(written.bytes), target.fsPath)
      : vscode.l10n.t('Wrote {0} items ({1}) to {2}; it stopped early: {3}.', count, formatBytes(written.bytes), target.fsPath, outcome.stopReason ?? vscode.l10n.t('see the log'));
    if (written.bytes <= OPEN_FILE_LIMIT) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
      void this.messages.info(summary);
    } else {
      const openAnyway = vscode.l10n.t('Open Anyway');
      const reveal = vscode.l10n.t('Reveal in File Explorer');
      void this.messages.info(vscode.l10n.t('{0} It is large for the editor.', summary), openAnyway, reveal).then(async (choice) => {
        if (choice === openAnyway) await vscode.commands.executeCommand('vscode.open', target, { preview: false });
        if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', target);
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

  /** The page that stopped Fetch All (an error answer), shown and explained. */
  private async showFailedPage(result: ApiResult, request: ApiRequest): Promise<void> {
    const failed = this.keep(result, request, await this.format(result, request));
    await this.show(failed);
    void this.explain(failed);
  }

  /**
   * Formats an answer for its tab, and finds its paging style and next page. A body above 1 MB is
   * parsed and formatted in a worker thread, so the extension host (every extension in the window)
   * never waits on it; above 16 MB the worker writes the text to a file of ResponseFiles, and the
   * extension host never holds it at all.
   */
  private async format(result: ApiResult, request: ApiRequest, signal?: AbortSignal, progress?: vscode.Progress<{ message?: string }>): Promise<OffThreadFormattedBody> {
    const maxMB = this.settings().maxResponseSizeMB;
    const paging = result.status < 300 ? { hint: request.paging, url: result.target.href } : undefined;
    let file: string | undefined;
    const files = this.documents.files;
    if (files && result.body.length > FILE_BACKED_BYTES) {
      await files.cleaned;
      const language = result.truncated ? 'plaintext' : languageFor(result.contentType, result.body.subarray(0, 64).toString('utf8'));
      const extension = { json: 'json', xml: 'xml', html: 'html', plaintext: 'txt' }[language];
      file = files.pathFor(responseTitle(result.request.method, result.request.url, result.status, request.part, (text) => this.messages.redact(text)), extension);
    }
    if (result.body.length > OFF_THREAD_BYTES) progress?.report({ message: vscode.l10n.t('formatting {0}…', formatBytes(result.body.length)) });
    // A file-backed success keeps no raw body (see keep), so the worker may take its memory rather than a copy.
    const transfer = file !== undefined && result.status < 400;
    try {
      return await formatBodyOffThread(result.body, result.contentType, result.truncated, maxMB, { threshold: OFF_THREAD_BYTES, signal, file, paging, transfer, translations: formatNoteTranslations() });
    } catch (error) {
      // Cancelled or failed after the worker began writing: no file is left without its answer.
      if (file) await fs.promises.rm(path.dirname(file), { recursive: true, force: true });
      throw error;
    }
  }

  private keep(result: ApiResult, request: ApiRequest, formatted: OffThreadFormattedBody): ResponseRecord {
    const { paging: found, ...body } = formatted;
    const paging = found?.style ?? 'none';
    let next: ResponseRecord['next'];
    let nextRefused: string | undefined;
    const link = found?.next;
    const session = this.sessions.getSession(result.sessionId);
    if (link && session) {
      const resolution = resolveLink(link, result.target, session);
      if (resolution.ok) next = resolution.url;
      else nextRefused = resolution.message;
    }
    if (body.note) void this.messages.warn(body.note);
    // A file-backed answer's raw body is not kept either: the file holds what the tab shows.
    const kept = body.file && result.status < 400 ? { ...result, body: Buffer.alloc(0) } : result;
    return this.store.addResponse({ request, result: kept, body, paging, next, nextRefused });
  }

  /** What an error answer means: the scope or token type it lacks, the geolocation, a rate limit…; undefined when there is nothing to say. */
  explanationOf(record: ResponseRecord): ReturnType<typeof explainResponse> {
    const endpoint: Endpoint | undefined = record.request.endpointId ? endpointById(record.request.endpointId) : undefined;
    const session = this.sessions.getSession(record.result.sessionId);
    const access = session && tokenAccess(session);
    return explainResponse(record.result, {
      endpoint,
      tokenScopes: access?.scopes,
      tokenType: access?.type,
      sub: session ? subjectOf(session.accessToken, session.idToken) : undefined,
      geolocation: record.result.geolocation,
      retriedAfter401: record.result.retriedAfter401,
      rateLimitWaits: record.result.rateLimitWaits,
    });
  }

  private async explain(record: ResponseRecord): Promise<void> {
    const explanation = this.explanationOf(record);
    if (!explanation) return;
    const session = this.sessions.getSession(record.result.sessionId);
    this.log.warn(`${record.result.request.method} ${record.result.request.url}: ${explanation.message}`);
    const labels: Record<ExplanationAction, string> = { signIn: vscode.l10n.t('Sign In Again'), showClaims: vscode.l10n.t('Show Token Claims'), retry: vscode.l10n.t('Retry'), callAtGeolocation: vscode.l10n.t('Call at Geolocation') };
    const showHeaders = vscode.l10n.t('Show Response Headers');
    const show = explanation.severity === 'error' ? this.messages.error.bind(this.messages) : this.messages.warn.bind(this.messages);
    const choice = await show(explanation.message, ...explanation.actions.map((a) => labels[a]), showHeaders);
    try {
      if (choice === labels.signIn) await vscode.commands.executeCommand(Command.signIn, session ? { sessionId: session.id } : undefined);
      else if (choice === labels.showClaims) await vscode.commands.executeCommand(Command.showClaims, record.result.sessionId);
      else if (choice === labels.retry) await this.rerun(record.request, record.result.target.href);
      else if (choice === labels.callAtGeolocation) await this.send({ ...record.request, target: record.result.target.pathAndQuery, sessionId: record.result.sessionId });
      else if (choice === showHeaders) await this.documents.showHeaders(record);
    } catch (error) {
      reportError(choice ?? 'Concur', error, this.reporting);
    }
  }

  private rateLimitReporter(progress: vscode.Progress<{ message?: string }>, signal: AbortSignal): (wait: RateLimitWait) => void {
    return ({ waitMs, attempt }) => {
      const until = Date.now() + waitMs;
      const tick = (): void => {
        const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
        progress.report({ message: vscode.l10n.t('Concur is limiting requests (429): retrying in {0} s (wait {1})…', left, attempt) });
      };
      tick();
      const timer = setInterval(tick, 1000);
      const stop = (): void => {
        clearInterval(timer);
        signal.removeEventListener('abort', stop);
      };
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

/** "2,500 of 10,000 items, 25 pages": Fetch All's progress. */
function pageProgress(items: number, total: number | undefined, pages: number): string {
  const count = items.toLocaleString(vscode.env.language);
  if (total) return pages === 1 ? vscode.l10n.t('{0} of {1} items, 1 page', count, total.toLocaleString(vscode.env.language)) : vscode.l10n.t('{0} of {1} items, {2} pages', count, total.toLocaleString(vscode.env.language), pages);
  return pages === 1 ? vscode.l10n.t('{0} items, 1 page', count) : vscode.l10n.t('{0} items, {1} pages', count, pages);
}

/**
 * formatBody's notes in the display language, for the worker thread that formats large answers. The
 * worker fills the placeholders in, so each is passed as its own argument: `{0}` for `{0}` gives the
 * translated template with `{0}` in place.
 */
function formatNoteTranslations(): Record<string, string> {
  return {
    'The body was cut at {0} MB (setting concur.api.maxResponseSizeMB); what arrived is shown as text.': vscode.l10n.t('The body was cut at {0} MB (setting concur.api.maxResponseSizeMB); what arrived is shown as text.', '{0}'),
    'The body is empty.': vscode.l10n.t('The body is empty.'),
    'The body is not valid JSON ({0}); it is shown as it came.': vscode.l10n.t('The body is not valid JSON ({0}); it is shown as it came.', '{0}'),
  };
}

/** Files above this open only when asked: VS Code turns off features for large files and opens them slowly. */
const OPEN_FILE_LIMIT = 50 * 1024 * 1024;

/**
 * A target the resolver accepted, for a notification, as written: a path as it is, a full URL
 * without its scheme, so that the host it names stays in sight. Cut out of the text rather than
 * parsed and written again, so that the redactor sees what the user gave.
 */
function targetForTitle(target: string): string {
  const trimmed = target.trim();
  const scheme = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.exec(trimmed);
  return scheme ? trimmed.slice(scheme[0].length) : trimmed;
}

/**
 * A target without its scheme and host, for titles: cut out of the text as written, not parsed and
 * written again, so that what the redactor sees afterwards is what the user gave (a URL parser
 * would re-encode a query and could split a secret into a form the redactor does not know).
 */
export function shortTarget(target: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target.trim());
  return authority ? target.trim().slice(authority[0].length) || '/' : target;
}

/** Which page of its answer a response is: "page 3" from Load Next Page, else the first. */
function pageOf(record: ResponseRecord): number {
  return Number(/^page (\d+)$/.exec(record.request.part ?? '')?.[1]) || 1;
}
