/**
 * The Sessions view: each session → its access token and id token → the JWT header and claims,
 * with readable values and what each claim means for Concur. Token values themselves never
 * appear here: only what decoding them shows.
 */
import * as vscode from 'vscode';
import { describeClaim, describeScope, formatClaim, formatDateTime, formatRelative, isClaimTime, type FormattedClaim } from '../../auth/claims';
import { describeOrigin } from '../../auth/datacenters';
import { decodeToken, type DecodedToken } from '../../auth/jwt';
import { Disposable } from '../../platform/lifecycle';
import { describeVerification } from '../../auth/jwks';
import { spokenDateTime, spokenRelative } from '../../platform/ui/spoken';
import type { TokenVerifier } from '../../auth/ui/tokenVerification';
import { Command } from '../../platform/ids';
import type { SessionManager } from '../sessionManager';
import { refreshEndsInDays } from '../lifetime';
import type { Session } from '../types';

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

/** Whom a session's token is for, as the session's description shows it. */
export function grantLabel(grant: Session['grant']): string {
  switch (grant) {
    case 'password':
      return vscode.l10n.t('user');
    case 'companyRequestToken':
      return vscode.l10n.t('company');
    case 'clientCredentials':
      return vscode.l10n.t('app');
    case 'authorizationCode':
      return vscode.l10n.t('user (browser)');
    case 'otp':
      return vscode.l10n.t('user (one-time password)');
  }
}

