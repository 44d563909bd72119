/**
 * Sessions (`sessions/`): this manager, the SecretStorage store, lifetimes and expiry announcements;
 * its ui/ holds the authentication provider, the Sessions view, the status bar countdown, the
 * decoded-token documents, session notifications and the session commands.
 *
 * Signs in, keeps sessions, and keeps their access tokens fresh.
 *
 * - Sessions live in SecretStorage (SessionStore), one entry each; this class keeps the last state
 *   read and tells everyone else through events. Other windows' writes arrive through
 *   `secrets.onDidChange`.
 * - Where a session's token may go is decided by the resolver's rules: a geolocation Concur names
 *   (in a token answer or a code-16 error) is judged before anything is sent there or stored, and
 *   a host outside the rules needs the user's confirmation (HostTrust).
 * - Refresh happens before expiry, at a fraction of the token's lifetime, and on demand — never more
 *   often than once per 30 s. One refresh per session at a time: concurrent callers share it. The
 *   rotated refresh token and the new geolocation are written to SecretStorage before the new
 *   access token is handed to anyone, compare-before-write, so that two windows cannot lose a
 *   rotation: a write that was overtaken by a stale one is repaired by the window that made it.
 * - Network failures and 5xx keep the session and retry with backoff; a 4xx that ends the grant
 *   (108: bad or expired refresh token) signs the session out and says so — after checking that no
 *   other window stored a newer refresh token meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { ClientCredentials, Grant, GrantKind, TokenClient, TokenRequestResult, TokenSet } from '../auth/tokenClient';
import { describeError, endsGrant, isCancellation, oneLine } from '../platform/errors';
import { subjectOf, tokenTypeOf } from '../auth/jwt';
import type { Redactor } from '../platform/redact';
import { baseOrigin, checkBaseUrl, hostOf, judgeGeolocation, RefusedTargetError } from '../platform/resolver';
import { boundedNumber } from '../platform/bounds';
import { l10n } from '../platform/l10n';
import { type Clock, systemClock } from '../platform/clock';
import { type Disposable, Emitter } from '../platform/events';
import { EMPTY_STATE, SessionStore, StorageLockedError, type SessionsState, type StorageProblem, type StoredSession } from './sessionStore';
import type { KeyValueStore, Logger, SecretStore, Session, SessionsChange } from './types';

export const SIGN_IN_DEFAULTS_KEY = 'concur.signInDefaults';

/** Non-secret choices remembered in globalState to prefill the next sign-in. */
export interface SignInDefaults {
  readonly baseUrl?: string;
  readonly grant?: GrantKind;
  readonly clientId?: string;
  readonly username?: string;
  readonly companyId?: string;
  /** The scopes the last browser sign-in asked for (`''`: none); names only, never a secret. */
  readonly authorizeScope?: string;
}

/** The scopes a browser sign-in asked for, kept for the next one; other grants keep what was there. */
function authorizeScopeOf(grant: SignInRequest['grant'], before: SignInDefaults): { authorizeScope?: string } {
  if (grant.kind === 'authorizationCode') return { authorizeScope: grant.scope ?? '' };
  return before.authorizeScope === undefined ? {} : { authorizeScope: before.authorizeScope };
}

export interface SignInRequest {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly grant: Exclude<Grant, { kind: 'refreshToken' }>;
  /**
   * Where to send the token request when it is not `baseUrl`: the datacenter that sent the
   * one-time password, or the geolocation the authorize redirect named. Only an origin that
   * `acceptGeolocation` returned (the trust rules applied) may be given here.
   */
  readonly tokenOrigin?: string;
}

/** Where a one-time password was sent from: the token request goes to the same datacenter. */
export interface OtpSent {
  readonly origin: string;
  readonly correlationId: string;
}

export interface RefreshSettings {
  /** Refresh when this fraction of the access token's lifetime has passed (0.1–0.95). */
  readonly lifetimeFraction: number;
  /** Consecutive failed automatic refreshes before the user is told. */
  readonly failuresBeforeNotice: number;
}

/**
 * Why a refresh runs. Only 'requested' — the user asked — may run within 30 s of the last one;
 * the rest are automatic.
 */
export type RefreshReason = 'requested' | 'scheduled' | 'token about to expire' | 'Concur answered 401';

export interface SessionEnded {
  readonly session: Session;
  readonly reason: string;
}

export interface RefreshFailed {
  readonly session: Session;
  readonly error: unknown;
  readonly attempts: number;
}

