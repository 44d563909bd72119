/**
 * "Concur: Sign Out": on this machine only, or also revoking the app's access for the user in
 * Concur (`DELETE /app-mgmt/v0/connections` with the user's access token, as Concur's App
 * Management documentation describes). Asked once; the answer is kept in `concur.signOut.revokeAccess`.
 * A revoke that fails still signs out here, and says so.
 */
import * as vscode from 'vscode';
import type { ApiClient } from '../../calls/apiClient';
import { revokeConnection, type RevokeOutcome } from '../../calls/connections';
import { hostOf } from '../../platform/resolver';
import type { Log } from '../../platform/ui/log';
import type { SessionManager } from '../../sessions/sessionManager';
import type { Session } from '../../sessions/types';
import type { RevokeChoice } from '../../platform/ui/settings';
import type { Messages } from '../../platform/ui/messages';

export interface RevokeSettings {
  revokeAccess(): RevokeChoice;
  rememberRevokeAccess(choice: Exclude<RevokeChoice, 'ask'>): Promise<void>;
}

export class SignOutFlow {
  constructor(
    private readonly sessions: SessionManager,
    private readonly messages: Messages,
    private readonly log: Log,
    private readonly api: () => ApiClient,
    private readonly settings: RevokeSettings,
  ) {}

  /** Signs the session out, revoking first where the user chose to; false when they cancelled. */
  async run(session: Session): Promise<boolean> {
    // Only a user's (or company's) live grant can be revoked: an app token has no user, a signed-out session no token.
    const canRevoke = session.state === 'active' && session.grant !== 'clientCredentials';
    let revoke = false;
    if (canRevoke) {
      const choice = this.settings.revokeAccess();
      if (choice === 'ask') {
        const here = vscode.l10n.t('Sign Out Here Only');
        const everywhere = vscode.l10n.t('Revoke Access and Sign Out');
        const answer = await this.messages.ask(
          vscode.l10n.t('Sign out of Concur as {0}?', session.label),
          vscode.l10n.t(
            'Sign out here only: VS Code forgets the tokens; the app keeps its access to the account in Concur.\n\nRevoke access: Concur also ends the app\'s access for this user, and every token the app holds for them stops working.\n\nYour answer is remembered (setting "concur.signOut.revokeAccess").',
          ),
          here,
          everywhere,
        );
        if (!answer) return false;
        revoke = answer === everywhere;
        await this.settings.rememberRevokeAccess(revoke ? 'always' : 'never');
      } else {
        revoke = choice === 'always';
      }
    }

    const outcome = revoke ? await this.revoke(session) : undefined;
    await this.sessions.signOut(session.id);
    if (!outcome) {
      void this.messages.info(vscode.l10n.t('Signed out of Concur: {0}.', session.label));
    } else if (outcome.revoked) {
      void this.messages.info(vscode.l10n.t('Signed out of Concur: {0}. Concur revoked the app\'s access for this user.', session.label));
    } else {
      void this.messages.warn(
        vscode.l10n.t(
          'Signed out of Concur on this machine: {0}. Revoking the app\'s access failed: {1} The app may still have access in Concur; sign in and sign out again to retry.',
          session.label,
          outcome.reason,
        ),
      );
    }
    return true;
  }

  /** Asks Concur to revoke the app's access for the session's user, with a cancellable notification; never throws. */
  private async revoke(session: Session): Promise<RevokeOutcome> {
    const outcome = await vscode.window
      .withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Revoking the app\'s access at {0}…', hostOf(session.geolocation)), cancellable: true },
        (_progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          return revokeConnection(this.api(), session.id, abort.signal).finally(() => sub.dispose());
        },
      )
      .then(undefined, (): RevokeOutcome => ({ revoked: false, reason: vscode.l10n.t('You cancelled it.') }));
    const id = outcome.correlationId ? ` (correlation id ${outcome.correlationId})` : '';
    if (outcome.revoked) this.log.info(`Concur revoked the app's access for ${session.label}${id}`);
    else this.log.warn(`Revoking the app's access for ${session.label} failed: ${outcome.reason}${id}`);
    return outcome;
  }
}
