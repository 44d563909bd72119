/**
 * Property-based tests of the header boundary, as the URL boundary has them (resolver.property):
 * generated header sets — the headers that route or frame a request in every spelling of their
 * names, pseudo-headers, names that are no HTTP token, values with line breaks, NUL and characters
 * no header carries, mixed with ordinary headers — sent through ApiClient to a raw server on this
 * machine that records the bytes of each request head. Whatever the headers, either nothing is sent
 * (the request is refused) or exactly one request goes to the session's host, with its Host, one
 * Authorization (the session's token) and none of the headers that are not the caller's to set.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ApiClient, type SessionToken, type TokenSource } from '../../../src/calls/apiClient';
import { checkRequestHeaders, headerRecord } from '../../../src/platform/headers';
import { HttpClient } from '../../../src/platform/http';
import { RefusedTargetError, requireApiTarget } from '../../../src/platform/resolver';

const TOKEN = 'session-token-0123456789abcdef';

/** Names that are not the caller's to set, by what becomes of them. */
const DROPPED = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-authorization', 'proxy-connection', 'authorization'];
const REFUSED = ['forwarded', 'x-forwarded-host', 'x-original-url', 'x-rewrite-url', 'x-http-method-override', ':authority', ':path', ':method'];
const ORDINARY = ['accept', 'content-type', 'x-custom', 'if-none-match', 'accept-language', 'x-request-id', 'cookie'];

/** A name in any case: `Host`, `HOST`, `hOsT`. */
const spelled = (name: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

const value = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('other.example', 'evil.example:443', '0', '100-continue', 'chunked', 'close', 'h2c', '/admin', 'DELETE'),
  // A line break, NUL or a character no header carries, somewhere in an ordinary value.
  fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\r\n', '\n', '\r', '\u0000', '\u0001', '\u2028', '\u{1F600}', '\r\nHost: other.example'), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c),
);

const headerName = fc.oneof(
  fc.constantFrom('host', ...DROPPED, ...REFUSED, ...ORDINARY).chain(spelled),
  // Names that are no HTTP token: blanks, colons, separators.
  fc.tuple(fc.constantFrom('x', 'host', 'x-a'), fc.constantFrom(' ', ':', '\t', '(', '"', '\r\n'), fc.constantFrom('', 'y', 'host')).map(([a, b, c]) => a + b + c),
);

const headers = fc.dictionary(headerName, value, { maxKeys: 6 });

/** The request head as the server read it: the request line and each header line, lower-cased names. */
interface Head {
  readonly line: string;
  readonly fields: Array<[string, string]>;
}

describe('Request headers: property-based, on the wire', () => {
  let server: Server;
  let origin: string;
  let host: string;
  const heads: Head[] = [];
  let http: HttpClient;
  let client: ApiClient;

  before(async () => {
    server = createServer((socket: Socket) => {
      let buffer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [line, ...rest] = buffer.slice(0, end).split('\r\n');
        heads.push({ line, fields: rest.map((f) => [f.slice(0, f.indexOf(':')).toLowerCase(), f.slice(f.indexOf(':') + 1).trim()]) });
        socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}');
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    origin = `http://${host}`;
    http = new HttpClient();
    const session: SessionToken = { sessionId: 's1', accessToken: TOKEN, geolocation: origin, baseUrl: origin };
    const source: TokenSource = { get: async () => session, refresh: async () => session };
    client = new ApiClient(http, source);
  });
  after(async () => {
    await http.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('every generated header set is refused before anything is sent, or reaches the session\'s host with nothing that routes or frames it', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(headers, fc.constantFrom('GET', 'POST'), async (given, method) => {
        const before = heads.length;
        let refused = false;
        try {
          const result = await client.call({ method, target: '/profile/v1/me', headers: given, body: method === 'POST' ? '{"a":1}' : undefined });
          assert.equal(result.status, 200);
        } catch (error) {
          if (!(error instanceof RefusedTargetError)) throw error;
          refused = true;
        }
        if (refused) {
          assert.equal(heads.length, before, 'a refused request sends nothing');
          return;
        }
        assert.equal(heads.length, before + 1, 'one request');
        const head = heads[heads.length - 1];
        assert.equal(head.line, `${method} /profile/v1/me HTTP/1.1`);
        const named = (name: string): string[] => head.fields.filter(([n]) => n === name).map(([, v]) => v);
        assert.deepEqual(named('host'), [host], 'the Host is the URL\'s');
        assert.deepEqual(named('authorization'), [`Bearer ${TOKEN}`], 'one Authorization: the session\'s token');
        for (const name of [...DROPPED.filter((n) => n !== 'authorization' && n !== 'content-length' && n !== 'connection'), ...REFUSED]) {
          assert.deepEqual(named(name), [], `no ${name} header went out`);
        }
        // The client frames a body itself: one Content-Length, the body's.
        assert.deepEqual(named('content-length'), method === 'POST' ? ['7'] : []);
        assert.ok(named('connection').every((v) => v === 'keep-alive'), 'a Connection header, if any, is the client\'s own');
        for (const [name] of head.fields) assert.match(name, /^[!#$%&'*+\-.^_`|~0-9a-z]+$/, 'every header name is a token');
      }),
      { numRuns: 150 },
    );
  });

  it('the checker alone: its headers never hold a name that is not the caller\'s, a bad name or a value with a line break or NUL', () => {
    const url = requireApiTarget('/x', { baseUrl: 'https://us2.api.concursolutions.com', geolocation: 'https://us2.api.concursolutions.com' });
    fc.assert(
      fc.property(headers, (given) => {
        const check = checkRequestHeaders(given, url);
        // What a plain reading of the rules says: refused when any header is one to refuse.
        const refuses = Object.entries(given).some(([name, v]) => {
          const lower = name.toLowerCase();
          if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) || REFUSED.includes(lower)) return true;
          if (DROPPED.includes(lower) || lower.startsWith('proxy-')) return false;
          if (/[^\t\x20-\x7e\x80-\xff]/.test(v)) return true;
          return lower === 'host' && v.trim().toLowerCase() !== url.host;
        });
        assert.equal(!check.ok, refuses, JSON.stringify(given));
        if (!check.ok) return;
        const record = headerRecord(check.headers);
        for (const [name, v] of Object.entries(record)) {
          assert.ok(![...DROPPED, ...REFUSED, 'host'].includes(name), name);
          // eslint-disable-next-line no-control-regex
          assert.doesNotMatch(v, /[\r\n\u0000]/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
