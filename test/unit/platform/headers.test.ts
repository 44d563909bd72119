/**
 * The headers a request may carry (headers.ts), against real servers on this machine: a TLS server
 * whose certificate names only `other.example` shows that a `Host` header cannot move the token to
 * another virtual host behind the session's own address; the checker's decisions per header; the
 * HTTP client and Copy as cURL taking nothing the checker did not make.
 */
import * as assert from 'node:assert/strict';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { ApiClient, type SessionToken, type TokenSource } from '../../../src/calls/apiClient';
import { CurlError, toCurl } from '../../../src/calls/curl';
import { NetworkError } from '../../../src/platform/errors';
import { checkRequestHeaders, headerRecord, headerRule, requireRequestHeaders, type CheckedHeaders } from '../../../src/platform/headers';
import { HttpClient } from '../../../src/platform/http';
import { RefusedTargetError, requireApiTarget } from '../../../src/platform/resolver';

const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJob3N0LXRlc3QifQ.c2lnbmVk-session-token';

describe('Request headers: a Host header cannot redirect the token', () => {
  let server: Server;
  let origin: string;
  let cert: string;
  const seen: Array<{ host?: string; authorization?: string; servername?: string }> = [];
  let http: HttpClient;
  let client: ApiClient;

  before(async function () {
    this.timeout(30_000);
    // A certificate for other.example only: nothing on 127.0.0.1 may be trusted with it.
    const pems = await generate([{ name: 'commonName', value: 'other.example' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'other.example' }] },
      ],
    });
    cert = pems.cert;
    server = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      seen.push({ host: req.headers.host, authorization: req.headers.authorization, servername: (req.socket as { servername?: string }).servername });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"reached":"other.example"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The test's certificate is trusted through the client's CA option, here only.
    http = new HttpClient({ ca: cert });
    const session: SessionToken = { sessionId: 's1', accessToken: TOKEN, geolocation: origin, baseUrl: origin };
    const source: TokenSource = { get: async () => session, refresh: async () => session };
    client = new ApiClient(http, source);
  });
  after(async () => {
    await http.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('without a Host header the certificate check fails: the server is not the session\'s host', async () => {
    await assert.rejects(client.call({ method: 'GET', target: '/profile/v1/me' }), (error: unknown) => error instanceof NetworkError && error.failure === 'tls');
    assert.deepEqual(seen, [], 'nothing reached the server');
  });

  for (const name of ['Host', 'host', 'HOST', 'hOsT']) {
    it(`a "${name}: other.example" header is refused before anything is sent, so the token never reaches other.example`, async () => {
      await assert.rejects(client.call({ method: 'GET', target: '/profile/v1/me', headers: { [name]: 'other.example' } }), (error: unknown) => {
        assert.ok(error instanceof RefusedTargetError, `refused, not ${String(error)}`);
        assert.match(error.message, /Host header names other\.example/);
        assert.match(error.message, /127\.0\.0\.1:\d+/, 'the message names where the request goes');
        return true;
      });
      assert.deepEqual(seen, [], 'the server holding the other.example certificate got no request, and no token');
    });
  }

  it('a Host header with a port, a trailing dot or blanks around it is refused all the same', async () => {
    for (const value of ['other.example:443', ' other.example ', 'other.example.', 'OTHER.EXAMPLE', '127.0.0.1@other.example']) {
      await assert.rejects(client.call({ method: 'GET', target: '/x', headers: { Host: value } }), RefusedTargetError, JSON.stringify(value));
    }
    assert.deepEqual(seen, []);
  });

  it("a Host header naming the URL's own host is left out, not refused: the connection is checked against the URL's host", async () => {
    const own = new URL(origin).host;
    // Left out, the request goes on to the TLS check for 127.0.0.1, which this certificate fails.
    await assert.rejects(client.call({ method: 'GET', target: '/x', headers: { Host: own } }), (error: unknown) => error instanceof NetworkError && error.failure === 'tls');
    assert.deepEqual(seen, []);
  });

  it('the HTTP client takes only headers the checker made: a look-alike object is refused', async () => {
    const url = requireApiTarget('/x', { baseUrl: origin, geolocation: origin });
    const forged = { host: 'other.example' } as unknown as CheckedHeaders;
    await assert.rejects(http.request({ method: 'GET', url, headers: forged }), RefusedTargetError);
    assert.deepEqual(seen, []);
  });

  it('Copy as cURL: a Host header naming another host is refused; the URL\'s own host is left out', () => {
    const url = requireApiTarget('/x', { baseUrl: origin, geolocation: origin });
    assert.throws(() => toCurl({ method: 'GET', url, headers: { Host: 'other.example' } }), CurlError);
    const curl = toCurl({ method: 'GET', url, headers: { Host: url.host, 'x-custom': 'kept' } });
    assert.doesNotMatch(curl, /host:/i);
    assert.match(curl, /-H 'x-custom: kept'/);
  });
});

