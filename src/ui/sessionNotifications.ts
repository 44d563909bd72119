/** What the user is told about sessions when nobody asked: Concur ended one, refreshing keeps failing. */
import * as vscode from 'vscode';
import { describeError } from '../concur/errors';
import type { Log } from '../log';
import type { SessionManager } from '../session/sessionManager';
import type { Session } from '../session/types';
import type { SignInArgs } from './signIn';

export function registerSessionNotifications(sessions: SessionManager, log: Log, signIn: (args: SignInArgs) => unknown): vscode.Disposable {
  const subscriptions = [
    sessions.onDidEndSession(async ({ session, reason }) => {
      const again = 'Sign In Again';
      const choice = await vscode.window.showWarningMessage(`Your Concur session for ${session.label} has ended. ${reason}`, again);
      if (choice === again) signIn(signInArgsFor(session));
    }),
    sessions.onDidFailRefresh(async ({ session, error, attempts }) => {
      const retry = 'Retry Now';
      const choice = await vscode.window.showWarningMessage(
        `Could not refresh the Concur access token for ${session.label} (${attempts} attempts): ${describeError(error)} ` +
          'The session is kept and refreshing continues in the background.',
        retry,
        'Show Log',
      );
      if (choice === retry) sessions.refresh(session.id, 'retry requested').catch(() => undefined);
      if (choice === 'Show Log') log.show();
    }),
    sessions.onDidDropCorruptSessions(async () => {
      const choice = await vscode.window.showErrorMessage('The stored Concur sessions could not be read and were removed. Sign in again.', 'Sign In');
      if (choice) signIn({});
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}

/** Everything needed to sign in again as the same account, except the secrets. */
export function signInArgsFor(session: Session): SignInArgs {
  return { baseUrl: session.baseUrl, grant: session.grant, clientId: session.clientId, username: session.username, companyId: session.companyId };
}
