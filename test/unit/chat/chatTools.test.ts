import * as assert from 'node:assert/strict';
import { CATALOG, type Endpoint } from '../../../src/catalog/catalog';
import { Redactor } from '../../../src/platform/redact';
import { bodyPreview, BODY_PREVIEW_CHARS } from '../../../src/catalog/requestBody';
import type { Session } from '../../../src/sessions/types';
import {
  callInputOf,
  containsWord,
  describeCallOutcome,
  describeEndpointSearch,
  describeSessions,
  endpointForCall,
  explainCode,
  explainInputOf,
  explainStatus,
  fitText,
  queryWords,
  searchEndpoints,
  signInText,
  type CallOutcome,
} from '../../../src/chat/tools';
import { expiryAnnouncement } from '../../../src/sessions/expiryAnnouncement';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1mb3ItdGVzdHM';
const REFRESH_TOKEN = 'refresh-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function session(overrides: Partial<Session> = {}): Session {
  return {
    id: 's1',
    state: 'active',
    label: 'ada@example.com',
    accountId: '0f6d0c2e-1111-2222-3333-444455556666',
    baseUrl: 'https://us2.api.concursolutions.com',
    geolocation: 'https://us2.api.concursolutions.com',
    grant: 'password',
    clientId: 'client-1',
    username: 'ada@example.com',
    scopes: ['receipts.read', 'user.read'],
    accessToken: ACCESS_TOKEN,
    expiresAt: NOW + 42 * 60_000 + 30_000,
    obtainedAt: NOW - 17 * 60_000,
    refreshToken: REFRESH_TOKEN,
    refreshExpiresAt: NOW + 180 * 86_400_000,
    signedInAt: NOW - 17 * 60_000,
    ...overrides,
  };
}

