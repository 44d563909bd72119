/**
 * Decoding Concur's tokens for display. Access-token claims are not a documented contract (Concur
 * removed them from the docs in 2017): show what is there and depend on as little as possible.
 * Nothing here verifies signatures; the tokens come straight from Concur over TLS.
 */
import { jwtDecode } from 'jwt-decode';

export type Claims = Record<string, unknown>;

export type DecodedToken =
  | { readonly kind: 'jwt'; readonly header: Claims; readonly claims: Claims }
  | { readonly kind: 'opaque' };

export function decodeToken(token: string | undefined): DecodedToken {
  if (!token || token.split('.').length !== 3) return { kind: 'opaque' };
  try {
    const header = jwtDecode<Claims>(token, { header: true });
    const claims = jwtDecode<Claims>(token);
    if (typeof claims !== 'object' || claims === null) return { kind: 'opaque' };
    return { kind: 'jwt', header, claims };
  } catch {
    return { kind: 'opaque' };
  }
}

export function claimsOf(token: string | undefined): Claims | undefined {
  const decoded = decodeToken(token);
  return decoded.kind === 'jwt' ? decoded.claims : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The token's subject: the user's (or company's) UUID, which APIs such as Receipts v4 require. */
export function subjectOf(accessToken: string | undefined, idToken?: string): string | undefined {
  return str(claimsOf(idToken)?.sub) ?? str(claimsOf(accessToken)?.sub);
}

/** `user`, `company` or `app`, from `concur.type`. */
export function tokenTypeOf(accessToken: string | undefined, idToken?: string): string | undefined {
  return str(claimsOf(accessToken)?.['concur.type']) ?? str(claimsOf(idToken)?.['concur.type']);
}

/** Scopes from `concur.scopes`, the older URL-named claim, or `scope` as a space-separated string. */
export function scopesOf(accessToken: string | undefined): string[] | undefined {
  const claims = claimsOf(accessToken);
  if (!claims) return undefined;
  for (const name of ['concur.scopes', 'https://api.concursolutions.com/scopes', 'scp']) {
    const value = claims[name];
    if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  }
  return typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : undefined;
}
