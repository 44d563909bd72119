/**
 * Writing request files: completion of methods, catalog paths, header names and variables, and a
 * hover on a request's path that shows its catalog entry (scopes, token types, paging, deprecation).
 */
import * as vscode from 'vscode';
import { allEndpoints, endpointForPath, statusNote, type Endpoint } from '../concur/catalog';
import { REQUEST_NAME } from '../requestFiles/parse';
import { knownVariableNames } from '../requestFiles/variables';
import type { RequestFiles } from './requestFiles';
import { endpointFacts, escapeMarkdown } from './catalogTree';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const HEADERS: readonly [string, string][] = [
  ['Accept', 'application/json'],
  ['Content-Type', 'application/json'],
  ['Authorization', 'Bearer {{$concur.accessToken}}'],
  ['Accept-Language', 'en-US'],
  ['concur-correlationid', '{{$guid}}'],
  ['If-None-Match', ''],
];

/** The catalog entry a request line's path is, if any (kept here for the request-file code that imports it). */
export { endpointForPath } from '../concur/catalog';

/** A catalog path as request-file text: the token's subject as `{{$concur.sub}}`, other parameters as variables. */
export function pathAsText(endpoint: Endpoint): string {
  return endpoint.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (endpoint.params.find((p) => p.name === name)?.fromSession === 'sub' ? '{{$concur.sub}}' : `{{${name}}}`));
}

export class RequestFileEditor implements vscode.CompletionItemProvider, vscode.HoverProvider, vscode.FoldingRangeProvider {
  constructor(private readonly files: RequestFiles) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const line = doc.lineAt(position.line).text;
    const before = line.slice(0, position.character);
    const variable = /\{\{([^{}]*)$/.exec(before);
    if (variable) return this.variables(doc, position, variable[1]);
    const requestLine = /^\s*([A-Za-z]+)\s+(\S*)$/.exec(before);
    if (requestLine && METHODS.includes(requestLine[1].toUpperCase())) {
      const range = new vscode.Range(position.line, position.character - requestLine[2].length, position.line, position.character);
      return allEndpoints()
        .filter((e) => e.method === requestLine[1].toUpperCase())
        .map((e) => {
          const item = new vscode.CompletionItem({ label: pathAsText(e), description: `${e.product}: ${e.title}` }, vscode.CompletionItemKind.Reference);
          item.range = range;
          const scopes = e.scopes.reduce<string | undefined>((all, scope) => (all === undefined ? scope : vscode.l10n.t('{0} or {1}', all, scope)), undefined) ?? vscode.l10n.t('no stated scope');
          const status = statusNote(e) ? (e.status?.kind === 'decommissioned' ? vscode.l10n.t('decommissioned') : vscode.l10n.t('deprecated')) : undefined;
          item.detail = status ? `${scopes} · ${status}` : scopes;
          item.documentation = endpointMarkdown(e);
          return item;
        });
    }
    if (/^\s*[A-Za-z]*$/.test(before)) {
      const file = this.files.parse(doc);
      const inHeaders = file.requests.some((r) => position.line > r.requestLine && (r.body ? position.line < r.body.firstLine : position.line <= r.lastLine) && !this.blankBetween(doc, r.requestLine, position.line));
      if (inHeaders) {
        return HEADERS.map(([name, value]) => {
          const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Property);
          item.insertText = `${name}: ${value}`;
          if (name === 'Authorization') item.detail = vscode.l10n.t('Not needed: without it the session\'s token is sent');
          return item;
        });
      }
      return METHODS.map((m) => {
        const item = new vscode.CompletionItem(m, vscode.CompletionItemKind.Keyword);
        item.insertText = `${m} `;
        item.command = { title: vscode.l10n.t('Suggest paths'), command: 'editor.action.triggerSuggest' };
        return item;
      });
    }
    return [];
  }

  private blankBetween(doc: vscode.TextDocument, from: number, to: number): boolean {
    for (let line = from + 1; line < to; line++) if (!doc.lineAt(line).text.trim()) return true;
    return false;
  }

  private variables(doc: vscode.TextDocument, position: vscode.Position, typed: string): vscode.CompletionItem[] {
    const file = this.files.parse(doc);
    const range = new vscode.Range(position.line, position.character - typed.length, position.line, position.character);
    // A name with blanks (a `### title`, or httpYac's `# @name get user`) names a request but cannot be referred to.
    const names = [...knownVariableNames(file), ...file.requests.filter((r) => r.name && REQUEST_NAME.test(r.name)).flatMap((r) => [`${r.name}.response.body.$`, `${r.name}.response.headers.`])];
    return [...new Set(names)].map((name) => {
      const item = new vscode.CompletionItem(name, name.startsWith('$') ? vscode.CompletionItemKind.Constant : name.includes('.response.') ? vscode.CompletionItemKind.Reference : vscode.CompletionItemKind.Variable);
      item.range = range;
      if (name === '$concur.accessToken') item.detail = vscode.l10n.t('The session\'s token, put in when sending (Authorization header only)');
      return item;
    });
  }

  /** Each request folds from its ### line (or first line) to its last. */
  provideFoldingRanges(doc: vscode.TextDocument): vscode.FoldingRange[] {
    return this.files
      .parse(doc)
      .requests.map((r) => new vscode.FoldingRange(r.separatorLine ?? r.firstLine, r.lastLine, vscode.FoldingRangeKind.Region))
      .filter((r) => r.end > r.start);
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const file = this.files.parse(doc);
    const request = file.requests.find((r) => r.requestLine === position.line);
    if (!request) return undefined;
    const span = request.urlSpan;
    if (position.character < span.start || position.character > span.end) return undefined;
    const endpoint = endpointForPath(request.method, request.url);
    if (!endpoint) return undefined;
    return new vscode.Hover(endpointMarkdown(endpoint), new vscode.Range(span.line, span.start, span.line, span.end));
  }
}

function endpointMarkdown(endpoint: Endpoint): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMarkdown(endpoint.product)}: ${escapeMarkdown(endpoint.title)}**\n\n`);
  if (endpoint.description) md.appendMarkdown(`${escapeMarkdown(endpoint.description)}\n\n`);
  const note = statusNote(endpoint);
  if (note) md.appendMarkdown(`**${escapeMarkdown(note)}**\n\n`);
  md.appendMarkdown(`${endpointFacts(endpoint).join('  \n')}\n\n`);
  if (endpoint.docs && /^https:\/\/[^\s()<>]+$/.test(endpoint.docs)) {
    md.appendMarkdown(endpoint.source ? vscode.l10n.t('[Documentation]({0})', endpoint.docs) : vscode.l10n.t('[Concur\'s reference]({0})', endpoint.docs));
  }
  return md;
}