/** There is no usable session for what was asked; `sessionId` names the one that ended, if any. */
export class SignedOutError extends Error {
  override readonly name = 'SignedOutError';
  constructor(
    message: string,
    readonly sessionId?: string,
  ) {
    super(message);
  }
}

/**
 * The user's say on hosts outside the automatic rules (a proxy's or sandbox's geolocation on
 * another host): asked once per origin, in a dialog that names it, before any secret goes there.
 */
export interface HostTrust {
  isConfirmed(origin: string): boolean;
  /** Asks the user; resolves true (and remembers it) when they trust the origin. */
  confirm(origin: string, context: { readonly baseUrl: string }): Promise<boolean>;
}

/** Trusts nothing beyond the automatic rules: for tests and for windows that cannot ask. */
export const NO_HOST_TRUST: HostTrust = { isConfirmed: () => false, confirm: async () => false };

export interface SessionManagerOptions {
  readonly secrets: SecretStore;
  readonly globalState: KeyValueStore;
  /** Loads the token client (and with it the HTTP stack) on first use. */
  readonly tokenClient: () => Promise<TokenClient>;
  readonly log: Logger;
  readonly redactor?: Redactor;
  readonly clock?: Clock;
  readonly settings?: () => RefreshSettings;
  /** Source of the per-window jitter on scheduled refreshes (tests pass a constant). */
  readonly random?: () => number;
  readonly hostTrust?: HostTrust;
}

const DEFAULT_SETTINGS: RefreshSettings = { lifetimeFraction: 0.75, failuresBeforeNotice: 3 };
/** A token closer than this to expiry is refreshed before it is handed out. */
const MIN_VALIDITY_MS = 60_000;
/** No session is refreshed more often than this, whatever Concur or the settings say. */
export const MIN_REFRESH_INTERVAL_MS = 30_000;
const BACKOFF_MS = [30_000, 60_000, 120_000, 300_000];

export class SessionManager implements Disposable {
  private state: SessionsState = EMPTY_STATE;
  private readonly store: SessionStore;
  private readonly clock: Clock;
  private readonly hostTrust: HostTrust;
  private readonly inflight = new Map<string, Promise<Session>>();
  private readonly timers = new Map<string, Disposable>();
  private readonly failures = new Map<string, number>();
  /** When this window last asked Concur for a session's tokens. */
  private readonly lastAttempt = new Map<string, number>();
  /**
   * Rotations this window wrote, until the store shows them or something newer: a stale write from
   * another window that lands on top of one is repaired from here.
   */
  private readonly written = new Map<string, StoredSession>();
  /** Sessions this window added to the index; one another window's index write dropped is added back. */
  private readonly indexed = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly disposables: Disposable[] = [];
  private initialized: Promise<void> | undefined;
  private disposed = false;

  private readonly changeEmitter = new Emitter<SessionsChange>();
  private readonly endedEmitter = new Emitter<SessionEnded>();
  private readonly refreshFailedEmitter = new Emitter<RefreshFailed>();
  private readonly refreshingEmitter = new Emitter<{ id: string; refreshing: boolean }>();
  private readonly problemEmitter = new Emitter<StorageProblem>();

  /** Sessions added, removed or changed (tokens refreshed, made active, signed out), here or in another window. */
  readonly onDidChangeSessions = this.changeEmitter.event;
  /** Concur ended a session's grant; the user should be told and offered to sign in again. */
  readonly onDidEndSession = this.endedEmitter.event;
  /** Automatic refresh kept failing (network, 5xx); the session is kept. */
  readonly onDidFailRefresh = this.refreshFailedEmitter.event;
  readonly onDidChangeRefreshing = this.refreshingEmitter.event;
  /** Something in storage could not be used: a session was dropped, or the storage is from a newer version. */
  readonly onDidReportStorageProblem = this.problemEmitter.event;

  constructor(private readonly options: SessionManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.hostTrust = options.hostTrust ?? NO_HOST_TRUST;
    this.store = new SessionStore(options.secrets, (session) => this.untrusted(session));
    this.disposables.push(
      options.secrets.onDidChange((e) => {
        if (SessionStore.owns(e.key)) void this.reload().catch((error: unknown) => this.options.log.error('Reading the stored Concur sessions failed', error));
      }) as Disposable,
    );
  }

  /** Reads the stored sessions once; every public method waits for it. A failed read is tried again next time. */
  initialize(): Promise<void> {
    this.initialized ??= this.reload().catch((error: unknown) => {
      this.initialized = undefined;
      throw error;
    });
    return this.initialized;
  }

