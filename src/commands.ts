import * as vscode from 'vscode';
import { describeError, isCancellation } from './concur/errors';
import type { Log } from './log';
import { describeSession, type SessionManager } from './session/sessionManager';
import type { Session } from './session/types';
import { endpointById, type Endpoint } from './concur/catalog';
import { claimValueToCopy } from './concur/claims';
import type { ApiExplorer } from './ui/apiExplorer';
import type { CatalogNode } from './ui/catalogTree';
import { signInArgsFor } from './ui/sessionNotifications';
import type { SessionsTreeProvider, SessionTreeNode } from './ui/sessionsTree';
import type { SignInArgs, SignInFlow } from './ui/signIn';
import { DecodedTokenDocuments } from './ui/tokenDocument';

/** What the commands act on; built by the composition root in extension.ts. */
export interface CommandServices {
  readonly log: Log;
  readonly sessions: SessionManager;
  readonly signIn: SignInFlow;
  readonly tree: SessionsTreeProvider;
  readonly treeView: vscode.TreeView<SessionTreeNode>;
  readonly tokenDocuments: DecodedTokenDocuments;
  readonly api: ApiExplorer;
}

/**
 * Every command the extension contributes, registered in one place. The integration suite checks
 * that this set and `contributes.commands` in package.json are the same.
 */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { log, sessions } = services;
  const makeActive = async (target?: unknown): Promise<void> => {
    const session = await resolveSession(sessions, target, 'Make which Concur session active?', false, true);
    if (session) await sessions.setActive(session.id);
  };
  const handlers: Record<string, (...args: never[]) => unknown> = {
    'concur.signIn': (args?: SignInArgs | { sessionId: string }) => {
      // From a signed-out session in the tree ("Sign In Again"): everything but the secrets prefilled.
      const from = args && 'sessionId' in args ? sessions.getSession(args.sessionId) : undefined;
      return services.signIn.run(from ? signInArgsFor(from) : isSignInArgs(args) ? args : {});
    },
    'concur.signOut': async (target?: unknown) => {
      const session = await resolveSession(sessions, target, 'Sign out of which Concur session?', false);
      if (!session) return;
      await sessions.signOut(session.id);
      void vscode.window.showInformationMessage(`Signed out of Concur: ${session.label}.`);
    },
    // One action under two names: "Switch Session…" in the palette, "Make Active" on a session in the tree.
    'concur.switchSession': makeActive,
    'concur.makeSessionActive': makeActive,
    'concur.showClaims': async (target?: unknown) => {
      const session = await resolveSession(sessions, target, 'Show the claims of which Concur session?', true);
      await vscode.commands.executeCommand('concur.sessions.focus');
      if (session) await services.treeView.reveal(services.tree.accessTokenNode(session.id), { select: true, focus: true, expand: 2 });
    },
    'concur.showSessionActions': async () => {
      const session = sessions.activeSession;
      if (!session || session.state !== 'active') return vscode.commands.executeCommand('concur.signIn');
      type Action = vscode.QuickPickItem & { command: string; args?: unknown[] };
      const actions: Action[] = [
        { label: '$(refresh) Refresh Now', command: 'concur.refreshToken', args: [session.id] },
        { label: '$(account) Open My Profile', command: 'concur.openProfile' },
        { label: '$(list-tree) Show Claims', command: 'concur.showClaims', args: [session.id] },
        { label: '$(copy) Copy Access Token', command: 'concur.copyAccessToken', args: [session.id] },
        { label: '$(sign-out) Sign Out', command: 'concur.signOut', args: [session.id] },
      ];
      if (sessions.sessions.length > 1) actions.push({ label: '$(arrow-swap) Switch Session…', command: 'concur.switchSession' });
      actions.push({ label: '$(sign-in) Sign In Another Account…', command: 'concur.signIn' });
      const picked = await vscode.window.showQuickPick(actions, { placeHolder: `Concur: ${session.label}` });
      if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
    },
    'concur.copyClaimValue': async (node?: SessionTreeNode) => {
      if (node?.kind !== 'claim') return;
      await vscode.env.clipboard.writeText(claimValueToCopy(node.value));
      vscode.window.setStatusBarMessage(`Copied ${node.name}`, 3000);
    },
    'concur.openClaimUrl': async (node?: SessionTreeNode) => {
      if (node?.kind === 'claim' && typeof node.value === 'string') await vscode.env.openExternal(vscode.Uri.parse(node.value));
    },
    'concur.copyDecodedToken': async (node?: SessionTreeNode) => {
      const target = tokenTarget(node, sessions);
      const json = target && services.tokenDocuments.decodedJson(target.sessionId, target.token);
      if (!json) return void vscode.window.showInformationMessage('This token is not a JWT: there are no claims to copy.');
      await vscode.env.clipboard.writeText(json);
      vscode.window.setStatusBarMessage('Copied the decoded claims as JSON', 3000);
    },
    'concur.openDecodedToken': async (node?: SessionTreeNode) => {
      const target = tokenTarget(node, sessions);
      const session = target && sessions.getSession(target.sessionId);
      if (!target || !session) return;
      const doc = await vscode.workspace.openTextDocument(DecodedTokenDocuments.uri(session.label, session.id, target.token));
      await vscode.languages.setTextDocumentLanguage(doc, 'json');
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    'concur.refreshToken': async (target?: unknown) => {
      const session = await resolveSession(sessions, target, 'Refresh which Concur session?', true);
      if (!session) return;
      try {
        const refreshed = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Refreshing the Concur access token for ${session.label}…` },
          () => sessions.refresh(session.id, 'requested'),
        );
        void vscode.window.showInformationMessage(
          `Refreshed the Concur access token for ${refreshed.label}; it is valid until ${new Date(refreshed.expiresAt).toLocaleTimeString()}.`,
        );
      } catch (error) {
        if (isCancellation(error)) return;
        log.error(`Refreshing ${describeSession(session)} failed`, error);
        // A session Concur ended is announced by the session layer with "Sign In Again".
        if (sessions.getSession(session.id)?.state === 'active') {
          void vscode.window.showErrorMessage(`Could not refresh the Concur access token: ${describeError(error)} The session is kept.`);
        }
      }
    },
    'concur.copyAccessToken': async (target?: unknown) => {
      const session = await resolveSession(sessions, target, 'Copy the access token of which Concur session?', true);
      if (!session) return;
      try {
        const { session: fresh, accessToken } = await sessions.getAccessToken(session.id);
        await vscode.env.clipboard.writeText(accessToken);
        void vscode.window.showWarningMessage(
          `The clipboard now holds the Concur access token of ${fresh.label}, a secret: anyone who has it can call Concur as ` +
            `${fresh.label} until ${new Date(fresh.expiresAt).toLocaleTimeString()}. Paste it only where it belongs.`,
        );
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not copy the access token: ${describeError(error)}`);
      }
    },
    'concur.openProfile': () => services.api.openProfile(),
    'concur.callApi': (args?: { method?: string; target?: string; body?: string }) => services.api.callApi(args),
    'concur.callEndpoint': (target?: string | Endpoint | CatalogNode, values?: Record<string, string>) =>
      services.api.callEndpoint(endpointOf(target), values),
    'concur.openEndpointDocs': async (target?: string | Endpoint | CatalogNode) => {
      const docs = endpointOf(target)?.docs;
      if (docs) await vscode.env.openExternal(vscode.Uri.parse(docs));
    },
    'concur.callClaimUrl': async (node?: SessionTreeNode) => {
      if (node?.kind === 'claim' && typeof node.value === 'string') return services.api.callUrl(node.value);
      return undefined;
    },
    'concur.loadNextPage': (uri?: vscode.Uri) => services.api.loadNextPage(uri),
    'concur.fetchAllPages': (uri?: vscode.Uri) => services.api.fetchAllPages(uri),
    'concur.showResponseHeaders': (uri?: vscode.Uri) => services.api.showHeaders(uri),
    'concur.copyAsCurl': (target?: vscode.Uri | { historyId: number }, includeToken?: boolean) => services.api.copyAsCurl(target, includeToken),
    'concur.rerunRequest': (target?: vscode.Uri | { historyId: number }) => services.api.rerun(target),
    'concur.reopenResponse': (target?: { historyId: number }) => services.api.reopen(target),
    'concur.showHistory': () => services.api.showHistory(),
    'concur.clearHistory': () => services.api.clearHistory(),
    'concur.showLog': () => log.show(),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

function endpointOf(target: string | Endpoint | CatalogNode | undefined): Endpoint | undefined {
  if (typeof target === 'string') return endpointById(target);
  if (target && 'kind' in target) return target.kind === 'endpoint' ? target.endpoint : undefined;
  return target;
}

function tokenTarget(node: SessionTreeNode | undefined, sessions: SessionManager): { sessionId: string; token: 'access' | 'id' } | undefined {
  if (node && (node.kind === 'token' || node.kind === 'part' || node.kind === 'claim')) return { sessionId: node.sessionId, token: node.token };
  const active = sessions.activeSession;
  return active ? { sessionId: active.id, token: 'access' } : undefined;
}

function isSignInArgs(value: unknown): value is SignInArgs {
  return typeof value === 'object' && value !== null && !('sessionId' in value);
}

/** A command's target session: passed in (id or tree node), the only one, or picked by the user. */
export async function resolveSession(
  sessions: SessionManager,
  target: unknown,
  placeholder: string,
  activeOnly: boolean,
  pickAlways = false,
): Promise<Session | undefined> {
  await sessions.initialize();
  const id = typeof target === 'string' ? target : (target as { sessionId?: unknown } | undefined)?.sessionId;
  if (typeof id === 'string') return sessions.getSession(id);
  const candidates = sessions.sessions.filter((s) => !activeOnly || s.state === 'active');
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('You are not signed in to Concur.', 'Sign In').then((choice) => {
      if (choice) void vscode.commands.executeCommand('concur.signIn');
    });
    return undefined;
  }
  if (activeOnly && !pickAlways && sessions.activeSession?.state === 'active') return sessions.activeSession;
  if (candidates.length === 1 && !pickAlways) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({
      label: `${s.id === sessions.activeSession?.id ? '$(pass-filled) ' : ''}${s.label}`,
      description: `${s.grant} · ${new URL(s.geolocation).host}`,
      detail: s.state === 'active' ? `Access token valid until ${new Date(s.expiresAt).toLocaleTimeString()}` : `Signed out: ${s.signedOutReason ?? ''}`,
      session: s,
    })),
    { placeHolder: placeholder },
  );
  return picked?.session;
}
