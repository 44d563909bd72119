/** What the user is told about sessions when nobody asked: Concur ended one, refreshing keeps failing, storage had a problem. */
import * as vscode from 'vscode';
import { describeError } from '../concur/errors';
import type { Log } from '../log';
import type { SessionManager } from '../session/sessionManager';
import type { Session } from '../session/types';
import type { Messages } from './messages';
import type { SignInArgs } from './signIn';

export function registerSessionNotifications(sessions: SessionManager, log: Log, messages: Messages, signIn: (args: SignInArgs) => unknown): vscode.Disposable {
  const subscriptions = [
    sessions.onDidEndSession(async ({ session, reason }) => {
      const again = 'Sign In Again';
      const choice = await messages.warn(`Your Concur session for ${session.label} has ended. ${reason}`, again);
      if (choice === again) signIn(signInArgsFor(session));
    }),
    sessions.onDidFailRefresh(async ({ session, error, attempts }) => {
      const retry = 'Retry Now';
      const choice = await messages.warn(
        `Could not refresh the Concur access token for ${session.label} (${attempts} attempts): ${describeError(error)} ` +
          'The session is kept and refreshing continues in the background.',
        retry,
        'Show Log',
      );
      if (choice === retry) sessions.refresh(session.id, 'requested').catch(() => undefined);
      if (choice === 'Show Log') log.show();
    }),
    sessions.onDidReportStorageProblem(async (problem) => {
      if (problem.kind === 'unknownVersion') {
        void messages.error(problem.message);
        return;
      }
      const choice = await messages.error(problem.message, 'Sign In');
      if (choice) signIn({});
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}

/** Everything needed to sign in again as the same account, except the secrets. */
export function signInArgsFor(session: Session): SignInArgs {
  return { baseUrl: session.baseUrl, grant: session.grant, clientId: session.clientId, username: session.username, companyId: session.companyId };
}
