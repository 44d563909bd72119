/**
 * Read-only JSON documents of a session's decoded token (header and claims), opened as editor
 * tabs. The document is rebuilt from the current session, so it follows refreshes; the title names
 * the account and the token, never a token value.
 */
import * as vscode from 'vscode';
import { decodeToken } from '../../auth/jwt';
import type { SessionManager } from '../sessionManager';
import type { TokenKind } from './sessionsTree';

export const TOKEN_SCHEME = 'concur-token';

export class DecodedTokenDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly sessions: SessionManager) {
    this.subscription = sessions.onDidChangeSessions(() => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === TOKEN_SCHEME) this.emitter.fire(doc.uri);
    });
  }

  static uri(sessionLabel: string, sessionId: string, token: TokenKind): vscode.Uri {
    const account = sessionLabel.replace(/[\\/:*?"<>|]/g, '_');
    const name = `${token === 'access' ? vscode.l10n.t('{0} — access token', account) : vscode.l10n.t('{0} — id token', account)}.json`.replace(/[\\/]/g, '_');
    return vscode.Uri.from({ scheme: TOKEN_SCHEME, path: `/${name}`, query: new URLSearchParams({ session: sessionId, token }).toString() });
  }

  /** The decoded token as JSON text, or undefined when it is not a JWT. */
  decodedJson(sessionId: string, token: TokenKind): string | undefined {
    const session = this.sessions.getSession(sessionId);
    const decoded = decodeToken(token === 'access' ? session?.accessToken : session?.idToken);
    if (decoded.kind !== 'jwt') return undefined;
    return JSON.stringify({ header: decoded.header, claims: decoded.claims }, null, 2);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const json = this.decodedJson(query.get('session') ?? '', (query.get('token') as TokenKind) ?? 'access');
    return json ?? JSON.stringify({ message: 'This session has no decodable token any more (signed out, or the token is not a JWT).' }, null, 2);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
