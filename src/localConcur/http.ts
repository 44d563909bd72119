/** Request context, response writing and the error body of each Concur API family. */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { DatacenterId, RequestLogEntry } from './types';

export interface RequestFlags {
  /** Answer 200 with a truncated copy of the JSON body that would have been sent. */
  malformedJson: boolean;
  /** Hand out a non-JWT access token. */
  opaqueAccessToken: boolean;
  /** Sign issued tokens with a key whose kid the JWKS does not publish. */
  unknownKey: boolean;
  /** Send token-error `code` as a string. */
  stringErrorCode: boolean;
  /** Replace a successful JSON answer with a JSON body of about this many MB. */
  largeBodyMb?: number;
  /** Answer a token request with code 16, naming the other datacenter. */
  wrongDatacenter?: boolean;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  dc: DatacenterId;
  /** Origin of the datacenter that received the request. */
  origin: string;
  method: string;
  path: string;
  query: URLSearchParams;
  correlationId: string;
  body: Buffer;
  /** Server clock when the request arrived, ms. */
  now: number;
  flags: RequestFlags;
  log?: RequestLogEntry;
  answered: boolean;
}

const MAX_BODY = 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Concur echoes a caller's `concur-correlationid`; otherwise it mints a UUID. */
export function correlationIdOf(req: IncomingMessage): string {
  const sent = req.headers['concur-correlationid'];
  const value = Array.isArray(sent) ? sent[0] : sent;
  if (value && value.length <= 200 && /^[\x21-\x7e]+$/.test(value)) {
    return value;
  }
  return randomUUID();
}

export function send(
  ctx: Ctx,
  status: number,
  body: string | Buffer,
  contentType?: string,
  headers: Record<string, string | number> = {},
): void {
  if (ctx.answered || ctx.res.destroyed) {
    return;
  }
  ctx.answered = true;
  let payload = typeof body === 'string' ? Buffer.from(body) : body;
  const type = contentType;
  if (ctx.flags.malformedJson && type?.includes('json') && payload.length > 1) {
    // A body cut short by a proxy or a crashed backend: a success status over broken JSON.
    status = 200;
    payload = payload.subarray(0, Math.floor(payload.length / 2));
  }
  if (ctx.flags.largeBodyMb && type?.includes('json') && status === 200) {
    payload = largeJson(ctx.flags.largeBodyMb);
  }
  const out: Record<string, string | number> = {
    ...headers,
    'concur-correlationid': ctx.correlationId,
    'content-length': payload.length,
  };
  if (type) {
    out['content-type'] = type;
  }
  if (ctx.log) {
    ctx.log.status = status;
  }
  ctx.res.writeHead(status, out);
  ctx.res.end(payload);
}

const largeBodies = new Map<number, Buffer>();

/** A SCIM-like page of made-up users of about `mb` megabytes, for tests of large responses. */
function largeJson(mb: number): Buffer {
  let cached = largeBodies.get(mb);
  if (!cached) {
    const resources: unknown[] = [];
    let size = 0;
    for (let i = 0; size < mb * 1024 * 1024; i++) {
      const user = {
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        userName: `user${i}@bulk.example`,
        displayName: `Bulk User ${i}`,
        active: i % 7 !== 0,
        emails: [{ value: `user${i}@bulk.example`, type: 'work', primary: true }],
        addresses: [{ type: 'work', streetAddress: `${i} Main Street`, locality: 'Springfield', postalCode: String(10000 + (i % 89999)), country: 'US' }],
        meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2026-01-01T00:00:00Z' },
      };
      size += JSON.stringify(user).length + 1;
      resources.push(user);
    }
    cached = Buffer.from(JSON.stringify({ totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources }));
    largeBodies.set(mb, cached);
  }
  return cached;
}

export function sendJson(ctx: Ctx, status: number, value: unknown, headers: Record<string, string | number> = {}, contentType = 'application/json'): void {
  send(ctx, status, JSON.stringify(value), contentType, headers);
}

export function sendEmpty(ctx: Ctx, status: number, headers: Record<string, string | number> = {}): void {
  send(ctx, status, Buffer.alloc(0), undefined, headers);
}

export function sendHtml(ctx: Ctx, status: number, html: string, headers: Record<string, string | number> = {}): void {
  send(ctx, status, html, 'text/html; charset=utf-8', headers);
}

export function redirect(ctx: Ctx, location: string): void {
  send(ctx, 302, Buffer.alloc(0), undefined, { location, 'cache-control': 'no-store' });
}

export function isFormEncoded(ctx: Ctx): boolean {
  // Concur has rejected `application/x-www-form-urlencoded; charset=utf-8`: only the bare type passes.
  return (ctx.req.headers['content-type'] ?? '').trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

export function parseForm(ctx: Ctx): URLSearchParams {
  return new URLSearchParams(ctx.body.toString('utf8'));
}

/** A non-empty parameter, or undefined. */
export function param(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value.trim() === '' ? undefined : value;
}

/** How each Concur API family shapes its error bodies. */
export type ApiFamily = 'legacy' | 'scim' | 'expense4' | 'list4' | 'receipts' | 'localities';

export function httpStatusPhrase(status: number): string {
  return `${status} ${(STATUS_CODES[status] ?? 'Unknown').toUpperCase().replace(/[^A-Z]+/g, '_')}`;
}

export interface ApiErrorDetails {
  id?: string;
  scimType?: string;
  validationErrors?: Array<{ id?: string; message: string; source: string }>;
  /** Extra response headers (e.g. `allow` on a 405). */
  headers?: Record<string, string>;
}

export function apiError(ctx: Ctx, family: ApiFamily, status: number, message: string, details: ApiErrorDetails = {}): void {
  const headers: Record<string, string> = { ...details.headers };
  if (status === 401) {
    headers['www-authenticate'] = `Bearer realm="concur", error="invalid_token", error_description="${message}"`;
  }
  const timestamp = new Date(ctx.now).toISOString();
  switch (family) {
    case 'receipts':
      // Receipts answers a bad token and a missing scope alike: 403 with nothing in the body.
      if (status === 401 || status === 403) {
        sendEmpty(ctx, 403);
      } else {
        // Receipts documents a 400's `validationErrors` beside the message.
        sendJson(ctx, status, { message, ...(details.validationErrors ? { validationErrors: details.validationErrors } : {}) }, headers);
      }
      return;
    case 'legacy':
      sendJson(ctx, status, { Message: message, 'Server-Time': timestamp.slice(0, 19), Id: ctx.correlationId.replace(/-/g, '').slice(0, 16).toUpperCase() }, headers);
      return;
    case 'scim':
      sendJson(ctx, status, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: String(status),
        ...(details.scimType ? { scimType: details.scimType } : {}),
        detail: message,
      }, headers);
      return;
    case 'list4':
      sendJson(ctx, status, {
        timestamp,
        httpStatus: httpStatusPhrase(status),
        error: { id: details.id ?? (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_'), message },
        path: ctx.path,
        // List v4 documents `validationErrors` (message and source) in its error schema.
        ...(details.validationErrors ? { validationErrors: details.validationErrors.map(({ message: m, source }) => ({ message: m, source })) } : {}),
      }, headers, 'application/json;charset=UTF-8');
      return;
    case 'expense4':
    case 'localities':
      sendJson(ctx, status, {
        timestamp,
        httpStatus: httpStatusPhrase(status),
        errorMessage: message,
        errorId: details.id ?? ctx.correlationId,
        path: ctx.path,
        ...(details.validationErrors ? { validationErrors: details.validationErrors } : {}),
      }, headers);
      return;
  }
}
