/** Issued tokens, codes and one-time passwords, and how tokens are minted. */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { COMPANY } from './directory';
import type { UserRecord } from './data';
import { atHash, getUnpublishedKey, signJwt, type SigningKey } from './jwt';
import type { DatacenterId, DemoApp, TokenResponse } from './types';

export interface Principal {
  type: 'user' | 'company' | 'app';
  /** User UUID, company UUID or client id. */
  sub: string;
  home: DatacenterId;
  user?: UserRecord;
}

export interface AccessRecord {
  token: string;
  principal: Principal;
  clientId: string;
  scopes: readonly string[];
  iat: number;
  exp: number;
}

export interface RefreshRecord {
  token: string;
  principal: Principal;
  clientId: string;
  /** The scopes granted at sign-in; a refresh may narrow the access token but never widen this. */
  scopes: readonly string[];
  exp: number;
}

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  user: UserRecord;
  exp: number;
}

export interface OtpRecord {
  otp: string;
  clientId: string;
  user: UserRecord;
  /** Client-defined parameters sent to `/otp`; the token request must repeat them exactly. */
  extras: Record<string, string>;
  exp: number;
  used: boolean;
}

export interface RequestTokenRecord {
  token: string;
  clientId: string;
  companyId: string;
  exp: number;
}

export interface TokenSettings {
  key: SigningKey;
  urls: Record<DatacenterId, string>;
  now: () => number;
  accessTokenLifetime: number;
  refreshTokenLifetime: number;
  expiresInAs: 'string' | 'number';
}

export interface IssueOptions {
  /** Issue a refresh token carrying these granted scopes (default: none issued). */
  refreshScopes?: readonly string[];
  idToken: boolean;
  opaque?: boolean;
  /** Sign with a key the JWKS does not publish (the `unknownKey` fault). */
  unknownKey?: boolean;
  lifetime?: number;
}

export const AUTH_CODE_LIFETIME = 300;
export const OTP_LIFETIME = 600;
export const MAX_OPEN_OTPS = 3;
export const REQUEST_TOKEN_LIFETIME = 86_400;

export class TokenStore {
  readonly access = new Map<string, AccessRecord>();
  readonly refresh = new Map<string, RefreshRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  readonly otps = new Map<string, OtpRecord[]>();
  readonly lastOtps = new Map<string, string>();
  readonly requestTokens = new Map<string, RequestTokenRecord>();
  private issuedSinceSweep = 0;

  constructor(private readonly settings: TokenSettings) {}

  nowSeconds(): number {
    return Math.floor(this.settings.now() / 1000);
  }

  issue(principal: Principal, app: DemoApp, scopes: readonly string[], options: IssueOptions): TokenResponse {
    const { urls } = this.settings;
    const key = options.unknownKey ? getUnpublishedKey() : this.settings.key;
    const lifetime = options.lifetime ?? this.settings.accessTokenLifetime;
    const iat = this.nowSeconds();
    const exp = iat + lifetime;
    const home = urls[principal.home];
    const profile = `${home}/profile/v1/principals/${principal.sub}`;
    const accessToken = options.opaque
      ? randomBytes(32).toString('base64url')
      : signJwt(
          {
            'concur.version': 2,
            'concur.type': principal.type,
            'concur.app': `${home}/profile/v1/apps/${app.clientId}`,
            'concur.appId': app.clientId,
            'concur.profile': profile,
            'concur.scopes': [...scopes],
            'concur.company': COMPANY.id,
            'https://api.concursolutions.com/scopes': [...scopes],
            'https://api.concursolutions.com/app': `https://api.concursolutions.com/profile/v1/apps/${app.clientId}`,
            ...(principal.type === 'user' ? { userURI: profile, useruuid: principal.sub } : {}),
            sub: principal.sub,
            iss: home,
            aud: '*',
            exp,
            nbf: iat,
            iat,
            jti: randomUUID(),
          },
          key,
        );
    this.access.set(accessToken, { token: accessToken, principal, clientId: app.clientId, scopes: [...scopes], iat, exp });
    this.sweep();

    let refresh: RefreshRecord | undefined;
    if (options.refreshScopes) {
      refresh = this.newRefreshToken(principal, app.clientId, options.refreshScopes);
    }
    const idToken = options.idToken
      ? signJwt(
          {
            aud: app.clientId,
            'concur.profile': profile,
            'concur.version': 2,
            'concur.type': principal.type,
            sub: principal.sub,
            iss: home,
            exp,
            nbf: iat,
            at_hash: atHash(accessToken),
            iat,
          },
          key,
        )
      : undefined;
    // Key order as in Concur's documented response.
    return {
      expires_in: this.settings.expiresInAs === 'number' ? lifetime : String(lifetime),
      scope: scopes.join(' '),
      token_type: 'Bearer',
      access_token: accessToken,
      ...(refresh ? { refresh_token: refresh.token, refresh_expires_in: refresh.exp } : {}),
      ...(idToken ? { id_token: idToken } : {}),
      geolocation: home,
    };
  }

