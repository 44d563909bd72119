/**
 * The sessions' one home in SecretStorage. Nobody else reads or writes these keys.
 *
 * Layout (storage version 2):
 *  - `concur-api-explorer.sessions.index`: `{ version: 2, activeId, ids }`
 *  - `concur-api-explorer.session.<id>`: `{ version: 2, gen, session }`, one entry per session, so
 *    that two windows writing different sessions never touch the same entry, and a bad entry costs
 *    that session only;
 *  - `concur-api-explorer.clientSecret.<clientId>@<origin>`: a client secret, kept for the host it
 *    was used with and offered again only there.
 * `gen` counts the session's token rotations: a write that knows of fewer rotations than the entry
 * holds is stale (see SessionManager, which compares before it writes and repairs a write that was
 * overtaken). Version 1 (every session in one entry) is migrated on first read. An index of a
 * version this code does not know is left untouched — never deleted — and reported; nothing is
 * written until the extension is updated.
 */
import type { GrantKind } from '../auth/tokenClient';
import { baseOrigin } from '../platform/resolver';
import { l10n } from '../platform/l10n';
import type { SecretStore, Session } from './types';

export const KEY_PREFIX = 'concur-api-explorer.';
export const INDEX_KEY = `${KEY_PREFIX}sessions.index`;
export const SESSION_KEY_PREFIX = `${KEY_PREFIX}session.`;
export const CLIENT_SECRET_KEY_PREFIX = `${KEY_PREFIX}clientSecret.`;
/** Storage version 1: every session in one JSON entry, client secrets per client id. */
export const LEGACY_SESSIONS_KEY = `${KEY_PREFIX}sessions`;

export const STORAGE_VERSION = 2;

export function sessionKey(id: string): string {
  return SESSION_KEY_PREFIX + id;
}

/** The client secret's key: per client id and the origin it was used with. */
export function clientSecretKey(clientId: string, baseUrl: string): string {
  return `${CLIENT_SECRET_KEY_PREFIX}${clientId.toLowerCase()}@${baseOrigin(baseUrl)}`;
}

function legacyClientSecretKey(clientId: string): string {
  return CLIENT_SECRET_KEY_PREFIX + clientId.toLowerCase();
}

export interface StoredSession {
  readonly session: Session;
  /** How many token rotations this entry has seen. */
  readonly gen: number;
}

export interface SessionsState {
  readonly activeId?: string;
  readonly sessions: readonly Session[];
  /** Rotation counts, by session id. */
  readonly gens: ReadonlyMap<string, number>;
}

/** Something in storage that could not be used, for the log and the user. */
export interface StorageProblem {
  readonly kind: 'droppedSession' | 'droppedIndex' | 'unknownVersion';
  readonly message: string;
}

export interface ReadResult {
  readonly state: SessionsState;
  readonly problems: readonly StorageProblem[];
}

/** Writing is refused: the stored sessions belong to a newer version of the extension. */
export class StorageLockedError extends Error {
  override readonly name = 'StorageLockedError';
}

export const EMPTY_STATE: SessionsState = { sessions: [], gens: new Map() };

interface IndexFile {
  version: number;
  activeId?: string;
  ids: string[];
}

/**
 * A vetting hook for sessions as they are read: returns why a session cannot be used (its
 * geolocation no longer passes the trust rules, say), or undefined to keep it.
 */
export type SessionCheck = (session: Session) => string | undefined;