  get sessions(): readonly Session[] {
    return this.state.sessions;
  }

  get activeSession(): Session | undefined {
    return this.state.sessions.find((s) => s.id === this.state.activeId);
  }

  getSession(id: string): Session | undefined {
    return this.state.sessions.find((s) => s.id === id);
  }

  isRefreshing(id: string): boolean {
    return this.inflight.has(id);
  }

  signInDefaults(): SignInDefaults {
    return this.options.globalState.get<SignInDefaults>(SIGN_IN_DEFAULTS_KEY) ?? {};
  }

  /** The client secret stored for a client id, only for the host it was used with. */
  async storedClientSecret(clientId: string, baseUrl: string): Promise<string | undefined> {
    if (!checkBaseUrl(baseUrl).ok) return undefined;
    return this.store.getClientSecret(clientId, baseUrl);
  }

  /**
   * Signs in. On failure nothing stored changes: a wrong password keeps the previous session.
   * Signing in again as an account that already has a session replaces that session.
   */
  async signIn(request: SignInRequest, signal?: AbortSignal): Promise<Session> {
    await this.initialize();
    if (this.store.locked) throw new StorageLockedError(this.store.locked);
    const redactor = this.options.redactor;
    redactor?.add(request.clientSecret);
    if (request.grant.kind === 'password') redactor?.add(request.grant.password);
    if (request.grant.kind === 'companyRequestToken') redactor?.add(request.grant.requestToken);
    if (request.grant.kind === 'authorizationCode') redactor?.add(request.grant.code);
    if (request.grant.kind === 'otp') redactor?.add(request.grant.otp);

    const baseUrl = baseOrigin(request.baseUrl);
    const client: ClientCredentials = { clientId: request.clientId, clientSecret: request.clientSecret };
    const tokenClient = await this.options.tokenClient();
    const result = await tokenClient.requestToken(request.tokenOrigin ? baseOrigin(request.tokenOrigin) : baseUrl, client, request.grant, {
      signal,
      // Code 16: the credentials go to the named datacenter only once it passes the trust rules.
      followGeolocation: async (named) => this.acceptGeolocation(baseUrl, named, true),
    });
    const tokens = result.tokens;
    this.remember(tokens);
    const geolocation = tokens.namedGeolocation ? await this.acceptGeolocation(baseUrl, tokens.namedGeolocation, true) : result.issuedBy;

    const grant = request.grant;
    const accountId = grant.kind === 'clientCredentials' ? request.clientId : (subjectOf(tokens.accessToken, tokens.idToken) ?? fallbackAccountId(grant));
    const label = accountLabel(request, tokens);
    const now = this.clock.now();
    const existing = this.state.sessions.find((s) => s.accountId === accountId && s.clientId === request.clientId && s.grant === grant.kind);
    const session: Session = {
      id: existing?.id ?? randomUUID(),
      state: 'active',
      label,
      accountId,
      baseUrl,
      geolocation,
      grant: grant.kind,
      clientId: request.clientId,
      username: grant.kind === 'password' ? grant.username : grant.kind === 'otp' ? grant.email.trim() : undefined,
      companyId: grant.kind === 'companyRequestToken' ? grant.companyId : undefined,
      scopes: tokens.scopes,
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      obtainedAt: tokens.obtainedAt,
      refreshToken: tokens.refreshToken,
      refreshExpiresAt: tokens.refreshExpiresAt,
      idToken: tokens.idToken,
      signedInAt: now,
    };

    await this.store.storeClientSecret(request.clientId, baseUrl, request.clientSecret);
    const written = await this.store.updateSession(session.id, (current) => ({ session, gen: this.nextGen(current?.gen ?? 0) }));
    if (written) this.written.set(session.id, written);
    await this.store.addToIndex(session.id, true);
    this.indexed.add(session.id);
    this.lastAttempt.set(session.id, now);
    await this.reload();
    await this.options.globalState.update(SIGN_IN_DEFAULTS_KEY, {
      baseUrl,
      grant: grant.kind,
      clientId: request.clientId,
      username: grant.kind === 'password' ? grant.username : grant.kind === 'otp' ? grant.email.trim() : this.signInDefaults().username,
      companyId: grant.kind === 'companyRequestToken' ? grant.companyId : this.signInDefaults().companyId,
      ...authorizeScopeOf(grant, this.signInDefaults()),
    } satisfies SignInDefaults);
    this.options.log.info(
      `Signed in ${describeSession(session)}: token issued by ${result.issuedBy}, expires in ${Math.round((session.expiresAt - now) / 60000)} min (correlation id ${result.correlationId})`,
    );
    return this.getSession(session.id) ?? session;
  }

