/**
 * The Sessions view: each session → its access token and id token → the JWT header and claims,
 * with readable values and what each claim means for Concur. Token values themselves never
 * appear here: only what decoding them shows.
 */
import * as vscode from 'vscode';
import { describeClaim, formatClaim, formatDateTime, formatRelative, isClaimTime, SCOPE_DESCRIPTIONS, type FormattedClaim } from '../concur/claims';
import { describeOrigin } from '../concur/datacenters';
import { decodeToken, type DecodedToken } from '../concur/jwt';
import { Disposable } from '../util/lifecycle';
import { describeVerification } from '../concur/jwks';
import type { TokenVerifier } from './tokenVerification';
import { Command } from '../ids';
import type { SessionManager } from '../session/sessionManager';
import { refreshEndsInDays } from '../session/lifetime';
import type { Session } from '../session/types';

export type TokenKind = 'access' | 'id';

interface BaseNode {
  readonly id: string;
  readonly sessionId: string;
  readonly parent?: SessionTreeNode;
}

export type SessionTreeNode =
  | (BaseNode & { readonly kind: 'session' })
  | (BaseNode & { readonly kind: 'info'; readonly info: 'geolocation' | 'refresh' | 'signedOut' | 'signInAgain' })
  | (BaseNode & { readonly kind: 'token'; readonly token: TokenKind })
  | (BaseNode & { readonly kind: 'signature'; readonly token: TokenKind })
  | (BaseNode & { readonly kind: 'part'; readonly token: TokenKind; readonly part: 'header' | 'claims' })
  | (BaseNode & { readonly kind: 'claim'; readonly token: TokenKind; readonly name: string; readonly value: unknown; readonly inArray?: string });

const GRANT_LABELS: Record<Session['grant'], string> = {
  password: 'user',
  companyRequestToken: 'company',
  clientCredentials: 'app',
  authorizationCode: 'user (browser)',
  otp: 'user (one-time password)',
};

