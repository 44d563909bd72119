/**
 * Property-based tests of the resolver: for many thousands of generated targets — paths, full URLs,
 * odd slashes and backslashes, control characters, percent-encoding, userinfo, IPv6, IDN — a request
 * either resolves to one of the session's own origins or is refused. Never anything else, however
 * the result is parsed again (undici parses the text it is given).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ApiClient } from '../../../src/calls/apiClient';
import { ApiUsageError } from '../../../src/platform/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../../src/platform/http';
import { isCheckedUrl, judgeGeolocation, RefusedTargetError, refusalWithoutSession, resolveApiTarget, resolveLink, requireApiTarget, sessionOrigins, type SessionOrigins } from '../../../src/platform/resolver';

const SESSIONS: readonly SessionOrigins[] = [
  { baseUrl: 'http://127.0.0.1:5050', geolocation: 'http://127.0.0.1:5051' },
  { baseUrl: 'https://us.api.concursolutions.com', geolocation: 'https://us2.api.concursolutions.com' },
  { baseUrl: 'http://[::1]:8080', geolocation: 'http://[::1]:8080' },
  { baseUrl: 'https://proxy.corp.example:8443', geolocation: 'https://proxy.corp.example:8443' },
];

const HOSTS = [
  '127.0.0.1:5050', '127.0.0.1:5051', '127.0.0.1:6000', '127.1:5051', '2130706433:5051', '0x7f.0.0.1:5051', 'localhost:5051', '[::1]:5051', '[::1]:8080',
  '[::ffff:127.0.0.1]:5051', 'us2.api.concursolutions.com', 'us.api.concursolutions.com', 'US2.API.CONCURSOLUTIONS.COM', 'us2.api.concursolutions.com.',
  'us2.api.concursolutions.com:443', 'us2.api.concursolutions.com:8443', 'us2.api.concursolutions.com.evil.example', 'evil.example', 'xn--80ak6aa92e.com',
  'аpple.com', 'proxy.corp.example:8443', 'proxy.corp.example', 'app.localhost:5051', '%31%32%37.0.0.1:5051',
];

const PIECES = [
  '/', '//', '///', '\\', '\\\\', '/\\', '\\/', '\t', '\n', '\r', '\u0000', '\u007f', ' ', '\u00a0', '\u2028', '\ufeff', '@', ':', '?', '#', '&', '=',
  '%2f', '%2F', '%5c', '%5C', '%40', '%3a', '%00', '%0a', '%', '%zz', '.', '..', './', '../', 'http:', 'https:', 'HTTP:', 'hTtPs:', 'ws:', 'file:',
  'javascript:', 'data:', 'user:pass@', 'user@', ':@', '[', ']', '::1', 'profile', 'v1', 'me', 'Users', '~', '\u3002', '\uff0f', '\uff3c',
];

const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);

/** Targets built to look like the ways a path can name a host: pieces glued together. */
const target = fc.oneof(
  fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
  fc.tuple(fc.constantFrom('', 'http://', 'https://', '//', '/\\', '\\\\', 'http:', 'https:/', ' //'), fc.constantFrom(...HOSTS), fc.array(piece, { maxLength: 4 })).map(([scheme, host, rest]) => `${scheme}${host}/${rest.join('')}`),
);

const session = fc.constantFrom(...SESSIONS);

/** Where the text of a checked URL would really go: parsed again, as the HTTP client does. */
function destination(href: string): { origin: string; username: string; password: string; protocol: string } {
  const url = new URL(href);
  return { origin: url.origin, username: url.username, password: url.password, protocol: url.protocol };
}

