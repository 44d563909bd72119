/**
 * API responses as read-only editor tabs (scheme `concur-response`), titled with method, path and
 * status, in the language mode of their body; a status bar entry with status, duration, size,
 * content type and correlation id while such a tab is active; and the response headers on demand.
 * The answers themselves live in the RequestStore; this adapts them to VS Code.
 */
import * as vscode from 'vscode';
import { statusText } from '../../platform/errors';
import type { BodyLanguage } from '../format';
import { BuiltinCommand, Command, ContextKey } from '../../platform/ids';
import { isJsonBody, type RequestStore, type ResponseRecord } from '../../calls/requestStore';
import { bodyText } from '../../platform/bodyText';
import { Disposable } from '../../platform/lifecycle';
import type { Messages } from '../../platform/ui/messages';
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

/**
 * The tab title: "GET ∕profile∕v1∕me · 200". A path's slashes would make folders of the title, so ∕
 * stands in. The path and the part are redacted before either is cut or has its slashes replaced:
 * a token in a path, cut in two or with its `/` turned into `∕`, would no longer be recognised.
 */
export function responseTitle(method: string, url: string, status: number, part: string | undefined, redact: (text: string) => string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  path = redact(path);
  if (path.length > 70) path = `${path.slice(0, 30)}…${path.slice(-38)}`;
  // A part can hold a slash too (a JSONPath filter): it would make folders of the title as well.
  const shownPart = part ? redact(part) : '';
  return `${method} ${path.replace(/\//g, '∕')} · ${status}${shownPart ? ` (${shownPart.replace(/\//g, '∕')})` : ''}`;
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
    return responseTitle(record.result.request.method, record.result.request.url, record.result.status, record.request.part, (text) => this.messages.redact(text));
  }

  /** The file name extension of an answer's language. */
  extension(record: ResponseRecord): string {
    return EXTENSIONS[record.body.language];
  }

  /** The tab of a response; its title is redacted, since a path can hold a token. */
  uri(record: ResponseRecord, view?: 'headers'): vscode.Uri {
    const title = this.title(record);
    if (record.body.file && !view && this.files) return this.files.uriOf(record, title, EXTENSIONS[record.body.language]);
    const name = view === 'headers' ? `${title} headers.txt` : `${title}.${EXTENSIONS[record.body.language]}`;
    // A title cannot hold a path separator or a query; ∕ stands in for the former already.
    return vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${name.replace(/[?#\\]/g, '_')}`, query: view ? `id=${record.id}&view=${view}` : `id=${record.id}` });
  }

  fromUri(uri: vscode.Uri | undefined): ResponseRecord | undefined {
    const file = uri && this.files?.fileOf(uri);
    if (file) return this.files?.recordFor(file);
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
      await openWithoutSizeQuestion(this.uri(record));
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
  if (result.request.form) lines.push('', ...result.request.form.fields.map((f) => (f.file ? `${f.name}: < ${f.value}` : `${f.name}: ${f.value}`)));
  else if (result.request.body !== undefined) lines.push('', bodyText(result.request.body) ?? vscode.l10n.t('({0} bytes with binary content, not shown)', result.request.body.length));
  lines.push('', result.truncated ? vscode.l10n.t('HTTP {0} · {1} ms · {2} bytes (cut)', statusLine(result.status), Math.round(result.durationMs), result.bytes) : vscode.l10n.t('HTTP {0} · {1} ms · {2} bytes', statusLine(result.status), Math.round(result.durationMs), result.bytes));
  for (const [name, value] of Object.entries(result.headers)) lines.push(`${name}: ${value}`);
  if (result.retriedAfter401) lines.push('', vscode.l10n.t('The first answer was 401: the token was refreshed and the request sent again.'));
  if (result.rateLimitWaits) lines.push('', vscode.l10n.t('Waited out {0} rate-limit answer(s) (429) before this one.', result.rateLimitWaits));
  if (record.nextRefused) lines.push('', vscode.l10n.t('The next page is not offered: {0}', record.nextRefused));
  return `${lines.join('\n')}\n`;
}

/**
 * Whether VS Code takes the editor options that lift its large-file question (`limits`), through the
 * workbench's own open command (the one behind `vscode.open`, which passes only the documented
 * options on). When it does not, the tab may ask first, and the status bar entry says so.
 */
let limitsTaken: boolean | undefined;

/**
 * Opens a large answer's tab by the workbench, not through openTextDocument (a document above 50 MB
 * never reaches the extension host), telling VS Code it need not ask before opening it: the
 * extension wrote the file and knows its size. The browser's workbench asks at 10 MB for a remote
 * file and at 50 MB for other schemes; desktop VS Code at 1 GB.
 */
async function openWithoutSizeQuestion(uri: vscode.Uri): Promise<void> {
  // Internal commands (`_…`) are listed only when asked for all.
  limitsTaken ??= (await vscode.commands.getCommands(false)).includes(WORKBENCH_OPEN);
  if (limitsTaken) {
    try {
      // -1: the active editor group (the workbench's ACTIVE_GROUP), where vscode.open puts a tab.
      await vscode.commands.executeCommand(WORKBENCH_OPEN, uri, [-1, { preview: false, limits: { size: Number.MAX_SAFE_INTEGER } }]);
      return;
    } catch {
      limitsTaken = false;
    }
  }
  await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
}

/** The workbench's open command; it takes editor options as given. */
const WORKBENCH_OPEN = '_workbench.open';

/** Whether a large answer's tab may have asked before showing the text (VS Code did not take the limits). */
export function largeAnswerMayAsk(): boolean {
  return limitsTaken === false;
}

/** The status bar entry for the active response tab. */
export class ResponseStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('concur.response', vscode.StatusBarAlignment.Right, 200));
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
    if (record.body.file) {
      tooltip.appendText(`${vscode.l10n.t('A large answer: shown from a file in the extension\'s storage, deleted when the tab closes.')}\n\n`);
      // Where VS Code did not take the extension's word for the size, its own question may stand before the text.
      if (largeAnswerMayAsk()) tooltip.appendText(`${vscode.l10n.t('If the tab says the file is very large, choose Open Anyway: this VS Code asks before opening large files and the extension cannot answer for you.')}\n\n`);
    }
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
