import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SCOPES, startMockConcur, type MockConcur } from '../../../src/localConcur';
import { clearNotifications, EXTENSION_ID, labelOf, signOutEverything, testingApi, type TestingApi, waitUntil, walkTree } from '../helpers';

type SessionLike = { id: string; grant: string; label: string; geolocation: string; accessToken: string; refreshToken?: string; idToken?: string };

/** HTML attribute text back to the URL it escapes (the local server escapes with numeric entities). */
function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

/**
 * Plays the user's browser on the local Concur server's authorize page: loads the page the
 * extension opened, clicks one of its one-click links, and returns where Concur redirects to.
 */
async function clickOnAuthorizePage(authorizeUrl: string, linkId: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  assert.equal(page.status, 200, 'the authorize page did not load');
  const html = await page.text();
  const href = new RegExp(`id="${linkId}" href="([^"]+)"`).exec(html)?.[1];
  assert.ok(href, `no link ${linkId} on the authorize page`);
  const answer = await fetch(new URL(unescapeHtml(href), authorizeUrl), { redirect: 'manual' });
  assert.equal(answer.status, 302, 'the authorize page did not redirect');
  return new URL(answer.headers.get('location') ?? '');
}

describe('Browser and one-time-password sign-in, signatures, revoke (real VS Code, local Concur)', () => {
  let mock: MockConcur;
  let api: TestingApi;
  let defaultOpener: TestingApi['browserSignIn']['opener'];
  let defaultAskOtp: TestingApi['signIn']['askOtp'];
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('concur');
  const client = (): Record<string, string> => ({ baseUrl: mock.url, clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret });

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    api = await testingApi();
    defaultOpener = api.browserSignIn.opener;
    defaultAskOtp = api.signIn.askOtp;
    await signOutEverything(api);
  });

  after(async () => {
    api.browserSignIn.opener = defaultOpener;
    api.signIn.askOtp = defaultAskOtp;
    await config().update('signIn.browserRedirect', undefined, vscode.ConfigurationTarget.Global);
    await config().update('signOut.revokeAccess', 'never', vscode.ConfigurationTarget.Global);
    await signOutEverything(api);
    await mock.close();
  });

  beforeEach(() => {
    mock.resetLog();
    mock.clearFaults();
  });

  it('signs in with the browser: loopback redirect checked for its state, code exchanged at the geolocation, signatures verified', async () => {
    await config().update('signIn.browserRedirect', 'loopback', vscode.ConfigurationTarget.Global);
    let browser: Promise<{ wrongState: number; page: string; redirectUri: string }> | undefined;
    const opened: string[] = [];
    api.browserSignIn.opener = async (url) => {
      opened.push(url);
      // The first time, the user asks for the link again (as from the waiting notification).
      if (opened.length === 1) {
        setTimeout(() => void vscode.commands.executeCommand('concur.openSignInLink'), 10);
        return true;
      }
      browser = (async () => {
        const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
        // A request without this sign-in's state is refused, and the listener keeps waiting.
        const wrongState = (await fetch(`${redirectUri}?code=forged&state=not-the-one`)).status;
        const back = await clickOnAuthorizePage(url, 'approve-demo');
        const page = await (await fetch(back)).text();
        return { wrongState, page, redirectUri };
      })();
      return true;
    };
    const session = (await vscode.commands.executeCommand('concur.signInWithBrowser', client())) as SessionLike | undefined;
    await clearNotifications();
    assert.ok(browser, 'no browser was opened');
    assert.equal(opened.length, 2);
    assert.equal(opened[1], opened[0], 'the link opened again is not the same');
    const { wrongState, page, redirectUri } = await browser;
    assert.ok(session, 'Sign In with Browser returned no session');
    assert.equal(session.grant, 'authorizationCode');
    assert.equal(session.geolocation, mock.geoUrl);
    // The browser grant's tokens name the user by id only; the label is the user name from Concur's profile.
    assert.equal(session.label, mock.demo.username);
    assert.equal(wrongState, 400);
    assert.match(page, /close this tab/i);

    const authorize = new URL(api.browserSignIn.lastAuthorizeUrl ?? '');
    assert.equal(authorize.origin, mock.url);
    assert.equal(authorize.pathname, '/oauth2/v0/authorize');
    assert.equal(authorize.searchParams.get('client_id'), mock.demo.clientId);
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('state')?.length, 43);
    assert.match(redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.ok(!authorize.toString().includes(mock.demo.clientSecret), 'the client secret went to the browser');

    // The code went to the user's datacenter, once; the listener is closed.
    const tokenCalls = mock.requests.filter((r) => r.path === '/oauth2/v0/token').map((r) => `${r.host} ${r.grantType} ${r.status}`);
    assert.deepEqual(tokenCalls, ['geo authorization_code 200']);
    await assert.rejects(fetch(`${redirectUri}?state=${authorize.searchParams.get('state')}&code=again`));

    // Nothing waits any more: the command says so instead of opening an old link.
    await vscode.commands.executeCommand('concur.openSignInLink');
    assert.equal(opened.length, 2);
    await waitUntil('the message', () => api.messages.recent.some((m) => /No browser sign-in is waiting/.test(m)));
    await clearNotifications();

    // The Sessions view tells both tokens verified, with the keys fetched once from the issuer's host.
    const signatures = async (): Promise<string[]> =>
      (await walkTree(api.tree)).filter(({ item }) => labelOf(item) === 'Signature').map(({ item }) => String(item.description ?? ''));
    await waitUntil('both signatures checked', async () => (await signatures()).filter((d) => d.startsWith('signature verified (kid ')).length === 2);
    assert.equal(mock.counters.jwksRequests, 1, 'the JWKS is fetched once for both tokens');
    assert.deepEqual([...new Set(mock.requests.filter((r) => r.path === '/oauth2/v0/jwks').map((r) => r.host))], ['geo']);
  });

  it('asks for the scopes of concur.signIn.scopes: the authorize URL carries them, Concur grants only those', async () => {
    await config().update('signIn.browserRedirect', 'loopback', vscode.ConfigurationTarget.Global);
    await config().update('signIn.scopes', ['openid', 'user.read', 'receipts.read'], vscode.ConfigurationTarget.Global);
    try {
      let opened: string | undefined;
      api.browserSignIn.opener = async (url) => {
        opened = url;
        void clickOnAuthorizePage(url, 'approve-demo').then((back) => fetch(back));
        return true;
      };
      const session = (await vscode.commands.executeCommand('concur.signInWithBrowser', client())) as (SessionLike & { scopes: string[] }) | undefined;
      await clearNotifications();
      assert.ok(session, 'no session');
      assert.ok(opened);
      // One parameter, the scopes space-separated (as %20), as Concur's authorize request takes them.
      assert.match(opened, /[?&]scope=openid%20user\.read%20receipts\.read&/);
      // What the local Concur server received, and granted: those scopes, not all of the demo app's.
      const authorize = mock.requests.filter((r) => r.path === '/oauth2/v0/authorize').map((r) => r.query.scope);
      assert.ok(authorize.length >= 1 && authorize.every((scope) => scope === 'openid user.read receipts.read'), JSON.stringify(authorize));
      assert.deepEqual([...session.scopes].sort(), ['openid', 'receipts.read', 'user.read']);
      await vscode.commands.executeCommand('concur.signOut', session.id);
      await clearNotifications();
    } finally {
      await config().update('signIn.scopes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('asks for no scope when none is named, and Concur grants the app\'s own', async () => {
    await config().update('signIn.browserRedirect', 'loopback', vscode.ConfigurationTarget.Global);
    let opened: string | undefined;
    api.browserSignIn.opener = async (url) => {
      opened = url;
      void clickOnAuthorizePage(url, 'approve-demo').then((back) => fetch(back));
      return true;
    };
    const session = (await vscode.commands.executeCommand('concur.signInWithBrowser', client())) as (SessionLike & { scopes: string[] }) | undefined;
    await clearNotifications();
    assert.ok(session && opened);
    assert.equal(new URL(opened).searchParams.get('scope'), null);
    assert.deepEqual([...session.scopes].sort(), [...SCOPES.all].sort());
    await vscode.commands.executeCommand('concur.signOut', session.id);
    await clearNotifications();
  });

  it('a scope the app does not have: Concur\'s code 54 comes back, and the message names the scopes asked for and the setting', async () => {
    await config().update('signIn.browserRedirect', 'loopback', vscode.ConfigurationTarget.Global);
    await config().update('signIn.scopes', ['openid', 'no.such.scope'], vscode.ConfigurationTarget.Global);
    const before = api.sessions.sessions.length;
    try {
      api.browserSignIn.opener = async (url) => {
        // Concur answers an authorize request for a scope beyond the app's with the error redirect at once.
        void fetch(url, { redirect: 'manual' }).then((answer) => fetch(answer.headers.get('location') ?? ''));
        return true;
      };
      const running = vscode.commands.executeCommand('concur.signInWithBrowser', client());
      await waitUntil('the error message', () => api.messages.recent.some((m) => /more than this app was granted/.test(m)));
      const message = api.messages.recent.find((m) => /more than this app was granted/.test(m)) ?? '';
      assert.match(message, /Scopes asked for: openid no\.such\.scope \(setting concur\.signIn\.scopes\)\./);
      await clearNotifications();
      assert.equal(await running, undefined);
      assert.equal(api.sessions.sessions.length, before);
      assert.deepEqual(mock.requests.filter((r) => r.path === '/oauth2/v0/token'), [], 'no token was asked for');
    } finally {
      await config().update('signIn.scopes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('says so when Concur\'s redirect carries an error, and keeps the sessions there are', async () => {
    await config().update('signIn.browserRedirect', 'loopback', vscode.ConfigurationTarget.Global);
    const before = api.sessions.sessions.length;
    api.browserSignIn.opener = async (url) => {
      void clickOnAuthorizePage(url, 'deny-link').then((back) => fetch(back));
      return true;
    };
    const running = vscode.commands.executeCommand('concur.signInWithBrowser', client());
    await waitUntil('the error message', () => api.messages.recent.some((m) => /declined in the browser/.test(m)));
    await clearNotifications();
    assert.equal(await running, undefined);
    assert.equal(api.sessions.sessions.length, before);
  });

  it('runs one browser sign-in at a time in a window, and the first still finishes', async () => {
    await config().update('signIn.browserRedirect', 'loopback', vscode.ConfigurationTarget.Global);
    let first: string | undefined;
    api.browserSignIn.opener = async (url) => {
      first ??= url;
      return true;
    };
    const running = vscode.commands.executeCommand('concur.signInWithBrowser', client()) as Thenable<SessionLike | undefined>;
    await waitUntil('the first browser sign-in to wait', () => first !== undefined);
    const second = vscode.commands.executeCommand('concur.signInWithBrowser', client());
    await waitUntil('the refusal', () => api.messages.recent.some((m) => /A browser sign-in is already waiting in this window/.test(m)));
    await clearNotifications();
    assert.equal(await second, undefined);
    await fetch(await clickOnAuthorizePage(first ?? '', 'approve-demo'));
    assert.equal((await running)?.grant, 'authorizationCode');
    await clearNotifications();
  });

  it('shows a hostile error redirect as text: no link, no markup, one line', async () => {
    await config().update('signIn.browserRedirect', 'loopback', vscode.ConfigurationTarget.Global);
    api.browserSignIn.opener = async (url) => {
      const authorize = new URL(url);
      const back = new URL(authorize.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('error_code', '999');
      back.searchParams.set('error_description', 'Session expired.\n[Sign in again](command:workbench.action.closeWindow) <img src=x>');
      back.searchParams.set('state', authorize.searchParams.get('state') ?? '');
      void fetch(back);
      return true;
    };
    const running = vscode.commands.executeCommand('concur.signInWithBrowser', client());
    await waitUntil('the error message', () => api.messages.recent.some((m) => /Session expired/.test(m)));
    await clearNotifications();
    await running;
    const shown = api.messages.recent.find((m) => /Session expired/.test(m)) ?? '';
    assert.match(shown, /^Could not sign in to Concur: Concur did not sign you in\. Concur refused the request: Session expired\. \[Sign in again\] \(command:/);
    assert.ok(!/\]\(/.test(shown), 'a link reached the notification');
    assert.ok(!shown.includes('\n'));
  });

  it('signs in through VS Code\'s URI handler, ignoring a link with another state', async () => {
    await config().update('signIn.browserRedirect', 'uriHandler', vscode.ConfigurationTarget.Global);
    await signOutEverything(api);
    let back: Promise<URL> | undefined;
    api.browserSignIn.opener = async (url) => {
      back = clickOnAuthorizePage(url, 'approve-demo');
      return true;
    };
    const running = vscode.commands.executeCommand('concur.signInWithBrowser', client()) as Thenable<SessionLike | undefined>;
    await waitUntil('the browser to be opened', () => back !== undefined);
    const redirect = await (back as Promise<URL>);
    const redirectUri = new URL(api.browserSignIn.lastAuthorizeUrl ?? '').searchParams.get('redirect_uri') ?? '';
    assert.ok(decodeURIComponent(redirectUri).includes('/signed-in'), `the redirect URI ${redirectUri} does not lead to the URI handler`);
    // What VS Code hands the extension once the browser comes back: its own URI, with Concur's answer.
    const toHandler = (params: URLSearchParams): vscode.Uri =>
      vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: EXTENSION_ID, path: '/signed-in', query: params.toString() });
    const forged = new URLSearchParams(redirect.searchParams);
    forged.set('state', 'someone-else');
    api.browserSignIn.handleUri(toHandler(forged));
    await waitUntil('the ignored link to be told', () => api.messages.recent.some((m) => /did not start/.test(m)));
    const onlyConcur = new URLSearchParams([...redirect.searchParams].filter(([name]) => !name.startsWith('vscode-')));
    api.browserSignIn.handleUri(toHandler(onlyConcur));
    const session = await running;
    await clearNotifications();
    assert.equal(session?.grant, 'authorizationCode');
    assert.equal(session?.geolocation, mock.geoUrl);
  });

  it('signs in by one-time password: code sent by the user\'s datacenter, read from the e-mail, sent back with the same fields', async () => {
    api.signIn.askOtp = async (email) => {
      const answer = (await (await fetch(`${mock.url}/_mock/otp?handle=${encodeURIComponent(email)}`)).json()) as { otp: string };
      return answer.otp;
    };
    const session = (await vscode.commands.executeCommand('concur.signIn', {
      ...client(),
      grant: 'otp',
      email: mock.demo.otpHandle,
      otpFields: { purpose: 'vscode' },
    })) as SessionLike | undefined;
    await clearNotifications();
    assert.equal(session?.grant, 'otp');
    assert.equal(session?.label, mock.demo.otpHandle);
    assert.equal(session?.geolocation, mock.geoUrl);
    assert.deepEqual(
      mock.requests.filter((r) => r.path.startsWith('/oauth2/v0/')).map((r) => `${r.host} ${r.path} ${r.status}`),
      ['landing /oauth2/v0/otp 400', 'geo /oauth2/v0/otp 200', 'geo /oauth2/v0/token 200'],
    );
    assert.ok(api.messages.recent.some((m) => m.includes(`Concur sent a one-time password to ${mock.demo.otpHandle}`)));
  });

  it('asks for a mistyped one-time password again, without sending another e-mail', async () => {
    const prompts: (string | undefined)[] = [];
    api.signIn.askOtp = async (email, problem) => {
      prompts.push(problem);
      const { otp } = (await (await fetch(`${mock.url}/_mock/otp?handle=${encodeURIComponent(email)}`)).json()) as { otp: string };
      return prompts.length === 1 ? (otp === '000000' ? '111111' : '000000') : otp;
    };
    const session = (await vscode.commands.executeCommand('concur.signIn', { ...client(), grant: 'otp', email: mock.demo.otpHandle })) as SessionLike | undefined;
    await clearNotifications();
    assert.equal(session?.grant, 'otp');
    assert.equal(prompts.length, 2);
    assert.equal(prompts[0], undefined);
    assert.match(prompts[1] ?? '', /one-time password is not right/);
    assert.equal(mock.counters.otpsSent, 1, 'a second e-mail was sent');
  });

  it('reports a token signed with a key Concur does not publish', async () => {
    await signOutEverything(api);
    mock.addFault({ kind: 'unknownKey', route: '/oauth2/v0/token' });
    await vscode.commands.executeCommand('concur.signIn', { ...client(), grant: 'password', username: mock.demo.username, password: mock.demo.password });
    await clearNotifications();
    await waitUntil('the access token to be reported', async () =>
      (await walkTree(api.tree)).some(({ item }) => labelOf(item) === 'Signature' && /^unknown key/.test(String(item.description))),
    );
  });

  it('revokes the app\'s access on sign-out when asked, and remembers the answer', async () => {
    await config().update('signOut.revokeAccess', 'ask', vscode.ConfigurationTarget.Global);
    const session = api.sessions.activeSession as SessionLike | undefined;
    assert.ok(session);
    const ask = api.messages.ask;
    const asked: string[] = [];
    api.messages.ask = async (message, _detail, ...actions) => {
      asked.push(message);
      return actions.find((a) => /Revoke/.test(a));
    };
    try {
      await vscode.commands.executeCommand('concur.signOut', session.id);
    } finally {
      api.messages.ask = ask;
    }
    assert.equal(asked.length, 1);
    assert.equal(config().get('signOut.revokeAccess'), 'always');
    assert.equal(mock.counters.connectionsRevoked, 1);
    assert.equal(api.sessions.sessions.length, 0);
    assert.ok(api.messages.recent.some((m) => /Concur revoked the app's access/.test(m)));
    // Concur no longer takes the token.
    const after = await fetch(`${mock.geoUrl}/profile/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    assert.equal(after.status, 401);
    await clearNotifications();
  });

  it('still signs out here when the revoke fails, and says so', async () => {
    await config().update('signOut.revokeAccess', 'always', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('concur.signIn', { ...client(), grant: 'password', username: mock.demo.username, password: mock.demo.password });
    await clearNotifications();
    mock.addFault({ kind: 'status500', route: '/app-mgmt/v0/connections' });
    const id = api.sessions.activeSession?.id;
    await vscode.commands.executeCommand('concur.signOut', id);
    assert.equal(api.sessions.sessions.length, 0);
    assert.ok(api.messages.recent.some((m) => /Signed out of Concur on this machine.*Revoking the app's access failed: Concur answered HTTP 500/.test(m)));
    await clearNotifications();
  });

  it('marks a refresh token near its end and offers to sign in again', async () => {
    await config().update('signOut.revokeAccess', 'never', vscode.ConfigurationTarget.Global);
    const shortLived = await startMockConcur({ quiet: true, companyUsers: 60, refreshTokenLifetime: 10 * 24 * 3600 });
    try {
      await vscode.commands.executeCommand('concur.signIn', {
        baseUrl: shortLived.url, clientId: shortLived.demo.clientId, clientSecret: shortLived.demo.clientSecret, grant: 'password', username: shortLived.demo.username, password: shortLived.demo.password,
      });
      await waitUntil('the notification', () => api.messages.recent.some((m) => /ends in 10 days.*Sign in again/.test(m)));
      const refresh = (await walkTree(api.tree)).find(({ item }) => labelOf(item) === 'Refresh token');
      assert.match(String(refresh?.item.description), /sign in again/);
      assert.equal((refresh?.item.iconPath as vscode.ThemeIcon | undefined)?.id, 'warning');
      await clearNotifications();
      await signOutEverything(api);
    } finally {
      await shortLived.close();
    }
  });
});