  /**
   * Asks Concur to e-mail a one-time password. Code 16 is followed through the trust rules, and the
   * datacenter that sent the code is returned: the token request goes there (`tokenOrigin`).
   */
  async requestOtp(
    request: { readonly baseUrl: string; readonly clientId: string; readonly clientSecret: string; readonly email: string; readonly customFields?: Readonly<Record<string, string>> },
    signal?: AbortSignal,
  ): Promise<OtpSent> {
    await this.initialize();
    this.options.redactor?.add(request.clientSecret);
    const baseUrl = baseOrigin(request.baseUrl);
    const tokenClient = await this.options.tokenClient();
    const sent = await tokenClient.requestOtp(baseUrl, { clientId: request.clientId, clientSecret: request.clientSecret }, request.email, request.customFields, {
      signal,
      followGeolocation: async (named) => this.acceptGeolocation(baseUrl, named, true),
    });
    this.options.log.info(`Concur sent a one-time password from ${hostOf(sent.sentBy)} (correlation id ${sent.correlationId})`);
    return { origin: sent.sentBy, correlationId: sent.correlationId };
  }

  /**
   * The origin a browser sign-in's code is exchanged at: the geolocation the authorize redirect
   * named, once it passes the trust rules (asking the user where they require it), else `baseUrl`.
   */
  async tokenOriginFor(baseUrl: string, namedGeolocation: string | undefined): Promise<string> {
    const base = baseOrigin(baseUrl);
    return namedGeolocation ? this.acceptGeolocation(base, namedGeolocation, true) : base;
  }

  /**
   * Gives a session a better label (the user's name, once Concur's profile has told it). The
   * rotation count stays: a label is no rotation, and a refresh under way must still be written.
   */
  async relabel(id: string, label: string): Promise<void> {
    await this.initialize();
    const clean = oneLine(label, 80);
    if (!clean || this.store.locked) return;
    await this.store.updateSession(id, (current) =>
      current && current.session.label !== clean ? { gen: current.gen, session: { ...current.session, label: clean } } : undefined,
    );
    await this.reload();
  }

  async setActive(id: string): Promise<void> {
    await this.initialize();
    if (!this.getSession(id)) return;
    await this.store.setActive(id);
    await this.reload();
  }

  /** Removes a session and its tokens; the client secret goes too when no other session uses it. */
  async signOut(id: string): Promise<Session | undefined> {
    await this.initialize();
    const removed = this.getSession(id);
    if (!removed) return undefined;
    this.written.delete(id);
    this.indexed.delete(id);
    await this.store.removeSession(id, (remaining) => {
      const candidates = this.state.sessions.filter((s) => remaining.includes(s.id));
      return (candidates.find((s) => s.state === 'active') ?? candidates[0])?.id;
    });
    const secretStillUsed = this.state.sessions.some((s) => s.id !== id && s.clientId === removed.clientId && s.baseUrl === removed.baseUrl);
    if (!secretStillUsed) await this.store.deleteClientSecret(removed.clientId, removed.baseUrl);
    this.forget(removed);
    await this.reload();
    this.options.log.info(`Signed out ${describeSession(removed)}`);
    return removed;
  }

  /**
   * The session a request would use (the one named, else the active one) when it can take one, or
   * the SignedOutError that says how to sign in. Read from what is loaded: call `initialize` first.
   */
  usableSession(id?: string): Session {
    const session = id ? this.getSession(id) : this.activeSession;
    if (!session) throw new SignedOutError(id ? l10n.t('That Concur session no longer exists. Sign in again.') : l10n.t('You are not signed in to Concur. Run "Concur: Sign In" first.'));
    if (session.state !== 'active') throw new SignedOutError(l10n.t('The Concur session for {0} has ended. Sign in again.', session.label), session.id);
    return session;
  }

  /**
   * An access token for the session (the active one by default), refreshed first when it is about
   * to expire. When that refresh fails for a passing reason and the token is still valid, the
   * current token is returned.
   */
  async getAccessToken(id?: string, options: { signal?: AbortSignal; minValidityMs?: number } = {}): Promise<{ session: Session; accessToken: string }> {
    await this.initialize();
    const session = this.usableSession(id);
    const now = this.clock.now();
    if (session.expiresAt - now > (options.minValidityMs ?? MIN_VALIDITY_MS)) return { session, accessToken: session.accessToken };
    try {
      const refreshed = await this.refresh(session.id, 'token about to expire');
      return { session: refreshed, accessToken: refreshed.accessToken };
    } catch (error) {
      const current = this.getSession(session.id);
      if (current?.state === 'active' && current.expiresAt > this.clock.now() && !endsGrant(error)) {
        return { session: current, accessToken: current.accessToken };
      }
      throw error;
    }
  }

