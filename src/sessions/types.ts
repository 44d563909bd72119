import type { GrantKind } from '../auth/tokenClient';

/** VS Code's SecretStorage, as far as sessions need it (the real one is passed in at activation). */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  readonly onDidChange: (listener: (e: { key: string }) => unknown) => { dispose(): unknown };
}

/** VS Code's globalState (a Memento): non-secret choices only. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/**
 * A Concur session as kept in SecretStorage. `signedOut` sessions have lost their tokens (Concur
 * ended the grant, e.g. code 108) and stay listed so that the user can sign in again in one step.
 */
export interface Session {
  readonly id: string;
  readonly state: 'active' | 'signedOut';
  /** What people see: the username, or the company / app the token stands for. */
  readonly label: string;
  /** The token's subject (user or company UUID), or the client id for app tokens. */
  readonly accountId: string;
  /** Where sign-in started (a datacenter's base URL or a custom one). */
  readonly baseUrl: string;
  /** The user's datacenter, from the token response: the base for API calls and refreshes. */
  readonly geolocation: string;
  readonly grant: GrantKind;
  readonly clientId: string;
  readonly username?: string;
  readonly companyId?: string;
  readonly scopes: readonly string[];
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly obtainedAt: number;
  readonly refreshToken?: string;
  readonly refreshExpiresAt?: number;
  readonly idToken?: string;
  readonly signedInAt: number;
  readonly lastRefreshAt?: number;
  /** Why the session was signed out, for the tree and the notification. */
  readonly signedOutReason?: string;
}

export interface SessionsChange {
  readonly added: readonly Session[];
  readonly removed: readonly Session[];
  readonly changed: readonly Session[];
}
