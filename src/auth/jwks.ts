/**
 * Checks that a token was signed by Concur. Concur signs its access tokens and id tokens with
 * RS256 (header `{"typ":"JWT","alg":"RS256","kid":…}`) and publishes the public keys as a JWK Set
 * at `GET /oauth2/v0/jwks` on its hosts (Concur's "Authentication" and OpenID Connect
 * documentation). The check uses node:crypto only.
 *
 * What it will and will not do:
 *  - The JWK Set is public: no token or secret is ever sent to fetch it.
 *  - Keys are fetched only from origins the caller trusts. A token names its issuer (`iss`), and a
 *    forged token could name any host; a host outside `trustedOrigins` is reported, never contacted.
 *  - A failure to check is a result, not an exception: only cancellation is thrown.
 *  - No message contains token text. Key ids and issuer hosts are shown, bounded and made printable.
 *
 * Knows nothing of VS Code.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { l10n } from '../platform/l10n';
import { CancelledError, isCancellation, NetworkError, orList } from '../platform/errors';
import type { HttpClient, HttpResponse } from '../platform/http';
import { decodeToken } from './jwt';
import { type CheckedUrl, hostOf, originOf, RefusedTargetError, tokenEndpoint } from '../platform/resolver';
import { requireRequestHeaders } from '../platform/headers';

export const JWKS_PATH = '/oauth2/v0/jwks';

/** A JWK Set is a few keys; anything bigger than this is not Concur's. */
const MAX_JWKS_BYTES = 64 * 1024;
/** Keys kept from one JWK Set; Concur publishes one or two (the current one, and the next during a rotation). */
const MAX_KEYS = 50;
const MAX_KID_LENGTH = 128;
/** Concur's tokens are a few KB; a longer "token" is not worth decoding. */
const MAX_TOKEN_LENGTH = 64 * 1024;
/** RSA keys shorter than this are too weak to trust a signature from. */
const MIN_RSA_BITS = 2048;
/** Clocks differ; an `exp` or `nbf` this close is not reported. */
const CLOCK_SKEW_MS = 60_000;
const DEFAULT_TTL_MS = 60 * 60_000;
const MIN_TTL_MS = 60_000;
const MAX_TTL_MS = 24 * 60 * 60_000;
const DEFAULT_MIN_REFETCH_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;

// ── results ──────────────────────────────────────────────────────────────────────────────────

interface Checked {
  /** What the claim checks (`expect`) found wrong, one readable sentence each; empty when all is well. */
  readonly problems: readonly string[];
}

export type Verification =
  /** A key from Concur's JWK Set verifies the signature. */
  | (Checked & { readonly status: 'verified'; readonly kid: string; readonly origin: string })
  /** The token's `kid` is not in the JWK Set, even after fetching it again. */
  | (Checked & { readonly status: 'unknownKey'; readonly kid: string; readonly origin: string })
  /** The key named (or, without a `kid`, every key) does not verify the signature. */
  | (Checked & { readonly status: 'badSignature'; readonly kid?: string; readonly origin: string })
  /** The JWK Set could not be fetched or read; `reason` is short ("HTTP 503", "connection refused"). */
  | (Checked & { readonly status: 'jwksUnreachable'; readonly reason: string; readonly origin: string; readonly kid?: string })
  /** Not a JWT: nothing to check. */
  | (Checked & { readonly status: 'opaque' })
  /** A JWT this cannot check: another `alg`, a malformed header, or an unusable key. `reason` says which. */
  | (Checked & { readonly status: 'unsupported'; readonly reason: string })
  /** The token's `iss` names a host keys may not be fetched from; nothing was fetched. */
  | (Checked & { readonly status: 'untrustedIssuer'; readonly host: string });

/** One line for people: what was found, then the claim problems. */
export function describeVerification(v: Verification): string {
  const summary = summaryOf(v);
  return v.problems.length > 0 ? `${summary}; ${v.problems.join('; ')}` : summary;
}