describe('chat tools: texts for the language model', () => {
  const redactor = new Redactor();
  redactor.add(ACCESS_TOKEN);
  redactor.add(REFRESH_TOKEN);
  const redact = (t: string): string => redactor.redact(t);

  describe('concur_session', () => {
    it('names the account, datacenter, token type, scopes and expiry (ISO time, whole minutes left), and never a token', () => {
      const other = session({ id: 's2', label: 'Company 1234…', grant: 'companyRequestToken', accessToken: 'other-access-token-value', refreshToken: 'other-refresh-value' });
      const text = describeSessions(session(), [session(), other], (s) => ({ scopes: s.scopes, type: s.grant === 'password' ? 'user' : undefined }), NOW);
      assert.match(text, /^Signed in to Concur as ada@example\.com \(user token\) at .*us2.*; the access token expires at 2025-06-01T12:42:30\.000Z \(in 42 minutes\)/);
      const json = JSON.parse(text.slice(text.indexOf('\n') + 1)) as { active: Record<string, unknown>; otherSessions: Record<string, unknown>[] };
      assert.equal(json.active.accessTokenExpiresAt, '2025-06-01T12:42:30.000Z');
      assert.equal(json.active.minutesLeft, 42);
      assert.deepEqual(json.active.scopes, ['receipts.read', 'user.read']);
      assert.equal(json.active.geolocation, 'https://us2.api.concursolutions.com');
      assert.equal(json.otherSessions.length, 1);
      assert.equal(json.otherSessions[0].tokenType, 'company', 'from the grant when the token says nothing');
      for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, 'other-access-token-value', 'other-refresh-value']) assert.ok(!text.includes(secret), 'a token in the text');
    });

    it('says how to sign in when no session is active, naming the command', () => {
      const ended = session({ state: 'signedOut', accessToken: '', refreshToken: undefined, signedOutReason: 'Concur ended the grant (code 108)' });
      const text = describeSessions(undefined, [ended], (s) => ({ scopes: s.scopes }), NOW);
      assert.ok(text.startsWith(signInText()));
      assert.match(signInText(), /"Concur: Sign In"/);
      assert.match(signInText(), /Sign In with Browser/);
      assert.match(text, /code 108/);
    });
  });

  describe('concur_findEndpoints', () => {
    it('drops filler words and plural s from the query', () => {
      assert.deepEqual(queryWords('What are the receipts endpoints for a user?'), ['receipt', 'user']);
      assert.deepEqual(queryWords('GET /receipts/v4/users'), ['get', 'receipts/v4/user']);
    });

    it('finds catalog entries by words, scope and product, best match first', () => {
      const byWords = searchEndpoints(CATALOG, { query: 'receipts' }, 20);
      assert.ok(byWords.everyWord && byWords.total >= 2);
      assert.ok(byWords.found.every((e) => /receipt/i.test(`${e.path} ${e.title} ${e.product}`)));
      const byScope = searchEndpoints(CATALOG, { scope: 'receipts.write' }, 20);
      assert.deepEqual(byScope.found.map((e) => `${e.method} ${e.path}`), ['GET /receipts/v4/users/{userId}', 'GET /receipts/v4/{receiptId}', 'GET /receipts/v4/status/{receiptId}', 'POST /receipts/v4/users/{userId}']);
      const byProduct = searchEndpoints(CATALOG, { product: 'receipts' }, 20);
      assert.ok(byProduct.found.length >= 2 && byProduct.found.every((e) => /receipts/i.test(e.product)));
      const asked = searchEndpoints(CATALOG, { query: 'What scopes does my token lack for Receipts?' }, 20);
      assert.deepEqual(asked.found.map((e) => `${e.method} ${e.path}`), ['GET /receipts/v4/users/{userId}', 'GET /receipts/v4/{receiptId}', 'GET /receipts/v4/status/{receiptId}', 'POST /receipts/v4/users/{userId}']);
      const limited = searchEndpoints(CATALOG, {}, 3);
      assert.equal(limited.found.length, 3);
      assert.equal(limited.total, CATALOG.length);
    });

    it('reads only the start of a long query, so that no regular expression sees a long run of dots', () => {
      const started = Date.now();
      assert.deepEqual(queryWords(`receipts ab${'.'.repeat(200_000)}c`), ['receipt', 'ab']);
      assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
    });

    it('falls back to the entries matching the most words when none matches all', () => {
      const search = searchEndpoints(CATALOG, { query: 'receipts zzzunknownword' }, 20);
      assert.equal(search.everyWord, false);
      assert.ok(search.found.length > 0);
    });

    it('says per entry whether the token can call it and which scopes it lacks', () => {
      const search = searchEndpoints(CATALOG, { product: 'receipts' }, 20);
      const text = describeEndpointSearch(search, { product: 'receipts' }, {
        access: { scopes: ['user.read'], type: 'user', account: 'ada@example.com' },
        products: ['Receipts v4'],
        describeSuccessor: () => undefined,
        budget: 100_000,
        redact,
      });
      assert.match(text, /The active session \(ada@example\.com\) has a user token with the scopes: user\.read\./);
      assert.match(text, /Scopes those entries need that the token lacks \(any one per entry\): .*receipts\.read/);
      const entries = JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as { method: string; parameters: { name: string; in: string; required: boolean }[]; activeToken: { canCall: boolean; needsOneOfScopes?: string[] } }[];
      const get = entries.find((e) => e.method === 'GET');
      assert.equal(get?.activeToken.canCall, false);
      assert.deepEqual(get?.activeToken.needsOneOfScopes, ['receipts.read', 'receipts.write']);
      assert.deepEqual(get?.parameters.find((p) => p.in === 'path'), { name: 'userId', in: 'path', required: true });
    });

    it('names the successor of a deprecated entry', () => {
      const profile = CATALOG.find((e) => e.path === '/profile/v1/me') as Endpoint;
      const text = describeEndpointSearch({ found: [profile], total: 1, everyWord: true }, { query: 'profile me' }, {
        products: [],
        describeSuccessor: (id) => `successor ${id}`,
        budget: 100_000,
        redact,
      });
      assert.match(text, /"deprecation":\{"state":"deprecated","since":"2025-05-15","successor":"successor [^"]+"/);
      assert.ok(text.includes(signInText()), 'signed out: says how to sign in');
    });

    it('leaves out entries to fit the budget, and says so', () => {
      const search = searchEndpoints(CATALOG, {}, 100);
      const text = describeEndpointSearch(search, {}, { products: [], describeSuccessor: () => undefined, budget: 2000, redact });
      assert.ok(text.length <= 2000, `${text.length} characters`);
      assert.match(text, /Only the first \d+ of \d+ entries are listed, to fit the chat result budget \(setting concur\.chat\.resultBudget\)/);
      const listed = JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as unknown[];
      assert.ok(listed.length >= 1 && listed.length < search.found.length);
    });
  });

  describe('concur_callApi', () => {
    it('reads the input: GET by default, the query joined to the path, an object body as JSON', () => {
      assert.deepEqual(callInputOf({ path: '/profile/v1/me' }), { method: 'GET', path: '/profile/v1/me', body: undefined, contentType: undefined });
      assert.deepEqual(callInputOf({ method: 'post', path: '/x?a=1', query: { b: 2, c: ['x', 'y'] }, body: { n: 1 } }), {
        method: 'POST',
        path: '/x?a=1&b=2&c=x&c=y',
        body: '{"n":1}',
        contentType: 'application/json',
      });
      assert.ok('problem' in callInputOf({ method: 'GET' }));
      assert.ok('problem' in callInputOf({ path: '/x', query: 'a=1' }));
    });

    it('finds the catalog entry a path is for (same method), and does not look up an absurdly long path', () => {
      assert.equal(endpointForCall(CATALOG, 'GET', '/receipts/v4/users/abc?x=1')?.path, '/receipts/v4/users/{userId}');
      assert.equal(endpointForCall(CATALOG, 'POST', 'https://us2.api.concursolutions.com/receipts/v4/users/abc')?.method, 'POST');
      assert.equal(endpointForCall(CATALOG, 'DELETE', '/receipts/v4/users/abc'), undefined);
      assert.equal(endpointForCall(CATALOG, 'GET', `/receipts/v4/users/abc?filter=${'x'.repeat(10_000)}`)?.path, '/receipts/v4/users/{userId}', 'a long query does not matter');
      const started = Date.now();
      assert.equal(endpointForCall(CATALOG, 'GET', `/receipts/v4/users/${'{{'.repeat(100_000)}`), undefined);
      assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
    });

    const page = (n: number, total: number): unknown => ({
      totalResults: total,
      startIndex: 1,
      itemsPerPage: n,
      Resources: Array.from({ length: n }, (_, i) => ({ id: `user-${i}`, userName: `user${i}@example.com`, active: true })),
    });
    const outcome = (json: unknown, overrides: Partial<CallOutcome> = {}): CallOutcome => ({
      method: 'GET',
      host: 'us2.api.concursolutions.com',
      pathAndQuery: '/profile/identity/v4/Users',
      status: 200,
      contentType: 'application/json',
      bytes: (JSON.stringify(json) ?? overrides.text ?? '').length,
      durationMs: 12.4,
      correlationId: 'corr-1',
      json,
      text: JSON.stringify(json, null, 2) ?? '',
      paging: 'scim',
      next: '/profile/identity/v4/Users?startIndex=101&count=100',
      ...overrides,
    });

    it('gives status, content type, totals and how to get the next page, with the body whole when it fits', () => {
      const text = describeCallOutcome(outcome(page(3, 2500)), 8000, redact);
      assert.match(text, /^GET \/profile\/identity\/v4\/Users on us2\.api\.concursolutions\.com answered HTTP 200 OK \(application\/json, \d+ bytes, 12 ms, correlation id corr-1\)/);
      assert.match(text, /This is one page \(scim paging\): 3 items on it, 2500 in all\./);
      assert.match(text, /Next page: call again with the path \/profile\/identity\/v4\/Users\?startIndex=101&count=100 \(startIndex=101\)\./);
      assert.ok(text.endsWith(JSON.stringify(page(3, 2500))), 'the compact body, whole');
      assert.doesNotMatch(text, /cut|Only the first/);
    });

    it('keeps whole items of a page that does not fit, and says how many', () => {
      const big = page(100, 2500);
      const text = describeCallOutcome(outcome(big), 2000, redact);
      assert.ok(text.length <= 2000, `${text.length} characters`);
      const shown = /Only the first (\d+) of the 100 items on this page are shown, to fit the chat result budget/.exec(text);
      assert.ok(shown, text.slice(-300));
      const body = JSON.parse(text.slice(text.indexOf('Body:\n') + 6, text.lastIndexOf('\n'))) as { totalResults: number; Resources: unknown[] };
      assert.equal(body.totalResults, 2500);
      assert.equal(body.Resources.length, Number(shown[1]));
      assert.ok(body.Resources.length > 5);
    });

    it('cuts a body that is not a page, says so, and never shows part of a secret', () => {
      const length = 1500 + REFRESH_TOKEN.length + 20_002;
      const plain = { json: undefined, paging: 'none', contentType: 'text/plain', next: undefined } as const;
      // Where the cut falls: how many characters of a body without a secret are shown.
      const probe = describeCallOutcome(outcome(undefined, { ...plain, text: 'x'.repeat(length) }), 1600, redact);
      const cut = Number(/the first (\d+) of \d+ characters are shown/.exec(probe)?.[1]);
      assert.ok(cut > 100 && probe.includes(`${'x'.repeat(cut)}\n`), probe);
      // The token (registered, of no recognisable shape) straddles the cut: 12 of its characters would be
      // shown if the text were cut before it is redacted.
      const text = `${'x'.repeat(cut - 13)} ${REFRESH_TOKEN} ${'y'.repeat(length - cut + 11 - REFRESH_TOKEN.length)}`;
      assert.equal(text.length, length);
      const out = describeCallOutcome(outcome(undefined, { ...plain, text }), 1600, redact);
      assert.ok(out.length <= 1600, `${out.length}`);
      assert.match(out, new RegExp(`\\[The body was cut to fit the chat result budget \\(setting concur\\.chat\\.resultBudget\\): the first \\d+ of ${length} characters are shown`));
      assert.ok(!out.includes(REFRESH_TOKEN.slice(0, 8)), `part of the token is shown: ${out.slice(out.indexOf('xxxxxxxx\n') - 20)}`);
      assert.match(out, /x «redacted» y/, 'the token, redacted, where it was');
    });

    it('gives the start of a body that the caller cut, with the length of the whole', () => {
      const text = 'z'.repeat(10_000);
      const out = describeCallOutcome(outcome(undefined, { json: undefined, text, textLength: 5_000_000, paging: 'none', contentType: 'text/plain', next: undefined }), 2000, redact);
      assert.ok(out.length <= 2000, `${out.length}`);
      assert.match(out, /the first \d+ of 5000000 characters are shown/);
    });

    it('finds how many items of a large page fit by halving, not by dropping one item at a time', () => {
      // A redactor that lengthens what it redacts makes the first estimate far too high.
      let calls = 0;
      const lengthen = (t: string): string => {
        calls++;
        return t.replace(/S/g, 'SSSS');
      };
      const items = Array.from({ length: 20_000 }, (_, i) => ({ id: `item-${i}`, note: 'SSSSSSSSSS' }));
      const json = { totalResults: 20_000, startIndex: 1, itemsPerPage: 20_000, Resources: items };
      const text = describeCallOutcome(outcome(json), 8000, lengthen);
      assert.ok(text.length <= 8000, `${text.length}`);
      const shown = Number(/Only the first (\d+) of the 20000 items/.exec(text)?.[1]);
      assert.ok(shown > 10, text.slice(-300));
      assert.ok(calls <= 30, `redacted ${calls} times`);
      // And it is the most that fits: one more item would not.
      const one = JSON.stringify(lengthen(JSON.stringify(items[0]))).length;
      assert.ok(text.length + one > 8000 - 20, `${text.length} + ${one}`);
    });

    it('redacts a token that an answer echoes', () => {
      const out = describeCallOutcome(outcome({ echoed: `Bearer ${ACCESS_TOKEN}`, refresh: REFRESH_TOKEN }, { paging: 'none', next: undefined }), 8000, redact);
      assert.ok(!out.includes(ACCESS_TOKEN) && !out.includes(REFRESH_TOKEN));
      assert.match(out, /«redacted»/);
    });
  });

  describe('concur_explainError', () => {
    it('finds a correlation id in an error text only as a whole word', () => {
      const error = 'connect ECONNRESET (correlation id 0f6d0c2e-1111-2222-3333-444455556666)';
      assert.equal(containsWord(error, '0f6d0c2e-1111-2222-3333-444455556666'), true);
      assert.equal(containsWord(error, '0f6d0c2e'), false, 'a part of the id');
      assert.equal(containsWord(error, '2222-3333'), false, 'a part in the middle');
      assert.equal(containsWord(error, 'econnreset'), false, 'case matters: the caller lowers both');
      assert.equal(containsWord(error.toLowerCase(), 'econnreset'), true);
    });

    it('reads codes as text or numbers, and only statuses that are HTTP statuses', () => {
      assert.deepEqual(explainInputOf({ code: 108, status: '401', correlationId: ' abc ' }), { code: '108', status: 401, correlationId: 'abc' });
      assert.deepEqual(explainInputOf({ status: 42 }), { code: undefined, status: undefined, correlationId: undefined });
    });

    it('explains token endpoint codes and OAuth error names', () => {
      assert.match(explainCode('108', 400), /^Concur code 108 \(from the token endpoint, \/oauth2\/v0\/token\): The refresh token is no longer valid/);
      assert.match(explainCode('16', undefined), /another Concur datacenter/);
      assert.match(explainCode('invalid_grant', 400), /OAuth 2\.0 error name/);
      assert.match(explainCode('9999', undefined), /not one of the token endpoint's documented codes/);
    });

    it('explains an HTTP status with the token\'s scopes, without an empty correlation id', () => {
      const forbidden = explainStatus(403, { tokenScopes: ['user.read'], tokenType: 'user' });
      assert.match(forbidden, /^HTTP 403 Forbidden: Concur refused access\. The token has the scopes user\.read\.$/);
      assert.match(explainStatus(401, {}), /^HTTP 401 Unauthorized: Concur rejected the access token\. Sign in again\.$/);
      assert.match(explainStatus(429, {}), /rate/);
      assert.match(explainStatus(200, {}), /^HTTP 200 OK is not an error\.$/);
    });
  });

  describe('budget', () => {
    it('cuts to the budget with a note inside it', () => {
      const text = fitText('a'.repeat(5000), 1000);
      assert.ok(text.length <= 1000);
      assert.match(text, /\[Cut to fit the chat result budget \(setting concur\.chat\.resultBudget\): \d+ of 5000 characters shown\.\]$/);
      assert.equal(fitText('short', 1000), 'short');
    });
  });
});