export class SessionStore {
  private queue: Promise<unknown> = Promise.resolve();
  private lockedBy: string | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly check: SessionCheck = () => undefined,
  ) {}

  /** Whether a key is one of this store's (for SecretStorage change events). */
  static owns(key: string): boolean {
    return key.startsWith(KEY_PREFIX) && !key.startsWith(CLIENT_SECRET_KEY_PREFIX);
  }

  /** Why writes are refused, when they are. */
  get locked(): string | undefined {
    return this.lockedBy;
  }

  /** Reads every session. A bad session entry is removed and reported; the others are kept. */
  read(): Promise<ReadResult> {
    return this.serialized(() => this.readNow());
  }

  private async readNow(): Promise<ReadResult> {
    const problems: StorageProblem[] = [];
    const rawIndex = await this.secrets.get(INDEX_KEY);
    let index: IndexFile | undefined;
    if (rawIndex === undefined) {
      const migrated = await this.migrate(problems);
      if (!migrated) return { state: EMPTY_STATE, problems };
      index = migrated;
    } else {
      const parsed = parseIndex(rawIndex);
      if (parsed === 'corrupt') {
        await this.secrets.delete(INDEX_KEY);
        problems.push({ kind: 'droppedIndex', message: l10n.t('The list of stored Concur sessions could not be read and was removed; sign in again.') });
        return { state: EMPTY_STATE, problems };
      }
      if (parsed.version !== STORAGE_VERSION) {
        this.lockedBy = unknownVersionMessage(parsed.version);
        problems.push({ kind: 'unknownVersion', message: this.lockedBy });
        return { state: EMPTY_STATE, problems };
      }
      index = parsed;
    }
    this.lockedBy = undefined;

    const sessions: Session[] = [];
    const gens = new Map<string, number>();
    const kept: string[] = [];
    for (const id of index.ids) {
      const raw = await this.secrets.get(sessionKey(id));
      if (raw === undefined) continue; // signed out in another window between its two writes
      const entry = parseEntry(raw, id);
      const problem = typeof entry === 'string' ? entry : this.check(entry.session);
      if (problem !== undefined || typeof entry === 'string') {
        await this.secrets.delete(sessionKey(id));
        problems.push({ kind: 'droppedSession', message: droppedMessage(labelIn(raw), problem ?? '') });
        continue;
      }
      sessions.push(entry.session);
      gens.set(id, entry.gen);
      kept.push(id);
    }
    if (kept.length !== index.ids.length) await this.writeIndex({ version: STORAGE_VERSION, activeId: index.activeId, ids: kept });
    const activeId = kept.includes(index.activeId ?? '') ? index.activeId : kept[0];
    return { state: { activeId, sessions, gens }, problems };
  }

  /** Reads one session entry as stored now. */
  readSession(id: string): Promise<StoredSession | undefined> {
    return this.serialized(async () => {
      const raw = await this.secrets.get(sessionKey(id));
      if (raw === undefined) return undefined;
      const entry = parseEntry(raw, id);
      return typeof entry === 'string' ? undefined : entry;
    });
  }

  /**
   * Compare-before-write for one session: reads the entry as stored now, lets `update` decide on
   * that (return undefined to leave it), and writes the result. Resolves with what is stored after.
   */
  updateSession(id: string, update: (current: StoredSession | undefined) => StoredSession | undefined): Promise<StoredSession | undefined> {
    return this.serialized(async () => {
      this.assertWritable();
      const raw = await this.secrets.get(sessionKey(id));
      const parsed = raw === undefined ? undefined : parseEntry(raw, id);
      const current = typeof parsed === 'string' ? undefined : parsed;
      const next = update(current);
      if (!next) return current;
      await this.secrets.store(sessionKey(id), JSON.stringify({ version: STORAGE_VERSION, gen: next.gen, session: next.session }));
      return next;
    });
  }

  /** Adds a session id to the index (and makes it active when asked). */
  addToIndex(id: string, makeActive: boolean): Promise<void> {
    return this.updateIndex((index) => ({ ...index, ids: index.ids.includes(id) ? index.ids : [...index.ids, id], activeId: makeActive ? id : (index.activeId ?? id) }));
  }

  setActive(id: string): Promise<void> {
    return this.updateIndex((index) => (index.ids.includes(id) ? { ...index, activeId: id } : index));
  }

  /** Removes a session: its entry first, then its id, so that a reader never sees an id whose entry it must keep. */
  removeSession(id: string, nextActive: (remaining: readonly string[]) => string | undefined): Promise<void> {
    return this.serialized(async () => {
      this.assertWritable();
      await this.secrets.delete(sessionKey(id));
      await this.updateIndexNow((index) => {
        const ids = index.ids.filter((i) => i !== id);
        return { ...index, ids, activeId: index.activeId === id || !index.activeId ? nextActive(ids) : index.activeId };
      });
    });
  }

  getClientSecret(clientId: string, baseUrl: string): PromiseLike<string | undefined> {
    return this.secrets.get(clientSecretKey(clientId, baseUrl));
  }

  storeClientSecret(clientId: string, baseUrl: string, secret: string): Promise<void> {
    return this.serialized(async () => {
      this.assertWritable();
      await this.secrets.store(clientSecretKey(clientId, baseUrl), secret);
    });
  }

  deleteClientSecret(clientId: string, baseUrl: string): PromiseLike<void> {
    return this.secrets.delete(clientSecretKey(clientId, baseUrl));
  }

  private updateIndex(update: (index: IndexFile) => IndexFile): Promise<void> {
    return this.serialized(() => this.updateIndexNow(update));
  }

  private async updateIndexNow(update: (index: IndexFile) => IndexFile): Promise<void> {
    this.assertWritable();
    const raw = await this.secrets.get(INDEX_KEY);
    const parsed = raw === undefined ? undefined : parseIndex(raw);
    if (parsed !== undefined && parsed !== 'corrupt' && parsed.version !== STORAGE_VERSION) {
      this.lockedBy = unknownVersionMessage(parsed.version);
      throw new StorageLockedError(this.lockedBy);
    }
    const current: IndexFile = parsed === undefined || parsed === 'corrupt' ? { version: STORAGE_VERSION, ids: [] } : parsed;
    await this.writeIndex(update(current));
  }

  private async writeIndex(index: IndexFile): Promise<void> {
    if (index.ids.length === 0) await this.secrets.delete(INDEX_KEY);
    else await this.secrets.store(INDEX_KEY, JSON.stringify({ version: STORAGE_VERSION, activeId: index.activeId, ids: index.ids }));
  }

  /**
   * Storage version 1 → 2: each session to its own entry, each client secret to the host its
   * sessions signed in at. Bad sessions are dropped one by one; an unknown version is left alone.
   */
  private async migrate(problems: StorageProblem[]): Promise<IndexFile | undefined> {
    const raw = await this.secrets.get(LEGACY_SESSIONS_KEY);
    if (raw === undefined) return undefined;
    let file: { version?: unknown; activeId?: unknown; sessions?: unknown };
    try {
      file = JSON.parse(raw) as typeof file;
      if (typeof file !== 'object' || file === null) throw new Error('not an object');
    } catch {
      await this.secrets.delete(LEGACY_SESSIONS_KEY);
      problems.push({ kind: 'droppedIndex', message: l10n.t('The stored Concur sessions could not be read and were removed; sign in again.') });
      return undefined;
    }
    if (file.version !== 1) {
      this.lockedBy = unknownVersionMessage(file.version);
      problems.push({ kind: 'unknownVersion', message: this.lockedBy });
      return undefined;
    }
    const list = Array.isArray(file.sessions) ? (file.sessions as unknown[]) : [];
    const ids: string[] = [];
    const clientIds = new Set<string>();
    for (const candidate of list) {
      const session = validateSession(candidate);
      const problem = typeof session === 'string' ? session : this.check(session);
      if (typeof session === 'string' || problem !== undefined || ids.includes(session.id)) {
        problems.push({ kind: 'droppedSession', message: droppedMessage(labelOf(candidate), problem ?? l10n.t('its id is used twice')) });
        continue;
      }
      await this.secrets.store(sessionKey(session.id), JSON.stringify({ version: STORAGE_VERSION, gen: 0, session }));
      const secret = await this.secrets.get(legacyClientSecretKey(session.clientId));
      if (secret !== undefined) await this.secrets.store(clientSecretKey(session.clientId, session.baseUrl), secret);
      clientIds.add(session.clientId);
      ids.push(session.id);
    }
    const index: IndexFile = { version: STORAGE_VERSION, activeId: typeof file.activeId === 'string' && ids.includes(file.activeId) ? file.activeId : ids[0], ids };
    await this.writeIndex(index);
    await this.secrets.delete(LEGACY_SESSIONS_KEY);
    for (const clientId of clientIds) await this.secrets.delete(legacyClientSecretKey(clientId));
    return index;
  }

  private assertWritable(): void {
    if (this.lockedBy) throw new StorageLockedError(this.lockedBy);
  }

  /** One storage operation at a time in this window. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function unknownVersionMessage(version: unknown): string {
  return l10n.t(
    "The Concur sessions in VS Code's secret storage were written by a newer version of Concur API Explorer (storage version {0}). They are left untouched; update the extension to use them.",
    String(version).slice(0, 12),
  );
}

function droppedMessage(label: string, why: string): string {
  return l10n.t('A stored Concur session ({0}) could not be used and was removed: {1}', label, why);
}

function parseIndex(raw: string): IndexFile | 'corrupt' {
  try {
    const file = JSON.parse(raw) as Partial<IndexFile>;
    if (typeof file !== 'object' || file === null) return 'corrupt';
    if (file.version !== STORAGE_VERSION) return typeof file.version === 'number' ? { version: file.version, ids: [] } : 'corrupt';
    if (!Array.isArray(file.ids) || !file.ids.every((id) => typeof id === 'string')) return 'corrupt';
    return { version: file.version, activeId: typeof file.activeId === 'string' ? file.activeId : undefined, ids: [...new Set(file.ids)] };
  } catch {
    return 'corrupt';
  }
}

function parseEntry(raw: string, id: string): StoredSession | string {
  let file: { version?: unknown; gen?: unknown; session?: unknown };
  try {
    file = JSON.parse(raw) as typeof file;
  } catch {
    return l10n.t('its entry is not JSON');
  }
  if (typeof file !== 'object' || file === null || file.version !== STORAGE_VERSION) return l10n.t('its entry has an unknown format');
  const session = validateSession(file.session);
  if (typeof session === 'string') return session;
  if (session.id !== id) return l10n.t('its entry holds another session');
  const gen = typeof file.gen === 'number' && Number.isSafeInteger(file.gen) && file.gen >= 0 ? file.gen : 0;
  return { session, gen };
}

const REQUIRED_STRINGS = ['id', 'label', 'accountId', 'baseUrl', 'geolocation', 'clientId'] as const;
const OPTIONAL_STRINGS = ['username', 'companyId', 'refreshToken', 'idToken', 'signedOutReason'] as const;
const REQUIRED_TIMES = ['expiresAt', 'obtainedAt', 'signedInAt'] as const;
const OPTIONAL_TIMES = ['refreshExpiresAt', 'lastRefreshAt'] as const;
const GRANTS: readonly GrantKind[] = ['password', 'companyRequestToken', 'clientCredentials', 'authorizationCode', 'otp'];
/** Dates from 2000 to 9999: anything else is no time the extension wrote. */
const MIN_TIME = Date.UTC(2000, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31);

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= MIN_TIME && v <= MAX_TIME;

