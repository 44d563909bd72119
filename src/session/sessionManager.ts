/**
 * Signs in, keeps sessions, and keeps their access tokens fresh.
 *
 * - Sessions live in SecretStorage (SessionStore); this class keeps the last state read and tells
 *   everyone else through events. Other windows' writes arrive through `secrets.onDidChange`.
 * - Refresh happens before expiry, at a fraction of the token's lifetime, and on demand. One refresh
 *   per session at a time: concurrent callers share it. The rotated refresh token and the new
 *   geolocation are written to SecretStorage before the new access token is handed to anyone.
 * - Network failures and 5xx keep the session and retry with backoff; a 4xx that ends the grant
 *   (108: bad or expired refresh token) signs the session out and says so.
 */
import { randomUUID } from 'node:crypto';
import type { ClientCredentials, Grant, GrantKind, TokenClient, TokenSet } from '../concur/auth';
import { describeError, endsGrant, isCancellation } from '../concur/errors';
import { subjectOf, tokenTypeOf } from '../concur/jwt';
import type { Redactor } from '../concur/redact';
import { type Clock, systemClock } from '../util/clock';
import { type Disposable, Emitter } from '../util/events';
import { SESSIONS_KEY, SessionStore, type SessionsState } from './sessionStore';
import type { KeyValueStore, Logger, SecretStore, Session, SessionsChange } from './types';

export const SIGN_IN_DEFAULTS_KEY = 'concur.signInDefaults';

/** Non-secret choices remembered in globalState to prefill the next sign-in. */
export interface SignInDefaults {
  readonly baseUrl?: string;
  readonly grant?: GrantKind;
  readonly clientId?: string;
  readonly username?: string;
  readonly companyId?: string;
}

export interface SignInRequest {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly grant: Exclude<Grant, { kind: 'refreshToken' }>;
}

export interface RefreshSettings {
  /** Refresh when this fraction of the access token's lifetime has passed (0.1–0.95). */
  readonly lifetimeFraction: number;
  /** Consecutive failed automatic refreshes before the user is told. */
  readonly failuresBeforeNotice: number;
}

export interface SessionEnded {
  readonly session: Session;
  readonly reason: string;
}

export interface RefreshFailed {
  readonly session: Session;
  readonly error: unknown;
  readonly attempts: number;
}

export class SignedOutError extends Error {
  override readonly name = 'SignedOutError';
}

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
}

const DEFAULT_SETTINGS: RefreshSettings = { lifetimeFraction: 0.75, failuresBeforeNotice: 3 };
/** A token closer than this to expiry is refreshed before it is handed out. */
const MIN_VALIDITY_MS = 60_000;
const BACKOFF_MS = [5_000, 15_000, 45_000, 120_000, 300_000];

export class SessionManager implements Disposable {
  private state: SessionsState = { sessions: [] };
  private readonly store: SessionStore;
  private readonly clock: Clock;
  private readonly inflight = new Map<string, Promise<Session>>();
  private readonly timers = new Map<string, Disposable>();
  private readonly failures = new Map<string, number>();
  private readonly disposables: Disposable[] = [];
  private initialized: Promise<void> | undefined;
  private disposed = false;

  private readonly changeEmitter = new Emitter<SessionsChange>();
  private readonly endedEmitter = new Emitter<SessionEnded>();
  private readonly refreshFailedEmitter = new Emitter<RefreshFailed>();
  private readonly refreshingEmitter = new Emitter<{ id: string; refreshing: boolean }>();
  private readonly corruptEmitter = new Emitter<void>();

  /** Sessions added, removed or changed (tokens refreshed, made active, signed out), here or in another window. */
  readonly onDidChangeSessions = this.changeEmitter.event;
  /** Concur ended a session's grant; the user should be told and offered to sign in again. */
  readonly onDidEndSession = this.endedEmitter.event;
  /** Automatic refresh kept failing (network, 5xx); the session is kept. */
  readonly onDidFailRefresh = this.refreshFailedEmitter.event;
  readonly onDidChangeRefreshing = this.refreshingEmitter.event;
  /** The stored sessions could not be read and were removed. */
  readonly onDidDropCorruptSessions = this.corruptEmitter.event;

