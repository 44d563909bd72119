/** What the user is told about sessions when nobody asked: Concur ended one, refreshing keeps failing, storage had a problem. */
import * as vscode from 'vscode';
import { describeError } from '../../platform/errors';
import type { Log } from '../../platform/ui/log';
import type { SessionManager } from '../sessionManager';
import { refreshEndsInDays } from '../lifetime';
import type { Messages } from '../../platform/ui/messages';
import { signInArgsFor, type SignInArgs } from '../../auth/ui/signIn';

/** globalState: the refresh-token end each session was last warned about, so that each is told once, not in every window. */
export const REFRESH_END_NOTICES_KEY = 'concur.refreshEndNotices';

export function registerSessionNotifications(
  sessions: SessionManager,
  log: Log,
  messages: Messages,
  signIn: (args: SignInArgs) => unknown,
  globalState: vscode.Memento,
): vscode.Disposable {
  // Told in this window: change events come in bursts, faster than globalState is written.
  const told = new Set<string>();
  const warnRefreshEnds = async (): Promise<void> => {
    const now = Date.now();
    for (const session of sessions.sessions) {
      const days = refreshEndsInDays(session, now);
      const noticed = globalState.get<Record<string, number>>(REFRESH_END_NOTICES_KEY) ?? {};
      const key = `${session.id} ${session.refreshExpiresAt}`;
      if (days === undefined || told.has(key) || noticed[session.id] === session.refreshExpiresAt) continue;
      told.add(key);
      const known = new Set(sessions.sessions.map((s) => s.id));
      const kept = Object.fromEntries(Object.entries(noticed).filter(([id]) => known.has(id)));
      await globalState.update(REFRESH_END_NOTICES_KEY, { ...kept, [session.id]: session.refreshExpiresAt });
      const again = vscode.l10n.t('Sign In Again');
      const text =
        days === 0
          ? vscode.l10n.t('The Concur sign-in for {0} ends today: its refresh token reaches the end of its six months. Sign in again to keep working without interruption.', session.label)
          : days === 1
            ? vscode.l10n.t('The Concur sign-in for {0} ends tomorrow: its refresh token reaches the end of its six months. Sign in again to keep working without interruption.', session.label)
            : vscode.l10n.t('The Concur sign-in for {0} ends in {1} days: its refresh token reaches the end of its six months. Sign in again to keep working without interruption.', session.label, days);
      void messages
        .warn(text, again)
        .then((choice) => {
          if (choice === again) signIn(signInArgsFor(session));
        });
    }
  };
  const check = (): void => void warnRefreshEnds().catch((error: unknown) => log.error('Checking when Concur sign-ins end failed', error));
  // Twice a day is enough for an end counted in days; a refresh moves it and is seen at once.
  const timer = setInterval(check, 12 * 3600_000);
  timer.unref?.();
  const subscriptions = [
    { dispose: () => clearInterval(timer) },
    sessions.onDidChangeSessions(check),
    sessions.onDidEndSession(async ({ session, reason }) => {
      const again = vscode.l10n.t('Sign In Again');
      const choice = await messages.warn(vscode.l10n.t('Your Concur session for {0} has ended. {1}', session.label, reason), again);
      if (choice === again) signIn(signInArgsFor(session));
    }),
    sessions.onDidFailRefresh(async ({ session, error, attempts }) => {
      const retry = vscode.l10n.t('Retry Now');
      const showLog = vscode.l10n.t('Show Log');
      const choice = await messages.warn(
        vscode.l10n.t('Could not refresh the Concur access token for {0} ({1} attempts): {2} The session is kept and refreshing continues in the background.', session.label, attempts, describeError(error)),
        retry,
        showLog,
      );
      if (choice === retry) sessions.refresh(session.id, 'requested').catch(() => undefined);
      if (choice === showLog) log.show();
    }),
    sessions.onDidReportStorageProblem(async (problem) => {
      if (problem.kind === 'unknownVersion') {
        void messages.error(problem.message);
        return;
      }
      const signInAction = vscode.l10n.t('Sign In');
      const choice = await messages.error(problem.message, signInAction);
      if (choice === signInAction) signIn({});
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}
