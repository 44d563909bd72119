/**
 * Redaction before any cut, in the places that need VS Code: a response tab's title (and the file
 * name of a large answer, made from it), whose path is cut to its first 30 and last 38 characters
 * and has its slashes replaced by ∕, and the progress title of a request, which drops the scheme
 * and host of a URL. Property-based: a registered secret is placed across every cut point, and
 * holds the characters those rewritings change. The data is generated and fake.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redactor } from '../../../src/platform/redact';
import { shortTarget } from '../../../src/calls/ui/apiSender';
import { responseTitle } from '../../../src/responses/ui/responses';

/** Characters no title around the secret holds, and `/`, which a title turns into `∕`. */
const secret = fc.string({ unit: fc.constantFrom(...'QXZJKVW3456789/'), minLength: 16, maxLength: 50 }).filter((s) => s.replace(/\//g, '').length >= 12);

/** Every four characters of the secret (with its slashes as a title writes them, too) that `shown` still holds. */
function leftOf(shown: string, s: string): string[] {
  const left: string[] = [];
  for (const form of [s, s.replace(/\//g, '∕')]) {
    for (let i = 0; i + 4 <= form.length; i++) {
      const piece = form.slice(i, i + 4);
      if (piece.replace(/[/∕]/g, '').length >= 3 && shown.includes(piece)) left.push(piece);
    }
  }
  return left;
}

describe('Redaction before cuts: titles and progress', () => {
  it('a response tab title: a registered secret in the path, across the cut or holding slashes, leaves nothing', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 80 }), (s, before, after) => {
        const redactor = new Redactor();
        redactor.add(s);
        const url = `https://us2.api.concursolutions.com/${'p'.repeat(before)}${s}${'q'.repeat(after)}`;
        const title = responseTitle('GET', url, 200, undefined, (text) => redactor.redact(text));
        // As shown: redacted once more on the way out.
        assert.deepEqual(leftOf(redactor.redact(title), s), [], title);
      }),
      { numRuns: 500 },
    );
  });

  it('a response tab title: a registered secret in the part (a filter with slashes) leaves nothing', () => {
    fc.assert(
      fc.property(secret, (s) => {
        const redactor = new Redactor();
        redactor.add(s);
        const title = responseTitle('GET', 'https://us2.api.concursolutions.com/x', 200, `filtered $..[?(@.note=='${s}')]`, (text) => redactor.redact(text));
        assert.deepEqual(leftOf(redactor.redact(title), s), [], title);
      }),
      { numRuns: 300 },
    );
  });

  it('a progress title takes the path out of the target as written, not re-encoded by a URL parser', () => {
    const redactor = new Redactor();
    const token = "tok'en-with'quotes-1234";
    redactor.add(token);
    const target = `https://us2.api.concursolutions.com/x?note=${token}`;
    assert.equal(shortTarget(target), `/x?note=${token}`);
    assert.equal(redactor.redact(`Concur: GET ${shortTarget(target)}`), 'Concur: GET /x?note=«redacted»');
    assert.equal(shortTarget('/profile/v1/me'), '/profile/v1/me');
    assert.equal(shortTarget('https://us2.api.concursolutions.com'), '/');
  });
});
