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
import type { RequestStore, ResponseRecord } from '../requests/requestStore';
import { Disposable } from '../util/lifecycle';
import type { Messages } from './messages';

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
  return `${method} ${path.replace(/\//g, '∕')} · ${status}${part ? ` (${part})` : ''}`;
}

/** The response tabs' content, read from the RequestStore. */
export class ResponseDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly emitter = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly store: RequestStore,
    private readonly messages: Messages,
  ) {
    super();
  }

  /** The tab of a response; its title is redacted, since a path can hold a token. */
  uri(record: ResponseRecord, view?: 'headers'): vscode.Uri {
    const title = this.messages.redact(responseTitle(record.result.request.method, record.result.request.url, record.result.status, record.request.part));
    const name = view === 'headers' ? `${title} headers.txt` : `${title}.${EXTENSIONS[record.body.language]}`;
    // A title cannot hold a path separator or a query; ∕ stands in for the former already.
    return vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${name.replace(/[?#\\]/g, '_')}`, query: view ? `id=${record.id}&view=${view}` : `id=${record.id}` });
  }

  fromUri(uri: vscode.Uri | undefined): ResponseRecord | undefined {
    if (!uri || uri.scheme !== RESPONSE_SCHEME) return undefined;
    return this.store.response(Number(new URLSearchParams(uri.query).get('id')));
  }

  active(): ResponseRecord | undefined {
    return this.fromUri(vscode.window.activeTextEditor?.document.uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const record = this.fromUri(uri);
    if (!record) return 'This response is no longer kept in memory. Run the request again (Request History → Re-run).';
    if (new URLSearchParams(uri.query).get('view') === 'headers') return this.messages.redact(headersText(record));
    return record.body.text;
  }

  async show(record: ResponseRecord): Promise<void> {
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
  lines.push('(The Authorization header, Bearer and the access token, is not shown.)');
  if (result.request.body !== undefined) lines.push('', result.request.body);
  lines.push('', `HTTP ${statusLine(result.status)} · ${Math.round(result.durationMs)} ms · ${result.bytes} bytes${result.truncated ? ' (cut)' : ''}`);
  for (const [name, value] of Object.entries(result.headers)) lines.push(`${name}: ${value}`);
  if (result.retriedAfter401) lines.push('', 'The first answer was 401: the token was refreshed and the request sent again.');
  if (result.rateLimitWaits) lines.push('', `Waited out ${result.rateLimitWaits} rate-limit answer(s) (429) before this one.`);
  if (record.nextRefused) lines.push('', `The next page is not offered: ${record.nextRefused}`);
  return `${lines.join('\n')}\n`;
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
    this.item.name = 'Concur Response';
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
  }

  update(): void {
    const record = this.documents.active();
    void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.responseHasNextPage, Boolean(record?.next));
    void vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.responseIsPaged, Boolean(record && record.paging !== 'none' && record.body.json !== undefined));
    if (!record) {
      this.item.hide();
      return;
    }
    const { result } = record;
    const failed = result.status >= 400;
    const differences = this.schemaDifferences(record);
    const schemaNote = differences === undefined ? '' : differences === 0 ? ' · $(check) schema' : ` · $(warning) ${differences} schema difference${differences === 1 ? '' : 's'}`;
    this.item.text = `${failed ? '$(error)' : '$(pass)'} ${statusLine(result.status)} · ${Math.round(result.durationMs)} ms · ${formatBytes(result.bytes)}${schemaNote}`;
    this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${result.request.method}** `);
    tooltip.appendCodeblock(this.messages.redact(result.request.url), 'text');
    tooltip.appendMarkdown(`Status: ${statusLine(result.status)}  \nDuration: ${Math.round(result.durationMs)} ms  \nSize: ${formatBytes(result.bytes)}${result.truncated ? ' (cut)' : ''}  \n`);
    tooltip.appendText(`Content type: ${result.contentType || '(none)'}\nconcur-correlationid: ${this.messages.redact(result.correlationId)}\n\n`);
    if (record.body.note) tooltip.appendText(`${this.messages.redact(record.body.note)}\n\n`);
    if (differences !== undefined) {
      tooltip.appendText(
        differences === 0
          ? 'The answer matches the schema its API definition declares.\n\n'
          : `The answer differs from the schema its API definition declares in ${differences} place${differences === 1 ? '' : 's'}: see the warnings in the tab and the Problems view.\n\n`,
      );
    }
    tooltip.appendMarkdown('Click to show the response headers');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: `Concur response: ${statusLine(result.status)}, ${Math.round(result.durationMs)} milliseconds, ${formatBytes(result.bytes)}${differences ? `, ${differences} schema difference${differences === 1 ? '' : 's'}` : ''}`,
    };
    this.item.command = { title: 'Show Response Headers', command: Command.showResponseHeaders, arguments: [this.documents.uri(record)] };
    this.item.show();
  }

  /** For tests: what the entry shows now. */
  get text(): string | undefined {
    return this.documents.active() ? this.item.text : undefined;
  }
}
