/**
 * The `concur` AuthenticationProvider: other extensions call
 * `vscode.authentication.getSession('concur', scopes)` and get a fresh Concur access token, and
 * the Accounts menu lists the signed-in Concur accounts with sign-out.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../sessionManager';
import type { Session } from '../types';

export const AUTH_PROVIDER_ID = 'concur';
export const AUTH_PROVIDER_LABEL = 'SAP Concur';

export class ConcurAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.emitter.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly sessions: SessionManager,
    /** Runs the interactive sign-in, optionally for narrower scopes. */
    private readonly signIn: (scope?: string) => Promise<Session | undefined>,
  ) {
    this.subscription = sessions.onDidChangeSessions((change) => {
      const usable = (s: Session): boolean => s.state === 'active';
      // A session that Concur signed out is gone as far as VS Code accounts are concerned.
      const ended = change.changed.filter((s) => !usable(s));
      this.emitter.fire({
        added: change.added.filter(usable).map(toAuthSession),
        removed: [...change.removed, ...ended].map(toAuthSession),
        changed: change.changed.filter(usable).map(toAuthSession),
      });
    });
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    await this.sessions.initialize();
    const wanted = scopes ?? [];
    const matching = this.sessions.sessions.filter((s) => s.state === 'active' && wanted.every((scope) => s.scopes.includes(scope)));
    // The active session first: it is the one the user is working with.
    matching.sort((a, b) => Number(b.id === this.sessions.activeSession?.id) - Number(a.id === this.sessions.activeSession?.id));
    const fresh = await Promise.all(
      matching.map(async (s) => {
        try {
          return (await this.sessions.getAccessToken(s.id)).session;
        } catch {
          return undefined;
        }
      }),
    );
    return fresh.filter((s): s is Session => s?.state === 'active').map(toAuthSession);
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const session = await this.signIn(scopes.length ? scopes.join(' ') : undefined);
    if (!session) throw new Error(vscode.l10n.t('Sign-in to Concur was cancelled.'));
    return toAuthSession(session);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.sessions.signOut(sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function toAuthSession(session: Session): vscode.AuthenticationSession {
  return {
    id: session.id,
    accessToken: session.accessToken,
    account: { id: session.accountId, label: session.label },
    scopes: [...session.scopes],
  };
}
