import assert from 'node:assert/strict';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { FakeClock, decodeJwt, get, postForm, token, type HttpResult } from './helpers';

const REDIRECT = 'http://127.0.0.1:7777/callback?from=test';

describe('mock Concur: authorization_code grant', () => {
  let mock: MockConcur;
  const clock = new FakeClock();

  before(async () => {
    mock = await startMockConcur({ quiet: true, now: clock.now, companyUsers: 50 });
  });
  after(() => mock.close());

  const authorizeUrl = (extra: Record<string, string> = {}): string => {
    const q = new URLSearchParams({ client_id: mock.demo.clientId, redirect_uri: REDIRECT, scope: 'openid user.read', response_type: 'code', state: 'xyz', ...extra });
    return `${mock.url}/oauth2/v0/authorize?${q.toString()}`;
  };
  const location = (res: HttpResult): URL => {
    assert.equal(res.status, 302, res.text);
    return new URL(res.headers.get('location') ?? '');
  };
  const exchange = (code: string, extra: Record<string, string> = {}): Promise<HttpResult> =>
    token(mock.url, { client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret, grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra });
  const approve = async (extra: Record<string, string> = {}): Promise<string> => {
    const url = location(await get(authorizeUrl({ mock_decision: 'approve', ...extra })));
    const code = url.searchParams.get('code');
    assert.ok(code);
    return code;
  };

  it('shows a sign-in page with Approve and Deny', async () => {
    const res = await get(authorizeUrl());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    // Relative, so that the page also works behind a proxy that puts a prefix before the path.
    assert.match(res.text, /<form method="post" action="authorize">/);
    assert.match(res.text, /id="approve"/);
    assert.match(res.text, /id="deny"/);
    assert.match(res.text, /openid user\.read/);
    assert.ok(res.headers.get('concur-correlationid'));
  });

  it('redirects with code, geolocation and state on approval, and the code buys tokens once', async () => {
    const url = location(await get(authorizeUrl({ mock_decision: 'approve' })));
    assert.equal(`${url.origin}${url.pathname}`, 'http://127.0.0.1:7777/callback');
    assert.equal(url.searchParams.get('from'), 'test', 'keeps the redirect URI query');
    assert.equal(url.searchParams.get('geolocation'), mock.geoUrl);
    assert.equal(url.searchParams.get('state'), 'xyz');
    const code = url.searchParams.get('code') ?? '';
    const res = await exchange(code);
    assert.equal(res.status, 200);
    assert.equal(res.body.scope, 'openid user.read');
    assert.equal(res.body.geolocation, mock.geoUrl);
    assert.ok(res.body.refresh_token);
    assert.equal(decodeJwt(res.body.id_token).payload.sub, mock.demo.userId);
    const again = await exchange(code);
    assert.equal(again.body.code, 103);
  });

  it('signs in through the posted form', async () => {
    const form = { client_id: mock.demo.clientId, redirect_uri: REDIRECT, scope: 'openid', response_type: 'code', state: 's1', username: mock.demo.username, password: mock.demo.password, decision: 'approve' };
    const ok = location(await postForm(`${mock.url}/oauth2/v0/authorize`, form));
    assert.ok(ok.searchParams.get('code'));
    assert.equal(ok.searchParams.get('state'), 's1');
    const bad = location(await postForm(`${mock.url}/oauth2/v0/authorize`, { ...form, password: 'wrong' }));
    assert.equal(bad.searchParams.get('error_code'), '5');
    assert.equal(bad.searchParams.get('code'), null);
  });

  it('redirects with error_code and error_description on denial', async () => {
    const url = location(await get(authorizeUrl({ mock_decision: 'deny' })));
    assert.equal(url.searchParams.get('error_code'), 'access_denied');
    assert.ok(url.searchParams.get('error_description'));
    assert.equal(url.searchParams.get('state'), 'xyz');
    assert.equal(url.searchParams.get('code'), null);
  });

  it('offers one-click links to approve, deny and answer with an error', async () => {
    const page = (await get(authorizeUrl())).text;
    const href = (id: string): URL => {
      const match = new RegExp(`id="${id}" href="([^"]+)"`).exec(page);
      assert.ok(match, id);
      return new URL(match[1].replace(/&#38;|&amp;/g, '&'), `${mock.url}/oauth2/v0/authorize`);
    };
    assert.equal(href('approve-demo').searchParams.get('mock_decision'), 'approve');
    assert.equal(href('deny-link').searchParams.get('mock_decision'), 'deny');
    const error = href('error-link');
    assert.equal(error.searchParams.get('mock_decision'), 'error');
    assert.equal(error.searchParams.get('state'), 'xyz');
    assert.match(page, /Answer with an error/);
    const url = location(await get(error.href));
    assert.equal(url.searchParams.get('error_code'), '12');
  });

  it('answers with an error on mock_decision=error: code 12 by default, or mock_error_code', async () => {
    const codesBefore = mock.counters.authorizationCodesIssued;
    const byDefault = location(await get(authorizeUrl({ mock_decision: 'error' })));
    assert.equal(`${byDefault.origin}${byDefault.pathname}`, 'http://127.0.0.1:7777/callback');
    assert.equal(byDefault.searchParams.get('error_code'), '12');
    assert.equal(byDefault.searchParams.get('error_description'), 'Logon Denied. Please contact support');
    assert.equal(byDefault.searchParams.get('state'), 'xyz');
    assert.equal(byDefault.searchParams.get('code'), null);
    const locked = location(await get(authorizeUrl({ mock_decision: 'error', mock_error_code: '14' })));
    assert.equal(locked.searchParams.get('error_code'), '14');
    assert.equal(locked.searchParams.get('error_description'), 'Account Locked. Please contact support');
    for (const bad of ['999', 'abc', '-5']) {
      const res = await get(authorizeUrl({ mock_decision: 'error', mock_error_code: bad }));
      assert.equal(res.status, 400, bad);
      assert.match(res.text, /mock_error_code must be one of the documented codes/);
    }
    assert.equal(mock.counters.authorizationCodesIssued, codesBefore, 'no code for an error answer');
  });

  it('keeps mock_decision=deny as access_denied, and refuses other decisions', async () => {
    assert.equal(location(await get(authorizeUrl({ mock_decision: 'deny', mock_error_code: '14' }))).searchParams.get('error_code'), 'access_denied');
    const res = await get(authorizeUrl({ mock_decision: 'maybe' }));
    assert.equal(res.status, 400);
    assert.match(res.text, /approve, deny or error/);
  });

  it('redirects with the account-state code of a user who may not sign in', async () => {
    const url = location(await get(authorizeUrl({ mock_decision: 'approve', mock_user: 'locked@globex.example' })));
    assert.equal(url.searchParams.get('error_code'), '14');
  });

  it('redirects with 54 when the scope exceeds the app grant, and 60 for another response_type', async () => {
    assert.equal(location(await get(authorizeUrl({ scope: 'openid not.a.scope' }))).searchParams.get('error_code'), '54');
    assert.equal(location(await get(authorizeUrl({ response_type: 'token' }))).searchParams.get('error_code'), '60');
  });

  it('shows an error page when it cannot redirect', async () => {
    const missing = await get(authorizeUrl({ client_id: '' }));
    assert.equal(missing.status, 400);
    assert.match(missing.text, /id="error-code">62</);
    const unknown = await get(authorizeUrl({ client_id: '00000000-0000-4000-8000-000000000000' }));
    assert.match(unknown.text, /id="error-code">61</);
    const noRedirect = await get(authorizeUrl({ redirect_uri: '' }));
    assert.match(noRedirect.text, /id="error-code">102</);
    const evil = await get(authorizeUrl({ redirect_uri: 'http://attacker.example/cb' }));
    assert.equal(evil.status, 400);
  });

  it('issues a code for a user of the other datacenter with that geolocation', async () => {
    const url = location(await get(authorizeUrl({ mock_decision: 'approve', mock_user: 'glz.resident@globex.example' })));
    assert.equal(url.searchParams.get('geolocation'), mock.url);
  });

  it('answers 101, 102, 104, 105 and 103 for bad exchanges', async () => {
    assert.equal((await exchange('', {})).body.code, 101);
    assert.equal((await exchange(await approve(), { redirect_uri: '' })).body.code, 102);
    assert.equal((await exchange(await approve(), { redirect_uri: 'http://127.0.0.1:7777/other' })).body.code, 104);
    const noRefresh = mock.demo.apps.find((a) => a.key === 'limited');
    assert.ok(noRefresh);
    const stolen = await token(mock.url, { client_id: noRefresh.clientId, client_secret: noRefresh.clientSecret, grant_type: 'authorization_code', code: await approve(), redirect_uri: REDIRECT });
    assert.equal(stolen.body.code, 105);
    const late = await approve();
    clock.advance(301);
    assert.equal((await exchange(late)).body.code, 103);
  });
});

describe('mock Concur: otp grant', () => {
  let mock: MockConcur;
  const clock = new FakeClock();

  before(async () => {
    mock = await startMockConcur({ quiet: true, now: clock.now, companyUsers: 50 });
  });
  after(() => mock.close());

  const client = (): Record<string, string> => ({ client_id: mock.demo.clientId, client_secret: mock.demo.clientSecret });
  const sendOtp = (extra: Record<string, string> = {}): Promise<HttpResult> =>
    postForm(`${mock.geoUrl}/oauth2/v0/otp`, { ...client(), channel_type: 'email', channel_handle: mock.demo.otpHandle, ...extra });
  const redeem = (otp: string, extra: Record<string, string> = {}): Promise<HttpResult> =>
    token(mock.geoUrl, { ...client(), grant_type: 'otp', otp, channel_type: 'email', channel_handle: mock.demo.otpHandle, ...extra });

  it('"e-mails" a one-time password that buys user tokens once', async () => {
    const sent = await sendOtp({ name: 'Dana', link: 'https://example.com/cb' });
    assert.equal(sent.status, 200);
    assert.deepEqual(sent.body, { message: 'otp sent' });
    const otp = mock.lastOtp(mock.demo.otpHandle);
    assert.match(otp ?? '', /^\d{6}$/);
    const viaControl = await get(`${mock.url}/_mock/otp?handle=${encodeURIComponent(mock.demo.otpHandle)}`);
    assert.equal(viaControl.body.otp, otp);
    const res = await redeem(otp ?? '');
    assert.equal(res.status, 200);
    assert.ok(res.body.refresh_token);
    assert.equal(decodeJwt(res.body.id_token).payload.sub, mock.demo.userId);
    assert.equal((await redeem(otp ?? '')).body.code, 83, 'single use');
  });

  it('requires the same client-defined parameters at /otp and /token (84)', async () => {
    await sendOtp({ tenant: 'acme' });
    const otp = mock.lastOtp(mock.demo.otpHandle) ?? '';
    assert.equal((await redeem(otp)).body.code, 84);
    assert.equal((await redeem(otp, { tenant: 'other' })).body.code, 84);
    assert.equal((await redeem(otp, { tenant: 'acme' })).status, 200);
  });

  it('answers 85 for a wrong otp and 83 when none is open', async () => {
    await sendOtp();
    assert.equal((await redeem('000000x')).body.code, 85);
    clock.advance(601);
    assert.equal((await redeem(mock.lastOtp(mock.demo.otpHandle) ?? '')).body.code, 83);
  });

  it('answers 82 beyond three open one-time passwords', async () => {
    const handle = 'locked@globex.example';
    const codes: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push((await sendOtp({ channel_handle: handle })).body.code);
    }
    assert.deepEqual(codes, [undefined, undefined, undefined, 82]);
    const locked = await redeem(mock.lastOtp(handle) ?? '', { channel_handle: handle });
    assert.equal(locked.body.code, 14, 'a locked account stays locked with a valid otp');
  });

  it('answers the channel and user errors 55, 56, 57, 58, 80, 81 and 16', async () => {
    assert.equal((await redeem('')).body.code, 56);
    assert.equal((await redeem('123456', { channel_type: '' })).body.code, 57);
    assert.equal((await redeem('123456', { channel_handle: '' })).body.code, 58);
    assert.equal((await redeem('123456', { channel_type: 'sms' })).body.code, 80);
    assert.equal((await redeem('123456', { channel_handle: 'not-an-email' })).body.code, 81);
    assert.equal((await redeem('123456', { channel_handle: 'ghost@globex.example' })).body.code, 55);
    assert.equal((await sendOtp({ channel_type: '' })).body.code, 57);
    assert.equal((await sendOtp({ channel_handle: '' })).body.code, 58);
    assert.equal((await sendOtp({ channel_type: 'sms' })).body.code, 80);
    assert.equal((await sendOtp({ channel_handle: 'nope' })).body.code, 81);
    const elsewhere = await sendOtp({ channel_handle: 'glz.resident@globex.example' });
    assert.equal(elsewhere.body.code, 16);
    assert.equal(elsewhere.body.geolocation, mock.url);
  });

  it('answers an unknown address like a known one, then 55 at the token endpoint', async () => {
    const sent = await sendOtp({ channel_handle: 'ghost@globex.example' });
    assert.equal(sent.status, 200);
    assert.equal(mock.lastOtp('ghost@globex.example'), undefined);
  });

  it('checks the client at /otp (62, 63, 61, 64, 59, 60) and the body format (135)', async () => {
    const limited = mock.demo.apps.find((a) => a.key === 'limited');
    const disabled = mock.demo.apps.find((a) => a.key === 'disabled');
    assert.ok(limited && disabled);
    assert.equal((await sendOtp({ client_id: '' })).body.code, 62);
    assert.equal((await sendOtp({ client_secret: '' })).body.code, 63);
    assert.equal((await sendOtp({ client_id: '00000000-0000-4000-8000-000000000000' })).body.code, 61);
    assert.equal((await sendOtp({ client_secret: '00000000-0000-4000-8000-000000000000' })).body.code, 64);
    assert.equal((await sendOtp({ client_id: disabled.clientId, client_secret: disabled.clientSecret })).status, 403);
    assert.equal((await sendOtp({ client_id: limited.clientId, client_secret: limited.clientSecret })).body.code, 60);
    const json = await fetch(`${mock.geoUrl}/oauth2/v0/otp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(((await json.json()) as { code: number }).code, 135);
  });
});
