import * as assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { CancelledError } from '../../../src/platform/errors';
import { newState } from '../../../src/auth/authorize';
import { LoopbackPortInUseError, LoopbackRedirect, LoopbackTimeoutError, MAX_REQUEST_URL_LENGTH, type LoopbackOptions } from '../../../src/auth/loopbackRedirect';

interface BrowserAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The browser: one request on a connection of its own (no agent, no keep-alive). */
function browse(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<BrowserAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function redirectUrl(listener: LoopbackRedirect, params: Record<string, string>): string {
  return `${listener.redirectUri}?${new URLSearchParams(params).toString()}`;
}

async function assertRefusedConnection(url: string): Promise<void> {
  await assert.rejects(browse(url), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
}

/** Whether the port can be bound again on 127.0.0.1 (it is free). */
async function assertPortFree(port: number): Promise<void> {
  const server = createTcpServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('browser sign-in: the loopback listener', () => {
  const CODE = 'AUTH-CODE-0123456789-secret';
  const GEO = 'https://us2.api.concursolutions.com';
  let state: string;
  let listeners: LoopbackRedirect[];

  async function listen(options: Partial<LoopbackOptions> = {}): Promise<LoopbackRedirect> {
    const listener = await LoopbackRedirect.listen({ state, timeoutMs: 10_000, ...options });
    listeners.push(listener);
    return listener;
  }

  beforeEach(() => {
    state = newState();
    listeners = [];
  });
  afterEach(() => {
    for (const listener of listeners) listener.close();
  });

  it('binds 127.0.0.1 only, and names it in the redirect URI with the port and path', async () => {
    const listener = await listen();
    const address = listener.address();
    assert.ok(address);
    assert.equal(address.address, '127.0.0.1');
    assert.equal(address.family, 'IPv4');
    assert.equal(address.port, listener.port);
    assert.ok(listener.port > 0);
    assert.equal(listener.redirectUri, `http://127.0.0.1:${listener.port}/callback`);
    const custom = await listen({ path: '/signed-in/concur' });
    assert.equal(custom.redirectUri, `http://127.0.0.1:${custom.port}/signed-in/concur`);
  });

  it('answers the redirect once with the success page and resolves with code, geolocation and state', async () => {
    const listener = await listen();
    const answer = await browse(redirectUrl(listener, { code: CODE, geolocation: GEO, state }));
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'] ?? '', /^text\/html; charset=utf-8/);
    assert.match(answer.body, /Signed in/);
    assert.match(answer.body, /close this tab and return to VS Code/);
    // The code is a credential: the page never shows it.
    assert.ok(!answer.body.includes(CODE));
    const { params } = await listener.result;
    assert.equal(params.get('code'), CODE);
    assert.equal(params.get('geolocation'), GEO);
    assert.equal(params.get('state'), state);
  });

  it('answers with a self-contained page and headers that keep it from being cached, framed or referred', async () => {
    const listener = await listen();
    const answer = await browse(redirectUrl(listener, { code: CODE, state }));
    assert.equal(answer.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'");
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(answer.headers['referrer-policy'], 'no-referrer');
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    assert.equal(answer.headers.connection, 'close');
    assert.doesNotMatch(answer.body, /<script|<img|<link|src=|href=/i);
  });

  it('accepts an error redirect: resolves with error_code and the page says Concur did not sign you in, escaped', async () => {
    const listener = await listen();
    const description = '<script>alert("x")</script> & more';
    const answer = await browse(redirectUrl(listener, { error_code: '21', error_description: description, state }));
    assert.equal(answer.status, 200);
    assert.match(answer.body, /Concur did not sign you in/);
    assert.ok(!answer.body.includes('<script>'));
    assert.ok(answer.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more'));
    const { params } = await listener.result;
    assert.equal(params.get('error_code'), '21');
    assert.equal(params.get('error_description'), description);
  });

  it('bounds the error description on the page', async () => {
    const listener = await listen();
    const answer = await browse(redirectUrl(listener, { error: 'access_denied', error_description: 'x'.repeat(5000), state }));
    assert.match(answer.body, /Concur did not sign you in/);
    assert.ok(!answer.body.includes('x'.repeat(301)));
    assert.ok(answer.body.includes('x'.repeat(299)));
    assert.equal((await listener.result).params.get('error'), 'access_denied');
  });

  it('uses the page override for the accepted answer, with Concur\'s description as plain text', async () => {
    const seen: [string, string | undefined][] = [];
    const listener = await listen({ page: (outcome, message) => (seen.push([outcome, message]), `<p>${outcome}</p>`) });
    const answer = await browse(redirectUrl(listener, { error_code: '103', error_description: 'bad <code>', state }));
    assert.equal(answer.body, '<p>error</p>');
    assert.deepEqual(seen, [['error', 'bad <code>']]);
    await listener.result;
  });

  it('still answers with the built-in page when the page override throws', async () => {
    const listener = await listen({ page: () => { throw new Error('broken page'); } });
    const answer = await browse(redirectUrl(listener, { code: CODE, state }));
    assert.equal(answer.status, 200);
    assert.match(answer.body, /Signed in/);
    assert.equal((await listener.result).params.get('code'), CODE);
  });

  it('refuses a wrong state with 400 and keeps listening; the right state then succeeds', async () => {
    const listener = await listen();
    const wrong = await browse(redirectUrl(listener, { code: CODE, state: newState() }));
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /This sign-in link is not the one VS Code is waiting for/);
    assert.ok(!wrong.body.includes(CODE));
    const prefix = await browse(redirectUrl(listener, { code: CODE, state: state.slice(0, -1) }));
    assert.equal(prefix.status, 400);
    const right = await browse(redirectUrl(listener, { code: 'the-real-code', state }));
    assert.equal(right.status, 200);
    assert.equal((await listener.result).params.get('code'), 'the-real-code');
  });

  it('refuses a missing state, an empty one, and two states, with 400', async () => {
    const listener = await listen();
    assert.equal((await browse(redirectUrl(listener, { code: CODE }))).status, 400);
    assert.equal((await browse(redirectUrl(listener, { code: CODE, state: '' }))).status, 400);
    assert.equal((await browse(`${listener.redirectUri}?code=c&state=${state}&state=other`)).status, 400);
    assert.equal((await browse(`${listener.redirectUri}?code=c&state=other&state=${state}`)).status, 400);
    assert.equal((await browse(listener.redirectUri)).status, 400);
    assert.equal((await browse(redirectUrl(listener, { state }))).status, 200);
  });

  it('refuses other paths with 404 (the favicon quietly) and keeps listening', async () => {
    const listener = await listen();
    const origin = `http://127.0.0.1:${listener.port}`;
    for (const path of ['/', '/callback/', '/callbackx', '/CALLBACK', '/other/callback']) {
      assert.equal((await browse(`${origin}${path}?state=${state}&code=c`)).status, 404, path);
    }
    const favicon = await browse(`${origin}/favicon.ico`);
    assert.equal(favicon.status, 404);
    assert.equal(favicon.body, '');
    assert.equal((await browse(redirectUrl(listener, { code: CODE, state }))).status, 200);
  });

  it('refuses other methods with 405 and keeps listening', async () => {
    const listener = await listen();
    for (const method of ['POST', 'PUT', 'HEAD', 'DELETE']) {
      const answer = await browse(redirectUrl(listener, { code: CODE, state }), { method });
      assert.equal(answer.status, 405, method);
      assert.equal(answer.headers.allow, 'GET');
    }
    assert.equal((await browse(redirectUrl(listener, { code: CODE, state }))).status, 200);
  });

  it('refuses a Host that is not this listener (DNS rebinding) with 400; accepts localhost:<port>', async () => {
    const listener = await listen();
    const url = redirectUrl(listener, { code: CODE, state });
    for (const host of ['attacker.example', `attacker.example:${listener.port}`, '127.0.0.1', `127.0.0.1:${listener.port + 1}`, `[::1]:${listener.port}`, `127.0.0.1.nip.io:${listener.port}`]) {
      const answer = await browse(url, { headers: { host } });
      assert.equal(answer.status, 400, host);
      assert.ok(!answer.body.includes(CODE));
    }
    const ok = await browse(url, { headers: { host: `LocalHost:${listener.port}` } });
    assert.equal(ok.status, 200);
    await listener.result;
  });

  it('refuses a request URL longer than the bound with 414 and keeps listening', async () => {
    const listener = await listen();
    const long = `${redirectUrl(listener, { code: CODE, state })}&pad=${'a'.repeat(MAX_REQUEST_URL_LENGTH)}`;
    assert.equal((await browse(long)).status, 414);
    assert.equal((await browse(redirectUrl(listener, { code: CODE, state }))).status, 200);
  });

  it('accepts no second request after the answer, even with the right state: the port is closed', async () => {
    const listener = await listen();
    const url = redirectUrl(listener, { code: CODE, state });
    assert.equal((await browse(url)).status, 200);
    await listener.result;
    await assertRefusedConnection(url);
    await assertRefusedConnection(redirectUrl(listener, { code: 'another', state }));
  });

  it('closes idle connections (a browser\'s preconnect) with the answer', async () => {
    const listener = await listen();
    const idle: Socket = connect(listener.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => idle.once('connect', resolve).once('error', reject));
    const closed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    idle.on('error', () => undefined);
    assert.equal((await browse(redirectUrl(listener, { code: CODE, state }))).status, 200);
    await closed;
  });

  it('rejects with CancelledError when the signal aborts, and frees the port', async () => {
    const abort = new AbortController();
    const listener = await listen({ signal: abort.signal });
    abort.abort();
    await assert.rejects(listener.result, CancelledError);
    await assertRefusedConnection(redirectUrl(listener, { code: CODE, state }));
    await assertPortFree(listener.port);
    const again = await listen({ port: listener.port });
    assert.equal(again.port, listener.port);
  });

  it('does not listen at all when the signal has already aborted', async () => {
    await assert.rejects(LoopbackRedirect.listen({ state, timeoutMs: 1000, signal: AbortSignal.abort() }), CancelledError);
  });

  it('rejects with LoopbackTimeoutError after the time limit, saying to try again, and frees the port', async () => {
    const listener = await listen({ timeoutMs: 50 });
    await assert.rejects(listener.result, (error: unknown) => {
      assert.ok(error instanceof LoopbackTimeoutError);
      assert.match(error.message, /did not come back to VS Code within 1 second/);
      assert.match(error.message, /again/);
      return true;
    });
    await assertPortFree(listener.port);
    const again = await listen({ port: listener.port });
    assert.equal(again.port, listener.port);
  });

  it('says the time limit in minutes', () => {
    assert.match(new LoopbackTimeoutError(5 * 60_000).message, /within 5 minutes\. Start "Sign In with Browser" again\./);
    assert.match(new LoopbackTimeoutError(60_000).message, /within 1 minute\./);
  });

  it('close() rejects a pending result with CancelledError, is idempotent, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const listener = await LoopbackRedirect.listen({ state, timeoutMs: 10_000 });
      listener.close();
      listener.close();
      // Nobody awaits the result here; give Node its turns to report an unhandled rejection.
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(unhandled, []);
      await assert.rejects(listener.result, CancelledError);
      await assertPortFree(listener.port);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('close() after the answer keeps the result', async () => {
    const listener = await listen();
    assert.equal((await browse(redirectUrl(listener, { code: CODE, state }))).status, 200);
    listener.close();
    assert.equal((await listener.result).params.get('code'), CODE);
  });

  it('names the port and the setting when a fixed port is in use', async () => {
    const blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await assert.rejects(LoopbackRedirect.listen({ port, state, timeoutMs: 1000 }), (error: unknown) => {
        assert.ok(error instanceof LoopbackPortInUseError);
        assert.equal(error.port, port);
        assert.match(error.message, new RegExp(`Port ${port}\\b`));
        assert.match(error.message, /concur\.signIn\.loopbackPort/);
        return true;
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses options that would make it accept anything', async () => {
    await assert.rejects(LoopbackRedirect.listen({ state: '', timeoutMs: 1000 }), TypeError);
    await assert.rejects(LoopbackRedirect.listen({ state, timeoutMs: 1000, path: 'callback' }), TypeError);
    await assert.rejects(LoopbackRedirect.listen({ state, timeoutMs: 1000, path: '/callback?x=1' }), TypeError);
    await assert.rejects(LoopbackRedirect.listen({ state, timeoutMs: 1000, port: 70000 }), RangeError);
    await assert.rejects(LoopbackRedirect.listen({ state, timeoutMs: 0 }), RangeError);
  });
});