export class SessionsTreeProvider extends Disposable implements vscode.TreeDataProvider<SessionTreeNode> {
  private readonly emitter = this._register(new vscode.EventEmitter<SessionTreeNode | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  private lastRelativeRefresh = 0;

  constructor(
    private readonly sessions: SessionManager,
    onDidTick: vscode.Event<number>,
    private readonly verifier: TokenVerifier,
  ) {
    super();
    this._register(sessions.onDidChangeSessions(() => this.refresh()));
    this._register(verifier.onDidChange(() => this.emitter.fire(undefined)));
    // Relative times ("in 42 min") go stale; redraw twice a minute rather than every second.
    this._register(
      onDidTick((now) => {
        if (now - this.lastRelativeRefresh >= 30_000) this.refresh();
      }),
    );
  }

  refresh(): void {
    this.lastRelativeRefresh = Date.now();
    this.emitter.fire(undefined);
  }

  getChildren(node?: SessionTreeNode): SessionTreeNode[] {
    if (!node) {
      return this.sessions.sessions.map((s) => ({ kind: 'session', id: s.id, sessionId: s.id }));
    }
    const session = this.sessions.getSession(node.sessionId);
    if (!session) return [];
    switch (node.kind) {
      case 'session': {
        const base = { sessionId: session.id, parent: node };
        if (session.state !== 'active') {
          return [
            { ...base, kind: 'info', info: 'signedOut', id: `${session.id}/signedOut` },
            { ...base, kind: 'info', info: 'signInAgain', id: `${session.id}/signInAgain` },
          ];
        }
        const children: SessionTreeNode[] = [
          { ...base, kind: 'info', info: 'geolocation', id: `${session.id}/geolocation` },
          { ...base, kind: 'token', token: 'access', id: `${session.id}/access` },
        ];
        if (session.idToken) children.push({ ...base, kind: 'token', token: 'id', id: `${session.id}/id` });
        children.push({ ...base, kind: 'info', info: 'refresh', id: `${session.id}/refresh` });
        return children;
      }
      case 'token': {
        const decoded = this.decode(session, node.token);
        if (decoded.kind !== 'jwt') return [];
        const parts: SessionTreeNode[] = (['header', 'claims'] as const).map((part) => ({ kind: 'part', part, token: node.token, sessionId: session.id, parent: node, id: `${node.id}/${part}` }));
        return [{ kind: 'signature', token: node.token, sessionId: session.id, parent: node, id: `${node.id}/signature` }, ...parts];
      }
      case 'part': {
        const decoded = this.decode(session, node.token);
        if (decoded.kind !== 'jwt') return [];
        const values = node.part === 'header' ? decoded.header : decoded.claims;
        return Object.entries(values).map(([name, value]) => ({ kind: 'claim', name, value, token: node.token, sessionId: session.id, parent: node, id: `${node.id}/${name}` }));
      }
      case 'claim': {
        const formatted = formatClaim(node.name, node.value, Date.now());
        return (formatted.children ?? []).map((child) => ({
          kind: 'claim',
          name: child.name,
          value: child.value,
          inArray: formatted.kind === 'array' ? node.name : undefined,
          token: node.token,
          sessionId: session.id,
          parent: node,
          id: `${node.id}/${child.name}`,
        }));
      }
      default:
        return [];
    }
  }

  getParent(node: SessionTreeNode): SessionTreeNode | undefined {
    return node.parent;
  }

  /** The access-token node of a session, for "Show Token Claims". */
  accessTokenNode(sessionId: string): SessionTreeNode {
    const sessionNode: SessionTreeNode = { kind: 'session', id: sessionId, sessionId };
    return { kind: 'token', token: 'access', id: `${sessionId}/access`, sessionId, parent: sessionNode };
  }

  getTreeItem(node: SessionTreeNode): vscode.TreeItem {
    const session = this.sessions.getSession(node.sessionId);
    const now = Date.now();
    if (!session) return new vscode.TreeItem('(gone)');
    switch (node.kind) {
      case 'session':
        return this.sessionItem(session, now);
      case 'info':
        return this.infoItem(session, node.info, now);
      case 'token':
        return this.tokenItem(session, node, now);
      case 'part': {
        const decoded = this.decode(session, node.token);
        const values = decoded.kind === 'jwt' ? (node.part === 'header' ? decoded.header : decoded.claims) : {};
        const item = new vscode.TreeItem(node.part === 'header' ? 'Header' : 'Claims', node.part === 'claims' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = node.part === 'header' ? [values.alg, values.kid && `kid ${String(values.kid)}`].filter(Boolean).join(' · ') : `${Object.keys(values).length} claims`;
        item.iconPath = new vscode.ThemeIcon(node.part === 'header' ? 'symbol-namespace' : 'list-unordered');
        item.contextValue = `part.${node.part}`;
        return item;
      }
      case 'claim':
        return this.claimItem(node, now);
      case 'signature':
        return this.signatureItem(session, node);
    }
  }

  private signatureItem(session: Session, node: SessionTreeNode & { kind: 'signature' }): vscode.TreeItem {
    const result = this.verifier.get(session, node.token);
    const item = new vscode.TreeItem('Signature');
    item.id = node.id;
    item.contextValue = 'signature';
    if (!result) {
      item.description = 'checking…';
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      return item;
    }
    const ok = result.status === 'verified' && result.problems.length === 0;
    item.description = describeVerification(result);
    item.iconPath = ok
      ? new vscode.ThemeIcon('verified-filled', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${result.status === 'verified' ? (ok ? 'Signed by Concur' : 'Signed by Concur, but the claims are not right') : 'Not verified'}**\n\n`);
    tooltip.appendText(describeVerification(result));
    tooltip.appendMarkdown(
      '\n\nChecked with node:crypto against the public keys Concur publishes at `/oauth2/v0/jwks` on the token\'s issuer host. ' +
        'The check never blocks using the token, and no token is sent for it.',
    );
    item.tooltip = tooltip;
    return item;
  }

  private sessionItem(session: Session, now: number): vscode.TreeItem {
    const active = this.sessions.activeSession?.id === session.id;
    const item = new vscode.TreeItem(session.label, active && session.state === 'active' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = session.id;
    const parts = [describeOrigin(session.geolocation), GRANT_LABELS[session.grant]];
    if (session.state !== 'active') parts.push('signed out');
    else if (active) parts.push('active');
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(session.state !== 'active' ? 'warning' : active ? 'pass-filled' : 'account');
    item.contextValue = session.state !== 'active' ? 'session.signedOut' : active ? 'session.active' : 'session.inactive';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${session.label}**${active ? ' (active)' : ''}\n\n`);
    tooltip.appendMarkdown(`Grant: ${session.grant} · client id \`${session.clientId}\`\n\n`);
    tooltip.appendMarkdown(`Signed in at ${describeOrigin(session.baseUrl)}, API base (geolocation) \`${session.geolocation}\`\n\n`);
    if (session.state === 'active') tooltip.appendMarkdown(`Access token expires ${formatDateTime(session.expiresAt)} (${formatRelative(session.expiresAt, now)})`);
    else tooltip.appendMarkdown(`Signed out: ${session.signedOutReason ?? 'sign in again'}`);
    item.tooltip = tooltip;
    return item;
  }

  private infoItem(session: Session, info: 'geolocation' | 'refresh' | 'signedOut' | 'signInAgain', now: number): vscode.TreeItem {
    switch (info) {
      case 'geolocation': {
        const item = new vscode.TreeItem('Datacenter');
        item.id = `${session.id}/geolocation`;
        item.description = session.geolocation;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.tooltip = 'The token\'s geolocation: API calls and refreshes go to this host. Concur may move it; it is updated after each refresh.';
        item.contextValue = 'info.geolocation';
        return item;
      }
      case 'refresh': {
        const item = new vscode.TreeItem('Refresh token');
        item.id = `${session.id}/refresh`;
        item.iconPath = new vscode.ThemeIcon('history');
        const endsInDays = refreshEndsInDays(session, now);
        if (session.refreshToken && endsInDays !== undefined) {
          item.description = `ends ${formatRelative(session.refreshExpiresAt ?? now, now)}: sign in again`;
          item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
          item.tooltip = `The refresh token ends ${formatDateTime(session.refreshExpiresAt ?? now)}, and with it this session. Sign in again before then (click to start).`;
          item.command = { title: 'Sign In Again', command: Command.signIn, arguments: [{ sessionId: session.id }] };
        } else if (session.refreshToken) {
          item.description = session.refreshExpiresAt ? `expires ${formatDateTime(session.refreshExpiresAt)} (${formatRelative(session.refreshExpiresAt, now)})` : 'expiry not stated';
          item.tooltip = 'Refresh tokens live six months; each refresh replaces the token and moves the expiry forward. Its value stays in secret storage.';
        } else {
          item.description = session.grant === 'clientCredentials' ? 'none (app token: renewed with the client credentials)' : 'none';
        }
        item.contextValue = 'info.refresh';
        return item;
      }
      case 'signedOut': {
        const item = new vscode.TreeItem('Signed out');
        item.id = `${session.id}/signedOut`;
        item.description = session.signedOutReason;
        item.tooltip = session.signedOutReason;
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        return item;
      }
      case 'signInAgain': {
        const item = new vscode.TreeItem('Sign In Again');
        item.id = `${session.id}/signInAgain`;
        item.iconPath = new vscode.ThemeIcon('sign-in');
        item.command = { title: 'Sign In Again', command: Command.signIn, arguments: [{ sessionId: session.id }] };
        return item;
      }
    }
  }

  private tokenItem(session: Session, node: SessionTreeNode & { kind: 'token' }, now: number): vscode.TreeItem {
    const decoded = this.decode(session, node.token);
    const label = node.token === 'access' ? 'Access token' : 'ID token';
    if (decoded.kind !== 'jwt') {
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = 'opaque token (not a JWT)';
      item.tooltip = 'Concur issued a token that is not a JWT: it works for API calls, but has no claims to show.';
      item.iconPath = new vscode.ThemeIcon(node.token === 'access' ? 'key' : 'person');
      item.contextValue = 'token.opaque';
      return item;
    }
    const item = new vscode.TreeItem(label, node.token === 'access' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const exp = isClaimTime(decoded.claims.exp) ? decoded.claims.exp * 1000 : node.token === 'access' ? session.expiresAt : undefined;
    item.description = exp ? (exp > now ? `expires ${formatRelative(exp, now)}` : `expired ${formatRelative(exp, now)}`) : 'JWT';
    item.iconPath = new vscode.ThemeIcon(node.token === 'access' ? 'key' : 'person');
    item.tooltip = node.token === 'access' ? 'The bearer token sent to Concur APIs (decoded here; its value stays in secret storage).' : 'The OpenID Connect id_token: who signed in, for which app.';
    item.contextValue = 'token.jwt';
    return item;
  }

  private claimItem(node: SessionTreeNode & { kind: 'claim' }, now: number): vscode.TreeItem {
    const formatted: FormattedClaim = formatClaim(node.inArray ? '' : node.name, node.value, now);
    const isElement = node.inArray !== undefined;
    const label = isElement && formatted.kind !== 'object' && formatted.kind !== 'array' ? formatted.text : node.name;
    const collapsible = formatted.children?.length
      ? // The scopes open by themselves while they are few; a long list would push sub, exp and the rest out of sight.
        node.name === 'concur.scopes' && formatted.children.length <= 20 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(label, collapsible);
    item.id = node.id;
    if (!isElement || formatted.kind === 'object' || formatted.kind === 'array') item.description = formatted.text;
    const scopeList = node.inArray !== undefined && /scopes$/.test(node.inArray);
    item.iconPath = new vscode.ThemeIcon(
      scopeList ? 'shield' : { time: 'watch', url: 'link', array: 'symbol-array', object: 'symbol-object', scalar: 'symbol-field' }[formatted.kind],
    );
    item.contextValue = formatted.kind === 'url' ? 'claim.url' : 'claim';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${isElement ? `${node.inArray}[${node.name}]` : node.name}**\n\n`);
    const meaning = scopeList && typeof node.value === 'string' ? SCOPE_DESCRIPTIONS[node.value] : isElement ? undefined : describeClaim(node.name);
    tooltip.appendMarkdown(meaning ? `${meaning}\n\n` : isElement ? '' : 'A claim Concur does not document.\n\n');
    if (formatted.kind === 'time') tooltip.appendCodeblock(`${String(node.value)} (epoch seconds) = ${new Date(Number(node.value) * 1000).toISOString()}`, 'text');
    else if (formatted.kind === 'scalar' || formatted.kind === 'url') tooltip.appendCodeblock(String(node.value), 'text');
    item.tooltip = tooltip;
    return item;
  }

  private readonly decoded = new Map<string, DecodedToken>();

  /** Decoding is cheap but happens for every node drawn; keep the few tokens on screen decoded. */
  private decode(session: Session, token: TokenKind): DecodedToken {
    const value = token === 'access' ? session.accessToken : session.idToken;
    if (!value) return { kind: 'opaque' };
    let decoded = this.decoded.get(value);
    if (!decoded) {
      if (this.decoded.size > 8) this.decoded.clear();
      decoded = decodeToken(value);
      this.decoded.set(value, decoded);
    }
    return decoded;
  }
}
