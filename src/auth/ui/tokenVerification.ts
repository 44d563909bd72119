/**
 * Checks, in the background, that the tokens on screen were signed by Concur: each session's
 * access token and id token against Concur's published keys (JWKS) on the issuer's host, when the
 * trust rules allow that host. It never blocks sign-in, never sends a token anywhere (the JWKS is
 * public), and tells the Sessions view when a result arrives.
 */
import * as vscode from 'vscode';
import type { HttpClient } from '../../platform/http';
import { claimsOf } from '../jwt';
import { JwksCache, verifyToken, type Verification } from '../jwks';
import { judgeGeolocation, originOf, sessionOrigins } from '../../platform/resolver';
import type { Log } from '../../platform/ui/log';
import type { Session } from '../../sessions/types';
import { Disposable } from '../../platform/lifecycle';

export type VerifiedTokenKind = 'access' | 'id';

export class TokenVerifier extends Disposable {
  private readonly cache: JwksCache;
  private readonly results = new Map<string, Verification | 'pending'>();
  private readonly emitter = this._register(new vscode.EventEmitter<void>());
  /** A verification finished: redraw what shows it. */
  readonly onDidChange = this.emitter.event;

  constructor(
    http: HttpClient,
    private readonly log: Log,
  ) {
    super();
    this.cache = new JwksCache({ http });
  }

  /** The result for a session's token: undefined while it is being checked (the check starts on first ask). */
  get(session: Session, kind: VerifiedTokenKind): Verification | undefined {
    const token = kind === 'access' ? session.accessToken : session.idToken;
    if (!token) return undefined;
    const key = `${kind} ${token}`;
    const known = this.results.get(key);
    if (known) return known === 'pending' ? undefined : known;
    // Tokens rotate every hour; only the few on screen are kept.
    if (this.results.size > 32) this.results.clear();
    this.results.set(key, 'pending');
    void this.verify(session, kind, token).then(
      (result) => {
        this.results.set(key, result);
        this.emitter.fire();
      },
      (error: unknown) => {
        this.results.delete(key);
        this.log.warn(`Checking the signature of ${session.label}'s ${kind} token failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    return undefined;
  }

  private verify(session: Session, kind: VerifiedTokenKind, token: string): Promise<Verification> {
    const trusted = [...sessionOrigins(session)];
    // The issuer's host may serve the keys when the trust rules would let the session use it
    // (another of Concur's hosts for a session at Concur); anything else is reported, not fetched.
    const iss = claimsOf(token)?.iss;
    const issOrigin = typeof iss === 'string' ? originOf(iss) : undefined;
    if (issOrigin && !trusted.includes(issOrigin)) {
      const verdict = judgeGeolocation(session.baseUrl, issOrigin);
      if (verdict.kind === 'accept') trusted.push(verdict.origin);
    }
    return verifyToken(token, {
      cache: this.cache,
      trustedOrigins: trusted,
      fallbackOrigin: session.geolocation,
      expect: kind === 'id' ? { issuerOrigins: trusted, audience: session.clientId, now: Date.now() } : undefined,
    });
  }
}