  newRefreshToken(principal: Principal, clientId: string, scopes: readonly string[]): RefreshRecord {
    // Opaque and deliberately not UUID-shaped: Concur's format has changed before.
    const record: RefreshRecord = {
      token: `rt_${randomBytes(30).toString('base64url')}`,
      principal,
      clientId,
      scopes: [...scopes],
      exp: this.nowSeconds() + this.settings.refreshTokenLifetime,
    };
    this.refresh.set(record.token, record);
    return record;
  }

  newAuthCode(clientId: string, redirectUri: string, scopes: string[], user: UserRecord): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { code, clientId, redirectUri, scopes, user, exp: this.nowSeconds() + AUTH_CODE_LIFETIME });
    return code;
  }

  openOtps(handle: string): OtpRecord[] {
    const now = this.nowSeconds();
    return (this.otps.get(handle.toLowerCase()) ?? []).filter((o) => !o.used && o.exp > now);
  }

  newOtp(clientId: string, user: UserRecord, handle: string, extras: Record<string, string>): string {
    const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const key = handle.toLowerCase();
    const open = this.openOtps(key);
    open.push({ otp, clientId, user, extras, exp: this.nowSeconds() + OTP_LIFETIME, used: false });
    this.otps.set(key, open);
    this.lastOtps.set(key, otp);
    return otp;
  }

  newRequestToken(clientId: string, lifetime = REQUEST_TOKEN_LIFETIME): RequestTokenRecord {
    const record: RequestTokenRecord = { token: randomUUID(), clientId, companyId: COMPANY.id, exp: this.nowSeconds() + lifetime };
    this.requestTokens.set(record.token, record);
    return record;
  }

  /**
   * Ends one principal's grant to one app, as revoking its connection does: every refresh token
   * and access token of that principal issued to that client. Other apps' tokens live on.
   */
  revokeGrant(principal: Principal, clientId: string): { refresh: number; access: number } {
    const mine = (record: { principal: Principal; clientId: string }): boolean =>
      record.clientId === clientId && record.principal.type === principal.type && record.principal.sub.toLowerCase() === principal.sub.toLowerCase();
    return { refresh: deleteWhere(this.refresh, mine), access: deleteWhere(this.access, mine) };
  }

  revokeRefresh(sub?: string): number {
    return revokeFrom(this.refresh, sub);
  }

  revokeAccess(sub?: string): number {
    return revokeFrom(this.access, sub);
  }

  /** Ends the live access tokens (all, or one subject's) now, by the server clock; returns how many. */
  expireAccess(sub?: string): number {
    const now = this.nowSeconds();
    let count = 0;
    for (const record of this.access.values()) {
      if (record.exp > now && (sub === undefined || record.principal.sub.toLowerCase() === sub.toLowerCase())) {
        record.exp = now;
        count += 1;
      }
    }
    return count;
  }

  /** Forgets access tokens that expired more than a day ago, so long benchmarks stay small. */
  private sweep(): void {
    this.issuedSinceSweep += 1;
    if (this.issuedSinceSweep < 5000) {
      return;
    }
    this.issuedSinceSweep = 0;
    const cutoff = this.nowSeconds() - 86_400;
    for (const [token, record] of this.access) {
      if (record.exp < cutoff) {
        this.access.delete(token);
      }
    }
  }
}

function deleteWhere<T>(map: Map<string, T>, test: (record: T) => boolean): number {
  let count = 0;
  for (const [token, record] of map) {
    if (test(record)) {
      map.delete(token);
      count += 1;
    }
  }
  return count;
}

function revokeFrom(map: Map<string, { principal: Principal }>, sub?: string): number {
  let count = 0;
  for (const [token, record] of map) {
    if (sub === undefined || record.principal.sub.toLowerCase() === sub.toLowerCase()) {
      map.delete(token);
      count += 1;
    }
  }
  return count;
}
