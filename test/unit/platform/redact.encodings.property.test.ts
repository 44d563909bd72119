/**
 * Property-based tests of redaction against every encoding a registered secret can come back in:
 * percent-encoded once, twice or three times with hex digits in any case (every character, or only
 * those encodeURIComponent encodes), JSON-escaped (`\/`, `\uXXXX` for any character with hex in any
 * case, as System.Text.Json writes `\u002B`), HTML numeric character references (decimal and hex),
 * upper-cased, shell-quoted (`'…'"'"'…'` and `'…'\''…'`), in chains of these; and base64 and
 * base64url, alone or after a client id (`client:secret`, as HTTP Basic carries it, without the
 * word Basic). Nothing of the secret may survive in the form the text carries it. The data is
 * generated and fake, so failures may print it.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redactor } from '../../../src/platform/redact';

const RUNS = 400;

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const OTHER = ['é', 'ß', 'Ω', 'ж', '€', '日', '😀'];
/** Secrets as Concur issues and users choose them: printable, sometimes with other characters. */
const secret = fc
  .string({ unit: fc.constantFrom(...PRINTABLE, ...OTHER), minLength: 10, maxLength: 40 })
  .filter((s) => s.replace(/\s/g, '').length >= 8 && s.trim() === s);
/** Opaque tokens: base64url and dots, the usual shape of a refresh token. */
const opaque = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'), minLength: 16, maxLength: 60 });

/** Hex digits in a case chosen per digit. */
const hex = (n: number, width: number, upper: (i: number) => boolean): string =>
  [...n.toString(16).padStart(width, '0')].map((d, i) => (upper(i) ? d.toUpperCase() : d)).join('');

type Encoder = (text: string, pick: (i: number) => boolean) => string;

const htmlEncodes = (c: string, pick: (i: number) => boolean): boolean => '&<>"'.includes(c) || (!/^[A-Za-z0-9]$/.test(c) && pick(c.codePointAt(0) ?? 0));

const utf8Bytes = (text: string): number[] => [...Buffer.from(text, 'utf8')];

