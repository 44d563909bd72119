/**
 * Property-based tests of reading the browser's redirect: whatever query comes back — forged,
 * repeated, huge, with line breaks or markup — nothing is read without this sign-in's state, and
 * what reaches a message is one bounded line.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { newState, readAuthorizeRedirect, StateMismatchError } from '../../../src/auth/authorize';
import { ConcurError } from '../../../src/platform/errors';

const STATE = newState();
const text = fc.string({ unit: 'binary', maxLength: 2000 });
// The state is this sign-in's, a near miss, or anything; every other parameter is anything.
const stateValue = fc.oneof(fc.constant(STATE), fc.constant(STATE.slice(1)), fc.constant(` ${STATE}`), text);
const pair = fc.oneof(
  fc.tuple(fc.constant('state'), stateValue),
  fc.tuple(fc.constantFrom('code', 'error_code', 'error', 'error_description', 'geolocation', 'x'), text),
);
const query = fc.oneof(
  fc.array(pair, { maxLength: 8 }),
  // A well-formed answer, with whatever else a hostile page adds to it.
  fc.tuple(text.filter(Boolean), fc.array(pair, { maxLength: 3 })).map(([code, rest]): [string, string][] => [['state', STATE], ['code', code], ...rest]),
);

describe('browser redirect (property-based)', () => {
  it('reads nothing from a redirect that does not carry exactly this sign-in\'s state first', () => {
    let accepted = 0;
    fc.assert(
      fc.property(query, (pairs) => {
        const params = new URLSearchParams(pairs);
        try {
          const answer = readAuthorizeRedirect(params, STATE);
          // Accepted only with the right state, and then with the code that was sent.
          assert.deepEqual(params.getAll('state'), [STATE]);
          assert.deepEqual(params.getAll('code'), [answer.code]);
          accepted++;
        } catch (error) {
          if (error instanceof StateMismatchError) assert.notDeepEqual(params.getAll('state'), [STATE]);
          else assert.ok(error instanceof ConcurError, String(error));
        }
      }),
      { numRuns: 2000 },
    );
    assert.ok(accepted > 100, `only ${accepted} redirects were accepted: the property did not reach that branch`);
  });

  it('explains any error redirect in one line of bounded length', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 9999 }).map(String), text), text, (code, description) => {
        const params = new URLSearchParams({ state: STATE, error_code: code, error_description: description });
        assert.throws(
          () => readAuthorizeRedirect(params, STATE),
          (error: unknown) => {
            assert.ok(error instanceof ConcurError);
            assert.ok(!/[\r\n]/.test(error.message), 'a line break reached the message');
            assert.ok(error.message.length <= 800, `${error.message.length} characters`);
            return true;
          },
        );
      }),
      { numRuns: 2000 },
    );
  });
});
