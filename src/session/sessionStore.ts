/**
 * The sessions' one home: a single namespaced SecretStorage entry holding every session as JSON,
 * plus one entry per client id for its client secret (needed to refresh). Nobody else reads or
 * writes these keys. Writes are serialized; a corrupt entry is dropped rather than crashing.
 */
import type { SecretStore, Session } from './types';

export const SESSIONS_KEY = 'concur-api-explorer.sessions';
export const CLIENT_SECRET_KEY_PREFIX = 'concur-api-explorer.clientSecret.';

export function clientSecretKey(clientId: string): string {
  return CLIENT_SECRET_KEY_PREFIX + clientId.toLowerCase();
}

export interface SessionsState {
  readonly activeId?: string;
  readonly sessions: readonly Session[];
}

interface StoredFile {
  version: 1;
  activeId?: string;
  sessions: Session[];
}

export class CorruptSessionsError extends Error {
  override readonly name = 'CorruptSessionsError';
}

export class SessionStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** The JSON this store last wrote or read, to tell its own writes from other windows'. */
  private lastSeen: string | undefined;

  constructor(private readonly secrets: SecretStore) {}

  /**
   * Reads the sessions. A corrupt entry is deleted and reported through the returned `dropped`
   * flag, so the caller can tell the user; it never throws for bad content.
   */
  async read(): Promise<{ state: SessionsState; changed: boolean; dropped: boolean }> {
    const raw = await this.secrets.get(SESSIONS_KEY);
    const changed = raw !== this.lastSeen;
    this.lastSeen = raw;
    if (raw === undefined) return { state: { sessions: [] }, changed, dropped: false };
    try {
      return { state: parseSessions(raw), changed, dropped: false };
    } catch {
      await this.secrets.delete(SESSIONS_KEY);
      this.lastSeen = undefined;
      return { state: { sessions: [] }, changed: true, dropped: true };
    }
  }

  /** Applies `update` to the current stored state and writes the result, one write at a time. */
  update(update: (state: SessionsState) => SessionsState): Promise<SessionsState> {
    const run = async (): Promise<SessionsState> => {
      const { state } = await this.read();
      const next = update(state);
      const file: StoredFile = { version: 1, activeId: next.activeId, sessions: [...next.sessions] };
      const raw = JSON.stringify(file);
      if (next.sessions.length === 0) {
        await this.secrets.delete(SESSIONS_KEY);
        this.lastSeen = undefined;
      } else {
        await this.secrets.store(SESSIONS_KEY, raw);
        this.lastSeen = raw;
      }
      return next;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  getClientSecret(clientId: string): PromiseLike<string | undefined> {
    return this.secrets.get(clientSecretKey(clientId));
  }

  storeClientSecret(clientId: string, secret: string): PromiseLike<void> {
    return this.secrets.store(clientSecretKey(clientId), secret);
  }

  deleteClientSecret(clientId: string): PromiseLike<void> {
    return this.secrets.delete(clientSecretKey(clientId));
  }
}

const REQUIRED_STRINGS = ['id', 'label', 'accountId', 'baseUrl', 'geolocation', 'grant', 'clientId'] as const;

export function parseSessions(raw: string): SessionsState {
  const file = JSON.parse(raw) as Partial<StoredFile>;
  if (typeof file !== 'object' || file === null || file.version !== 1 || !Array.isArray(file.sessions)) {
    throw new CorruptSessionsError('not a sessions file');
  }
  for (const session of file.sessions) {
    if (typeof session !== 'object' || session === null) throw new CorruptSessionsError('a session is not an object');
    for (const key of REQUIRED_STRINGS) {
      if (typeof session[key] !== 'string') throw new CorruptSessionsError(`a session has no ${key}`);
    }
    if (session.state !== 'active' && session.state !== 'signedOut') throw new CorruptSessionsError('a session has no state');
    if (typeof session.expiresAt !== 'number' || !Array.isArray(session.scopes)) throw new CorruptSessionsError('a session has no expiry');
  }
  const activeId = file.sessions.some((s) => s.id === file.activeId) ? file.activeId : file.sessions[0]?.id;
  return { activeId, sessions: file.sessions };
}
