/**
 * Redaction comes before any cut: property-based tests that place a registered secret across every
 * cut point of the texts the extension shortens or re-spaces before showing them — `oneLine` (300
 * characters, blanks collapsed, and its first cut at 1,200), the message of an API error answer,
 * a token-endpoint refusal, a body described in a message, a session's end reason, the resolver's
 * quote of a refused target, a write's body in a confirmation — and a password whose double space
 * collapsing would change. What is shown is checked as the extension shows it (redacted once more
 * on the way out): no four characters of the secret may be left. The data is generated and fake.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeBody } from '../../../src/auth/tokenClient';
import { ConcurError, oneLine, tokenErrorMessage } from '../../../src/platform/errors';
import { errorMessageOf } from '../../../src/calls/explain';
import { Redactor, useRedactorForCuts } from '../../../src/platform/redact';
import { bodyPreview, BODY_PREVIEW_CHARS } from '../../../src/catalog/requestBody';
import { resolveApiTarget } from '../../../src/platform/resolver';

const RUNS = 300;

/** Secrets of characters the filler never holds, so that any four of them left over are the secret's. */
const SECRET_ALPHABET = [...'QXZJKVW3456789'];
const secretPart = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...SECRET_ALPHABET), minLength: min, maxLength: max });
const secret = secretPart(12, 60);
/** A password with a double space (or a tab, or a line break) in it: collapsing blanks would make another text of it. */
const spacedPassword = fc.tuple(secretPart(6, 12), fc.constantFrom('  ', '   ', ' \t', '\t', ' \n '), secretPart(6, 12)).map(([a, gap, b]) => a + gap + b);
/**
 * Text around it: small letters and single blanks, which no collapsing moves, so that the secret
 * stands at the cut in what is shown too (runs of blanks have tests of their own below).
 */
const fillerOf = (length: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'e f'), { minLength: length, maxLength: length }).map((parts) => parts.join('').slice(0, length).padEnd(length, 'e'));

/** Every four characters of the secret that `shown` still holds (blanks aside). */
function leftOf(shown: string, s: string): string[] {
  const left: string[] = [];
  for (const part of s.split(/\s+/)) {
    for (let i = 0; i + 4 <= part.length; i++) if (shown.includes(part.slice(i, i + 4))) left.push(part.slice(i, i + 4));
  }
  return left;
}

/** Text with `s` starting at `at` (so that it straddles a cut there), and more text after it. */
const around = (s: string, at: fc.Arbitrary<number>): fc.Arbitrary<string> =>
  at.chain((offset) => fc.tuple(fillerOf(offset), fillerOf(40)).map(([before, after]) => `${before}${s}${after}`));

/** An offset such that a secret of up to 60 characters straddles `cut`, or lies near it. */
const near = (cut: number): fc.Arbitrary<number> => fc.integer({ min: Math.max(0, cut - 64), max: cut + 4 });

describe('redact before cut: a registered secret across every cut point', () => {
  let redactor: Redactor;
  /** As the extension shows a text: redacted on the way out, too. */
  const shown = (text: string): string => redactor.redact(text);

  beforeEach(() => {
    redactor = new Redactor();
    useRedactorForCuts(redactor);
  });
  afterEach(() => useRedactorForCuts(undefined));

  const cases: Array<{ name: string; cut: number; show: (text: string) => string }> = [
    { name: 'oneLine (300 characters)', cut: 299, show: (t) => oneLine(t) },
    { name: 'oneLine (120 characters, as chat cuts a path)', cut: 119, show: (t) => oneLine(t, 120) },
    { name: 'an API error answer\'s message (errorMessageOf)', cut: 299, show: (t) => errorMessageOf(Buffer.from(JSON.stringify({ Message: t })), 'application/json') ?? '' },
    { name: 'a token-endpoint refusal (error_description)', cut: 299, show: (t) => new ConcurError({ status: 400, errorDescription: t }).message },
    { name: 'a token-endpoint refusal (tokenErrorMessage)', cut: 299, show: (t) => tokenErrorMessage({ status: 400, error: t }) },
    { name: 'a body described in a message (describeBody)', cut: 79, show: (t) => describeBody(t, 'text/plain') },
    {
      name: 'a refused target quoted by the resolver',
      cut: 77,
      show: (t) => {
        // A path that names another host is refused, and quoted (cut to 80 characters) in the message.
        const r = resolveApiTarget(`//other.example/?q=${t.replace(/\s/g, '-')}`, { baseUrl: 'https://us2.api.concursolutions.com', geolocation: 'https://us2.api.concursolutions.com' });
        assert.ok(!r.ok);
        return r.message;
      },
    },
    { name: 'a write\'s body in its confirmation (bodyPreview)', cut: BODY_PREVIEW_CHARS, show: (t) => bodyPreview(t, (x) => redactor.redact(x)) },
  ];

  for (const { name, cut, show } of cases) {
    it(`${name}: nothing of a registered secret is left at the cut`, () => {
      fc.assert(
        fc.property(secret.chain((s) => fc.tuple(fc.constant(s), around(s, near(cut)))), ([s, text]) => {
          redactor.add(s);
          const out = shown(show(text));
          assert.deepEqual(leftOf(out, s), [], out);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('oneLine: a secret at its first cut (1,200 characters, before blanks collapse) is not left either', () => {
    fc.assert(
      fc.property(secret.chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 1200 - 60, max: 1200 }))), ([s, at]) => {
        redactor.add(s);
        // Blanks up to the secret collapse to one: what follows is inside the first 300 characters shown.
        const out = shown(oneLine(`${' '.repeat(at)}${s} tail`));
        assert.deepEqual(leftOf(out, s), [], out);
      }),
      { numRuns: RUNS },
    );
  });

  it('a password with a double space, a tab or a line break survives no message that collapses blanks', () => {
    fc.assert(
      fc.property(spacedPassword, fc.integer({ min: 0, max: 250 }), (password, at) => {
        redactor.add(password);
        const text = `${'e'.repeat(at)} Invalid password ${password} for user`;
        for (const out of [oneLine(text), new ConcurError({ status: 400, errorDescription: text }).message, describeBody(text), errorMessageOf(Buffer.from(JSON.stringify({ message: text })), 'application/json') ?? '']) {
          assert.deepEqual(leftOf(shown(out), password), [], shown(out));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a session\'s end reason is redacted with the session\'s own redactor before it is cut', () => {
    const own = new Redactor();
    useRedactorForCuts(undefined);
    fc.assert(
      fc.property(secret.chain((s) => fc.tuple(fc.constant(s), around(s, near(299)))), ([s, text]) => {
        own.add(s);
        // As SessionManager writes a session's end reason.
        const reason = oneLine(text, 300, (t) => own.redact(t));
        assert.deepEqual(leftOf(own.redact(reason), s), [], reason);
      }),
      { numRuns: RUNS },
    );
  });
});