  /**
   * Refreshes now. Concurrent calls for one session share a single request to Concur. Automatic
   * refreshes (every reason but 'requested') are not sent within 30 s of the last one: the
   * current session is returned while its token is valid.
   */
  refresh(id: string, reason: RefreshReason = 'requested'): Promise<Session> {
    const running = this.inflight.get(id);
    if (running) return running;
    const promise = this.doRefresh(id, reason).finally(() => {
      this.inflight.delete(id);
      this.refreshingEmitter.fire({ id, refreshing: false });
    });
    this.inflight.set(id, promise);
    this.refreshingEmitter.fire({ id, refreshing: true });
    return promise;
  }

  private async doRefresh(id: string, reason: RefreshReason): Promise<Session> {
    await this.initialize();
    // Another window may have refreshed (and rotated the refresh token) already: read first.
    const entry = await this.store.readSession(id);
    if (!entry) throw new SignedOutError(l10n.t('That Concur session no longer exists. Sign in again.'));
    if (JSON.stringify(entry.session) !== JSON.stringify(this.getSession(id))) await this.reload();
    const session = entry.session;
    const baseGen = entry.gen;
    if (session.state !== 'active') throw new SignedOutError(l10n.t('The Concur session for {0} has ended. Sign in again.', session.label), session.id);

    const now = this.clock.now();
    const last = Math.max(this.lastAttempt.get(id) ?? 0, session.lastRefreshAt ?? 0, session.obtainedAt);
    if (reason !== 'requested' && now - last < MIN_REFRESH_INTERVAL_MS && session.expiresAt > now) {
      this.options.log.debug(`Not refreshing ${describeSession(session)} (${reason}): its tokens are ${Math.round((now - last) / 1000)} s old`);
      return session;
    }

    const clientSecret = await this.store.getClientSecret(session.clientId, session.baseUrl);
    if (!clientSecret) {
      await this.endSession(session, baseGen, l10n.t('Its client secret is no longer stored. Sign in again.'));
      throw new SignedOutError(l10n.t('The client secret for {0} is no longer stored. Sign in again.', session.label), session.id);
    }
    this.options.redactor?.add(clientSecret);
    let grant: Grant;
    if (session.refreshToken) {
      grant = { kind: 'refreshToken', refreshToken: session.refreshToken };
    } else if (session.grant === 'clientCredentials') {
      // App tokens come without a refresh token: a new one is obtained with the client credentials.
      grant = { kind: 'clientCredentials' };
    } else {
      await this.endSession(session, baseGen, l10n.t('Concur gave this session no refresh token. Sign in again.'));
      throw new SignedOutError(l10n.t('The Concur session for {0} cannot be refreshed. Sign in again.', session.label), session.id);
    }

    const started = now;
    this.lastAttempt.set(id, now);
    let result: TokenRequestResult;
    try {
      const tokenClient = await this.options.tokenClient();
      result = await tokenClient.requestToken(session.geolocation, { clientId: session.clientId, clientSecret }, grant, {
        // Nobody is asked in the background: only a host the rules or the user already accept.
        followGeolocation: async (named) => this.acceptGeolocation(session.baseUrl, named, false).catch(() => undefined),
      });
    } catch (error) {
      if (endsGrant(error)) {
        const adopted = await this.endSession(session, baseGen, describeError(error));
        if (adopted) return adopted;
      } else if (!isCancellation(error)) {
        this.options.log.warn(`Refreshing ${describeSession(session)} failed (${reason}); the session is kept: ${describeError(error)}`);
      }
      throw error;
    }
    const tokens = result.tokens;
    this.remember(tokens);

    let geolocation = result.issuedBy;
    if (tokens.namedGeolocation) {
      try {
        geolocation = await this.acceptGeolocation(session.baseUrl, tokens.namedGeolocation, false);
      } catch (error) {
        // The new tokens are kept (the old refresh token may be spent); the API base stays where it was.
        geolocation = session.geolocation;
        this.options.log.warn(`Refreshed ${describeSession(session)}, but kept its geolocation: ${describeError(error)}`);
      }
    }

    const stored = await this.store.updateSession(id, (current) => {
      // Signed out meanwhile (the user's choice wins), or another window stored a later rotation.
      if (!current || current.gen > baseGen) return undefined;
      return {
        gen: this.nextGen(baseGen),
        session: {
          ...current.session,
          // Fresh tokens make the session active again, even if another window gave up on it meanwhile.
          state: 'active',
          signedOutReason: undefined,
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          obtainedAt: tokens.obtainedAt,
          // Concur may rotate the refresh token on every refresh: always keep the newest one.
          refreshToken: tokens.refreshToken ?? current.session.refreshToken,
          refreshExpiresAt: tokens.refreshExpiresAt ?? current.session.refreshExpiresAt,
          idToken: tokens.idToken ?? current.session.idToken,
          geolocation,
          scopes: tokens.scopes.length > 0 ? tokens.scopes : current.session.scopes,
          lastRefreshAt: this.clock.now(),
        },
      };
    });
    if (!stored) throw new SignedOutError(l10n.t('The Concur session was signed out while it was being refreshed.'));
    if (stored.session.accessToken === tokens.accessToken) this.written.set(id, stored);
    await this.reload();
    const updated = this.getSession(id) ?? stored.session;
    if (session.refreshToken && session.refreshToken !== updated.refreshToken) this.options.redactor?.delete(session.refreshToken);
    this.failures.delete(id);
    this.options.log.info(
      `Refreshed ${describeSession(updated)} (${reason}) in ${this.clock.now() - started} ms; geolocation ${updated.geolocation}; ` +
        `access token valid for ${Math.round((updated.expiresAt - this.clock.now()) / 60000)} min`,
    );
    return updated;
  }

