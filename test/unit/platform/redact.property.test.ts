/**
 * Property-based tests of redaction: generated secrets — printable ASCII with spaces, commas,
 * quotes, backslashes, `& = %`, and non-ASCII — inside the carriers that take a secret into the
 * extension's text (JSON, JSON in JSON, form bodies, a query inside a percent-encoded redirect,
 * header lines, URL userinfo, JWTs wrapped over lines), under every spelling of a secret key.
 * Nothing of the secret may survive, in any of the forms the carrier gave it; the fields around it
 * stay readable. The data is generated and fake, so failures may print it.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redactor, redactPatterns } from '../../../src/platform/redact';

const RUNS = 500;

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const OTHER = ['é', 'ß', 'Ω', 'ж', '€', '日', '本', '😀', '\u00a0'];
const secretOf = (minLength: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.constantFrom(...PRINTABLE, ...OTHER), minLength, maxLength: 40 })
    // A secret of blanks is nothing a carrier could tell from its own spacing.
    .filter((s) => s.replace(/\s/g, '').length >= 4);
const secret = secretOf(10);

/** The words of each secret key, spelled below in every case and with every separator. */
const KEY_WORDS = [
  ['access', 'token'], ['refresh', 'token'], ['id', 'token'], ['client', 'secret'], ['password'], ['passwd'], ['pwd'], ['otp'], ['request', 'token'],
  ['auth', 'token'], ['api', 'key'], ['token'], ['authorization'], ['session', 'token'], ['client', 'assertion'], ['secret'],
];
const PREFIXES: string[][] = [[], ['x'], ['concur'], ['new'], ['my']];
const capital = (w: string): string => w[0].toUpperCase() + w.slice(1);
const SPELLINGS: Array<(words: string[]) => string> = [
  (w) => w.join('_'),
  (w) => w.join('-'),
  (w) => w.join('.'),
  (w) => w.join(''),
  (w) => w[0] + w.slice(1).map(capital).join(''),
  (w) => w.map(capital).join(''),
  (w) => w.map(capital).join('-'),
  (w) => w.join('_').toUpperCase(),
];
const key = fc
  .tuple(fc.constantFrom(...KEY_WORDS), fc.constantFrom(...PREFIXES), fc.constantFrom(...SPELLINGS))
  .map(([words, prefix, spell]) => spell([...prefix, ...words]));

/** Text around a carrier. */
const filler = fc.string({ unit: fc.constantFrom(...'abc XYZ 123 .,;:/-_()[]\n'.split('')), maxLength: 20 });

interface Carried {
  readonly text: string;
  /** The secret as the carrier wrote it: none of it may survive. */
  readonly forms: readonly string[];
  /** Text around it that must stay readable. */
  readonly keep: readonly string[];
}

const jsonString = (s: string): string => JSON.stringify(s).slice(1, -1);
const formEncoded = (s: string): string => new URLSearchParams({ v: s }).toString().slice(2);
const htmlEscaped = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fields = (k: string, s: string): Record<string, unknown> => ({ client_id: 'cid-123', [k]: s, expires_in: 3600, token_type: 'Bearer', scope: 'a b' });

const CARRIERS: Record<string, (k: string, s: string) => Carried> = {
  json: (k, s) => ({ text: JSON.stringify(fields(k, s)), forms: [jsonString(s)], keep: ['"client_id":"cid-123"', '"expires_in":3600', '"token_type":"Bearer"', '"scope":"a b"'] }),
  'pretty JSON': (k, s) => ({ text: JSON.stringify(fields(k, s), null, 2), forms: [jsonString(s)], keep: ['"client_id": "cid-123"', '"expires_in": 3600'] }),
  'JSON in a JSON string': (k, s) => ({
    text: JSON.stringify({ status: 400, body: JSON.stringify(fields(k, s)) }),
    forms: [jsonString(jsonString(s))],
    keep: ['"status":400', '\\"client_id\\":\\"cid-123\\"', '\\"expires_in\\":3600'],
  }),
  'percent-encoded JSON': (k, s) => ({
    text: `body=${encodeURIComponent(JSON.stringify(fields(k, s)))}`,
    forms: [encodeURIComponent(jsonString(s))],
    keep: ['%22client_id%22%3A%22cid-123%22', '%22expires_in%22%3A3600'],
  }),
  'HTML-escaped JSON': (k, s) => ({ text: `<pre>${htmlEscaped(JSON.stringify(fields(k, s)))}</pre>`, forms: [htmlEscaped(jsonString(s))], keep: ['&quot;client_id&quot;:&quot;cid-123&quot;'] }),
  'form body': (k, s) => ({
    text: new URLSearchParams({ grant_type: 'password', [k]: s, client_id: 'cid-123' }).toString(),
    forms: [formEncoded(s)],
    keep: ['grant_type=password&', '&client_id=cid-123'],
  }),
  'query in a percent-encoded redirect': (k, s) => ({
    text: `https://app.example/login?state=s1&redirect_uri=${encodeURIComponent(`https://x.example/cb?${k}=${encodeURIComponent(s)}&z=1`)}&nonce=n1`,
    forms: [encodeURIComponent(encodeURIComponent(s))],
    keep: ['state=s1&redirect_uri=https%3A%2F%2Fx.example%2Fcb%3F', '%26z%3D1&nonce=n1'],
  }),
  'twice-encoded query': (k, s) => ({
    text: `next=${encodeURIComponent(encodeURIComponent(`${k}=${encodeURIComponent(s)}&z=1`))}`,
    forms: [encodeURIComponent(encodeURIComponent(encodeURIComponent(s)))],
    keep: ['%2526z%253D1'],
  }),
  'header line': (k, s) => ({ text: `POST /oauth2/v0/token HTTP/1.1\r\n${k}: ${s}\r\nAccept: application/json\r\n`, forms: [s.trim()], keep: ['POST /oauth2/v0/token HTTP/1.1\r\n', '\r\nAccept: application/json\r\n'] }),
  'single-quoted value': (k, s) => ({ text: `${k}='${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' next=1`, forms: [s], keep: ["' next=1"] }),
};