describe('Request headers: what each header becomes', () => {
  const url = requireApiTarget('/x', { baseUrl: 'https://us2.api.concursolutions.com', geolocation: 'https://us2.api.concursolutions.com' });

  it('framing, connection and proxy headers are left out with a reason; Authorization is the session\'s own', () => {
    const given = {
      'Content-Length': '5',
      'Transfer-Encoding': 'chunked',
      Connection: 'close',
      'Keep-Alive': 'timeout=5',
      Upgrade: 'websocket',
      TE: 'trailers',
      Trailer: 'x',
      Expect: '100-continue',
      'Proxy-Authorization': 'Basic abc',
      'Proxy-Connection': 'keep-alive',
      Authorization: 'Bearer pasted-token-value',
      Accept: 'application/xml',
    };
    const check = checkRequestHeaders(given, url);
    assert.ok(check.ok);
    assert.deepEqual(headerRecord(check.headers), { accept: 'application/xml' });
    assert.deepEqual(
      check.dropped.map((d) => d.name),
      Object.keys(given)
        .filter((n) => n !== 'Accept')
        .map((n) => n.toLowerCase()),
    );
    for (const dropped of check.dropped) assert.ok(dropped.reason.length > 20, dropped.name);
  });

  it('routing, method-override and pseudo-headers, bad names and values with a line break or NUL are refused with a message', () => {
    const refused: Array<[string, string]> = [
      ['X-Forwarded-Host', 'other.example'],
      ['Forwarded', 'host=other.example'],
      ['X-Original-URL', '/admin'],
      ['X-HTTP-Method-Override', 'DELETE'],
      [':authority', 'other.example'],
      [':path', '/x'],
      ['x custom', '1'],
      ['x-a', 'a\r\nHost: other.example'],
      ['x-a', 'a\nb'],
      ['x-a', 'a\u0000b'],
      ['x-a', 'caf\u00e9 \u2603'],
      ['x-a', 'a\u0001b'],
    ];
    for (const [name, value] of refused) {
      const check = checkRequestHeaders({ [name]: value }, url);
      assert.ok(!check.ok, `${JSON.stringify(name)}: ${JSON.stringify(value)} is refused`);
      assert.ok(check.message.length > 30, check.message);
      assert.throws(() => requireRequestHeaders({ [name]: value }, url), RefusedTargetError);
    }
  });

  it('ordinary headers pass, names in lower case; Latin-1 and tabs are carried', () => {
    const check = checkRequestHeaders({ 'Content-Type': 'application/json', 'X-Tab': 'a\tb', 'X-Latin': 'caf\u00e9', 'concur-correlationid': 'abc' }, url, { accept: 'application/json' });
    assert.ok(check.ok);
    assert.deepEqual(headerRecord(check.headers), { accept: 'application/json', 'content-type': 'application/json', 'x-tab': 'a\tb', 'x-latin': 'caf\u00e9', 'concur-correlationid': 'abc' });
    assert.equal(headerRule('X-Custom').kind, 'allow');
  });
});