  /**
   * Concur ended the grant (or the session cannot be refreshed): marks the session signed out —
   * unless storage shows that another window rotated its tokens meanwhile, in which case that
   * session is returned and nothing is ended.
   */
  private async endSession(session: Session, baseGen: number, why: string): Promise<Session | undefined> {
    // It may quote Concur's answer, and it is shown in the tree, tooltips and pickers: redacted, then bounded, here.
    const redactor = this.options.redactor;
    const reason = redactor ? oneLine(why, 300, (text) => redactor.redact(text)) : oneLine(why);
    const stored = await this.store.updateSession(session.id, (current) => {
      if (!current || current.gen !== baseGen || current.session.state !== 'active' || current.session.refreshToken !== session.refreshToken) return undefined;
      return {
        gen: current.gen,
        session: { ...current.session, state: 'signedOut', accessToken: '', refreshToken: undefined, idToken: undefined, refreshExpiresAt: undefined, signedOutReason: reason },
      };
    });
    await this.reload();
    if (stored && stored.session.state === 'active' && stored.gen !== baseGen) {
      this.options.log.info(`Another window refreshed ${describeSession(session)} meanwhile; using its tokens`);
      return this.getSession(session.id) ?? stored.session;
    }
    this.written.delete(session.id);
    this.forget(session);
    if (!stored || stored.session.state !== 'signedOut') return undefined;
    this.options.log.warn(`Signed out ${describeSession(session)}: ${reason}`);
    this.endedEmitter.fire({ session: this.getSession(session.id) ?? stored.session, reason });
    return undefined;
  }

  /**
   * The origin a session signed in at `baseUrl` may take from a geolocation Concur named, or a
   * RefusedTargetError. `interactive` lets the user confirm a host the rules leave to them.
   */
  private async acceptGeolocation(baseUrl: string, named: string, interactive: boolean): Promise<string> {
    const verdict = judgeGeolocation(baseUrl, named);
    if (verdict.kind === 'accept') return verdict.origin;
    if (verdict.kind === 'refuse') throw new RefusedTargetError(verdict.message);
    if (this.hostTrust.isConfirmed(verdict.origin)) return verdict.origin;
    if (interactive && (await this.hostTrust.confirm(verdict.origin, { baseUrl }))) return verdict.origin;
    throw new RefusedTargetError(
      l10n.t(
        "{0} named {1} as the user's datacenter, a host you have not confirmed; nothing was sent there. Sign in again and confirm the host if you trust it.",
        hostOf(baseUrl),
        hostOf(verdict.origin),
      ),
    );
  }

