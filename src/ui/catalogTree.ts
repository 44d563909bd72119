/**
 * The API Catalog view: Concur's endpoints grouped by product, each with method, path and the scope
 * it needs, and a warning when the active token cannot call it (the reason in the tooltip).
 */
import * as vscode from 'vscode';
import { accessProblem, catalogByProduct, endpointById, matchesFilter, statusNote, tokenAccess, type Endpoint } from '../concur/catalog';
import { BuiltinCommand, Command, ContextKey } from '../ids';
import type { SessionManager } from '../session/sessionManager';
import { Disposable } from '../util/lifecycle';

export type CatalogNode = { kind: 'product'; product: string; endpoints: Endpoint[] } | { kind: 'endpoint'; endpoint: Endpoint };

export class CatalogTreeProvider extends Disposable implements vscode.TreeDataProvider<CatalogNode> {
  private readonly emitter = this._register(new vscode.EventEmitter<CatalogNode | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly groups = catalogByProduct().map((g): CatalogNode => ({ kind: 'product', ...g }));
  private filterText = '';

  constructor(private readonly sessions: SessionManager) {
    super();
    this._register(sessions.onDidChangeSessions(() => this.emitter.fire(undefined)));
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
    if (!node) return this.visibleGroups();
    return node.kind === 'product' ? node.endpoints.map((endpoint) => ({ kind: 'endpoint', endpoint })) : [];
  }

  getParent(node: CatalogNode): CatalogNode | undefined {
    if (node.kind === 'product') return undefined;
    return this.visibleGroups().find((g) => g.kind === 'product' && g.endpoints.some((e) => e.id === node.endpoint.id));
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
      const item = new vscode.TreeItem(node.product, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `product/${node.product}`;
      item.iconPath = new vscode.ThemeIcon('package');
      item.description = `${node.endpoints.length} endpoint${node.endpoints.length === 1 ? '' : 's'}`;
      item.contextValue = 'catalog.product';
      return item;
    }
    const { endpoint } = node;
    const problem = this.problem(endpoint);
    const note = statusNote(endpoint);
    const item = new vscode.TreeItem(`${endpoint.method} ${endpoint.path}`);
    item.id = `endpoint/${endpoint.id}`;
    item.description = `${note ? `${endpoint.status?.kind} · ` : ''}${endpoint.title} · ${endpoint.scopes[0]}${endpoint.scopes.length > 1 ? ' …' : ''}`;
    item.iconPath = problem
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : note
        ? new vscode.ThemeIcon('history', new vscode.ThemeColor('disabledForeground'))
        : new vscode.ThemeIcon('symbol-method');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${endpoint.title}** (${endpoint.product})\n\n${endpoint.description}\n\n`);
    if (note) tooltip.appendMarkdown(`$(history) **${note}**\n\n`);
    tooltip.appendCodeblock(`${endpoint.method} ${endpoint.path}`, 'text');
    tooltip.appendMarkdown(`Scope: ${endpoint.scopes.map((s) => `\`${s}\``).join(' or ')}  \nTokens: ${endpoint.tokenTypes.join(', ')}  \nPaging: ${endpoint.paging}\n\n`);
    if (problem) tooltip.appendMarkdown(`$(warning) ${problem}\n\n`);
    item.tooltip = tooltip;
    tooltip.supportThemeIcons = true;
    item.contextValue = 'catalog.endpoint';
    item.command = { title: 'Call Endpoint', command: Command.callEndpoint, arguments: [endpoint.id] };
    item.accessibilityInformation = { label: `${endpoint.method} ${endpoint.path}, ${endpoint.title}${note ? `, ${note}` : ''}${problem ? `, warning: ${problem}` : ''}` };
    return item;
  }
}
