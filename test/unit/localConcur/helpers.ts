/** Small HTTP and JWT helpers shared by the mock-Concur tests. */
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

export const FORM = 'application/x-www-form-urlencoded';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Response JSON of many shapes, asserted field by field in the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpResult<T = Json> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

async function toResult(response: Response): Promise<HttpResult> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

export async function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': FORM, ...headers },
    body: new URLSearchParams(params).toString(),
    redirect: 'manual',
  });
  return toResult(response);
}

export function token(base: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpResult> {
  return postForm(`${base}/oauth2/v0/token`, params, headers);
}

export async function get(url: string, accessToken?: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(url, {
    headers: { ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}), ...headers },
    redirect: 'manual',
  });
  return toResult(response);
}

export async function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return toResult(response);
}

export function decodeJwt(jwt: string): { header: Json; payload: Json } {
  const [header, payload] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

/** Verifies an RS256 JWT against a JWKS document, as a relying party would. */
export function verifyWithJwks(jwt: string, jwks: { keys: Array<Record<string, unknown>> }): boolean {
  const [header, payload, signature] = jwt.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk || alg !== 'RS256') {
    return false;
  }
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
}

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public ms = Date.UTC(2030, 0, 15, 9, 0, 0)) {}
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}
