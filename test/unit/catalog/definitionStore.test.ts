import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DefinitionStore } from '../../../src/catalog/definitionStore';
import { HttpClient } from '../../../src/platform/http';

describe('Kept copies of downloaded definitions', () => {
  let server: http.Server;
  let base: string;
  let body = 'openapi: 3.0.1 # first';
  let etag = '"v1"';
  let seen: { url: string; ifNoneMatch?: string; authorization?: string; cookie?: string }[];
  let folder: string;
  let client: HttpClient;

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'], authorization: req.headers.authorization, cookie: req.headers.cookie });
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/yaml', etag, 'last-modified': 'Thu, 20 Aug 2026 17:52:12 GMT' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new HttpClient({ headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });
  });
  after(async () => {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen = [];
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-kept-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('downloads once and keeps the copy (readable by this user only); a second window reads it without the network', async () => {
    const store = new DefinitionStore(folder, client);
    const first = await store.fetch(`${base}/a.yaml`, 'kept');
    assert.deepEqual(first, { text: body, downloaded: true });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].authorization, undefined);
    assert.equal(seen[0].cookie, undefined);
    for (const file of fs.readdirSync(folder)) assert.equal(fs.statSync(path.join(folder, file)).mode & 0o077, 0, file);
    const otherWindow = new DefinitionStore(folder, client);
    assert.deepEqual(await otherWindow.fetch(`${base}/a.yaml`, 'kept'), { text: body, downloaded: false });
    assert.equal(seen.length, 1);
  });

  it('revalidates with the validators it was served with: 304 keeps the copy, 200 replaces it', async () => {
    const store = new DefinitionStore(folder, client);
    await store.fetch(`${base}/b.yaml`, 'revalidate');
    const again = await store.fetch(`${base}/b.yaml`, 'revalidate');
    assert.equal(again.text, body);
    assert.equal(seen[1].ifNoneMatch, '"v1"');
    body = 'openapi: 3.0.1 # second';
    etag = '"v2"';
    assert.equal((await store.fetch(`${base}/b.yaml`, 'revalidate')).text, 'openapi: 3.0.1 # second');
    assert.equal((await store.fetch(`${base}/b.yaml`, 'kept')).text, 'openapi: 3.0.1 # second');
  });

  it('offline, a reload uses the kept copy and says so; with no copy it fails', async () => {
    await new DefinitionStore(folder, client).fetch(`${base}/c.yaml`, 'revalidate');
    // A port nothing listens on: no copy of that URL is kept, so there is nothing to fall back on.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(new DefinitionStore(folder, client).fetch(`${deadBase}/c.yaml`, 'revalidate'));
    // The server of a kept URL stops answering: every request to it is reset.
    server.closeAllConnections();
    const listeners = server.listeners('request');
    server.removeAllListeners('request');
    server.on('request', (req: http.IncomingMessage) => req.socket.destroy());
    try {
      const used = await new DefinitionStore(folder, client).fetch(`${base}/c.yaml`, 'revalidate');
      assert.equal(used.text, body);
      assert.equal(used.downloaded, false);
      assert.match(used.note ?? '', /could not be checked for changes .*; the copy kept on \d{4}-\d{2}-\d{2} is used/);
    } finally {
      server.removeAllListeners('request');
      for (const l of listeners) server.on('request', l as (req: http.IncomingMessage, res: http.ServerResponse) => void);
    }
  });
});
