/**
 * API responses as read-only editor tabs (scheme `concur-response`), titled with method, path and
 * status, in the language mode of their body; a status bar entry with status, duration, size,
 * content type and correlation id while such a tab is active; and the response headers on demand.
 */
import * as vscode from 'vscode';
import type { ApiResult } from '../concur/api';
import type { PagingStyle } from '../concur/catalog';
import { statusText } from '../concur/errors';
import type { BodyLanguage, FormattedBody } from '../concur/format';

export const RESPONSE_SCHEME = 'concur-response';
/** Responses whose text stays in memory, by count and by size; older tabs say to run the request again. */
const KEEP = 30;
const KEEP_CHARS = 256 * 1024 * 1024;

export interface StoredResponse {
  readonly id: number;
  readonly uri: vscode.Uri;
  readonly result: ApiResult;
  readonly body: FormattedBody;
  readonly paging: PagingStyle;
  readonly nextUrl?: string;
  readonly endpointId?: string;
  /** "page 2", "all 2,500 items": what part of a paged result this is. */
  readonly part?: string;
}

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
  let path = new URL(url).pathname;
  if (path.length > 70) path = `${path.slice(0, 30)}…${path.slice(-38)}`;
  return `${method} ${path.replace(/\//g, '∕')} · ${status}${part ? ` (${part})` : ''}`;
}

export class ResponseStore implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly responses = new Map<number, StoredResponse>();
  private nextId = 1;
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  add(entry: Omit<StoredResponse, 'id' | 'uri'>): StoredResponse {
    const id = this.nextId++;
    const title = responseTitle(entry.result.request.method, entry.result.request.url, entry.result.status, entry.part);
    const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${title}.${EXTENSIONS[entry.body.language]}`, query: `id=${id}` });
    const stored: StoredResponse = { ...entry, id, uri };
    this.responses.set(id, stored);
    let chars = 0;
    // Newest first: keep what fits, forget the rest (a single response larger than the budget stays).
    for (const [key, kept] of [...this.responses].reverse()) {
      chars += kept.body.text.length;
      if (key !== id && (key <= id - KEEP || chars > KEEP_CHARS)) this.responses.delete(key);
    }
    return stored;
  }

  get(id: number): StoredResponse | undefined {
    return this.responses.get(id);
  }

  fromUri(uri: vscode.Uri | undefined): StoredResponse | undefined {
    if (!uri || uri.scheme !== RESPONSE_SCHEME) return undefined;
    const id = Number(new URLSearchParams(uri.query).get('id'));
    return this.responses.get(id);
  }

  active(): StoredResponse | undefined {
    return this.fromUri(vscode.window.activeTextEditor?.document.uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const stored = this.responses.get(Number(query.get('id')));
    if (!stored) return 'This response is no longer kept in memory. Run the request again (Request History → Re-run).';
    if (query.get('view') === 'headers') return headersText(stored);
    return stored.body.text;
  }

  headersUri(stored: StoredResponse): vscode.Uri {
    const title = responseTitle(stored.result.request.method, stored.result.request.url, stored.result.status, stored.part);
    return vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${title} headers.txt`, query: `id=${stored.id}&view=headers` });
  }

  dispose(): void {
    this.emitter.dispose();
    this.responses.clear();
  }
}

function headersText(stored: StoredResponse): string {
  const { result } = stored;
  const lines = [`${result.request.method} ${result.request.url}`];
  for (const [name, value] of Object.entries(result.request.headers)) lines.push(`${name}: ${value}`);
  lines.push('authorization: Bearer <access token, not shown>');
  if (result.request.body !== undefined) lines.push('', result.request.body);
  lines.push('', `HTTP ${statusLine(result.status)} · ${Math.round(result.durationMs)} ms · ${result.bytes} bytes${result.truncated ? ' (cut)' : ''}`);
  for (const [name, value] of Object.entries(result.headers)) lines.push(`${name}: ${value}`);
  if (result.retriedAfter401) lines.push('', 'The first answer was 401: the token was refreshed and the request sent again.');
  if (result.rateLimitWaits) lines.push('', `Waited out ${result.rateLimitWaits} rate-limit answer(s) (429) before this one.`);
  return `${lines.join('\n')}\n`;
}

/** The status bar entry for the active response tab. */
export class ResponseStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('concur.response', vscode.StatusBarAlignment.Right, 200);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly store: ResponseStore) {
    this.item.name = 'Concur Response';
    this.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
  }

  update(): void {
    const stored = this.store.active();
    void vscode.commands.executeCommand('setContext', 'concur.responseHasNextPage', Boolean(stored?.nextUrl));
    void vscode.commands.executeCommand('setContext', 'concur.responseIsPaged', Boolean(stored && stored.paging !== 'none' && stored.body.json !== undefined));
    if (!stored) {
      this.item.hide();
      return;
    }
    const { result } = stored;
    const failed = result.status >= 400;
    this.item.text = `${failed ? '$(error)' : '$(pass)'} ${statusLine(result.status)} · ${Math.round(result.durationMs)} ms · ${formatBytes(result.bytes)}`;
    this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${result.request.method}** \`${result.request.url}\`\n\n`);
    tooltip.appendMarkdown(`Status: ${statusLine(result.status)}  \nDuration: ${Math.round(result.durationMs)} ms  \nSize: ${formatBytes(result.bytes)}${result.truncated ? ' (cut)' : ''}  \n`);
    tooltip.appendMarkdown(`Content type: ${result.contentType || '(none)'}  \nconcur-correlationid: \`${result.correlationId}\`\n\n`);
    if (stored.body.note) tooltip.appendMarkdown(`${stored.body.note}\n\n`);
    tooltip.appendMarkdown('Click to show the response headers');
    this.item.tooltip = tooltip;
    this.item.command = { title: 'Show Response Headers', command: 'concur.showResponseHeaders', arguments: [stored.uri] };
    this.item.show();
  }

  /** For tests: what the entry shows now. */
  get text(): string | undefined {
    return this.store.active() ? this.item.text : undefined;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