function summaryOf(v: Verification): string {
  switch (v.status) {
    case 'verified':
      return l10n.t('signature verified (kid {0})', shown(v.kid));
    case 'unknownKey':
      return l10n.t("unknown key (kid {0}): not in Concur's published keys", shown(v.kid));
    case 'badSignature':
      return v.kid !== undefined ? l10n.t('bad signature (kid {0})', shown(v.kid)) : l10n.t("bad signature: none of Concur's published keys verifies it");
    case 'jwksUnreachable':
      return l10n.t("could not fetch Concur's keys: {0}", v.reason);
    case 'opaque':
      return l10n.t('opaque token: no signature to check');
    case 'unsupported':
      return l10n.t('cannot check the signature: {0}', v.reason);
    case 'untrustedIssuer':
      return l10n.t('not checked: the token names {0} as its issuer, which is not a host this session trusts', shown(v.host));
  }
}

/** Text taken from a token (a kid, a host) as it may appear in a message: printable and short. */
function shown(text: string, max = 48): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}

// ── the key cache ────────────────────────────────────────────────────────────────────────────

export interface JwksCacheOptions {
  readonly http: HttpClient;
  /** Clock in epoch ms (tests move it by hand). */
  readonly now?: () => number;
  /** How long a JWK Set is kept when its answer carries no `cache-control: max-age` (default 1 hour). */
  readonly ttlMs?: number;
  /** An unknown `kid` fetches the set again at most this often per origin (default 60 s). */
  readonly minRefetchIntervalMs?: number;
  /** Give up on a JWKS request after this long (default 10 s). */
  readonly timeoutMs?: number;
}

/** The usable keys of a JWK Set, and why the others were left out (by kid), for messages. */
export interface KeySet {
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly skipped: ReadonlyMap<string, string>;
}

/** Why a JWK Set could not be had; the message is the short reason shown to people. */
export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
}

interface CacheEntry {
  readonly set: KeySet;
  readonly expiresAt: number;
}

/**
 * Concur's keys per origin. A set is kept for its `max-age` (bounded to 1 minute … 24 hours) or
 * `ttlMs`; callers asking at once share one request; a failure is not kept, so the next call tries
 * again. Concur rotates keys by publishing the new one before signing with it, so a `kid` not yet
 * known means "fetch again" — at most once per `minRefetchIntervalMs`, so that tokens naming
 * made-up kids cannot make the extension hammer Concur.
 */
export class JwksCache {
  private readonly http: HttpClient;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly minRefetchIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly entries = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<KeySet>>();
  private readonly lastRefetch = new Map<string, number>();