const ENCODERS: Record<string, Encoder> = {
  // encodeURIComponent's choice of characters, hex digits in any case.
  percent: (t, pick) => encodeURIComponent(t).replace(/%([0-9A-F]{2})/g, (_, h: string) => `%${hex(parseInt(h, 16), 2, pick)}`),
  // Every byte encoded, as some clients do.
  'percent every byte': (t, pick) => utf8Bytes(t).map((b, i) => `%${hex(b, 2, (j) => pick(i * 2 + j))}`).join(''),
  json: (t) => JSON.stringify(t).slice(1, -1),
  'json \\/': (t) => JSON.stringify(t).slice(1, -1).replace(/\//g, '\\/'),
  // \uXXXX for some characters (any of them), hex digits in any case; a character outside the BMP as its two halves.
  // Which characters an encoder escapes is its choice per character, as encoders decide by character class.
  'json \\u': (t, pick) =>
    [...t]
      .map((c, i) => {
        if (!pick(c.codePointAt(0) ?? 0) && c !== '"' && c !== '\\' && c >= ' ') return c;
        return Array.from({ length: c.length }, (_, k) => `\\u${hex(c.charCodeAt(k), 4, (j) => pick(i + k + j))}`).join('');
      })
      .join(''),
  // Markup encoders leave letters and digits alone and may write any other character as a reference.
  'html decimal': (t, pick) => [...t].map((c) => (htmlEncodes(c, pick) ? `&#${c.codePointAt(0)};` : c)).join(''),
  'html hex': (t, pick) => [...t].map((c, i) => (htmlEncodes(c, pick) ? `&#${pick(i + 1) ? 'x' : 'X'}${hex(c.codePointAt(0) ?? 0, 1, pick)};` : c)).join(''),
  // Inside single quotes (the quotes around the whole value are no part of the secret, and stay).
  'shell single quotes': (t) => t.replace(/'/g, `'"'"'`),
  'shell backslash quote': (t) => t.replace(/'/g, `'\\''`),
};

const chain = fc.array(fc.constantFrom(...Object.keys(ENCODERS)), { minLength: 1, maxLength: 3 });
const picks = fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }).map((bits) => (i: number) => bits[i % bits.length]);

/** Every piece of `form` of `width` characters (not only blanks) that `out` still holds. */
function survivors(out: string, form: string, width = 10): string[] {
  const left: string[] = [];
  const w = Math.min(width, form.length);
  for (let i = 0; i + w <= form.length; i++) {
    const piece = form.slice(i, i + w);
    if (piece.trim() && out.includes(piece)) left.push(piece);
  }
  return left;
}

const carry = (encoded: string): string => `see ${encoded} here`;

describe('redact: every encoding of a registered secret', () => {
  it('hides a registered secret under any chain of percent-, JSON-, \\u-, HTML- and shell-encodings, upper-cased or not', () => {
    fc.assert(
      fc.property(fc.oneof(secret, opaque), fc.boolean(), chain, picks, (s, upper, encoders, pick) => {
        // Upper-casing that changes the length ("ß" → "SS") makes another secret, which no redactor could know.
        fc.pre(!upper || s.toUpperCase().toLowerCase() === s.toLowerCase());
        const redactor = new Redactor();
        redactor.add(s);
        let encoded = upper ? s.toUpperCase() : s;
        for (const name of encoders) encoded = ENCODERS[name](encoded, pick);
        const out = redactor.redact(carry(encoded));
        assert.deepEqual(survivors(out, encoded), [], `${upper ? 'upper-cased, ' : ''}${encoders.join(' → ')}: ${out}`);
        assert.ok(out.startsWith('see ') && out.endsWith(' here'), `the text around it stays: ${out}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('hides JSON \\/ and \\u002B escapes, HTML references and triple, mixed-case percent-encoding of a token', () => {
    const redactor = new Redactor();
    const token = 'rt/9f8e+7d6c/b5a4=';
    redactor.add(token);
    for (const form of [
      'rt\\/9f8e+7d6c\\/b5a4=',
      'rt\\/9f8e\\u002B7d6c\\/b5a4\\u003D',
      'rt\\u002f9f8e\\u002b7d6c\\u002Fb5a4=',
      'rt&#47;9f8e&#43;7d6c&#x2F;b5a4&#x3d;',
      'rt%252F9f8e%252B7d6c%252Fb5a4%253D',
      'rt%25252F9f8e%25252b7d6c%25252Fb5a4%25253D',
      'rt%2f9f8e%2B7d6c%2F%62%35a4%3d',
      'RT/9F8E+7D6C/B5A4=',
    ]) {
      const out = redactor.redact(`a ${form} b`);
      assert.equal(out, 'a «redacted» b', form);
    }
  });

  /** The base64 characters of `encoded` that only bytes of the secret (at `offset` in the encoded bytes, `length` long) decide. */
  const decidedBySecret = (encoded: string, offset: number, length: number): string => encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + length) * 8) / 6));

  it('hides base64 and base64url of a secret, alone or after a client id as HTTP Basic carries it, without the word Basic', () => {
    fc.assert(
      fc.property(fc.oneof(secret, opaque), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 0, maxLength: 40 }), fc.boolean(), fc.boolean(), (s, clientId, url, withPrefix) => {
        const redactor = new Redactor();
        redactor.add(s);
        const prefix = withPrefix ? `${clientId}:` : '';
        const bytes = Buffer.from(prefix + s, 'utf8');
        const encoded = bytes.toString(url ? 'base64url' : 'base64');
        const core = decidedBySecret(encoded, Buffer.byteLength(prefix), Buffer.byteLength(s));
        const out = redactor.redact(`credentials=${encoded};`);
        assert.deepEqual(survivors(out, core), [], `${url ? 'base64url' : 'base64'} of ${withPrefix ? 'client:secret' : 'the secret'}: ${out}`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('redact: registered access and ID tokens retire when they expire', () => {
  it('after a week of hourly refreshes the registry holds the live secrets only', () => {
    let now = Date.UTC(2026, 0, 5, 8, 0, 0);
    const redactor = new Redactor({ now: () => now });
    redactor.add('client-secret-value-1234');
    let refreshToken = 'refresh-token-000';
    redactor.add(refreshToken);
    let lastAccess = '';
    for (let hour = 0; hour < 7 * 24; hour++) {
      lastAccess = `access-token-${hour}-abcdefgh`;
      redactor.add(lastAccess, { until: now + 3600_000 });
      redactor.add(`id-token-${hour}-abcdefgh`, { until: now + 3600_000 });
      // Concur rotates the refresh token: the old one is forgotten as the session layer does.
      redactor.delete(refreshToken);
      refreshToken = `refresh-token-${hour + 1}`;
      redactor.add(refreshToken);
      now += 3600_000;
    }
    assert.ok(redactor.size <= 6, `${redactor.size} secrets registered after a week`);
    // Live ones are still hidden: the client secret, the refresh token, the last access token until it expires.
    now -= 1;
    assert.equal(redactor.redact(`x client-secret-value-1234 ${refreshToken} ${lastAccess}`), 'x «redacted» «redacted» «redacted»');
  });
});
