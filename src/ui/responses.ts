/**
 * API responses as read-only editor tabs (scheme `concur-response`), titled with method, path and
 * status, in the language mode of their body; a status bar entry with status, duration, size,
 * content type and correlation id while such a tab is active; and the response headers on demand.
 * The answers themselves live in the RequestStore; this adapts them to VS Code.
 */
import * as vscode from 'vscode';
import { statusText } from '../concur/errors';
import type { BodyLanguage } from '../concur/format';
import { BuiltinCommand, Command, ContextKey } from '../ids';
import { isJsonBody, type RequestStore, type ResponseRecord } from '../requests/requestStore';
import { bodyText } from '../util/bodyText';
import { Disposable } from '../util/lifecycle';
import type { Messages } from './messages';
import type { ResponseFiles } from './responseFiles';

export const RESPONSE_SCHEME = 'concur-response';

const EXTENSIONS: Record<BodyLanguage, string> = { json: 'json', xml: 'xml', html: 'html', plaintext: 'txt' };

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function statusLine(status: number): string {
  const text = statusText(status);
  return text ? `${status} ${text}` : String(status);
}

/** The tab title: "GET ∕profile∕v1∕me · 200". A path's slashes would make folders of the title, so ∕ stands in. */
export function responseTitle(method: string, url: string, status: number, part?: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  if (path.length > 70) path = `${path.slice(0, 30)}…${path.slice(-38)}`;
  // A part can hold a slash too (a JSONPath filter): it would make folders of the title as well.
  return `${method} ${path.replace(/\//g, '∕')} · ${status}${part ? ` (${part.replace(/\//g, '∕')})` : ''}`;
}

/**
 * The response tabs' content, read from the RequestStore; a large answer's tab shows the file its
 * text was written to (see ResponseFiles).
 */
export class ResponseDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly emitter = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly store: RequestStore,
    private readonly messages: Messages,
    readonly files?: ResponseFiles,
  ) {
    super();
  }

  /** The tab's title for an answer: method, path and status, redacted (a path can hold a token). */
  title(record: ResponseRecord): string {
    return this.messages.redact(responseTitle(record.result.request.method, record.result.request.url, record.result.status, record.request.part));
  }

  /** The files the kept large answers are shown from. */
  keptFiles(): string[] {
    return this.store.keptResponses().flatMap((record) => (record.body.file ? [record.body.file] : []));
  }

  /** The file name extension of an answer's language. */
  extension(record: ResponseRecord): string {
    return EXTENSIONS[record.body.language];
  }

  /** The tab of a response; its title is redacted, since a path can hold a token. */
  uri(record: ResponseRecord, view?: 'headers'): vscode.Uri {
    if (record.body.file && !view) return vscode.Uri.file(record.body.file);
    const title = this.title(record);
    const name = view === 'headers' ? `${title} headers.txt` : `${title}.${EXTENSIONS[record.body.language]}`;
    // A title cannot hold a path separator or a query; ∕ stands in for the former already.
    return vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${name.replace(/[?#\\]/g, '_')}`, query: view ? `id=${record.id}&view=${view}` : `id=${record.id}` });
  }

  fromUri(uri: vscode.Uri | undefined): ResponseRecord | undefined {
    if (uri?.scheme === 'file' && this.files?.owns(uri.fsPath)) return this.files.recordFor(uri.fsPath);
    if (!uri || uri.scheme !== RESPONSE_SCHEME) return undefined;
    return this.store.response(Number(new URLSearchParams(uri.query).get('id')));
  }

  /**
   * The answer in the active tab. Read from the tab, not the text editor: VS Code does not hand a
   * document above 50 MB to extensions, so a large answer's tab has no TextEditor here.
   */
  active(): ResponseRecord | undefined {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const uri = input instanceof vscode.TabInputText ? input.uri : vscode.window.activeTextEditor?.document.uri;
    return this.fromUri(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const record = this.fromUri(uri);
    if (!record) return vscode.l10n.t('This response is no longer kept in memory. Run the request again (Request History → Re-run).');
    if (new URLSearchParams(uri.query).get('view') === 'headers') return this.messages.redact(headersText(record));
    return record.body.text;
  }

  async show(record: ResponseRecord): Promise<void> {
    if (record.body.file) {
      // Opened by the workbench, not through openTextDocument: a document above 50 MB never reaches the extension host.
      await vscode.commands.executeCommand('vscode.open', this.uri(record), { preview: false });
      // An answer is read, not edited: the file's tab is read-only for this session, as the other response tabs are.
      if (this.active() === record) await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
      return;
    }
    const doc = await vscode.workspace.openTextDocument(this.uri(record));
    if (doc.languageId !== record.body.language) await vscode.languages.setTextDocumentLanguage(doc, record.body.language);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  async showHeaders(record: ResponseRecord): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri(record, 'headers'));
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

function headersText(record: ResponseRecord): string {
  const { result } = record;
  const lines = [`${result.request.method} ${result.request.url}`];
  for (const [name, value] of Object.entries(result.request.headers)) lines.push(`${name}: ${value}`);
  lines.push(vscode.l10n.t('(The Authorization header, Bearer and the access token, is not shown.)'));
  if (result.request.body !== undefined) lines.push('', bodyText(result.request.body) ?? vscode.l10n.t('({0} bytes with binary content, not shown)', result.request.body.length));
  lines.push('', result.truncated ? vscode.l10n.t('HTTP {0} · {1} ms · {2} bytes (cut)', statusLine(result.status), Math.round(result.durationMs), result.bytes) : vscode.l10n.t('HTTP {0} · {1} ms · {2} bytes', statusLine(result.status), Math.round(result.durationMs), result.bytes));
  for (const [name, value] of Object.entries(result.headers)) lines.push(`${name}: ${value}`);
  if (result.retriedAfter401) lines.push('', vscode.l10n.t('The first answer was 401: the token was refreshed and the request sent again.'));
  if (result.rateLimitWaits) lines.push('', vscode.l10n.t('Waited out {0} rate-limit answer(s) (429) before this one.', result.rateLimitWaits));
  if (record.nextRefused) lines.push('', vscode.l10n.t('The next page is not offered: {0}', record.nextRefused));
  return `${lines.join('\n')}\n`;
}

/** The status bar entry for the active response tab. */
export class ResponseStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('concur.response', vscode.StatusBarAlignment.Right, 200));
  /** The response files last put in the context key, to set it only when they change. */
  private files = '';
  /** How many places the answer differs from its schema (undefined when it has none to check). */
  schemaDifferences: (record: ResponseRecord) => number | undefined = () => undefined;

  constructor(
    private readonly documents: ResponseDocuments,
    private readonly messages: Messages,
  ) {
    super();
    this.item.name = vscode.l10n.t('Concur Response');
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this._register(vscode.window.tabGroups.onDidChangeTabs(() => this.update()));
  }

  update(): void {
    const record = this.documents.active();
    void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.responseHasNextPage, Boolean(record?.next));
    void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.responseIsPaged, Boolean(record && record.paging !== 'none' && isJsonBody(record)));
    const files = this.documents.keptFiles();
    if (files.join('\n') !== this.files) {
      this.files = files.join('\n');
      void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.responseFiles, files);
    }
    if (!record) {
      this.item.hide();
      return;
    }
    const { result } = record;
    const failed = result.status >= 400;
    const differences = this.schemaDifferences(record);
    const schemaNote =
      differences === undefined ? '' : differences === 0 ? vscode.l10n.t(' · $(check) schema') : differences === 1 ? vscode.l10n.t(' · $(warning) 1 schema difference') : vscode.l10n.t(' · $(warning) {0} schema differences', differences);
    this.item.text = `${failed ? '$(error)' : '$(pass)'} ${statusLine(result.status)} · ${Math.round(result.durationMs)} ms · ${formatBytes(result.bytes)}${schemaNote}`;
    this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${result.request.method}** `);
    tooltip.appendCodeblock(this.messages.redact(result.request.url), 'text');
    tooltip.appendMarkdown(
      `${vscode.l10n.t('Status: {0}', statusLine(result.status))}  \n${vscode.l10n.t('Duration: {0} ms', Math.round(result.durationMs))}  \n${result.truncated ? vscode.l10n.t('Size: {0} (cut)', formatBytes(result.bytes)) : vscode.l10n.t('Size: {0}', formatBytes(result.bytes))}  \n`,
    );
    tooltip.appendText(`${vscode.l10n.t('Content type: {0}', result.contentType || vscode.l10n.t('(none)'))}\nconcur-correlationid: ${this.messages.redact(result.correlationId)}\n\n`);
    if (record.body.file) tooltip.appendText(`${vscode.l10n.t('A large answer: shown from a file in the extension\'s storage, deleted when the tab closes.')}\n\n`);
    if (record.body.note) tooltip.appendText(`${this.messages.redact(record.body.note)}\n\n`);
    if (differences !== undefined) {
      tooltip.appendText(
        differences === 0
          ? `${vscode.l10n.t('The answer matches the schema its API definition declares.')}\n\n`
          : `${differences === 1 ? vscode.l10n.t('The answer differs from the schema its API definition declares in 1 place: see the warnings in the tab and the Problems view.') : vscode.l10n.t('The answer differs from the schema its API definition declares in {0} places: see the warnings in the tab and the Problems view.', differences)}\n\n`,
      );
    }
    tooltip.appendMarkdown(vscode.l10n.t('Click to show the response headers'));
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: !differences
        ? vscode.l10n.t('Concur response: {0}, {1} milliseconds, {2}', statusLine(result.status), Math.round(result.durationMs), formatBytes(result.bytes))
        : differences === 1
          ? vscode.l10n.t('Concur response: {0}, {1} milliseconds, {2}, 1 schema difference', statusLine(result.status), Math.round(result.durationMs), formatBytes(result.bytes))
          : vscode.l10n.t('Concur response: {0}, {1} milliseconds, {2}, {3} schema differences', statusLine(result.status), Math.round(result.durationMs), formatBytes(result.bytes), differences),
    };
    this.item.command = { title: vscode.l10n.t('Show Response Headers'), command: Command.showResponseHeaders, arguments: [this.documents.uri(record)] };
    this.item.show();
  }

  /** For tests: what the entry shows now. */
  get text(): string | undefined {
    return this.documents.active() ? this.item.text : undefined;
  }
}