describe('status bar countdown: what screen readers read', () => {
  it('says the time left in words, by the minute', () => {
    assert.equal(expiryAnnouncement(42 * 60_000 + 59_000), 'Concur access token expires in 42 minutes');
    assert.equal(expiryAnnouncement(60_000), 'Concur access token expires in 1 minute');
    assert.equal(expiryAnnouncement(59_999), 'Concur access token expires in less than a minute');
    assert.equal(expiryAnnouncement(1), 'Concur access token expires in less than a minute');
    assert.equal(expiryAnnouncement(0), 'Concur access token expired');
    assert.equal(expiryAnnouncement(-5000), 'Concur access token expired');
    assert.equal(expiryAnnouncement(Number.NaN), 'Concur access token expired');
  });

  it('uses hours and minutes for long times', () => {
    assert.equal(expiryAnnouncement(3600_000), 'Concur access token expires in 1 hour');
    assert.equal(expiryAnnouncement(3600_000 + 60_000), 'Concur access token expires in 1 hour and 1 minute');
    assert.equal(expiryAnnouncement(3600_000 + 5 * 60_000), 'Concur access token expires in 1 hour and 5 minutes');
    assert.equal(expiryAnnouncement(2 * 3600_000), 'Concur access token expires in 2 hours');
    assert.equal(expiryAnnouncement(2 * 3600_000 + 60_000), 'Concur access token expires in 2 hours and 1 minute');
    assert.equal(expiryAnnouncement(2 * 3600_000 + 30 * 60_000), 'Concur access token expires in 2 hours and 30 minutes');
  });

  it('changes at most once a minute over a countdown ticking every second', () => {
    const said = new Set<string>();
    let changes = 0;
    let last: string | undefined;
    for (let ms = 10 * 60_000; ms >= -2000; ms -= 1000) {
      const text = expiryAnnouncement(ms);
      if (text !== last) changes++;
      last = text;
      said.add(text);
    }
    // 10, 9, …, 1 minutes, "less than a minute", "expired": 12 sentences over 602 ticks.
    assert.equal(changes, 12);
    assert.equal(said.size, 12);
  });
});

