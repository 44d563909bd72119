/**
 * The API Catalog view: Concur's endpoints grouped by product — the built-in ones, then each API
 * definition's, by tag — each with method, path and the scope it needs, a mark on deprecated ones,
 * and a warning when the active token cannot call it (the reason in the tooltip). A definition that
 * did not read shows as an error entry that says why.
 */
import * as vscode from 'vscode';
import { accessProblem, catalogByProduct, endpointById, matchesFilter, onCatalogChange, statusNote, tokenAccess, type Endpoint } from '../catalog';
import { orList } from '../../platform/errors';
import { BuiltinCommand, Command, ContextKey } from '../../platform/ids';
import type { SessionManager } from '../../sessions/sessionManager';
import { Disposable } from '../../platform/lifecycle';
import type { ApiDefinitions, DefinitionProblem } from './apiDefinitions';

export type CatalogNode =
  | { kind: 'product'; product: string; endpoints: Endpoint[]; source?: string; location?: string; warnings?: readonly string[] }
  | { kind: 'tag'; product: string; tag: string; endpoints: Endpoint[]; source: string }
  | { kind: 'endpoint'; endpoint: Endpoint }
  | { kind: 'problem'; problem: DefinitionProblem };

export class CatalogTreeProvider extends Disposable implements vscode.TreeDataProvider<CatalogNode> {
  private readonly emitter = this._register(new vscode.EventEmitter<CatalogNode | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private groups: CatalogNode[] = [];
  private filterText = '';

  constructor(
    private readonly sessions: SessionManager,
    private readonly definitions?: ApiDefinitions,
  ) {
    super();
    this.regroup();
    this._register(sessions.onDidChangeSessions(() => this.emitter.fire(undefined)));
    const unsubscribe = onCatalogChange(() => {
      this.regroup();
      this.emitter.fire(undefined);
    });
    this._register({ dispose: unsubscribe });
    if (definitions) this._register(definitions.onDidChange(() => this.emitter.fire(undefined)));
  }

  /** Built-in products, then one per API definition (the definition's location kept for "Remove"). */
  private regroup(): void {
    const loaded = new Map((this.definitions?.definitions ?? []).map((d) => [d.id, d]));
    this.groups = catalogByProduct().map((g): CatalogNode => {
      const source = g.endpoints[0]?.source;
      const definition = source ? loaded.get(source) : undefined;
      return source ? { kind: 'product', ...g, source, location: definition?.location, warnings: definition?.warnings } : { kind: 'product', ...g };
    });
  }

  /** What the view is filtered by ('' for nothing). */
  get filter(): string {
    return this.filterText;
  }

  /** Shows only the endpoints whose method, path, title, product, scopes or status hold every word. */
  async setFilter(text: string): Promise<void> {
    this.filterText = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    await vscode.commands.executeCommand(BuiltinCommand.setContext, ContextKey.catalogFiltered, this.filterText !== '');
    this.emitter.fire(undefined);
  }

  /** How many endpoints the filter lets through. */
  get shownCount(): number {
    return this.visibleGroups().reduce((n, g) => n + (g.kind === 'product' ? g.endpoints.length : 0), 0);
  }

  private visibleGroups(): CatalogNode[] {
    if (!this.filterText) return this.groups;
    return this.groups.flatMap((g): CatalogNode[] => {
      if (g.kind !== 'product') return [];
      const endpoints = g.endpoints.filter((e) => matchesFilter(e, this.filterText));
      return endpoints.length ? [{ ...g, endpoints }] : [];
    });
  }

  getChildren(node?: CatalogNode): CatalogNode[] {
    if (!node) {
      // The first look at the catalog reads the configured API definitions (in the background).
      void this.definitions?.ensureLoaded();
      const problems = this.filterText ? [] : (this.definitions?.problems ?? []).map((problem): CatalogNode => ({ kind: 'problem', problem }));
      return [...this.visibleGroups(), ...problems];
    }
    if (node.kind === 'product') {
      const tags = tagsOf(node.endpoints);
      if (tags.length > 1) return tags.map(([tag, endpoints]): CatalogNode => ({ kind: 'tag', product: node.product, tag, endpoints, source: node.source ?? '' }));
    }
    return node.kind === 'product' || node.kind === 'tag' ? node.endpoints.map((endpoint) => ({ kind: 'endpoint', endpoint })) : [];
  }

  getParent(node: CatalogNode): CatalogNode | undefined {
    if (node.kind === 'product' || node.kind === 'problem') return undefined;
    const id = node.kind === 'endpoint' ? node.endpoint.id : undefined;
    const product = this.visibleGroups().find(
      (g) => g.kind === 'product' && (node.kind === 'tag' ? (g.source ?? '') === node.source && g.product === node.product : g.endpoints.some((e) => e.id === id)),
    );
    if (!product || node.kind === 'tag') return product;
    const tagNode = this.getChildren(product).find((c) => c.kind === 'tag' && c.endpoints.some((e) => e.id === id));
    return tagNode ?? product;
  }

  /** The product node of an API definition, for revealing it once added. */
  productNode(source: string): CatalogNode | undefined {
    return this.groups.find((g) => g.kind === 'product' && g.source === source);
  }

  /** The tree node of an endpoint, for revealing it ("Find Endpoint…"). */
  nodeOf(id: string): CatalogNode | undefined {
    const endpoint = endpointById(id);
    return endpoint && { kind: 'endpoint', endpoint };
  }

  /** Why the active token cannot call the endpoint; undefined when it can or nobody is signed in. */
  problem(endpoint: Endpoint): string | undefined {
    const session = this.sessions.activeSession;
    if (!session || session.state !== 'active') return undefined;
    return accessProblem(endpoint, tokenAccess(session));
  }

  getTreeItem(node: CatalogNode): vscode.TreeItem {
    if (node.kind === 'product') {
      const item = new vscode.TreeItem(node.product, node.source ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
      item.id = `product/${node.source ?? 'built-in'}/${node.product}`;
      item.iconPath = new vscode.ThemeIcon(node.source ? 'file-code' : 'package');
      const count = node.endpoints.length;
      if (node.source) {
        item.description = count === 1 ? vscode.l10n.t('1 operation · API definition') : vscode.l10n.t('{0} operations · API definition', count);
        const warnings = node.warnings?.length ?? 0;
        if (warnings) item.description += ` · ${warnings === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warnings)}`;
        item.accessibilityInformation = {
          label: count === 1 ? vscode.l10n.t('{0}, API definition, 1 operation', node.product) : vscode.l10n.t('{0}, API definition, {1} operations', node.product, count),
        };
      } else {
        item.description = count === 1 ? vscode.l10n.t('1 endpoint') : vscode.l10n.t('{0} endpoints', count);
        item.accessibilityInformation = { label: count === 1 ? vscode.l10n.t('{0}, 1 endpoint', node.product) : vscode.l10n.t('{0}, {1} endpoints', node.product, count) };
      }
      item.contextValue = node.source ? 'catalog.definition' : 'catalog.product';
      if (node.location) {
        item.tooltip = new vscode.MarkdownString()
          .appendMarkdown(`${vscode.l10n.t('**{0}**, read from an API definition:', escapeMarkdown(node.product))}\n\n`)
          .appendCodeblock(node.location, 'text')
          .appendMarkdown(`\n\n${vscode.l10n.t('Requests go to the signed-in session\'s own Concur host, whatever servers the document names.')}`);
        if (node.warnings?.length) {
          item.tooltip.appendMarkdown(`\n\n${vscode.l10n.t('**Read leniently:**')}\n\n`);
          item.tooltip.appendCodeblock(node.warnings.slice(0, 10).join('\n') + (node.warnings.length > 10 ? `\n…` : ''), 'text');
        }
      }
      return item;
    }
    if (node.kind === 'tag') {
      const item = new vscode.TreeItem(node.tag, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `tag/${node.source || 'built-in'}/${node.product}/${node.tag}`;
      item.iconPath = new vscode.ThemeIcon('tag');
      item.description = `${node.endpoints.length}`;
      item.accessibilityInformation = {
        label: node.endpoints.length === 1 ? vscode.l10n.t('{0}, 1 operation', node.tag) : vscode.l10n.t('{0}, {1} operations', node.tag, node.endpoints.length),
      };
      item.contextValue = 'catalog.tag';
      return item;
    }
    if (node.kind === 'problem') {
      const { problem } = node;
      const item = new vscode.TreeItem(problem.location.length > 60 ? `…${problem.location.slice(-58)}` : problem.location);
      item.id = `problem/${problem.location}`;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.description = vscode.l10n.t('could not be read');
      const tooltip = new vscode.MarkdownString();
      tooltip.appendMarkdown(`${vscode.l10n.t('**This API definition could not be read.** The rest of the catalog is unchanged.')}\n\n`);
      tooltip.appendCodeblock(`${problem.location}\n\n${problem.message}${problem.where ? `\n\n${vscode.l10n.t('at {0}', problem.where)}` : ''}`, 'text');
      item.tooltip = tooltip;
      item.contextValue = 'catalog.definitionProblem';
      item.accessibilityInformation = {
        label: problem.where
          ? vscode.l10n.t('API definition {0} could not be read: {1}, at {2}', problem.location, problem.message, problem.where)
          : vscode.l10n.t('API definition {0} could not be read: {1}', problem.location, problem.message),
      };
      return item;
    }
    const { endpoint } = node;
    const problem = this.problem(endpoint);
    const note = statusNote(endpoint);
    const item = new vscode.TreeItem(`${endpoint.method} ${endpoint.path}`);
    item.id = `endpoint/${endpoint.id}`;
    const status = note ? statusWord(endpoint) : undefined;
    item.description = [status, endpoint.title, endpoint.scopes.length ? `${endpoint.scopes[0]}${endpoint.scopes.length > 1 ? ' …' : ''}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = problem
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : note
        ? new vscode.ThemeIcon('history', new vscode.ThemeColor('disabledForeground'))
        : new vscode.ThemeIcon('symbol-method');
    const tooltip = new vscode.MarkdownString();
    // A definition's texts come from its document: shown as text, not as Markdown that could link or run commands.
    tooltip.appendMarkdown(`**${escapeMarkdown(endpoint.title)}** (${escapeMarkdown(endpoint.product)})\n\n${escapeMarkdown(endpoint.description)}\n\n`);
    if (note) tooltip.appendMarkdown(`$(history) **${note}**\n\n`);
    tooltip.appendCodeblock(`${endpoint.method} ${endpoint.path}`, 'text');
    const facts = endpointFacts(endpoint);
    if (endpoint.body) {
      const contentType = escapeMarkdown(endpoint.body.contentType);
      facts.push(endpoint.body.schema ? vscode.l10n.t('Body: {0}, with a schema', contentType) : vscode.l10n.t('Body: {0}', contentType));
    }
    tooltip.appendMarkdown(`${facts.join('  \n')}\n\n`);
    if (problem) tooltip.appendMarkdown(`$(warning) ${problem}\n\n`);
    item.tooltip = tooltip;
    tooltip.supportThemeIcons = true;
    // The docs button only where there is a page to open (an API definition's operation may have none).
    item.contextValue = endpoint.docs ? 'catalog.endpoint' : 'catalog.endpointWithoutDocs';
    item.command = { title: vscode.l10n.t('Call Endpoint'), command: Command.callEndpoint, arguments: [endpoint.id] };
    // The whole status note (since when, what instead), not just the word: the tooltip is hard to reach with a screen reader.
    const spoken = [`${endpoint.method} ${endpoint.path}`, endpoint.title, endpoint.product, note, problem ? vscode.l10n.t('warning: {0}', problem) : undefined];
    item.accessibilityInformation = { label: spoken.filter(Boolean).join(', ') };
    return item;
  }
}

/** "deprecated" or "decommissioned", for an endpoint that is not current. */
function statusWord(endpoint: Endpoint): string | undefined {
  switch (endpoint.status?.kind) {
    case 'deprecated':
      return vscode.l10n.t('deprecated');
    case 'decommissioned':
      return vscode.l10n.t('decommissioned');
    default:
      return undefined;
  }
}

/** An endpoint's scopes, token types and paging style, one Markdown line each (for tooltips and hovers). */
export function endpointFacts(endpoint: Endpoint): string[] {
  const notStated = vscode.l10n.t('(not stated)');
  return [vscode.l10n.t('Scope: {0}', orList(endpoint.scopes.map(escapeMarkdown)) || notStated), vscode.l10n.t('Tokens: {0}', endpoint.tokenTypes.join(', ') || notStated), vscode.l10n.t('Paging: {0}', endpoint.paging)];
}

/** An API definition's operations by tag, in the order the tags first appear. */
function tagsOf(endpoints: readonly Endpoint[]): [string, Endpoint[]][] {
  const tags = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) {
    const tag = endpoint.tag ?? vscode.l10n.t('Other');
    const list = tags.get(tag);
    if (list) list.push(endpoint);
    else tags.set(tag, [endpoint]);
  }
  return [...tags];
}

/** Text from a document, safe in a Markdown tooltip: no links, images, HTML or command URIs. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (c) => `\\${c}`);
}

/** The endpoint a command names: by id, as an endpoint, or as its node in the catalog tree. */
export function endpointOf(target: string | Endpoint | CatalogNode | undefined): Endpoint | undefined {
  if (typeof target === 'string') return endpointById(target);
  if (target && 'kind' in target) return target.kind === 'endpoint' ? target.endpoint : undefined;
  return target && typeof target === 'object' && typeof target.id === 'string' ? endpointById(target.id) : undefined;
}
