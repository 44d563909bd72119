/** Public types of the local Concur server. */
import type { DefinitionEntries } from '../catalog/endpoint';

/** The two datacenters the server runs at once: `landing` plays glz, `geo` plays a user's home (us2). */
export type DatacenterId = 'landing' | 'geo';

export interface UploadedPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly content: Buffer;
}

export interface Upload {
  readonly id: string;
  readonly userId: string;
  readonly receipt?: unknown;
  readonly image?: { readonly contentType: string; readonly filename?: string; readonly bytes: number; readonly sha256: string; readonly content: Buffer };
  readonly contentType: string;
}

export type FaultKind =
  | 'latency'
  | 'status500'
  | 'html503'
  | 'rate429'
  | 'reset'
  | 'hang'
  | 'malformedJson'
  | 'opaqueAccessToken'
  | 'unknownKey'
  | 'stringErrorCode'
  | 'largeBody'
  | 'wrongDatacenter';

export interface FaultRule {
  /**
   * Matched against the request pathname. A string matches exactly, or as a prefix when it ends
   * with `*` (`'*'` alone matches everything). Over the control endpoint a RegExp is sent as
   * `{ "regex": "^/profile/", "flags": "i" }`.
   */
  route: string | RegExp;
  /** Which datacenter the rule applies to (default `any`). */
  host?: DatacenterId | 'any';
  /** Restrict to one HTTP method (default: any). */
  method?: string;
  kind: FaultKind;
  /** `latency`: delay in milliseconds before the request is served normally (default 1000). */
  ms?: number;
  /** `rate429`: value of the `retry-after` header in seconds (default 1). */
  retryAfter?: number;
  /** Apply this many times, then drop the rule (default: unlimited). */
  times?: number;
  /** `largeBody`: size of the JSON body that replaces a successful JSON answer, in MB (default 20). */
  mb?: number;
  /** `status500`: body to send instead of the default plain text. */
  body?: string;
  /** The scenario that added the rule (see scenarios.ts), so that it can be switched off alone. */
  scenario?: string;
}

export interface MockConcurOptions {
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Landing datacenter port, 0 = any free port (default 0). */
  port?: number;
  /** Home datacenter port, 0 = any free port (default 0). */
  geoPort?: number;
  /** Access-token lifetime in seconds (default 3600). */
  accessTokenLifetime?: number;
  /** Refresh-token lifetime in seconds (default 180 days). */
  refreshTokenLifetime?: number;
  /** How `expires_in` is serialised in token responses (default `'string'`). */
  expiresInAs?: 'string' | 'number';
  /** How `code` is serialised in token error bodies (default `'number'`). */
  errorCodeAs?: 'string' | 'number';
  /** Number of users in the seeded company, demo users included (default 2500). */
  companyUsers?: number;
  /** Clock in milliseconds (default `Date.now`); every expiry check and `iat`/`exp` uses it. */
  now?: () => number;
  /** Faults active from the start. */
  faults?: FaultRule[];
  /** No line per request (default false: one line per request to `log`). */
  quiet?: boolean;
  /** Where the line per request goes (the command line prints it); nowhere when absent. */
  log?: (line: string) => void;
  /**
   * A folder of API definition documents served under `/api-explorer/<version>/<file>`, in place of
   * Concur's developer site (the tests name their stand-ins for Concur's published files); none by default.
   */
  publishedFolder?: string;
}

export interface RequestLogEntry {
  /** Position in the log since the last reset, from 0. */
  seq: number;
  host: DatacenterId;
  method: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status sent; 0 when no response was sent (reset, hang, client gone). */
  status: number;
  /** `grant_type` of a token request. */
  grantType?: string;
  /** `client_id` of a token, OTP or authorize request. */
  clientId?: string;
  /** Server clock (`options.now`) when the request arrived, in ms. */
  time: number;
  correlationId: string;
  /** The fault that answered (or delayed) this request. */
  fault?: FaultKind;
  /** Wall-clock time spent answering, in ms. */
  durationMs?: number;
  /** An API request's Content-Type and body as they arrived (not kept for token requests, which carry passwords). */
  contentType?: string;
  body?: Buffer;
}

export interface Counters {
  /** Every request except control endpoints. */
  requests: number;
  /** Every POST/GET that arrived at `/oauth2/v0/token`, whatever its outcome. */
  tokenRequests: number;
  /** Token requests with `grant_type=refresh_token`. */
  refreshGrants: number;
  /** Requests to API resources (not `/oauth2/...`). */
  apiRequests: number;
  [name: string]: number;
}

