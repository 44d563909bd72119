/**
 * Receipt uploads as Receipts v4 takes them (Concur's reference: "Post a receipt", "Post an
 * image-only receipt"): `POST /receipts/v4/users/{userId}` with the receipt JSON as the body, or as
 * `multipart/form-data` with a `receipt` part and an optional `image` part (the JSON alone is read by
 * its write route in writes.ts, as are image-only receipts). Answers 201 with `Location` (and `Link`
 * to the processing status) and no body, as Concur does. Each upload is kept,
 * its image served back byte for byte at `GET /receipts/v4/{id}/image`, so a test can compare what
 * arrived with the file that was sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Route } from './api';
import type { Upload, UploadedPart } from './types';
import { WRITE_ROUTES } from './writes';
import type { ServerEnv } from './env';
import { apiError, send, sendEmpty, sendJson, type Ctx } from './http';
import type { AccessRecord } from './tokens';

const uploadsByServer = new WeakMap<ServerEnv, Map<string, Upload>>();

/** The uploads a server received, newest last. */
export function uploadsOf(env: ServerEnv): Upload[] {
  return [...(uploadsByServer.get(env)?.values() ?? [])];
}

function keep(env: ServerEnv, upload: Upload): void {
  let uploads = uploadsByServer.get(env);
  if (!uploads) uploadsByServer.set(env, (uploads = new Map()));
  uploads.set(upload.id, upload);
}

/** Splits a multipart/form-data body (RFC 7578): CRLF line ends, each part's headers then its bytes. */
export function parseMultipart(body: Buffer, contentType: string): UploadedPart[] | string {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return 'multipart/form-data without a boundary';
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: UploadedPart[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0) return 'the body does not start with the boundary';
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    if (body.subarray(at, at + 2).toString() !== '\r\n') return 'a boundary line does not end with CRLF';
    at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) return 'a part has no blank line (CRLF CRLF) after its headers';
    const headers = body.subarray(at, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return 'a part is not closed by CRLF and the boundary';
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return 'a part has no Content-Disposition name';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, '');
    parts.push({ name, ...(filename !== undefined ? { filename } : {}), ...(type ? { contentType: type } : {}), content: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}

const IMAGE_TYPES = /^(image\/(png|jpeg|gif|tiff)|application\/pdf)$/i;

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function ownUser(ctx: Ctx, auth: AccessRecord, userId: string): boolean {
  if (auth.principal.user && sameId(userId, auth.principal.sub)) return true;
  apiError(ctx, 'receipts', 403, 'userId does not match the token subject');
  return false;
}

function imageOf(part: UploadedPart | undefined): Upload['image'] | string | undefined {
  if (!part) return undefined;
  const type = (part.contentType ?? '').split(';')[0].trim();
  if (!IMAGE_TYPES.test(type)) return `the image part is ${type || 'of no type'}; Receipts v4 takes PNG, JPEG, GIF, TIFF or PDF`;
  return { contentType: type, ...(part.filename !== undefined ? { filename: part.filename } : {}), bytes: part.content.length, sha256: createHash('sha256').update(part.content).digest('hex'), content: Buffer.from(part.content) };
}

/** The receipt as JSON alone goes to its write route (writes.ts); this one reads the multipart form. Looked up on use: the modules require each other. */
const jsonReceipt = (): Route | undefined => WRITE_ROUTES.find((r) => r.method === 'POST' && r.pattern.test('/receipts/v4/users/x'));

function postReceipt(ctx: Ctx, env: ServerEnv, auth: AccessRecord, params: string[]): void {
  const contentType = String(ctx.req.headers['content-type'] ?? '');
  const json = jsonReceipt();
  if (!/^multipart\/form-data/i.test(contentType) && json) return json.handle(ctx, env, auth, params);
  if (!ownUser(ctx, auth, params[0])) return;
  const parts = parseMultipart(ctx.body, contentType);
  if (typeof parts === 'string') return apiError(ctx, 'receipts', 400, `The multipart body could not be read: ${parts}`);
  const part = parts.find((p) => p.name === 'receipt');
  if (!part) return apiError(ctx, 'receipts', 400, 'The multipart body has no receipt part');
  const image = imageOf(parts.find((p) => p.name === 'image'));
  if (typeof image === 'string') return apiError(ctx, 'receipts', 400, image);
  let receipt: unknown;
  try {
    receipt = JSON.parse(part.content.toString('utf8'));
  } catch {
    return apiError(ctx, 'receipts', 400, 'The receipt is not valid JSON');
  }
  const id = randomUUID().replace(/-/g, '');
  keep(env, { id, userId: auth.principal.sub, receipt, ...(image ? { image } : {}), contentType });
  const user = auth.principal.user;
  if (user && typeof receipt === 'object' && receipt !== null) {
    // Listed with the user's receipts, as a receipt posted as JSON is.
    const r = receipt as { merchant?: { name?: unknown }; total?: unknown; currencyCode?: unknown; dateTime?: unknown };
    const list = env.state.receipts.get(user.id) ?? [];
    list.push({
      id,
      userId: user.id,
      dateTimeReceived: new Date(ctx.now).toISOString(),
      merchant: typeof r.merchant?.name === 'string' ? r.merchant.name : 'Unknown merchant',
      total: Math.round(Number(r.total) * 100) || 0,
      currency: typeof r.currencyCode === 'string' ? r.currencyCode : '',
      transactionDate: typeof r.dateTime === 'string' ? r.dateTime.slice(0, 10) : new Date(ctx.now).toISOString().slice(0, 10),
      category: 'General',
    });
    env.state.receipts.set(user.id, list);
  }
  sendEmpty(ctx, 201, { location: `${ctx.origin}/receipts/v4/${id}`, link: `<${ctx.origin}/receipts/v4/status/${id}>; rel="processing-status"` });
}

function uploadedImage(ctx: Ctx, env: ServerEnv, auth: AccessRecord, [id]: string[]): void {
  const upload = uploadsByServer.get(env)?.get(id);
  if (!upload || !sameId(upload.userId, auth.principal.sub)) return apiError(ctx, 'receipts', 404, 'No receipt with that id');
  if (!upload.image) return sendJson(ctx, 404, { message: 'This receipt has no image' });
  send(ctx, 200, upload.image.content, upload.image.contentType);
}

export const UPLOAD_ROUTES: readonly Route[] = [
  { pattern: /^\/receipts\/v4\/users\/([^/]+)$/, method: 'POST', family: 'receipts', scopes: ['receipts.write'], principals: ['user'], handle: postReceipt },
  { pattern: /^\/receipts\/v4\/([0-9a-f]{32})\/image$/, family: 'receipts', scopes: ['receipts.read', 'receipts.write'], principals: ['user'], handle: uploadedImage },
];