  constructor(options: JwksCacheOptions) {
    this.http = options.http;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.minRefetchIntervalMs = options.minRefetchIntervalMs ?? DEFAULT_MIN_REFETCH_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The usable keys at an origin, by kid. Throws JwksFetchError when they cannot be had. */
  async keys(origin: string, signal?: AbortSignal): Promise<Map<string, KeyObject>> {
    return new Map((await this.keySet(origin, signal)).keys);
  }

  /** The key set at an origin: cached, shared with a request already under way, or fetched. */
  keySet(origin: string, signal?: AbortSignal): Promise<KeySet> {
    const url = jwksUrl(origin);
    const cached = this.entries.get(url.origin);
    if (cached && cached.expiresAt > this.now()) return Promise.resolve(cached.set);
    return withSignal(this.fetchShared(url), signal);
  }

  /**
   * Fetches the set again because a token named a kid it does not hold. Undefined when the origin
   * was refetched less than `minRefetchIntervalMs` ago (the set in hand is all there is).
   */
  refetchOnce(origin: string, signal?: AbortSignal): Promise<KeySet | undefined> {
    const url = jwksUrl(origin);
    const running = this.inflight.get(url.origin);
    if (running) return withSignal(running, signal);
    const last = this.lastRefetch.get(url.origin);
    const now = this.now();
    if (last !== undefined && now - last < this.minRefetchIntervalMs) return Promise.resolve(undefined);
    this.lastRefetch.set(url.origin, now);
    const fetching = this.fetchShared(url);
    // A refetch that failed fetched nothing: the next unknown kid may try again.
    fetching.catch(() => {
      if (this.lastRefetch.get(url.origin) === now) this.lastRefetch.delete(url.origin);
    });
    return withSignal(fetching, signal);
  }

  /** One request per origin at a time, whoever asks; not tied to any caller's cancellation. */
  private fetchShared(url: CheckedUrl): Promise<KeySet> {
    const key = url.origin;
    let running = this.inflight.get(key);
    if (!running) {
      running = this.fetch(url).finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  private async fetch(url: CheckedUrl): Promise<KeySet> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: HttpResponse;
    try {
      response = await this.http.request({ method: 'GET', url, headers: requireRequestHeaders({ accept: 'application/json' }, url).headers, signal: timeout, maxBodyBytes: MAX_JWKS_BYTES });
    } catch (error) {
      if (timeout.aborted) throw new JwksFetchError(l10n.t('no answer within {0} s', Math.round(this.timeoutMs / 1000)));
      throw new JwksFetchError(networkReason(error));
    }
    if (response.status < 200 || response.status > 299) throw new JwksFetchError(`HTTP ${response.status}`);
    if (response.truncated) throw new JwksFetchError(l10n.t('the answer is larger than {0} KB', MAX_JWKS_BYTES / 1024));
    let document: unknown;
    try {
      document = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new JwksFetchError(l10n.t('the answer is not JSON'));
    }
    const jwks = document as { keys?: unknown } | null;
    if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys)) throw new JwksFetchError(l10n.t('the answer is not a JWK Set (no "keys" list)'));
    const set = importKeys(jwks.keys);
    this.entries.set(url.origin, { set, expiresAt: this.now() + this.lifetimeOf(response.headers['cache-control']) });
    return set;
  }

  /** `max-age` when the answer gives one, bounded; otherwise the configured TTL. */
  private lifetimeOf(cacheControl: string | undefined): number {
    const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(?:,|$)/i.exec(cacheControl ?? '');
    if (maxAge) return Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, Number(maxAge[1]) * 1000));
    if (/(?:^|,)\s*(?:no-cache|no-store)\s*(?:,|$)/i.test(cacheControl ?? '')) return MIN_TTL_MS;
    return this.ttlMs;
  }
}

/** The JWKS endpoint at an origin; an origin the resolver refuses is a fetch failure, said shortly. */
function jwksUrl(origin: string): CheckedUrl {
  try {
    return tokenEndpoint(origin, JWKS_PATH);
  } catch (error) {
    if (error instanceof RefusedTargetError) throw new JwksFetchError(l10n.t('{0} is not an address the extension sends requests to', shown(hostOf(origin))));
    throw error;
  }
}

/** A shared promise, but this caller stops waiting (with a CancelledError) when its signal fires. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A few words for what went wrong on the network; the host is known to the caller. */
function networkReason(error: unknown): string {
  if (error instanceof NetworkError) {
    switch (error.failure) {
      case 'timeout':
        return l10n.t('timed out');
      case 'connection':
        return error.code === 'ECONNREFUSED' ? l10n.t('connection refused') : l10n.t('host not found (DNS)');
      case 'reset':
        return l10n.t('connection closed before the answer');
      case 'tls':
        return l10n.t('TLS certificate not trusted');
      case 'other':
        return l10n.t('network error');
    }
  }
  if (error instanceof RefusedTargetError) return l10n.t('address refused by the extension');
  return l10n.t('network error');
}

/**
 * The RS256 signing keys of a JWK Set: `kty` RSA, `use` absent or `sig`, `alg` absent or RS256, a
 * kid, at least 2048 bits. A key that is none of these is left out (and why is kept), never fatal.
 */