  /** Why a stored session cannot be used (read back from storage), or undefined. */
  private untrusted(session: Session): string | undefined {
    const base = checkBaseUrl(session.baseUrl);
    if (!base.ok) return base.message;
    const verdict = judgeGeolocation(session.baseUrl, session.geolocation);
    if (verdict.kind === 'refuse') return verdict.message;
    if (verdict.kind === 'confirm' && !this.hostTrust.isConfirmed(verdict.origin)) return l10n.t('its geolocation {0} was never confirmed', hostOf(session.geolocation));
    return undefined;
  }

  /** A rotation count that is also later than any this session had before it was signed out and in again. */
  private nextGen(current: number): number {
    return Math.max(current + 1, this.clock.now());
  }

  private async reload(): Promise<void> {
    const { state, problems } = await this.store.read();
    for (const problem of problems) {
      // Reported once per window: a locked store says the same on every read.
      if (this.reported.has(problem.message)) continue;
      this.reported.add(problem.message);
      this.options.log.error(problem.message);
      this.problemEmitter.fire(problem);
    }
    this.apply(state);
    await this.repair(state);
  }

  /**
   * A rotation this window stored may have been overwritten by a write another window prepared
   * before it saw the rotation (SecretStorage has no compare-and-set). Such a write knows of fewer
   * rotations than ours: put ours back. A later rotation, or a sign-out, is left as it is.
   */
  private async repair(state: SessionsState): Promise<void> {
    if (this.store.locked) return;
    // An index write prepared before this window added a session can drop it: add it back while
    // its entry exists (a sign-out removes the entry first).
    for (const id of [...this.indexed]) {
      if (state.gens.has(id)) continue;
      if (!(await this.store.readSession(id))) {
        this.indexed.delete(id);
        continue;
      }
      await this.store.addToIndex(id, false);
      this.options.log.info('Put back a session that another window\'s write had dropped from the list of sessions');
      this.apply((await this.store.read()).state);
    }
    for (const [id, mine] of [...this.written]) {
      const gen = state.gens.get(id);
      // Kept while storage shows this rotation: a stale write may land any time later. Dropped once
      // the session is signed out (its entry gone), or a later rotation — or another, equally recent
      // one, which is as good — is stored.
      if (gen === undefined || gen > mine.gen) {
        this.written.delete(id);
        continue;
      }
      if (gen === mine.gen) {
        if (state.sessions.find((s) => s.id === id)?.refreshToken !== mine.session.refreshToken) this.written.delete(id);
        continue;
      }
      const restored = await this.store.updateSession(id, (current) => (current && current.gen < mine.gen ? mine : undefined));
      if (restored === mine) {
        this.options.log.info(`Restored the rotated tokens of ${describeSession(mine.session)} that another window's write had overtaken`);
        const again = await this.store.read();
        this.apply(again.state);
      }
    }
  }

  private apply(next: SessionsState): void {
    const before = new Map(this.state.sessions.map((s) => [s.id, s]));
    const after = new Map(next.sessions.map((s) => [s.id, s]));
    const added = next.sessions.filter((s) => !before.has(s.id));
    const removed = this.state.sessions.filter((s) => !after.has(s.id));
    const changed = next.sessions.filter((s) => before.has(s.id) && JSON.stringify(before.get(s.id)) !== JSON.stringify(s));
    const activeChanged = this.state.activeId !== next.activeId;
    this.state = next;
    for (const s of next.sessions) {
      // Access and ID tokens are hidden until they expire; the refresh token while the session has it.
      this.options.redactor?.add(s.accessToken, { until: s.expiresAt });
      this.options.redactor?.add(s.refreshToken);
      this.options.redactor?.add(s.idToken, { until: s.expiresAt });
    }
    for (const s of removed) this.forget(s);
    for (const s of [...added, ...changed]) this.schedule(s);
    if (added.length || removed.length || changed.length || activeChanged) {
      this.changeEmitter.fire({ added, removed, changed: activeChanged && changed.length === 0 ? next.sessions : changed });
    }
  }

  private remember(tokens: TokenSet): void {
    this.options.redactor?.add(tokens.accessToken, { until: tokens.expiresAt });
    this.options.redactor?.add(tokens.refreshToken);
    this.options.redactor?.add(tokens.idToken, { until: tokens.expiresAt });
  }

  private forget(session: Session): void {
    this.cancelTimer(session.id);
    this.failures.delete(session.id);
  }

