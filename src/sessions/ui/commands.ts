/** The commands on sessions: make one active, its claims and tokens, refresh, copy the token, sign out. */
import * as vscode from 'vscode';
import { claimValueToCopy, isUrl } from '../../auth/claims';
import type { SignOutFlow } from '../../auth/ui/signOut';
import { BuiltinCommand, Command } from '../../platform/ids';
import type { CommandRegistry } from '../../platform/ui/commandRegistry';
import { UserError } from '../../platform/ui/commandErrors';
import type { Messages } from '../../platform/ui/messages';
import type { SessionManager } from '../sessionManager';
import type { Session } from '../types';
import { grantLabel, type SessionsTreeProvider, type SessionTreeNode } from './sessionsTree';
import { DecodedTokenDocuments } from './tokenDocument';

export interface SessionCommandServices {
  readonly messages: Messages;
  readonly sessions: SessionManager;
  readonly signOut: SignOutFlow;
  readonly tree: SessionsTreeProvider;
  readonly treeView: vscode.TreeView<SessionTreeNode>;
  readonly tokenDocuments: DecodedTokenDocuments;
}

export function registerSessionCommands(registry: CommandRegistry, services: SessionCommandServices): vscode.Disposable[] {
  const { messages, sessions } = services;

  const makeActive = async (target?: unknown): Promise<void> => {
    const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Make which Concur session active?'), false, true);
    if (session) await sessions.setActive(session.id);
  };

  return registry.register({
    [Command.signOut]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Sign out of which Concur session?'), false);
      if (session) await services.signOut.run(session);
    },
    // One action under two names: "Switch Session…" in the palette, "Make Active" on a session in the tree.
    [Command.switchSession]: makeActive,
    [Command.makeSessionActive]: makeActive,
    [Command.showClaims]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Show the claims of which Concur session?'), true);
      await vscode.commands.executeCommand(BuiltinCommand.focusSessions);
      if (session) await services.treeView.reveal(services.tree.accessTokenNode(session.id), { select: true, focus: true, expand: 2 });
    },
    [Command.showSessionActions]: async () => {
      const session = sessions.activeSession;
      if (!session || session.state !== 'active') return vscode.commands.executeCommand(Command.signIn);
      type Action = vscode.QuickPickItem & { command: string; args?: unknown[] };
      const actions: Action[] = [
        { label: vscode.l10n.t('$(refresh) Refresh Now'), command: Command.refreshToken, args: [session.id] },
        { label: vscode.l10n.t('$(account) Open My Profile'), command: Command.openProfile },
        { label: vscode.l10n.t('$(list-tree) Show Claims'), command: Command.showClaims, args: [session.id] },
        { label: vscode.l10n.t('$(copy) Copy Access Token'), command: Command.copyAccessToken, args: [session.id] },
        { label: vscode.l10n.t('$(sign-out) Sign Out'), command: Command.signOut, args: [session.id] },
      ];
      if (sessions.sessions.length > 1) actions.push({ label: vscode.l10n.t('$(arrow-swap) Switch Session…'), command: Command.switchSession });
      actions.push({ label: vscode.l10n.t('$(sign-in) Sign In Another Account…'), command: Command.signIn });
      const picked = await vscode.window.showQuickPick(actions, { placeHolder: `Concur: ${session.label}` });
      if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
    },
    [Command.copyClaimValue]: async (node?: SessionTreeNode) => {
      if (node?.kind !== 'claim') throw new UserError(vscode.l10n.t('Pick a claim in the Sessions view to copy its value.'));
      await vscode.env.clipboard.writeText(claimValueToCopy(node.value));
      messages.status(vscode.l10n.t('Copied {0}', node.name), 3000);
    },
    [Command.openClaimUrl]: async (node?: SessionTreeNode) => {
      // Only http(s) URLs are opened: a claim is text from a token, and other schemes could run commands.
      if (node?.kind !== 'claim' || !isUrl(node.value)) throw new UserError(vscode.l10n.t('Pick a claim whose value is an https URL to open it.'));
      await vscode.env.openExternal(vscode.Uri.parse(node.value));
    },
    [Command.copyDecodedToken]: async (node?: SessionTreeNode) => {
      const target = tokenTarget(node, sessions);
      const json = target && services.tokenDocuments.decodedJson(target.sessionId, target.token);
      if (!json) throw new UserError(vscode.l10n.t('This token is not a JWT: there are no claims to copy.'));
      await vscode.env.clipboard.writeText(json);
      messages.status(vscode.l10n.t('Copied the decoded claims as JSON'), 3000);
    },
    [Command.openDecodedToken]: async (node?: SessionTreeNode) => {
      const target = tokenTarget(node, sessions);
      const session = target && sessions.getSession(target.sessionId);
      if (!target || !session) throw new UserError(vscode.l10n.t("Sign in to Concur to see a token's claims."));
      const doc = await vscode.workspace.openTextDocument(DecodedTokenDocuments.uri(session.label, session.id, target.token));
      await vscode.languages.setTextDocumentLanguage(doc, 'json');
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    [Command.refreshToken]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Refresh which Concur session?'), true);
      if (!session) return;
      try {
        const refreshed = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: messages.redact(vscode.l10n.t('Refreshing the Concur access token for {0}…', session.label)) },
          () => sessions.refresh(session.id, 'requested'),
        );
        void messages.info(vscode.l10n.t('Refreshed the Concur access token for {0}; it is valid until {1}.', refreshed.label, new Date(refreshed.expiresAt).toLocaleTimeString()));
      } catch (error) {
        // A session Concur ended is announced by the session layer with "Sign In Again".
        if (sessions.getSession(session.id)?.state !== 'active') return;
        throw new UserError(vscode.l10n.t('Could not refresh the Concur access token: {0} The session is kept.', (error as Error).message));
      }
    },
    [Command.copyAccessToken]: async (target?: unknown) => {
      const session = await resolveSession(sessions, messages, target, vscode.l10n.t('Copy the access token of which Concur session?'), true);
      if (!session) return;
      const { session: fresh, accessToken } = await sessions.getAccessToken(session.id);
      await vscode.env.clipboard.writeText(accessToken);
      void messages.warn(
        vscode.l10n.t(
          'The clipboard now holds the Concur access token of {0}, a secret: anyone who has it can call Concur as {0} until {1}. Paste it only where it belongs.',
          fresh.label,
          new Date(fresh.expiresAt).toLocaleTimeString(),
        ),
      );
    },
  });
}

