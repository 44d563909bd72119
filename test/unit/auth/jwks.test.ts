import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CancelledError } from '../../../src/platform/errors';
import { HttpClient } from '../../../src/platform/http';
import { describeVerification, JwksCache, verifyToken, type Verification, type VerifyOptions } from '../../../src/auth/jwks';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { scriptedServer, type ScriptedAnswer, type ScriptedServer } from '../../support/scriptedServer';

const NOW = Date.UTC(2026, 10, 27, 9, 0, 0);
const CLIENT_ID = '6f1c3a52-9d4e-4b7a-8e21-3c5d7f9a1b24';

interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

function makeKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { kty, n, e } = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, jwk: { kty, use: 'sig', alg: 'RS256', kid, n, e } };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT signed with `key`; `header` replaces header fields (undefined removes one). */
function jwt(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const fullHeader = JSON.parse(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: key.kid, ...header })) as Record<string, unknown>;
  const input = `${b64(fullHeader)}.${b64(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

function flipSignatureByte(token: string): string {
  const [h, p, s] = token.split('.');
  const signature = Buffer.from(s, 'base64url');
  signature[10] ^= 0x01;
  return `${h}.${p}.${signature.toString('base64url')}`;
}

/** A clock the test moves by hand. */
class Clock {
  ms = NOW;
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('token signatures: against the local Concur server', () => {
  let mock: MockConcur;
  let http: HttpClient;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 50 });
    http = new HttpClient();
  });
  after(async () => {
    await http.close();
    await mock.close();
  });
  beforeEach(() => mock.resetLog());

  const options = (cache: JwksCache): VerifyOptions => ({ cache, trustedOrigins: [mock.url, mock.geoUrl], fallbackOrigin: mock.geoUrl });

  it('verifies the access token and the id token Concur issued, fetching the keys once from the issuer', async () => {
    const cache = new JwksCache({ http });
    const tokens = mock.issueTokens();
    const kid = mock.jwks().keys[0].kid as string;
    const access = await verifyToken(tokens.access_token, options(cache));
    assert.deepEqual(access, { status: 'verified', kid, origin: mock.geoUrl, problems: [] });
    assert.equal(describeVerification(access), `signature verified (kid ${kid})`);
    const id = await verifyToken(tokens.id_token ?? '', { ...options(cache), expect: { issuerOrigins: [mock.geoUrl], audience: mock.demo.clientId, now: mock.now() } });
    assert.equal(id.status, 'verified');
    assert.deepEqual(id.problems, []);
    assert.equal(mock.counters.jwksRequests, 1, 'one fetch for both tokens');
    assert.deepEqual(mock.requests.map((r) => `${r.host} ${r.method} ${r.path}`), ['geo GET /oauth2/v0/jwks']);
  });

  it('verifies a token from the password grant over HTTP', async () => {
    const res = await fetch(`${mock.geoUrl}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'password', username: mock.demo.username, password: mock.demo.password }).toString(),
    });
    const body = (await res.json()) as { access_token: string };
    assert.equal((await verifyToken(body.access_token, options(new JwksCache({ http })))).status, 'verified');
  });

  it('reports a bad signature when one byte of the signature is changed', async () => {
    const token = flipSignatureByte(mock.issueTokens().access_token);
    const result = await verifyToken(token, options(new JwksCache({ http })));
    assert.equal(result.status, 'badSignature');
    assert.equal(result.status === 'badSignature' && result.kid, mock.jwks().keys[0].kid);
    assert.match(describeVerification(result), /^bad signature \(kid /);
  });

  it('reports a token signed with a key Concur does not publish (unknownKey fault) as an unknown key', async () => {
    mock.addFault({ route: '/oauth2/v0/token', kind: 'unknownKey', times: 1 });
    const res = await fetch(`${mock.geoUrl}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'client_credentials' }).toString(),
    });
    const body = (await res.json()) as { access_token: string };
    const result = await verifyToken(body.access_token, options(new JwksCache({ http })));
    assert.equal(result.status, 'unknownKey');
    assert.match(describeVerification(result), /^unknown key \(kid .+\): not in Concur's published keys$/);
    assert.equal(mock.counters.jwksRequests, 2, 'the first fetch and one refetch');
  });
});

describe('token signatures: fetching and caching the keys', () => {
  let keyA: TestKey;
  let keyB: TestKey;
  let http: HttpClient;
  let server: ScriptedServer;
  /** What the JWKS stand-in answers next; tests change it. */
  let answer: () => ScriptedAnswer | Promise<ScriptedAnswer>;
  let clock: Clock;

  const jwksOf = (...keys: TestKey[]): ScriptedAnswer => ({ status: 200, body: { keys: keys.map((k) => k.jwk) } });
  const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ iss: server.url, sub: 'user-1', aud: CLIENT_ID, exp: NOW / 1000 + 3600, iat: NOW / 1000, ...extra });
  const newCache = (extra: Partial<ConstructorParameters<typeof JwksCache>[0]> = {}): JwksCache => new JwksCache({ http, now: clock.now, ...extra });
  const verify = (token: string, cache: JwksCache, extra: Partial<VerifyOptions> = {}): Promise<Verification> =>
    verifyToken(token, { cache, trustedOrigins: [server.url], fallbackOrigin: server.url, ...extra });

  before(async () => {
    keyA = makeKey('key-a');
    keyB = makeKey('key-b');
    http = new HttpClient();
    server = await scriptedServer(() => answer());
  });
  after(async () => {
    await http.close();
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    answer = () => jwksOf(keyA);
    clock = new Clock();
  });

  it('fetches GET /oauth2/v0/jwks without any token, and verifies', async () => {
    const result = await verify(jwt(keyA, claims()), newCache());
    assert.deepEqual(result, { status: 'verified', kid: 'key-a', origin: server.url, problems: [] });
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].method, 'GET');
    assert.equal(server.requests[0].url, '/oauth2/v0/jwks');
    assert.equal(server.requests[0].headers.authorization, undefined);
  });

  it('keeps the keys: two verifications fetch once, and again only after the TTL', async () => {
    const cache = newCache({ ttlMs: 10 * 60_000 });
    const token = jwt(keyA, claims());
    assert.equal((await verify(token, cache)).status, 'verified');
    assert.equal((await verify(token, cache)).status, 'verified');
    assert.equal(server.requests.length, 1);
    clock.advance(10 * 60_000 - 1);
    await verify(token, cache);
    assert.equal(server.requests.length, 1, 'still within the TTL');
    clock.advance(2);
    assert.equal((await verify(token, cache)).status, 'verified');
    assert.equal(server.requests.length, 2, 'fetched again after the TTL');
  });

  it("honours the answer's max-age, bounded to at least a minute", async () => {
    answer = () => ({ ...jwksOf(keyA), headers: { 'cache-control': 'public, max-age=120' } });
    const cache = newCache();
    const token = jwt(keyA, claims());
    await verify(token, cache);
    clock.advance(119_000);
    await verify(token, cache);
    assert.equal(server.requests.length, 1);
    clock.advance(2_000);
    await verify(token, cache);
    assert.equal(server.requests.length, 2);

    answer = () => ({ ...jwksOf(keyA), headers: { 'cache-control': 'max-age=0' } });
    clock.advance(200_000);
    await verify(token, cache);
    assert.equal(server.requests.length, 3);
    clock.advance(59_000);
    await verify(token, cache);
    assert.equal(server.requests.length, 3, 'max-age=0 is kept for a minute');
  });

  it('shares one fetch between verifications that ask at once', async () => {
    answer = async () => {
      await delay(50);
      return jwksOf(keyA);
    };
    const cache = newCache();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => verify(jwt(keyA, claims({ sub: `user-${i}` })), cache)));
    assert.deepEqual(results.map((r) => r.status), Array(8).fill('verified'));
    assert.equal(server.requests.length, 1);
  });

  it('refetches once for an unknown kid, then reports it; a second token within the interval does not refetch', async () => {
    const cache = newCache();
    await verify(jwt(keyA, claims()), cache);
    assert.equal(server.requests.length, 1);
    const unknown = jwt(keyB, claims());
    const first = await verify(unknown, cache);
    assert.deepEqual(first, { status: 'unknownKey', kid: 'key-b', origin: server.url, problems: [] });
    assert.equal(server.requests.length, 2, 'exactly one refetch');
    clock.advance(59_000);
    assert.equal((await verify(unknown, cache)).status, 'unknownKey');
    assert.equal((await verify(jwt(keyB, claims(), { kid: 'key-c' }), cache)).status, 'unknownKey');
    assert.equal(server.requests.length, 2, 'no refetch within the minute');
    clock.advance(2_000);
    await verify(unknown, cache);
    assert.equal(server.requests.length, 3, 'a refetch again once the interval has passed');
  });

  it('follows a key rotation: the set grows from A to A+B, and a token signed with B verifies after one refetch', async () => {
    const cache = newCache();
    assert.equal((await verify(jwt(keyA, claims()), cache)).status, 'verified');
    answer = () => jwksOf(keyA, keyB);
    const rotated = await verify(jwt(keyB, claims()), cache);
    assert.deepEqual(rotated, { status: 'verified', kid: 'key-b', origin: server.url, problems: [] });
    assert.equal(server.requests.length, 2);
    assert.equal((await verify(jwt(keyA, claims()), cache)).status, 'verified', 'A still verifies');
    assert.equal(server.requests.length, 2);
  });

  it('concurrent tokens with a new kid share one refetch', async () => {
    const cache = newCache();
    await verify(jwt(keyA, claims()), cache);
    answer = async () => {
      await delay(30);
      return jwksOf(keyA, keyB);
    };
    const results = await Promise.all(Array.from({ length: 4 }, () => verify(jwt(keyB, claims()), cache)));
    assert.deepEqual(results.map((r) => r.status), Array(4).fill('verified'));
    assert.equal(server.requests.length, 2);
  });

  it('reports HTTP 503 as unreachable keys, keeps no failure, and tries again on the next call', async () => {
    answer = () => ({ status: 503, body: '<html>503</html>' });
    const cache = newCache();
    const token = jwt(keyA, claims());
    const failed = await verify(token, cache);
    assert.deepEqual(failed, { status: 'jwksUnreachable', reason: 'HTTP 503', origin: server.url, kid: 'key-a', problems: [] });
    assert.equal(describeVerification(failed), "could not fetch Concur's keys: HTTP 503");
    answer = () => jwksOf(keyA);
    assert.equal((await verify(token, cache)).status, 'verified');
    assert.equal(server.requests.length, 2);
  });

  it('a failed refetch lets the next unknown kid try again', async () => {
    const cache = newCache();
    await verify(jwt(keyA, claims()), cache);
    answer = () => ({ status: 500, body: 'no' });
    const failed = await verify(jwt(keyB, claims()), cache);
    assert.equal(failed.status, 'jwksUnreachable');
    answer = () => jwksOf(keyA, keyB);
    assert.equal((await verify(jwt(keyB, claims()), cache)).status, 'verified');
    assert.equal(server.requests.length, 3);
  });

  it('reports a refused connection as unreachable keys', async () => {
    const gone = await scriptedServer();
    await gone.close();
    const token = jwt(keyA, claims({ iss: gone.url }));
    const result = await verifyToken(token, { cache: newCache(), trustedOrigins: [gone.url], fallbackOrigin: gone.url });
    assert.equal(result.status, 'jwksUnreachable');
    assert.equal(result.status === 'jwksUnreachable' && result.reason, 'connection refused');
  });

  it('reports an answer that is not a JWK Set, or too large, as unreachable keys', async () => {
    const token = jwt(keyA, claims());
    const reasonFor = async (a: ScriptedAnswer): Promise<string> => {
      answer = () => a;
      const result = await verify(token, newCache());
      assert.equal(result.status, 'jwksUnreachable');
      return result.status === 'jwksUnreachable' ? result.reason : '';
    };
    assert.match(await reasonFor({ status: 200, body: '<html>sign in</html>' }), /not JSON/);
    assert.match(await reasonFor({ status: 200, body: { keys: 'none' } }), /not a JWK Set/);
    assert.match(await reasonFor({ status: 200, body: { keys: [], padding: 'x'.repeat(70_000) } }), /larger than 64 KB/);
  });

  it('skips keys it cannot use, without failing the others', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const smallJwk = { ...small.publicKey.export({ format: 'jwk' }), kid: 'small' };
    answer = () => ({
      status: 200,
      body: {
        keys: [
          'not a key',
          { ...ec, kid: 'ec-key' },
          { ...keyB.jwk, kid: 'enc-key', use: 'enc' },
          { ...keyB.jwk, kid: 'hs-key', alg: 'RS512' },
          { kty: 'RSA', kid: 'broken', n: '!!', e: 'AQAB' },
          { ...keyB.jwk, kid: undefined },
          smallJwk,
          keyA.jwk,
        ],
      },
    });
    const cache = newCache();
    assert.deepEqual([...(await cache.keys(server.url)).keys()], ['key-a']);
    assert.equal((await verify(jwt(keyA, claims()), cache)).status, 'verified');
    const ecToken = await verify(jwt(keyA, claims(), { kid: 'ec-key' }), cache);
    assert.equal(ecToken.status, 'unsupported');
    assert.match(describeVerification(ecToken), /key ec-key cannot be used: it is not an RSA key \(kty EC\)/);
    const smallKey = jwt({ kid: 'small', privateKey: small.privateKey, jwk: {} }, claims());
    assert.match(describeVerification(await verify(smallKey, cache)), /1024 bits/);
  });

  it('keeps at most 50 keys', async () => {
    answer = () => ({ status: 200, body: { keys: Array.from({ length: 60 }, (_, i) => ({ ...keyA.jwk, kid: `k${i}` })) } });
    assert.equal((await newCache().keys(server.url)).size, 50);
  });

  it('tries every key for a token without kid', async () => {
    answer = () => jwksOf(keyA, keyB);
    const result = await verify(jwt(keyB, claims(), { kid: undefined }), newCache());
    assert.deepEqual(result, { status: 'verified', kid: 'key-b', origin: server.url, problems: [] });
    const bad = await verify(flipSignatureByte(jwt(keyB, claims(), { kid: undefined })), newCache());
    assert.equal(bad.status, 'badSignature');
    assert.equal(describeVerification(bad), "bad signature: none of Concur's published keys verifies it");
  });

  it('uses the fallback origin when the token names no issuer', async () => {
    const other = await scriptedServer(() => jwksOf(keyA));
    try {
      const result = await verifyToken(jwt(keyA, claims({ iss: undefined })), { cache: newCache(), trustedOrigins: [], fallbackOrigin: other.url });
      assert.equal(result.status, 'verified');
      assert.equal(other.requests.length, 1);
      assert.equal(server.requests.length, 0);
    } finally {
      await other.close();
    }
  });

  it('never fetches from an issuer host that is not trusted', async () => {
    const attacker = await scriptedServer(() => jwksOf(keyB));
    try {
      const forged = jwt(keyB, claims({ iss: `${attacker.url}/` }));
      const result = await verify(forged, newCache());
      assert.deepEqual(result, { status: 'untrustedIssuer', host: `127.0.0.1:${attacker.port}`, problems: [] });
      assert.match(describeVerification(result), /not checked: the token names 127\.0\.0\.1:\d+ as its issuer/);
      assert.equal(attacker.requests.length, 0, 'nothing sent to the host the token names');
      assert.equal(server.requests.length, 0, 'nor anywhere else');
    } finally {
      await attacker.close();
    }
  });

  it('says opaque for a token that is not a JWT', async () => {
    for (const token of ['rt_abcdefghijklmnop', 'a.b', '', 'not.a.jwt']) {
      const result = await verify(token, newCache());
      assert.deepEqual(result, { status: 'opaque', problems: [] }, token);
      assert.equal(describeVerification(result), 'opaque token: no signature to check');
    }
    assert.equal(server.requests.length, 0);
  });

  it('says unsupported for HS256, none and a malformed header, without fetching', async () => {
    const hs = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64(claims())}.c2lnbmF0dXJl`;
    const none = `${b64({ alg: 'none' })}.${b64(claims())}.`;
    const noAlg = `${b64({ typ: 'JWT', kid: 'key-a' })}.${b64(claims())}.c2ln`;
    const badKid = `${b64({ alg: 'RS256', kid: 42 })}.${b64(claims())}.c2ln`;
    const crit = `${b64({ alg: 'RS256', kid: 'key-a', crit: ['exp'] })}.${b64(claims())}.c2ln`;
    const reasons: string[] = [];
    for (const token of [hs, none, noAlg, badKid, crit]) {
      const result = await verify(token, newCache());
      assert.equal(result.status, 'unsupported');
      reasons.push(describeVerification(result));
    }
    assert.match(reasons[0], /alg HS256/);
    assert.match(reasons[1], /alg "none": the token is not signed/);
    assert.match(reasons[2], /no alg/);
    assert.match(reasons[3], /kid is not a string/);
    assert.match(reasons[4], /crit/);
    assert.equal(server.requests.length, 0);
  });

  it('throws only when cancelled', async () => {
    answer = async () => {
      await delay(200);
      return jwksOf(keyA);
    };
    const controller = new AbortController();
    const cache = newCache();
    const pending = verify(jwt(keyA, claims()), cache, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, CancelledError);
    // The shared fetch goes on for whoever else is waiting.
    assert.equal((await verify(jwt(keyA, claims()), cache)).status, 'verified');
    assert.equal(server.requests.length, 1);
  });

  it('reports a JWKS that does not answer in time', async () => {
    answer = async () => {
      await delay(300);
      return jwksOf(keyA);
    };
    const result = await verify(jwt(keyA, claims()), newCache({ timeoutMs: 50 }));
    assert.equal(result.status, 'jwksUnreachable');
    assert.match(describeVerification(result), /no answer within/);
  });

  describe('id token claims', () => {
    const expect = (extra: Record<string, unknown> = {}): VerifyOptions['expect'] => ({ issuerOrigins: [server.url], audience: CLIENT_ID, now: NOW, ...extra });

    it('reports an expired token, with how long ago', async () => {
      const token = jwt(keyA, claims({ exp: NOW / 1000 - 180 }));
      const result = await verify(token, newCache(), { expect: expect() });
      assert.equal(result.status, 'verified');
      assert.deepEqual(result.problems, ['expired 3 minutes ago']);
      assert.equal(describeVerification(result), 'signature verified (kid key-a); expired 3 minutes ago');
    });

    it('allows a minute of clock skew', async () => {
      const result = await verify(jwt(keyA, claims({ exp: NOW / 1000 - 30 })), newCache(), { expect: expect() });
      assert.deepEqual(result.problems, []);
    });

    it('reports an audience that is not this app', async () => {
      const result = await verify(jwt(keyA, claims({ aud: 'another-client' })), newCache(), { expect: expect() });
      assert.deepEqual(result.problems, ["aud is another-client, not this app's client id"]);
      const list = await verify(jwt(keyA, claims({ aud: ['x', CLIENT_ID] })), newCache(), { expect: expect() });
      assert.deepEqual(list.problems, [], 'a list containing the client id will do');
    });

    it('reports an issuer that is not the session datacenter', async () => {
      const other = 'http://127.0.0.1:1';
      // The keys come from a trusted host, but not the one this id token should come from.
      const result = await verify(jwt(keyA, claims()), newCache(), { expect: expect({ issuerOrigins: [other] }) });
      assert.equal(result.status, 'verified');
      assert.deepEqual(result.problems, [`issued by host 127.0.0.1:${server.port}, not the session's datacenter (127.0.0.1:1)`]);
    });

    it('reports several problems at once, and puts no token text in any message', async () => {
      const token = jwt(keyA, claims({ aud: 'someone-else', exp: NOW / 1000 - 7200, iss: undefined }));
      const result = await verify(token, newCache(), { expect: expect() });
      assert.deepEqual(result.problems, ['no issuer (iss claim)', "aud is someone-else, not this app's client id", 'expired 2 hours ago']);
      const text = describeVerification(result);
      for (const part of token.split('.')) assert.ok(!text.includes(part.slice(0, 12)), 'no token text');
    });
  });
});
