/** RS256 signing with a key generated at start-up, and the JWKS that publishes it. */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

let processKey: SigningKey | undefined;
let unpublishedKey: SigningKey | undefined;

/**
 * One key per process: generating a 2048-bit RSA key costs tens of milliseconds, and test suites
 * start many servers. A new process (e.g. the CLI) always gets a new key.
 */
export function getSigningKey(): SigningKey {
  processKey ??= newSigningKey();
  return processKey;
}

/**
 * A second key, never published at `/oauth2/v0/jwks`: the `unknownKey` fault signs with it, so a
 * relying party meets a kid it cannot find. Made on first use only.
 */
export function getUnpublishedKey(): SigningKey {
  unpublishedKey ??= newSigningKey();
  return unpublishedKey;
}

function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  // RFC 7638 thumbprint, so the kid changes whenever the key does.
  const thumbprint = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
  return {
    kid: thumbprint,
    privateKey,
    publicJwk: { kty: jwk.kty, use: 'sig', alg: 'RS256', kid: thumbprint, n: jwk.n, e: jwk.e },
  };
}

export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid };
  const signingInput = `${b64urlJson(header)}.${b64urlJson(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** OpenID Connect at_hash: left half of the SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