  constructor(private readonly options: SessionManagerOptions) {
    this.store = new SessionStore(options.secrets);
    this.clock = options.clock ?? systemClock;
    this.disposables.push(
      options.secrets.onDidChange((e) => {
        if (e.key === SESSIONS_KEY) void this.reload();
      }) as Disposable,
    );
  }

  /** Reads the stored sessions once; every public method waits for it. */
  initialize(): Promise<void> {
    this.initialized ??= this.reload();
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

  async storedClientSecret(clientId: string): Promise<string | undefined> {
    return this.store.getClientSecret(clientId);
  }

  /**
   * Signs in. On failure nothing stored changes: a wrong password keeps the previous session.
   * Signing in again as an account that already has a session replaces that session.
   */
  async signIn(request: SignInRequest, signal?: AbortSignal): Promise<Session> {
    await this.initialize();
    const redactor = this.options.redactor;
    redactor?.add(request.clientSecret);
    if (request.grant.kind === 'password') redactor?.add(request.grant.password);
    if (request.grant.kind === 'companyRequestToken') redactor?.add(request.grant.requestToken);

    const client: ClientCredentials = { clientId: request.clientId, clientSecret: request.clientSecret };
    const tokenClient = await this.options.tokenClient();
    const result = await tokenClient.requestToken(request.baseUrl, client, request.grant, signal);
    const tokens = result.tokens;
    this.remember(tokens);

    const grant = request.grant;
    const accountId =
      grant.kind === 'clientCredentials'
        ? request.clientId
        : (subjectOf(tokens.accessToken, tokens.idToken) ?? (grant.kind === 'password' ? grant.username : grant.companyId));
    const label = accountLabel(request, tokens);
    const now = this.clock.now();

    await this.store.storeClientSecret(request.clientId, request.clientSecret);
    let session!: Session;
    await this.mutate((state) => {
      const existing = state.sessions.find((s) => s.accountId === accountId && s.clientId === request.clientId && s.grant === grant.kind);
      session = {
        id: existing?.id ?? randomUUID(),
        state: 'active',
        label,
        accountId,
        baseUrl: request.baseUrl,
        geolocation: tokens.geolocation,
        grant: grant.kind,
        clientId: request.clientId,
        username: grant.kind === 'password' ? grant.username : undefined,
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
      const sessions = existing ? state.sessions.map((s) => (s.id === existing.id ? session : s)) : [...state.sessions, session];
      return { activeId: session.id, sessions };
    });
    await this.options.globalState.update(SIGN_IN_DEFAULTS_KEY, {
      baseUrl: request.baseUrl,
      grant: grant.kind,
      clientId: request.clientId,
      username: grant.kind === 'password' ? grant.username : this.signInDefaults().username,
      companyId: grant.kind === 'companyRequestToken' ? grant.companyId : this.signInDefaults().companyId,
    } satisfies SignInDefaults);
    this.options.log.info(
      `Signed in ${describeSession(session)}: token issued by ${result.issuedBy}, expires in ${Math.round((session.expiresAt - now) / 60000)} min (correlation id ${result.correlationId})`,
    );
    return session;
  }

  async setActive(id: string): Promise<void> {
    await this.initialize();
    await this.mutate((state) => (state.sessions.some((s) => s.id === id) ? { ...state, activeId: id } : state));
  }

  /** Removes a session and its tokens; the client secret goes too when no other session uses it. */
  async signOut(id: string): Promise<Session | undefined> {
    await this.initialize();
    let removed: Session | undefined;
    let clientStillUsed = true;
    await this.mutate((state) => {
      removed = state.sessions.find((s) => s.id === id);
      if (!removed) return state;
      const sessions = state.sessions.filter((s) => s.id !== id);
      clientStillUsed = sessions.some((s) => s.clientId === removed?.clientId);
      const activeId = state.activeId === id ? (sessions.find((s) => s.state === 'active') ?? sessions[0])?.id : state.activeId;
      return { activeId, sessions };
    });
    if (removed) {
      if (!clientStillUsed) await this.store.deleteClientSecret(removed.clientId);
      this.forget(removed);
      this.options.log.info(`Signed out ${describeSession(removed)}`);
    }
    return removed;
  }

  /**
   * An access token for the session (the active one by default), refreshed first when it is about
   * to expire. When that refresh fails for a passing reason and the token is still valid, the
   * current token is returned.
   */
  async getAccessToken(id?: string, options: { signal?: AbortSignal; minValidityMs?: number } = {}): Promise<{ session: Session; accessToken: string }> {
    await this.initialize();
    const session = id ? this.getSession(id) : this.activeSession;
    if (!session) throw new SignedOutError('You are not signed in to Concur. Run "Concur: Sign In" first.');
    if (session.state !== 'active') throw new SignedOutError(`The Concur session for ${session.label} has ended. Sign in again.`);
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

  /** Refreshes now. Concurrent calls for one session share a single request to Concur. */
  refresh(id: string, reason = 'requested'): Promise<Session> {
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

  private async doRefresh(id: string, reason: string): Promise<Session> {
    await this.initialize();
    // Another window may have refreshed (and rotated the refresh token) already: read first.
    await this.reload();
    const session = this.getSession(id);
    if (!session) throw new SignedOutError('That Concur session no longer exists.');
    if (session.state !== 'active') throw new SignedOutError(`The Concur session for ${session.label} has ended. Sign in again.`);

    const clientSecret = await this.store.getClientSecret(session.clientId);
    if (!clientSecret) {
      await this.endSession(session, 'Its client secret is no longer stored. Sign in again.');
      throw new SignedOutError(`The client secret for ${session.label} is no longer stored. Sign in again.`);
    }
    this.options.redactor?.add(clientSecret);
    let grant: Grant;
    if (session.refreshToken) {
      grant = { kind: 'refreshToken', refreshToken: session.refreshToken };
    } else if (session.grant === 'clientCredentials') {
      // App tokens come without a refresh token: a new one is obtained with the client credentials.
      grant = { kind: 'clientCredentials' };
    } else {
      await this.endSession(session, 'Concur gave this session no refresh token. Sign in again.');
      throw new SignedOutError(`The Concur session for ${session.label} cannot be refreshed. Sign in again.`);
    }

    const started = this.clock.now();
    let tokens: TokenSet;
    try {
      const tokenClient = await this.options.tokenClient();
      tokens = (await tokenClient.requestToken(session.geolocation, { clientId: session.clientId, clientSecret }, grant)).tokens;
    } catch (error) {
      if (endsGrant(error)) {
        // Another window may have used this refresh token a moment ago and stored the rotated one.
        await this.reload();
        const stored = this.getSession(id);
        if (stored && stored.state === 'active' && stored.refreshToken !== session.refreshToken) return stored;
        await this.endSession(session, describeError(error));
      } else if (!isCancellation(error)) {
        this.options.log.warn(`Refreshing ${describeSession(session)} failed (${reason}); the session is kept: ${describeError(error)}`);
      }
      throw error;
    }
    this.remember(tokens);

    let updated!: Session;
    await this.mutate((state) => {
      const current = state.sessions.find((s) => s.id === id);
      if (!current) return state;
      updated = {
        ...current,
        // Fresh tokens make the session active again, even if another window gave up on it meanwhile.
        state: 'active',
        signedOutReason: undefined,
        accessToken: tokens.accessToken,
        expiresAt: tokens.expiresAt,
        obtainedAt: tokens.obtainedAt,
        // Concur may rotate the refresh token on every refresh: always keep the newest one.
        refreshToken: tokens.refreshToken ?? current.refreshToken,
        refreshExpiresAt: tokens.refreshExpiresAt ?? current.refreshExpiresAt,
        idToken: tokens.idToken ?? current.idToken,
        geolocation: tokens.geolocation,
        scopes: tokens.scopes.length > 0 ? tokens.scopes : current.scopes,
        lastRefreshAt: this.clock.now(),
      };
      return { ...state, sessions: state.sessions.map((s) => (s.id === id ? updated : s)) };
    });
    if (!updated) throw new SignedOutError('The Concur session was signed out while it was being refreshed.');
    if (session.refreshToken && session.refreshToken !== updated.refreshToken) this.options.redactor?.delete(session.refreshToken);
    this.failures.delete(id);
    this.options.log.info(
      `Refreshed ${describeSession(updated)} (${reason}) in ${this.clock.now() - started} ms; geolocation ${updated.geolocation}; ` +
        `access token valid for ${Math.round((updated.expiresAt - this.clock.now()) / 60000)} min`,
    );
    return updated;
  }

  private async endSession(session: Session, reason: string): Promise<void> {
    await this.mutate((state) => ({
      ...state,
      sessions: state.sessions.map((s) =>
        s.id === session.id
          ? { ...s, state: 'signedOut', accessToken: '', refreshToken: undefined, idToken: undefined, refreshExpiresAt: undefined, signedOutReason: reason }
          : s,
      ),
    }));
    this.forget(session);
    this.options.log.warn(`Signed out ${describeSession(session)}: ${reason}`);
    const ended = this.getSession(session.id) ?? session;
    this.endedEmitter.fire({ session: ended, reason });
  }

  /** Writes through the store and publishes what changed. */
  private async mutate(update: (state: SessionsState) => SessionsState): Promise<SessionsState> {
    const next = await this.store.update(update);
    this.apply(next);
    return next;
  }

  private async reload(): Promise<void> {
    const { state, changed, dropped } = await this.store.read();
    if (dropped) {
      this.options.log.error('The stored Concur sessions could not be read and were removed; sign in again.');
      this.corruptEmitter.fire();
    }
    if (changed || dropped || this.initialized === undefined) this.apply(state);
  }

  private apply(next: SessionsState): void {
    const before = new Map(this.state.sessions.map((s) => [s.id, s]));
    const after = new Map(next.sessions.map((s) => [s.id, s]));
    const added = next.sessions.filter((s) => !before.has(s.id));
    const removed = this.state.sessions.filter((s) => !after.has(s.id));
    const changed = next.sessions.filter((s) => before.has(s.id) && before.get(s.id) !== s && JSON.stringify(before.get(s.id)) !== JSON.stringify(s));
    const activeChanged = this.state.activeId !== next.activeId;
    this.state = next;
    for (const s of next.sessions) {
      this.options.redactor?.add(s.accessToken);
      this.options.redactor?.add(s.refreshToken);
      this.options.redactor?.add(s.idToken);
    }
    for (const s of removed) this.cancelTimer(s.id);
    for (const s of [...added, ...changed]) this.schedule(s);
    if (added.length || removed.length || changed.length || activeChanged) {
      this.changeEmitter.fire({ added, removed, changed: activeChanged && changed.length === 0 ? next.sessions : changed });
    }
  }

  private remember(tokens: TokenSet): void {
    this.options.redactor?.add(tokens.accessToken);
    this.options.redactor?.add(tokens.refreshToken);
    this.options.redactor?.add(tokens.idToken);
  }

  private forget(session: Session): void {
    this.cancelTimer(session.id);
    this.failures.delete(session.id);
  }

  private settings(): RefreshSettings {
    const s = this.options.settings?.() ?? DEFAULT_SETTINGS;
    return { lifetimeFraction: Math.min(0.95, Math.max(0.1, s.lifetimeFraction)), failuresBeforeNotice: Math.max(1, s.failuresBeforeNotice) };
  }

  /** Arms the one timer of a session: at the configured fraction of the token's lifetime. */
  private schedule(session: Session, delayOverride?: number): void {
    this.cancelTimer(session.id);
    if (this.disposed || session.state !== 'active') return;
    const lifetime = Math.max(0, session.expiresAt - session.obtainedAt);
    const due = session.obtainedAt + lifetime * this.settings().lifetimeFraction;
    // A little per-window jitter, so that several VS Code windows do not all refresh at the same instant.
    const jitter = (this.options.random ?? Math.random)() * Math.min(30_000, lifetime * 0.05);
    const delay = delayOverride ?? Math.max(0, due - this.clock.now() + jitter);
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
    this.corruptEmitter.dispose();
  }
}

export function describeSession(session: Session): string {
  return `${session.label} (${session.grant}, ${new URL(session.geolocation).host})`;
}

function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

function accountLabel(request: SignInRequest, tokens: TokenSet): string {
  const grant = request.grant;
  if (grant.kind === 'password') return grant.username;
  const sub = subjectOf(tokens.accessToken, tokens.idToken);
  if (grant.kind === 'companyRequestToken') return `Company ${shortId(sub ?? grant.companyId)}`;
  const type = tokenTypeOf(tokens.accessToken);
  return `App ${shortId(request.clientId)}${type && type !== 'app' ? ` (${type})` : ''}`;
}