function tokenTarget(node: SessionTreeNode | undefined, sessions: SessionManager): { sessionId: string; token: 'access' | 'id' } | undefined {
  if (node && (node.kind === 'token' || node.kind === 'part' || node.kind === 'claim')) return { sessionId: node.sessionId, token: node.token };
  const active = sessions.activeSession;
  return active ? { sessionId: active.id, token: 'access' } : undefined;
}

/** A command's target session: passed in (id or tree node), the only one, or picked by the user. */
export async function resolveSession(
  sessions: SessionManager,
  messages: Messages,
  target: unknown,
  placeholder: string,
  activeOnly: boolean,
  pickAlways = false,
): Promise<Session | undefined> {
  await sessions.initialize();
  const id = typeof target === 'string' ? target : (target as { sessionId?: unknown } | undefined)?.sessionId;
  if (typeof id === 'string') {
    const session = sessions.getSession(id);
    if (!session) throw new UserError(vscode.l10n.t('That Concur session no longer exists.'));
    return session;
  }
  const candidates = sessions.sessions.filter((s) => !activeOnly || s.state === 'active');
  if (candidates.length === 0) {
    void messages.info(vscode.l10n.t('You are not signed in to Concur.'), vscode.l10n.t('Sign In')).then((choice) => {
      if (choice) void vscode.commands.executeCommand(Command.signIn);
    });
    return undefined;
  }
  if (activeOnly && !pickAlways && sessions.activeSession?.state === 'active') return sessions.activeSession;
  if (candidates.length === 1 && !pickAlways) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({
      label: `${s.id === sessions.activeSession?.id ? '$(pass-filled) ' : ''}${s.label}`,
      // Whom the token is for, in the Sessions view's words (not the grant's internal name).
      description: `${grantLabel(s.grant)} · ${new URL(s.geolocation).host}`,
      detail: s.state === 'active' ? vscode.l10n.t('Access token valid until {0}', new Date(s.expiresAt).toLocaleTimeString()) : vscode.l10n.t('Signed out: {0}', s.signedOutReason ?? ''),
      session: s,
    })),
    { placeHolder: placeholder },
  );
  return picked?.session;
}