/** What a time claim is, read out before its date: "Expires: …". */
function spokenTimeClaim(name: string, date: string, relative: string): string {
  switch (name) {
    case 'exp':
      return vscode.l10n.t('Expires: {0}, {1}', date, relative);
    case 'iat':
      return vscode.l10n.t('Issued: {0}, {1}', date, relative);
    case 'nbf':
      return vscode.l10n.t('Valid from: {0}, {1}', date, relative);
    case 'auth_time':
      return vscode.l10n.t('Signed in: {0}, {1}', date, relative);
    default:
      return vscode.l10n.t('Claim {0}: {1}, {2}', name, date, relative);
  }
}

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
    if (!session) return new vscode.TreeItem(vscode.l10n.t('(gone)'));
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
        const item = new vscode.TreeItem(node.part === 'header' ? vscode.l10n.t('Header') : vscode.l10n.t('Claims'), node.part === 'claims' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        const count = Object.keys(values).length;
        if (node.part === 'header') {
          item.description = [values.alg, values.kid && `kid ${String(values.kid)}`].filter(Boolean).join(' · ');
          const spoken = [
            values.alg !== undefined ? vscode.l10n.t('algorithm {0}', String(values.alg)) : undefined,
            values.kid !== undefined ? vscode.l10n.t('key id {0}', String(values.kid)) : undefined,
          ].filter((part): part is string => part !== undefined);
          item.accessibilityInformation = { label: spoken.length ? vscode.l10n.t('Header: {0}', spoken.join(', ')) : vscode.l10n.t('Header') };
        } else {
          item.description = count === 1 ? vscode.l10n.t('1 claim') : vscode.l10n.t('{0} claims', count);
          item.accessibilityInformation = { label: count === 1 ? vscode.l10n.t('Claims: 1 claim') : vscode.l10n.t('Claims: {0} claims', count) };
        }
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
    const item = new vscode.TreeItem(vscode.l10n.t('Signature'));
    item.id = node.id;
    item.contextValue = 'signature';
    if (!result) {
      item.description = vscode.l10n.t('checking…');
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.accessibilityInformation = { label: vscode.l10n.t('Signature: being checked') };
      return item;
    }
    const ok = result.status === 'verified' && result.problems.length === 0;
    item.description = describeVerification(result);
    item.iconPath = ok
      ? new vscode.ThemeIcon('verified-filled', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    const tooltip = new vscode.MarkdownString();
    const verdict = result.status === 'verified' ? (ok ? vscode.l10n.t('Signed by Concur') : vscode.l10n.t('Signed by Concur, but the claims are not right')) : vscode.l10n.t('Not verified');
    tooltip.appendMarkdown(`**${verdict}**\n\n`);
    tooltip.appendText(describeVerification(result));
    tooltip.appendMarkdown('\n\n');
    tooltip.appendMarkdown(
      vscode.l10n.t('Checked with node:crypto against the public keys Concur publishes at `/oauth2/v0/jwks` on the token\'s issuer host. The check never blocks using the token, and no token is sent for it.'),
    );
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: vscode.l10n.t('Signature: {0}. {1}', verdict, describeVerification(result)) };
    return item;
  }

  private sessionItem(session: Session, now: number): vscode.TreeItem {
    const active = this.sessions.activeSession?.id === session.id;
    const item = new vscode.TreeItem(session.label, active && session.state === 'active' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = session.id;
    const origin = describeOrigin(session.geolocation);
    const parts = [origin, grantLabel(session.grant)];
    if (session.state !== 'active') parts.push(vscode.l10n.t('signed out'));
    else if (active) parts.push(vscode.l10n.t('active'));
    item.description = parts.join(' · ');
    const expiry =
      session.expiresAt > now
        ? vscode.l10n.t('the access token expires {0}', spokenRelative(session.expiresAt, now))
        : vscode.l10n.t('the access token expired {0}', spokenRelative(session.expiresAt, now));
    item.accessibilityInformation = {
      label:
        session.state !== 'active'
          ? vscode.l10n.t('Session {0}, datacenter {1}, {2}, signed out', session.label, origin, grantLabel(session.grant))
          : active
            ? vscode.l10n.t('Session {0}, datacenter {1}, {2}, active, {3}', session.label, origin, grantLabel(session.grant), expiry)
            : vscode.l10n.t('Session {0}, datacenter {1}, {2}, {3}', session.label, origin, grantLabel(session.grant), expiry),
    };
    item.iconPath = new vscode.ThemeIcon(session.state !== 'active' ? 'warning' : active ? 'pass-filled' : 'account');
    item.contextValue = session.state !== 'active' ? 'session.signedOut' : active ? 'session.active' : 'session.inactive';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`${active ? vscode.l10n.t('**{0}** (active)', session.label) : `**${session.label}**`}\n\n`);
    tooltip.appendMarkdown(`${vscode.l10n.t('Grant: {0} · client id `{1}`', session.grant, session.clientId)}\n\n`);
    tooltip.appendMarkdown(`${vscode.l10n.t('Signed in at {0}, API base (geolocation) `{1}`', describeOrigin(session.baseUrl), session.geolocation)}\n\n`);
    if (session.state === 'active') tooltip.appendMarkdown(vscode.l10n.t('Access token expires {0} ({1})', formatDateTime(session.expiresAt), formatRelative(session.expiresAt, now)));
    else tooltip.appendMarkdown(vscode.l10n.t('Signed out: {0}', session.signedOutReason ?? vscode.l10n.t('sign in again')));
    item.tooltip = tooltip;
    return item;
  }

  private infoItem(session: Session, info: 'geolocation' | 'refresh' | 'signedOut' | 'signInAgain', now: number): vscode.TreeItem {
    switch (info) {
      case 'geolocation': {
        const item = new vscode.TreeItem(vscode.l10n.t('Datacenter'));
        item.id = `${session.id}/geolocation`;
        item.description = session.geolocation;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.tooltip = vscode.l10n.t('The token\'s geolocation: API calls and refreshes go to this host. Concur may move it; it is updated after each refresh.');
        item.accessibilityInformation = { label: vscode.l10n.t('Datacenter: {0}', session.geolocation) };
        item.contextValue = 'info.geolocation';
        return item;
      }
      case 'refresh': {
        const item = new vscode.TreeItem(vscode.l10n.t('Refresh token'));
        item.id = `${session.id}/refresh`;
        item.iconPath = new vscode.ThemeIcon('history');
        const endsInDays = refreshEndsInDays(session, now);
        if (session.refreshToken && endsInDays !== undefined) {
          const ends = session.refreshExpiresAt ?? now;
          item.description = vscode.l10n.t('ends {0}: sign in again', formatRelative(ends, now));
          item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
          item.tooltip = vscode.l10n.t('The refresh token ends {0}, and with it this session. Sign in again before then (click to start).', formatDateTime(ends));
          item.command = { title: vscode.l10n.t('Sign In Again'), command: Command.signIn, arguments: [{ sessionId: session.id }] };
          item.accessibilityInformation = { label: vscode.l10n.t('Refresh token ends {0}, {1}: sign in again', spokenDateTime(ends), spokenRelative(ends, now)) };
        } else if (session.refreshToken) {
          item.description = session.refreshExpiresAt
            ? vscode.l10n.t('expires {0} ({1})', formatDateTime(session.refreshExpiresAt), formatRelative(session.refreshExpiresAt, now))
            : vscode.l10n.t('expiry not stated');
          item.tooltip = vscode.l10n.t('Refresh tokens live six months; each refresh replaces the token and moves the expiry forward. Its value stays in secret storage.');
          item.accessibilityInformation = {
            label: session.refreshExpiresAt
              ? vscode.l10n.t('Refresh token expires {0}, {1}', spokenDateTime(session.refreshExpiresAt), spokenRelative(session.refreshExpiresAt, now))
              : vscode.l10n.t('Refresh token, expiry not stated'),
          };
        } else if (session.grant === 'clientCredentials') {
          item.description = vscode.l10n.t('none (app token: renewed with the client credentials)');
          item.accessibilityInformation = { label: vscode.l10n.t('Refresh token: none. App tokens are renewed with the client credentials.') };
        } else {
          item.description = vscode.l10n.t('none');
          item.accessibilityInformation = { label: vscode.l10n.t('Refresh token: none') };
        }
        item.contextValue = 'info.refresh';
        return item;
      }
      case 'signedOut': {
        const item = new vscode.TreeItem(vscode.l10n.t('Signed out'));
        item.id = `${session.id}/signedOut`;
        item.description = session.signedOutReason;
        item.tooltip = session.signedOutReason;
        item.accessibilityInformation = { label: session.signedOutReason ? vscode.l10n.t('Signed out: {0}', session.signedOutReason) : vscode.l10n.t('Signed out') };
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        return item;
      }
      case 'signInAgain': {
        const item = new vscode.TreeItem(vscode.l10n.t('Sign In Again'));
        item.id = `${session.id}/signInAgain`;
        item.iconPath = new vscode.ThemeIcon('sign-in');
        item.command = { title: vscode.l10n.t('Sign In Again'), command: Command.signIn, arguments: [{ sessionId: session.id }] };
        item.accessibilityInformation = { label: vscode.l10n.t('Sign in again as {0}', session.label), role: 'button' };
        return item;
      }
    }
  }

  private tokenItem(session: Session, node: SessionTreeNode & { kind: 'token' }, now: number): vscode.TreeItem {
    const decoded = this.decode(session, node.token);
    const label = node.token === 'access' ? vscode.l10n.t('Access token') : vscode.l10n.t('ID token');
    if (decoded.kind !== 'jwt') {
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = vscode.l10n.t('opaque token (not a JWT)');
      item.tooltip = vscode.l10n.t('Concur issued a token that is not a JWT: it works for API calls, but has no claims to show.');
      item.accessibilityInformation = { label: vscode.l10n.t('{0}: an opaque token, not a JWT', label) };
      item.iconPath = new vscode.ThemeIcon(node.token === 'access' ? 'key' : 'person');
      item.contextValue = 'token.opaque';
      return item;
    }
    const item = new vscode.TreeItem(label, node.token === 'access' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const exp = isClaimTime(decoded.claims.exp) ? decoded.claims.exp * 1000 : node.token === 'access' ? session.expiresAt : undefined;
    item.description = exp ? (exp > now ? vscode.l10n.t('expires {0}', formatRelative(exp, now)) : vscode.l10n.t('expired {0}', formatRelative(exp, now))) : 'JWT';
    item.accessibilityInformation = {
      label: exp
        ? exp > now
          ? vscode.l10n.t('{0}, expires {1}, {2}', label, spokenDateTime(exp), spokenRelative(exp, now))
          : vscode.l10n.t('{0}, expired {1}, {2}', label, spokenDateTime(exp), spokenRelative(exp, now))
        : vscode.l10n.t('{0}, a JWT', label),
    };
    item.iconPath = new vscode.ThemeIcon(node.token === 'access' ? 'key' : 'person');
    item.tooltip =
      node.token === 'access'
        ? vscode.l10n.t('The bearer token sent to Concur APIs (decoded here; its value stays in secret storage).')
        : vscode.l10n.t('The OpenID Connect id_token: who signed in, for which app.');
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
    const meaning = scopeList && typeof node.value === 'string' ? describeScope(node.value) : isElement ? undefined : describeClaim(node.name);
    tooltip.appendMarkdown(meaning ? `${meaning}\n\n` : isElement ? '' : `${vscode.l10n.t('A claim Concur does not document.')}\n\n`);
    if (formatted.kind === 'time') tooltip.appendCodeblock(vscode.l10n.t('{0} (epoch seconds) = {1}', String(node.value), new Date(Number(node.value) * 1000).toISOString()), 'text');
    else if (formatted.kind === 'scalar' || formatted.kind === 'url') tooltip.appendCodeblock(String(node.value), 'text');
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: spokenClaim(node, formatted, scopeList, now) };
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

/** A claim (or header field, or list element) as a screen reader reads it: times in words, no symbols. */
function spokenClaim(node: SessionTreeNode & { kind: 'claim' }, formatted: FormattedClaim, scope: boolean, now: number): string {
  const inHeader = node.parent?.kind === 'part' && node.parent.part === 'header';
  const count = formatted.children?.length ?? 0;
  const value =
    formatted.kind === 'array'
      ? count === 0
        ? vscode.l10n.t('an empty list')
        : count === 1
          ? vscode.l10n.t('a list of 1 item')
          : vscode.l10n.t('a list of {0} items', count)
      : formatted.kind === 'object'
        ? count === 1
          ? vscode.l10n.t('an object with 1 field')
          : vscode.l10n.t('an object with {0} fields', count)
        : formatted.text;
  if (node.inArray !== undefined) {
    if (scope) return vscode.l10n.t('Scope {0}', value);
    return vscode.l10n.t('Item {0}: {1}', Number(node.name) + 1, value);
  }
  if (formatted.kind === 'time' && isClaimTime(node.value)) {
    const ms = node.value * 1000;
    return spokenTimeClaim(node.name, spokenDateTime(ms), spokenRelative(ms, now));
  }
  return inHeader ? vscode.l10n.t('Header field {0}: {1}', node.name, value) : vscode.l10n.t('Claim {0}: {1}', node.name, value);
}
