import * as vscode from 'vscode';
import { describeError, isCancellation } from './concur/errors';
import type { Log } from './log';
import { describeSession, type SessionManager } from './session/sessionManager';
import type { Session } from './session/types';
import { signInArgsFor } from './ui/sessionNotifications';
import type { SignInArgs, SignInFlow } from './ui/signIn';

/** What the commands act on; built by the composition root in extension.ts. */
export interface CommandServices {
  readonly log: Log;
  readonly sessions: SessionManager;
  readonly signIn: SignInFlow;
}

/**
 * Every command the extension contributes, registered in one place. The integration suite checks
 * that this set and `contributes.commands` in package.json are the same.
 */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { log, sessions } = services;
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
    'concur.switchSession': async (target?: unknown) => {
      const session = await resolveSession(sessions, target, 'Make which Concur session active?', false, true);
      if (session) await sessions.setActive(session.id);
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
    'concur.showLog': () => log.show(),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
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
