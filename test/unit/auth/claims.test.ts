import * as assert from 'node:assert/strict';
import { claimValueToCopy, describeClaim, formatClaim, formatCountdown, formatDateTime, formatRelative, msUntilNextTick } from '../../../src/auth/claims';
import { decodeToken, scopesOf, subjectOf } from '../../../src/auth/jwt';

function jwt(header: object, claims: object): string {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.c2lnbmF0dXJl`;
}

describe('claim formatting', () => {
  const savedTz = process.env.TZ;
  before(() => (process.env.TZ = 'Europe/Berlin'));
  after(() => (process.env.TZ = savedTz));

  const NOW = Date.UTC(2026, 10, 27, 9, 0, 0); // 10:00 in Berlin

  it('shows exp, iat and nbf as local date-time with a relative time', () => {
    const exp = NOW / 1000 + 42 * 60;
    assert.equal(formatClaim('exp', exp, NOW).text, '2026-11-27 10:42:00 (in 42 min)');
    assert.equal(formatClaim('iat', NOW / 1000 - 180, NOW).text, '2026-11-27 09:57:00 (3 min ago)');
    assert.equal(formatClaim('nbf', NOW / 1000, NOW).text, '2026-11-27 10:00:00 (just now)');
    assert.equal(formatClaim('exp', exp, NOW).kind, 'time');
  });

  it('says relative times in words people use', () => {
    const at = (s: number): string => formatRelative(NOW + s * 1000, NOW);
    assert.equal(at(30), 'in 30 s');
    assert.equal(at(-90), '2 min ago');
    assert.equal(at(2 * 3600 + 5 * 60), 'in 2 h 5 min');
    assert.equal(at(3600), 'in 1 h');
    assert.equal(at(-3 * 86_400), '3 days ago');
    assert.equal(at(182 * 86_400), 'in 6 months');
  });

  it('formats dates in the machine\'s time zone', () => {
    assert.equal(formatDateTime(Date.UTC(2026, 6, 1, 12, 0, 0)), '2026-07-01 14:00:00');
  });

  it('expands arrays such as concur.scopes into one child per scope', () => {
    const f = formatClaim('concur.scopes', ['openid', 'user.read', 'EXPRPT'], NOW);
    assert.equal(f.kind, 'array');
    assert.equal(f.text, '3 items');
    assert.deepEqual(f.children?.map((c) => c.value), ['openid', 'user.read', 'EXPRPT']);
  });

  it('recognises URL claims and expands nested objects', () => {
    assert.equal(formatClaim('concur.profile', 'https://us2.api.concursolutions.com/profile/v1/principals/x', NOW).kind, 'url');
    const f = formatClaim('extra', { a: 1, b: { c: 2 } }, NOW);
    assert.equal(f.kind, 'object');
    assert.deepEqual(f.children?.map((c) => c.name), ['a', 'b']);
  });

  it('shows unknown claims as they are, without a description', () => {
    assert.equal(formatClaim('x-custom', 17, NOW).text, '17');
    assert.equal(formatClaim('flag', null, NOW).text, 'null');
    assert.equal(describeClaim('x-custom'), undefined);
    assert.match(describeClaim('sub') ?? '', /UUID of the user/);
  });

  it('copies strings as they are and anything else as JSON', () => {
    assert.equal(claimValueToCopy('abc'), 'abc');
    assert.equal(claimValueToCopy(['a']), '[\n  "a"\n]');
  });
});

describe('JWT decoding', () => {
  it('decodes header and claims', () => {
    const token = jwt({ typ: 'JWT', alg: 'RS256', kid: 'k1' }, { sub: 'u-1', 'concur.scopes': ['user.read'] });
    const decoded = decodeToken(token);
    assert.equal(decoded.kind, 'jwt');
    assert.equal(decoded.kind === 'jwt' && decoded.header.kid, 'k1');
    assert.equal(subjectOf(token), 'u-1');
    assert.deepEqual(scopesOf(token), ['user.read']);
  });

  it('calls anything else an opaque token, without throwing', () => {
    for (const token of ['opaque-access-token-1234', 'a.b.c', 'eyJhbGciOi.broken.sig', '', undefined]) {
      assert.deepEqual(decodeToken(token), { kind: 'opaque' }, String(token));
    }
  });
});

describe('expiry countdown', () => {
  it('is m:ss under an hour and h:mm:ss from an hour', () => {
    assert.deepEqual(formatCountdown(3599_000), { text: '59:59', level: 'ok' });
    assert.deepEqual(formatCountdown(3600_000), { text: '1:00:00', level: 'ok' });
    assert.deepEqual(formatCountdown(2 * 3600_000 + 5 * 60_000 + 7_000), { text: '2:05:07', level: 'ok' });
  });

  it('turns to a warning under five minutes', () => {
    assert.deepEqual(formatCountdown(300_000), { text: '5:00', level: 'ok' });
    assert.deepEqual(formatCountdown(299_000), { text: '4:59', level: 'warning' });
    assert.deepEqual(formatCountdown(1_000), { text: '0:01', level: 'warning' });
  });

  it('reads "expired" at 0:00 and after', () => {
    assert.deepEqual(formatCountdown(0), { text: 'expired', level: 'expired' });
    assert.deepEqual(formatCountdown(-5_000), { text: 'expired', level: 'expired' });
  });

  it('never shows less time than is left: seconds round up', () => {
    assert.equal(formatCountdown(59_001).text, '1:00');
    assert.equal(formatCountdown(500).text, '0:01');
  });

  it('ticks when the text changes next', () => {
    assert.equal(msUntilNextTick(59_250), 250);
    assert.equal(msUntilNextTick(60_000), 1000);
  });
});