describe('chat tools: a write\'s question shows its body', () => {
  const redactor = new Redactor();
  const redact = (text: string): string => redactor.redact(text);

  it('indented when it is JSON, redacted, whole when short', () => {
    redactor.add('refresh-token-registered-0123');
    const preview = bodyPreview('{"merchant":"Café","note":"refresh-token-registered-0123","password":"a  b"}', redact);
    assert.equal(preview, '{\n  "merchant": "Café",\n  "note": "«redacted»",\n  "password": "«redacted»"\n}');
  });

  it('cut to the limit after redaction, saying how much more there is; text that is not JSON is shown as written', () => {
    const long = bodyPreview(`plain ${'x'.repeat(2000)}`, redact);
    assert.equal(long.length, BODY_PREVIEW_CHARS + ' (806 more characters)'.length + 1);
    assert.ok(long.startsWith('plain xxx') && long.endsWith('… (806 more characters)'), long.slice(-40));
    assert.equal(bodyPreview('a=1&b=2', redact), 'a=1&b=2');
    // Never half of a character outside the BMP at the cut.
    const emoji = bodyPreview(`${'x'.repeat(BODY_PREVIEW_CHARS - 1)}😀😀`, redact);
    assert.ok(!/[\uD800-\uDBFF]…/.test(emoji), emoji.slice(-20));
  });
});
