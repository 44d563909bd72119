/**
 * Stands in for Concur's developer site: `GET /api-explorer/<version>/<file>` serves the definition
 * documents of a folder the caller names (`publishedFolder`; the tests name this repository's own
 * small stand-ins in test/fixtures/published/, written to reproduce the quirks of Concur's published
 * files without being copies of them). Answers with an ETag and Last-Modified, and 304 to a
 * conditional request that still matches. No token is needed or read. Without a folder, nothing is
 * served there (404).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { send, type Ctx } from './http';

export const PUBLISHED_PREFIX = '/api-explorer/';

const LAST_MODIFIED = 'Thu, 20 Aug 2026 17:52:12 GMT';

export function handlePublished(ctx: Ctx, folder: string | undefined): void {
  const relative = ctx.path.slice(PUBLISHED_PREFIX.length);
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    decoded = '';
  }
  if (!folder || (ctx.method !== 'GET' && ctx.method !== 'HEAD') || !/^v\d-\d\/[A-Za-z-]+\.(swagger2?|oas3)\.json$/.test(decoded)) {
    send(ctx, 404, 'Not Found', 'text/plain; charset=utf-8');
    return;
  }
  let text: Buffer;
  try {
    text = fs.readFileSync(path.join(folder, decoded));
  } catch {
    send(ctx, 404, 'Not Found', 'text/plain; charset=utf-8');
    return;
  }
  const etag = `"${createHash('sha1').update(text).digest('hex').slice(0, 16)}"`;
  const headers = { etag, 'last-modified': LAST_MODIFIED, 'cache-control': 'max-age=600' };
  if (ctx.req.headers['if-none-match'] === etag) {
    send(ctx, 304, Buffer.alloc(0), undefined, headers);
    return;
  }
  send(ctx, 200, text, 'application/json', headers);
}