/** A stored session, checked field by field; a message when it cannot be used. */
export function validateSession(value: unknown): Session | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return l10n.t('it is not an object');
  const s = value as Record<string, unknown>;
  // The field names are the stored JSON's own, shown as they are.
  for (const key of REQUIRED_STRINGS) if (typeof s[key] !== 'string' || !s[key]) return l10n.t('it has no {0}', key);
  for (const key of OPTIONAL_STRINGS) if (s[key] !== undefined && s[key] !== null && typeof s[key] !== 'string') return l10n.t('its {0} is not text', key);
  if (s.state !== 'active' && s.state !== 'signedOut') return l10n.t('it has no state');
  if (!GRANTS.includes(s.grant as GrantKind)) return l10n.t('its grant is unknown');
  if (typeof s.accessToken !== 'string' || (s.state === 'active' && !s.accessToken)) return l10n.t('it has no access token');
  for (const key of REQUIRED_TIMES) if (!isTime(s[key])) return l10n.t('its {0} is not a time', key);
  for (const key of OPTIONAL_TIMES) if (s[key] !== undefined && s[key] !== null && !isTime(s[key])) return l10n.t('its {0} is not a time', key);
  if (!Array.isArray(s.scopes) || !s.scopes.every((x) => typeof x === 'string')) return l10n.t('its scopes are not a list');
  const session = { ...s } as Record<string, unknown>;
  // JSON turns undefined into absent and an old writer may have stored null: read both as absent.
  for (const key of [...OPTIONAL_STRINGS, ...OPTIONAL_TIMES]) if (session[key] === null) delete session[key];
  return session as unknown as Session;
}

function labelIn(raw: string): string {
  try {
    return labelOf((JSON.parse(raw) as { session?: unknown }).session);
  } catch {
    return l10n.t('unreadable');
  }
}

function labelOf(value: unknown): string {
  const label = (value as { label?: unknown } | null)?.label;
  return typeof label === 'string' ? label.slice(0, 80) : l10n.t('no name');
}