describe('resolver properties (fast-check)', function () {
  this.timeout(60_000);

  it('a target resolves to one of the session\'s own origins, or is refused — never anything else (20,000 targets)', () => {
    fc.assert(
      fc.property(target, session, (t, s) => {
        const allowed = sessionOrigins(s);
        const resolution = resolveApiTarget(t, s);
        if (!resolution.ok) {
          assert.equal(typeof resolution.message, 'string');
          assert.ok(resolution.message.length > 0);
          return;
        }
        assert.ok(isCheckedUrl(resolution.url));
        const where = destination(resolution.url.href);
        assert.ok(allowed.includes(where.origin), `${JSON.stringify(t)} → ${resolution.url.href}`);
        assert.equal(where.origin, resolution.url.origin);
        assert.equal(where.username + where.password, '');
        assert.ok(where.protocol === 'https:' || where.protocol === 'http:');
        // The text the HTTP client sends is stable: parsing it again changes nothing.
        assert.equal(new URL(resolution.url.href).href, resolution.url.href);
      }),
      { numRuns: 20_000 },
    );
  });

  it('what is refused without a session is refused for every session: a request file says no more than sending will (20,000 targets)', () => {
    fc.assert(
      fc.property(target, (t) => {
        const message = refusalWithoutSession(t);
        if (message === undefined) return;
        assert.ok(message.length > 0);
        for (const s of SESSIONS) assert.equal(resolveApiTarget(t, s).ok, false, `${JSON.stringify(t)} is refused without a session but resolves for ${s.geolocation}`);
      }),
      { numRuns: 20_000 },
    );
    // And it says something for the shapes no session accepts.
    for (const t of ['//other.example/x', 'http://other.example/x', 'ftp://x/y', 'profile/v1/me', '/a\\b', 'https://user:pw@x.example/']) assert.ok(refusalWithoutSession(t), t);
    for (const t of ['/profile/v1/me', 'https://other.example/x', 'http://127.0.0.1:9/x']) assert.equal(refusalWithoutSession(t), undefined, t);
  });

  it('a plain path always goes to the geolocation (the rules refuse no ordinary path)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.option(fc.stringMatching(/^[A-Za-z0-9=&%._-]{0,20}$/)), session, (segments, query, s) => {
        const path = `/${segments.join('/')}${query ? `?${query}` : ''}`;
        const resolution = resolveApiTarget(path, s);
        assert.ok(resolution.ok, `${path}: ${resolution.ok ? '' : resolution.message}`);
        assert.equal(resolution.url.origin, sessionOrigins(s)[0]);
      }),
      { numRuns: 5_000 },
    );
  });

  it('a link in a response body, relative or absolute, follows the same rule (10,000 links)', () => {
    fc.assert(
      fc.property(target, session, (link, s) => {
        const from = requireApiTarget('/api/v3.0/expense/reports?offset=0', s);
        const resolution = resolveLink(link, from, s);
        if (resolution.ok) assert.ok(sessionOrigins(s).includes(destination(resolution.url.href).origin), `${JSON.stringify(link)} → ${resolution.url.href}`);
      }),
      { numRuns: 10_000 },
    );
  });

  it('a session at Concur\'s hosts takes a geolocation only on them (10,000 names)', () => {
    const name = fc.oneof(target, fc.constantFrom(...HOSTS).map((h) => `https://${h}`));
    fc.assert(
      fc.property(name, (n) => {
        const verdict = judgeGeolocation('https://us2.api.concursolutions.com', n);
        if (verdict.kind === 'refuse') return;
        assert.equal(verdict.kind, 'accept', `${JSON.stringify(n)} would need confirming`);
        const url = new URL(verdict.origin);
        assert.equal(url.protocol, 'https:');
        assert.equal(url.port, '');
        assert.match(url.hostname, /^[a-z0-9-]+\.api\.concursolutions\.com$|^cn\.api\.concurcdc\.cn$/);
      }),
      { numRuns: 10_000 },
    );
  });

  it('the API client hands the HTTP client only checked URLs on the session\'s origins, or sends nothing (3,000 calls)', async () => {
    const sent: string[] = [];
    const http = {
      request: async (req: HttpRequest): Promise<HttpResponse> => {
        assert.ok(isCheckedUrl(req.url));
        sent.push(req.url.href);
        return { method: req.method, url: req.url.href, status: 204, headers: {}, body: Buffer.alloc(0), bytes: 0, truncated: false, durationMs: 0, correlationId: 'c', contentType: '' };
      },
    } as unknown as HttpClient;
    await fc.assert(
      fc.asyncProperty(target, session, fc.constantFrom('GET', 'POST', 'get', 'GET /x', 'PATCH\r\n'), async (t, s, method) => {
        sent.length = 0;
        const token = { sessionId: 's', accessToken: 'token-1234567890', ...s };
        const client = new ApiClient(http, { get: async () => token, refresh: async () => token });
        try {
          await client.call({ method, target: t });
        } catch (error) {
          assert.ok(error instanceof RefusedTargetError || error instanceof ApiUsageError, String(error));
          assert.deepEqual(sent, []);
          return;
        }
        assert.equal(sent.length, 1);
        assert.ok(sessionOrigins(s).includes(destination(sent[0]).origin), `${JSON.stringify(t)} → ${sent[0]}`);
      }),
      { numRuns: 3_000 },
    );
  });
});