/**
 * What is left in `out` of the secret in any of its forms: the whole form, or any 10 characters of
 * it (not only blanks), so that a value cut short shows up too.
 */
function survivors(out: string, forms: readonly string[]): string[] {
  const left: string[] = [];
  for (const form of forms) {
    const width = Math.min(10, form.length);
    for (let i = 0; i + width <= form.length; i++) {
      const piece = form.slice(i, i + width);
      if (piece.trim() && out.includes(piece)) left.push(piece);
    }
  }
  return left;
}

describe('redact: properties', () => {
  for (const [name, carry] of Object.entries(CARRIERS)) {
    it(`hides any secret under any key in a ${name}`, () => {
      fc.assert(
        fc.property(key, secret, filler, filler, (k, s, before, after) => {
          const carried = carry(k, s);
          const out = redactPatterns(`${before}\n${carried.text}\n${after}`);
          assert.deepEqual(survivors(out, [s, ...carried.forms]), [], `the secret survived: ${out}`);
          for (const piece of carried.keep) assert.ok(out.includes(piece), `"${piece}" was lost: ${out}`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('hides the password of any URL userinfo', () => {
    fc.assert(
      fc.property(secret, fc.constantFrom('https://host.example/p?q=1', 'http://127.0.0.1:5050/', 'https://[::1]:8443/a/b#c'), filler, (s, base, before) => {
        const url = new URL(base);
        url.username = 'bob';
        url.password = s;
        const out = redactPatterns(`${before} GET ${url.href} → 200`);
        assert.deepEqual(survivors(out, [s, url.password]), [], `the password survived: ${out}`);
        assert.ok(out.includes(`${url.protocol}//bob:`) && out.includes(`@${url.host}${url.pathname}`), `the URL was lost: ${out}`);
      }),
      { numRuns: RUNS },
    );
  });

  const base64url = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('base64url');
  const jwt = fc
    .record({
      alg: fc.constantFrom('RS256', 'HS256', 'ES256', 'none'),
      kid: fc.string({ maxLength: 12 }),
      sub: fc.uuid(),
      exp: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
      name: secretOf(0),
      signature: fc.uint8Array({ minLength: 0, maxLength: 256 }),
    })
    .map(({ alg, kid, sub, exp, name, signature }) =>
      [base64url({ alg, typ: 'JWT', kid }), base64url({ sub, exp, name, 'concur.type': 'user' }), Buffer.from(signature).toString('base64url')].join('.'),
    );
  /** A token wrapped over lines at some of its positions past `eyJ`, with `\n` or `\r\n` and maybe indentation. */
  const wrapped = jwt.chain((token) =>
    fc
      .tuple(
        fc.uniqueArray(fc.integer({ min: 3, max: token.length - 1 }), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.constantFrom('', ' ', '  ', '\t', '        '),
      )
      .map(([cuts, lineBreak, indent]) => {
        let text = token;
        for (const at of [...cuts].sort((a, b) => b - a)) text = `${text.slice(0, at)}${lineBreak}${indent}${text.slice(at)}`;
        return { token, text };
      }),
  );

  it('hides JWTs, also wrapped over lines, wherever they stand', () => {
    fc.assert(
      fc.property(
        wrapped,
        // What comes before and after a token; both stay.
        fc.constantFrom(
          ['', ''],
          ['token ', ' and more'],
          ['id_token=', '&scope=openid'],
          ['Authorization: Bearer ', '\r\nAccept: application/json'],
          ['{"access_token":"', '","expires_in":3600}'],
          ['x\n', '\n'],
          ['see: ', '.'],
          ['(', '), then'],
          ['redirect?token%3D', '%26state%3D1'],
        ),
        (jwtText, [lead, trail]) => {
          const out = redactPatterns(`${lead}${jwtText.text}${trail}`);
          // No run of 10 characters of any segment is left.
          for (const segment of jwtText.token.split('.')) {
            for (let i = 0; i + 10 <= segment.length; i++) assert.ok(!out.includes(segment.slice(i, i + 10)), `part of the token survived: ${out}`);
          }
          assert.ok(out.startsWith(lead) && out.endsWith(trail), `the text around the token was lost: ${out}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('hides a registered secret in all its encodings, anywhere', () => {
    const piece = fc.oneof(filler, fc.string({ maxLength: 8 }), fc.constantFrom('password=', '"token":"', 'Bearer ', '%22', '\\"', 'https://u:'));
    fc.assert(
      fc.property(secretOf(6), fc.array(fc.tuple(piece, fc.nat(3)), { maxLength: 6 }), piece, (s, parts, tail) => {
        const encodings = [s, encodeURIComponent(s), new URLSearchParams({ a: s }).toString().slice(2), JSON.stringify(s).slice(1, -1)];
        const redactor = new Redactor();
        redactor.add(s);
        const text = parts.map(([before, which]) => `${before}${encodings[which]}`).join('') + tail;
        const out = redactor.redact(text);
        assert.deepEqual(survivors(out, encodings), [], `the secret survived: ${out}`);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