export interface DemoApp {
  key: 'main' | 'limited' | 'noRefresh' | 'disabled';
  name: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  grants: string[];
  refreshAllowed: boolean;
  enabled: boolean;
  description: string;
}

export interface DemoUser {
  username: string;
  password: string;
  id: string;
  displayName: string;
  home: DatacenterId;
  /** What signing in with the password grant does. */
  behaviour: string;
  /** Token error code a password sign-in produces, if any. */
  code?: number;
}

export interface DemoCredentials {
  /** The demo app: every grant, every scope. */
  clientId: string;
  clientSecret: string;
  /** The demo user: lives at the home datacenter, has reports, receipts and reports to approve. */
  username: string;
  password: string;
  userId: string;
  companyId: string;
  companyName: string;
  /** Company request token for `credtype=authtoken`, issued to the demo app at start-up, valid 24 hours. */
  companyRequestToken: string;
  /** Expiry of `companyRequestToken`, epoch seconds. */
  companyRequestTokenExpiresAt: number;
  /** E-mail address to use with the OTP grant. */
  otpHandle: string;
  /** A redirect URI the demo app accepts (any loopback, https or vscode URI is accepted). */
  redirectUri: string;
  limitedClientId: string;
  limitedClientSecret: string;
  noRefreshClientId: string;
  noRefreshClientSecret: string;
  disabledClientId: string;
  disabledClientSecret: string;
  apps: DemoApp[];
  users: DemoUser[];
  datacenters: Record<DatacenterId, { name: string; url: string }>;
}

/** What the token endpoint returns on success (the mock's own view of it). */
export interface TokenResponse {
  expires_in: string | number;
  scope: string;
  token_type: string;
  access_token: string;
  refresh_token?: string;
  refresh_expires_in?: number;
  id_token?: string;
  geolocation: string;
}

export interface IssueTokenOptions {
  /** Whose token: a username (default: the demo user), `'company'` or `'app'`. */
  principal?: string;
  /** Client the token is issued to (default: the demo app). */
  clientId?: string;
  /** Scopes (default: all of the client's scopes). */
  scopes?: string[];
  /** Access-token lifetime in seconds (default: the server's). */
  lifetime?: number;
}

export interface MockConcur {
  /** Landing datacenter origin, e.g. `http://127.0.0.1:5050` (no trailing slash). */
  url: string;
  /** Home datacenter origin: the `geolocation` of every demo user but one. */
  geoUrl: string;
  demo: DemoCredentials;
  /** Every request except control endpoints, oldest first. Cleared in place by `resetLog()`. */
  requests: RequestLogEntry[];
  /** Cleared in place by `resetLog()`. */
  counters: Counters;
  /** Clears the request log and zeroes the counters. */
  resetLog(): void;
  setFaults(rules: FaultRule[]): void;
  addFault(rule: FaultRule): void;
  /** Receipts uploaded (Receipts v4 POST), with each image's bytes, size and SHA-256, oldest first. */
  uploads(): Upload[];
  clearFaults(): void;
  /** Active fault rules (with their remaining `times`). */
  faults(): FaultRule[];
  /** Server clock in ms (`options.now()` plus any `advanceClock`). */
  now(): number;
  /** Moves the server clock forward (or back, with a negative value). */
  advanceClock(ms: number): void;
  /** Issues a 24-hour company request token for `credtype=authtoken` (default client: the demo app). */
  issueCompanyRequestToken(clientId?: string, lifetimeSeconds?: number): string;
  /** Invalidates refresh tokens (all, or those of one subject); returns how many. */
  revokeRefreshTokens(sub?: string): number;
  /** Invalidates access tokens (all, or those of one subject); returns how many. */
  revokeAccessTokens(sub?: string): number;
  /** Lets the live access tokens (all, or those of one subject) expire now, by the server clock: the next API call with one gets 401 `Access token has expired`. Returns how many. */
  expireAccessTokens(sub?: string): number;
  /**
   * The operations of the API definitions loaded into the catalog, answered where no built-in route
   * serves them (replacing those set before); the demo app is granted every scope they name.
   */
  setDefinitions(entries: readonly DefinitionEntries[]): void;
  /** How many definition operations the server answers. */
  definitionOperations(): number;
  /** The last one-time password "e-mailed" to this address. */
  lastOtp(handle: string): string | undefined;
  /** Mints tokens without an HTTP round trip (for tests of API calls). */
  issueTokens(options?: IssueTokenOptions): TokenResponse;
  /** The JWKS document served at `/oauth2/v0/jwks`. */
  jwks(): { keys: Array<Record<string, unknown>> };
  /** Stops both datacenters, ending hung and keep-alive connections. */
  close(): Promise<void>;
}
