/**
 * Writing request files: completion of methods, catalog paths, header names and variables (the
 * file's, the chosen environment's with where each comes from, and every built-in one), a hover on
 * a request's path that shows its catalog entry (scopes, token types, paging, deprecation), and a
 * hover on a `{{reference}}` that says what it stands for and where its value comes from — never
 * showing a value that is kept out of view (a private env file's, a .env file's, the process
 * environment's, or one that looks like a secret).
 */
import * as vscode from 'vscode';
import { allEndpoints, endpointForPath, statusNote, type Endpoint } from '../../catalog/catalog';
import { BUILTINS, builtinOf, describeBuiltin, parseBuiltin } from '../dynamicVariables';
import type { EnvironmentVariable } from '../environments';
import { looksLikeSecret } from '../secrets';
import { REQUEST_NAME, type ParsedRequestFile } from '../parse';
import { variableReferences } from '../variables';
import type { RequestFiles } from './requestFiles';
import { endpointFacts, escapeMarkdown } from '../../catalog/ui/catalogTree';

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
    const items: vscode.CompletionItem[] = [];
    const seen = new Set<string>();
    for (const variable of [...file.variables].reverse()) {
      if (seen.has(variable.name)) continue;
      seen.add(variable.name);
      const item = new vscode.CompletionItem(variable.name, vscode.CompletionItemKind.Variable);
      item.range = range;
      item.detail = vscode.l10n.t('File variable (line {0})', variable.line + 1);
      item.documentation = valueMarkdown(variable.value, looksLikeSecret(variable.name, variable.value));
      item.sortText = `0${variable.name}`;
      items.push(item);
    }
    const environment = this.files.environments?.forDocument(doc);
    for (const variable of environment?.variables.values() ?? []) {
      if (seen.has(variable.name)) continue;
      seen.add(variable.name);
      const item = new vscode.CompletionItem(variable.name, vscode.CompletionItemKind.Variable);
      item.range = range;
      item.detail = this.environmentDetail(variable);
      item.documentation = valueMarkdown(variable.value, variable.secret);
      item.sortText = `1${variable.name}`;
      items.push(item);
    }
    for (const request of file.requests) {
      // A name with blanks (a `### title`, or httpYac's `# @name get user`) names a request but cannot be referred to.
      if (!request.name || !REQUEST_NAME.test(request.name)) continue;
      for (const name of [`${request.name}.response.body.$`, `${request.name}.response.headers.`]) {
        const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Reference);
        item.range = range;
        item.detail = vscode.l10n.t('The answer of the request named {0}', request.name);
        item.sortText = `2${name}`;
        items.push(item);
      }
    }
    for (const builtin of BUILTINS) {
      const label = builtin.name === '$env.' ? '$env.NAME' : builtin.name;
      const item = new vscode.CompletionItem({ label, description: builtin.origin }, builtin.snippet.includes('${') ? vscode.CompletionItemKind.Function : vscode.CompletionItemKind.Constant);
      item.range = range;
      item.insertText = new vscode.SnippetString(builtin.snippet);
      item.filterText = builtin.name;
      item.detail = builtin.usage;
      item.documentation = new vscode.MarkdownString().appendText(describeBuiltin(builtin.name));
      item.sortText = `3${label}`;
      items.push(item);
    }
    return items;
  }

  /** "Environment dev · http-client.env.json" for an environment variable. */
  private environmentDetail(variable: EnvironmentVariable): string {
    const source = this.files.environments?.describeSource(variable.source) ?? '';
    if (variable.environment === '$shared') return vscode.l10n.t('Shared by every environment · {0}', source);
    if (!variable.environment) return vscode.l10n.t('Every environment · {0}', source);
    return vscode.l10n.t('Environment {0} · {1}', variable.environment, source);
  }

  /** What a `{{reference}}` stands for and where its value comes from. */
  private variableHover(doc: vscode.TextDocument, file: ParsedRequestFile, name: string): vscode.MarkdownString {
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`${codeSpan(`{{${name}}}`)}\n\n`);
    const environment = this.files.environments?.forDocument(doc);
    if (name.startsWith('$')) {
      const builtin = builtinOf(name);
      if (!builtin) {
        md.appendText(vscode.l10n.t('Not a built-in variable that REST Client, JetBrains or this extension knows.'));
        return md;
      }
      md.appendText(describeBuiltin(builtin.name));
      md.appendMarkdown(`\n\n${escapeMarkdown(builtin.usage)} · ${escapeMarkdown(builtin.origin)}`);
      const call = parseBuiltin(name);
      const arg = typeof call === 'object' ? call.args[0] : undefined;
      if ((builtin.name === '$processEnv' || builtin.name === '$env.') && arg && !arg.startsWith('%')) {
        const value = process.env[arg];
        md.appendMarkdown('\n\n');
        md.appendText(
          value === undefined
            ? builtin.name === '$processEnv'
              ? vscode.l10n.t('{0} is not set: an empty text is sent, as REST Client does.', arg)
              : vscode.l10n.t('{0} is not set: the request cannot be sent.', arg)
            : vscode.l10n.t('{0} is set ({1} characters, not shown).', arg, value.length),
        );
      } else if (builtin.name === '$dotenv' && arg && !arg.startsWith('%') && environment) {
        const found = environment.dotenv(arg);
        md.appendMarkdown('\n\n');
        md.appendText(
          found.value !== undefined
            ? vscode.l10n.t('From {0} ({1} characters, not shown).', vscode.workspace.asRelativePath(vscode.Uri.file(found.file ?? ''), false), found.value.length)
            : found.file
              ? vscode.l10n.t('{0} has no {1}.', vscode.workspace.asRelativePath(vscode.Uri.file(found.file), false), arg)
              : vscode.l10n.t('No .env file next to this file or in a folder above it.'),
        );
      }
      return md;
    }
    const definitions = file.variables.filter((v) => v.name === name);
    const fromEnvironment = environment?.variables.get(name);
    if (definitions.length) {
      const winner = definitions[definitions.length - 1];
      md.appendText(vscode.l10n.t('File variable, defined in line {0}.', winner.line + 1));
      md.appendMarkdown('\n\n');
      md.appendMarkdown(valueMarkdown(winner.value, looksLikeSecret(name, winner.value)).value);
      if (fromEnvironment) {
        md.appendMarkdown('\n\n');
        md.appendText(vscode.l10n.t('It wins over the value the environment gives it ({0}), as in REST Client.', this.environmentDetail(fromEnvironment)));
      }
      return md;
    }
    if (fromEnvironment) {
      md.appendText(this.environmentDetail(fromEnvironment));
      md.appendMarkdown('\n\n');
      md.appendMarkdown(valueMarkdown(fromEnvironment.value, fromEnvironment.secret).value);
      return md;
    }
    const response = /^([\w-]+)\.response\.(body|headers)\b/.exec(name);
    if (response && file.requests.some((r) => r.name === response[1])) {
      md.appendText(vscode.l10n.t('From the answer of the request named {0} (sent first when it has not run in this window).', response[1]));
      return md;
    }
    md.appendText(
      vscode.l10n.t('Not defined: define it with @{0} = … or in a request environment (chosen: {1}).', name, environment?.selected ?? vscode.l10n.t('none')),
    );
    return md;
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
    const line = doc.lineAt(position.line).text;
    if (line.includes('{{')) {
      const reference = variableReferences(line).find((r) => position.character >= r.start && position.character < r.end);
      if (reference?.name) return new vscode.Hover(this.variableHover(doc, file, reference.name), new vscode.Range(position.line, reference.start, position.line, reference.end));
    }
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

/**
 * Text shown as code, exactly as written: inside a code span Markdown escapes are shown literally
 * (`\{\{name\}\}`), so the span's fence is made longer than any run of backticks in the text instead.
 */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A variable's value for a hover or completion: shown (cut at 500 characters), or only its length when it is kept out of view. */
function valueMarkdown(value: string, secret: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  if (secret) md.appendText(vscode.l10n.t('Value not shown ({0} characters): it is kept out of view like a secret.', value.length));
  else if (!value) md.appendText(vscode.l10n.t('Empty value'));
  else md.appendCodeblock(value.length > 500 ? `${value.slice(0, 499)}…` : value, 'text');
  return md;
}