function importKeys(jwks: readonly unknown[]): KeySet {
  const keys = new Map<string, KeyObject>();
  const skipped = new Map<string, string>();
  for (const raw of jwks) {
    if (keys.size >= MAX_KEYS) break;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
    const jwk = raw as Record<string, unknown>;
    const kid = jwk.kid;
    if (typeof kid !== 'string' || kid === '' || kid.length > MAX_KID_LENGTH || keys.has(kid)) continue;
    const why = unusable(jwk);
    if (why) {
      if (skipped.size < MAX_KEYS) skipped.set(kid, why);
      continue;
    }
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as JsonWebKey, format: 'jwk' });
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) {
        skipped.set(kid, l10n.t('its RSA key has {0} bits, fewer than {1}', bits, MIN_RSA_BITS));
        continue;
      }
      keys.set(kid, key);
    } catch {
      if (skipped.size < MAX_KEYS) skipped.set(kid, l10n.t('its RSA key does not parse (n or e malformed)'));
    }
  }
  return { keys, skipped };
}

function unusable(jwk: Record<string, unknown>): string | undefined {
  if (jwk.kty !== 'RSA') return l10n.t('it is not an RSA key (kty {0})', shown(String(jwk.kty), 16));
  if (jwk.use !== undefined && jwk.use !== 'sig') return l10n.t('it is not a signing key (use {0})', shown(String(jwk.use), 16));
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') return l10n.t('it is for {0}, not RS256', shown(String(jwk.alg), 16));
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return l10n.t('it has no modulus or exponent');
  return undefined;
}

// ── verifying a token ────────────────────────────────────────────────────────────────────────

/** Claim checks for an id token, which is for this app, from the session's datacenter, and current. */
export interface ExpectedClaims {
  /** `iss` must be one of these origins. */
  readonly issuerOrigins?: readonly string[];
  /** `aud` must be (or contain) this: the app's client id. */
  readonly audience?: string;
  /** Epoch ms to judge `exp` and `nbf` by. */
  readonly now: number;
}

export interface VerifyOptions {
  readonly cache: JwksCache;
  /** Origins keys may be fetched from; a token's `iss` elsewhere is reported, not contacted. */
  readonly trustedOrigins: readonly string[];
  /** Where the keys are when the token has no `iss` (the session's datacenter). */
  readonly fallbackOrigin: string;
  readonly expect?: ExpectedClaims;
  readonly signal?: AbortSignal;
}