  /** The settings, each within its range; a value that is not is replaced by the default and logged (once). */
  private settings(): RefreshSettings {
    const s = this.options.settings?.() ?? DEFAULT_SETTINGS;
    const fraction = boundedNumber('concur.refresh.lifetimeFraction', s.lifetimeFraction, { min: 0.1, max: 0.95, fallback: DEFAULT_SETTINGS.lifetimeFraction });
    const notice = boundedNumber('concur.refresh.failuresBeforeNotice', s.failuresBeforeNotice, { min: 1, max: 20, integer: true, fallback: DEFAULT_SETTINGS.failuresBeforeNotice });
    for (const problem of [fraction.problem, notice.problem]) {
      if (problem && !this.reported.has(problem)) {
        this.reported.add(problem);
        this.options.log.warn(problem);
      }
    }
    return { lifetimeFraction: fraction.value, failuresBeforeNotice: notice.value };
  }

  /**
   * Arms the one timer of a session: at the configured fraction of the token's lifetime, and never
   * sooner than 30 s after the tokens were obtained.
   */
  private schedule(session: Session, delayOverride?: number): void {
    this.cancelTimer(session.id);
    if (this.disposed || session.state !== 'active') return;
    const now = this.clock.now();
    const lifetime = Math.max(0, session.expiresAt - session.obtainedAt);
    const due = session.obtainedAt + lifetime * this.settings().lifetimeFraction;
    // A little per-window jitter, so that several VS Code windows do not all refresh at the same instant.
    const jitter = (this.options.random ?? Math.random)() * Math.min(30_000, lifetime * 0.05);
    const last = Math.max(session.obtainedAt, session.lastRefreshAt ?? 0, this.lastAttempt.get(session.id) ?? 0);
    const earliest = last + MIN_REFRESH_INTERVAL_MS - now;
    const delay = Math.max(delayOverride ?? due - now + jitter, earliest, 0);
    if (!Number.isFinite(delay)) {
      this.options.log.warn(`Not scheduling a refresh of ${describeSession(session)}: its expiry is not a time`);
      return;
    }
    this.timers.set(
      session.id,
      this.clock.setTimeout(() => {
        this.timers.delete(session.id);
        void this.runScheduledRefresh(session.id);
      }, delay),
    );
  }

  private async runScheduledRefresh(id: string): Promise<void> {
    try {
      await this.refresh(id, 'scheduled');
    } catch (error) {
      const session = this.getSession(id);
      if (!session || session.state !== 'active' || endsGrant(error) || error instanceof SignedOutError || this.disposed) return;
      const attempts = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, attempts);
      const delay = BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)];
      this.options.log.info(`Will retry refreshing ${describeSession(session)} in ${delay / 1000} s (attempt ${attempts} failed)`);
      if (attempts === this.settings().failuresBeforeNotice || (attempts > this.settings().failuresBeforeNotice && session.expiresAt <= this.clock.now())) {
        this.refreshFailedEmitter.fire({ session, error, attempts });
      }
      this.schedule(session, delay);
    }
  }

  private cancelTimer(id: string): void {
    this.timers.get(id)?.dispose();
    this.timers.delete(id);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) timer.dispose();
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
    this.endedEmitter.dispose();
    this.refreshFailedEmitter.dispose();
    this.refreshingEmitter.dispose();
    this.problemEmitter.dispose();
  }
}

export function describeSession(session: Session): string {
  return `${session.label} (${session.grant}, ${hostOf(session.geolocation)})`;
}

function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/** Who a session is for when the token names no subject (an opaque token without an id token). */
function fallbackAccountId(grant: SignInRequest['grant']): string {
  switch (grant.kind) {
    case 'password':
      return grant.username;
    case 'companyRequestToken':
      return grant.companyId;
    case 'otp':
      return grant.email.trim().toLowerCase();
    default:
      return `user-${randomUUID()}`;
  }
}

function accountLabel(request: SignInRequest, tokens: TokenSet): string {
  const grant = request.grant;
  if (grant.kind === 'password') return grant.username;
  if (grant.kind === 'otp') return grant.email.trim();
  const sub = subjectOf(tokens.accessToken, tokens.idToken);
  // The browser grant's tokens name the user by id only; their name is in Concur's profile, not the token.
  // Labels are written in the display language at sign-in, and kept as written.
  if (grant.kind === 'authorizationCode') return sub ? l10n.t('User {0} (browser)', shortId(sub)) : l10n.t('User unknown (browser)');
  if (grant.kind === 'companyRequestToken') return l10n.t('Company {0}', shortId(sub ?? grant.companyId));
  const type = tokenTypeOf(tokens.accessToken);
  return type && type !== 'app' ? l10n.t('App {0} ({1})', shortId(request.clientId), type) : l10n.t('App {0}', shortId(request.clientId));
}
