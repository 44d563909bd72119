/**
 * "Concur: Sign Out": on this machine only, or also revoking the app's access for the user in
 * Concur (`DELETE /app-mgmt/v0/connections` with the user's access token, as Concur's App
 * Management documentation describes). Asked once; the answer is kept in `concur.signOut.revokeAccess`.
 * A revoke that fails still signs out here, and says so.
 */
import * as vscode from 'vscode';
import type { ApiClient } from '../concur/api';
import { describeError, oneLine } from '../concur/errors';
import { hostOf } from '../concur/resolver';
import type { Log } from '../log';
import type { SessionManager } from '../session/sessionManager';
import type { Session } from '../session/types';
import type { RevokeChoice } from '../settings';
import type { Messages } from './messages';

export const REVOKE_PATH = '/app-mgmt/v0/connections';

export interface RevokeSettings {
  revokeAccess(): RevokeChoice;
  rememberRevokeAccess(choice: Exclude<RevokeChoice, 'ask'>): Promise<void>;
}

/** What a revoke came to: Concur's confirmation, or why it did not happen. */
export type RevokeOutcome = { readonly revoked: true } | { readonly revoked: false; readonly reason: string };

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
        const here = 'Sign Out Here Only';
        const everywhere = 'Revoke Access and Sign Out';
        const answer = await this.messages.ask(
          `Sign out of Concur as ${session.label}?`,
          'Sign out here only: VS Code forgets the tokens; the app keeps its access to the account in Concur.\n\n' +
            'Revoke access: Concur also ends the app\'s access for this user, and every token the app holds for them stops working.\n\n' +
            'Your answer is remembered (setting "concur.signOut.revokeAccess").',
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
      void this.messages.info(`Signed out of Concur: ${session.label}.`);
    } else if (outcome.revoked) {
      void this.messages.info(`Signed out of Concur: ${session.label}. Concur revoked the app's access for this user.`);
    } else {
      void this.messages.warn(
        `Signed out of Concur on this machine: ${session.label}. Revoking the app's access failed: ${outcome.reason} The app may still have access in Concur; sign in and sign out again to retry.`,
      );
    }
    return true;
  }

  /** Asks Concur to revoke the app's access for the session's user; never throws. */
  async revoke(session: Session): Promise<RevokeOutcome> {
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Revoking the app's access at ${hostOf(session.geolocation)}…`, cancellable: true },
        (_progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          return this.api()
            .call({ method: 'DELETE', target: REVOKE_PATH, sessionId: session.id, signal: abort.signal, maxBodyBytes: 64 * 1024 })
            .finally(() => sub.dispose());
        },
      );
      if (result.status >= 200 && result.status < 300) {
        this.log.info(`Concur revoked the app's access for ${session.label} (HTTP ${result.status}, correlation id ${result.correlationId})`);
        return { revoked: true };
      }
      const reason = `Concur answered HTTP ${result.status}${concurMessage(result.body)}.`;
      this.log.warn(`Revoking the app's access for ${session.label} failed: ${reason} (correlation id ${result.correlationId})`);
      return { revoked: false, reason };
    } catch (error) {
      this.log.warn(`Revoking the app's access for ${session.label} failed: ${describeError(error)}`);
      return { revoked: false, reason: describeError(error) };
    }
  }
}

/** Concur's own words from an error body, when it has some (`message`, `Message` or `error_description`). */
function concurMessage(body: Buffer): string {
  try {
    const json = JSON.parse(body.subarray(0, 64 * 1024).toString('utf8')) as Record<string, unknown>;
    const text = [json.message, json.Message, json.error_description].find((v) => typeof v === 'string');
    return typeof text === 'string' && text.trim() ? ` (${oneLine(text, 160)})` : '';
  } catch {
    return '';
  }
}