interface ParsedJwt {
  readonly kid?: string;
  readonly claims: Record<string, unknown>;
  /** `header.payload` exactly as received: what the signature covers. */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

type Parsed = { kind: 'opaque' } | { kind: 'unsupported'; reason: string; claims?: Record<string, unknown> } | ({ kind: 'jwt' } & ParsedJwt);

/**
 * Verifies a token's RS256 signature against Concur's keys, and with `expect` its claims. Never
 * throws, except a CancelledError when `signal` fires.
 */
export async function verifyToken(token: string, options: VerifyOptions): Promise<Verification> {
  const parsed = parseJwt(token);
  if (parsed.kind === 'opaque') return { status: 'opaque', problems: [] };
  const problems = options.expect && parsed.claims ? claimProblems(parsed.claims, options.expect) : [];
  if (parsed.kind === 'unsupported') return { status: 'unsupported', reason: parsed.reason, problems };

  const source = keySource(parsed.claims.iss, options.trustedOrigins, options.fallbackOrigin);
  if ('host' in source) return { status: 'untrustedIssuer', host: source.host, problems };
  if ('reason' in source) return { status: 'unsupported', reason: source.reason, problems };
  const { origin } = source;
  try {
    let set = await options.cache.keySet(origin, options.signal);
    let outcome = check(parsed, set);
    if (outcome.status === 'unknownKey') {
      const again = await options.cache.refetchOnce(origin, options.signal);
      if (again) {
        set = again;
        outcome = check(parsed, set);
      }
    }
    if (outcome.status === 'unknownKey') {
      const why = set.skipped.get(outcome.kid);
      if (why) return { status: 'unsupported', reason: l10n.t("Concur's key {0} cannot be used: {1}", shown(outcome.kid), why), problems };
    }
    return { ...outcome, origin, problems };
  } catch (error) {
    if (isCancellation(error) || options.signal?.aborted) throw error instanceof CancelledError ? error : new CancelledError();
    const reason = error instanceof JwksFetchError ? error.message : l10n.t('the keys could not be read');
    return { status: 'jwksUnreachable', reason, origin, ...(parsed.kid !== undefined ? { kid: parsed.kid } : {}), problems };
  }
}

type Outcome = { status: 'verified'; kid: string } | { status: 'unknownKey'; kid: string } | { status: 'badSignature'; kid?: string };

/** The named key verifies or not; without a kid, any key that verifies will do. */
function check(jwt: ParsedJwt, set: KeySet): Outcome {
  if (jwt.kid === undefined) {
    for (const [kid, key] of set.keys) {
      if (rs256(jwt, key)) return { status: 'verified', kid };
    }
    return { status: 'badSignature' };
  }
  const key = set.keys.get(jwt.kid);
  if (!key) return { status: 'unknownKey', kid: jwt.kid };
  return rs256(jwt, key) ? { status: 'verified', kid: jwt.kid } : { status: 'badSignature', kid: jwt.kid };
}

function rs256(jwt: ParsedJwt, key: KeyObject): boolean {
  try {
    return verify('RSA-SHA256', jwt.signingInput, key, jwt.signature);
  } catch {
    // A signature of the wrong length, for one.
    return false;
  }
}

/**
 * Where the keys come from: the origin of `iss` when it is trusted, the fallback when the token
 * names no issuer. An issuer that is named but not trusted is never contacted.
 */
function keySource(iss: unknown, trustedOrigins: readonly string[], fallbackOrigin: string): { origin: string } | { host: string } | { reason: string } {
  if (iss === undefined) return { origin: fallbackOrigin };
  if (typeof iss !== 'string') return { reason: l10n.t('the iss claim is not a string') };
  const origin = originOf(iss);
  if (!origin) return { reason: l10n.t('the iss claim is not a URL') };
  const trusted = trustedOrigins.some((t) => originOf(t) === origin);
  return trusted ? { origin } : { host: hostOf(origin) };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Splits and decodes a JWT, and checks its header says what this can verify. */
function parseJwt(token: string): Parsed {
  const text = token.trim();
  if (text.length > MAX_TOKEN_LENGTH) return { kind: 'unsupported', reason: l10n.t('the token is longer than {0} KB', MAX_TOKEN_LENGTH / 1024) };
  const decoded = decodeToken(text);
  if (decoded.kind === 'opaque') return { kind: 'opaque' };
  const { header, claims } = decoded;
  const [headerB64, payloadB64, signatureB64] = text.split('.');
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return { kind: 'unsupported', reason: l10n.t('the header is not a JSON object'), claims };
  const alg = header.alg;
  if (alg === 'none') return { kind: 'unsupported', reason: l10n.t('alg "none": the token is not signed'), claims };
  if (typeof alg !== 'string') return { kind: 'unsupported', reason: l10n.t('the header names no alg'), claims };
  if (alg !== 'RS256') return { kind: 'unsupported', reason: l10n.t('alg {0} (Concur signs with RS256)', shown(alg, 16)), claims };
  if (header.crit !== undefined) return { kind: 'unsupported', reason: l10n.t('the header has critical extensions (crit)'), claims };
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) return { kind: 'unsupported', reason: l10n.t('the header kid is not a string'), claims };
  if (typeof kid === 'string' && kid.length > MAX_KID_LENGTH) return { kind: 'unsupported', reason: l10n.t('the header kid is longer than {0} characters', MAX_KID_LENGTH), claims };
  if (!BASE64URL.test(headerB64) || !BASE64URL.test(payloadB64) || !BASE64URL.test(signatureB64)) {
    return { kind: 'unsupported', reason: l10n.t('the token is not base64url-encoded'), claims };
  }
  return {
    kind: 'jwt',
    ...(kid !== undefined ? { kid } : {}),
    claims,
    signingInput: Buffer.from(`${headerB64}.${payloadB64}`),
    signature: Buffer.from(signatureB64, 'base64url'),
  };
}

// ── claims ───────────────────────────────────────────────────────────────────────────────────

/** What is wrong with an id token's claims, one sentence each. */
function claimProblems(claims: Record<string, unknown>, expect: ExpectedClaims): string[] {
  const problems: string[] = [];
  if (expect.issuerOrigins) {
    const iss = claims.iss;
    const origin = typeof iss === 'string' ? originOf(iss) : undefined;
    if (iss === undefined) {
      problems.push(l10n.t('no issuer (iss claim)'));
    } else if (!origin) {
      problems.push(l10n.t('the issuer (iss) is not a URL'));
    } else if (!expect.issuerOrigins.some((o) => originOf(o) === origin)) {
      const expected = orList(expect.issuerOrigins.map((o) => hostOf(o)));
      problems.push(
        expected
          ? l10n.t("issued by host {0}, not the session's datacenter ({1})", shown(hostOf(origin)), shown(expected, 120))
          : l10n.t("issued by host {0}, not the session's datacenter", shown(hostOf(origin))),
      );
    }
  }
  if (expect.audience !== undefined) {
    const aud = claims.aud;
    const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
    if (aud === undefined) {
      problems.push(l10n.t('no audience (aud claim): not known to be for this app'));
    } else if (!audiences.includes(expect.audience)) {
      problems.push(
        audiences.length > 0
          ? l10n.t("aud is {0}, not this app's client id", audiences.slice(0, 3).map((a) => shown(a)).join(', '))
          : l10n.t("aud is not a string, not this app's client id"),
      );
    }
  }
  const exp = claims.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    problems.push(l10n.t('no expiry (exp claim)'));
  } else if (exp * 1000 + CLOCK_SKEW_MS <= expect.now) {
    problems.push(expiredAgo(expect.now - exp * 1000));
  }
  const nbf = claims.nbf;
  if (typeof nbf === 'number' && Number.isFinite(nbf) && nbf * 1000 - CLOCK_SKEW_MS > expect.now) {
    problems.push(notValidFor(nbf * 1000 - expect.now));
  }
  return problems;
}

type DurationUnit = 'second' | 'minute' | 'hour' | 'day';

/** A span as a whole number of seconds, minutes, hours or days: 45 seconds, 3 minutes, 2 hours, 5 days. */
function duration(ms: number): { value: number; unit: DurationUnit } {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return { value: seconds, unit: 'second' };
  if (seconds < 90 * 60) return { value: Math.round(seconds / 60), unit: 'minute' };
  if (seconds < 36 * 3600) return { value: Math.round(seconds / 3600), unit: 'hour' };
  return { value: Math.round(seconds / 86_400), unit: 'day' };
}

/** "expired 3 minutes ago": whole phrases, since languages inflect the unit differently in each. */
function expiredAgo(ms: number): string {
  const { value, unit } = duration(ms);
  const one = value === 1;
  switch (unit) {
    case 'second':
      return one ? l10n.t('expired 1 second ago') : l10n.t('expired {0} seconds ago', value);
    case 'minute':
      return one ? l10n.t('expired 1 minute ago') : l10n.t('expired {0} minutes ago', value);
    case 'hour':
      return one ? l10n.t('expired 1 hour ago') : l10n.t('expired {0} hours ago', value);
    case 'day':
      return one ? l10n.t('expired 1 day ago') : l10n.t('expired {0} days ago', value);
  }
}

/** "not valid for another 5 minutes (nbf)". */
function notValidFor(ms: number): string {
  const { value, unit } = duration(ms);
  const one = value === 1;
  switch (unit) {
    case 'second':
      return one ? l10n.t('not valid for another 1 second (nbf)') : l10n.t('not valid for another {0} seconds (nbf)', value);
    case 'minute':
      return one ? l10n.t('not valid for another 1 minute (nbf)') : l10n.t('not valid for another {0} minutes (nbf)', value);
    case 'hour':
      return one ? l10n.t('not valid for another 1 hour (nbf)') : l10n.t('not valid for another {0} hours (nbf)', value);
    case 'day':
      return one ? l10n.t('not valid for another 1 day (nbf)') : l10n.t('not valid for another {0} days (nbf)', value);
  }
}
