import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { ageStoredSession, clearNotifications, labelOf, testingApi, waitUntil, walkTree, type TestingApi } from '../helpers';

describe('Sessions view and expiry countdown', () => {
  let mock: MockConcur;
  let api: TestingApi;

  before(async () => {
    // A token that lives a minute (the shortest the extension accepts): under five minutes from the start, so the countdown is a warning.
    mock = await startMockConcur({ quiet: true, companyUsers: 60, accessTokenLifetime: 60 });
    api = await testingApi();
    // Refreshing late keeps the automatic refresh out of the way until the test wants it.
    await vscode.workspace.getConfiguration('concur').update('refresh.lifetimeFraction', 0.95, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('concur.signIn', {
      baseUrl: mock.url, grant: 'password', clientId: mock.demo.clientId, clientSecret: mock.demo.clientSecret, username: mock.demo.username, password: mock.demo.password,
    });
    await clearNotifications();
  });

  after(async () => {
    mock.clearFaults();
    for (const s of api.sessions.sessions) await vscode.commands.executeCommand('concur.signOut', s.id);
    await clearNotifications();
    await vscode.workspace.getConfiguration('concur').update('refresh.lifetimeFraction', undefined, vscode.ConfigurationTarget.Global);
    await mock.close();
  });

  it('shows the session, its tokens and their claims: sub, exp and every scope', async () => {
    const rows = await walkTree(api.tree);
    const session = rows.find((r) => r.node.kind === 'session');
    assert.equal(session && labelOf(session.item), mock.demo.username);
    assert.match(String(session?.item.description), /active/);
    const claim = (name: string, token = 'access'): (typeof rows)[number] | undefined =>
      rows.find((r) => r.node.kind === 'claim' && r.node.name === name && r.node.id.includes(`/${token}/claims/`));
    assert.equal(claim('sub')?.item.description, mock.demo.userId);
    // A one-minute token: "in 59 s", or "in 1 min" in the first half second after sign-in.
    assert.match(String(claim('exp')?.item.description), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in (\d+ s|1 min)\)$/);
    // A screen reader hears it in words: "Expires: <date>, in 59 seconds", never "10:42:07" or "59 s".
    const spokenExp = claim('exp')?.item.accessibilityInformation?.label ?? '';
    assert.match(spokenExp, /^Expires: .*\d{4}.*, in (\d+ seconds|1 minute)$/);
    assert.doesNotMatch(spokenExp, /\d:\d\d:\d\d|\d{4}-\d\d-\d\d|\b\d+ s\b|\bmin\b/);
    const scopes = rows.filter((r) => r.node.kind === 'claim' && r.node.id.includes('/access/claims/concur.scopes/')).map((r) => labelOf(r.item));
    const granted = (JSON.parse(Buffer.from(api.sessions.activeSession?.accessToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, string[]>)['concur.scopes'];
    assert.ok(granted.length >= 5);
    assert.deepEqual(scopes, granted);
    assert.ok(claim('sub', 'id'), 'the id token\'s claims are shown too');
    assert.ok(rows.some((r) => labelOf(r.item) === 'Refresh token' && /expires .* \(in 6 months\)/.test(String(r.item.description))));
    assert.ok(rows.some((r) => labelOf(r.item) === 'Datacenter' && r.item.description === mock.geoUrl));
    assert.ok(rows.some((r) => labelOf(r.item) === 'Refresh token' && /^Refresh token expires .*\d{4}.*, in 6 months$/.test(r.item.accessibilityInformation?.label ?? '')));
    assert.match(session?.item.accessibilityInformation?.label ?? '', /^Session .+, active, the access token expires in (\d+ seconds|1 minute)$/);
    // Every row reads as words: an accessibility label of its own, without the description's "·" separators.
    for (const { item } of rows) {
      const spoken = item.accessibilityInformation?.label ?? '';
      assert.ok(spoken.length > 0 && !spoken.includes('·'), `no accessibility label of words for ${labelOf(item)}: ${spoken}`);
    }
    // Never a token's value: no label, description or tooltip carries one.
    const secrets = [api.sessions.activeSession?.accessToken, api.sessions.sessions[0].refreshToken, api.sessions.sessions[0].idToken].filter((s): s is string => !!s);
    for (const { item } of rows) {
      const text = [labelOf(item), item.description, typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value].join(' ');
      assert.ok(!secrets.some((s) => text.includes(s)), `a token value is shown in the tree (${labelOf(item)})`);
    }
  });

  it('shows a warning countdown for a short-lived token that decreases every second', async () => {
    await waitUntil('the countdown', () => /^\$\(concur-logo\) 0:\d\d$/.test(api.statusBar.state.text));
    assert.equal(api.statusBar.state.background, 'statusBarItem.warningBackground');
    assert.ok(api.ticker.running, 'the clock runs while signed in');
    const first = api.statusBar.state.text;
    // What a screen reader reads changes by the minute, not with every tick.
    assert.match(api.statusBar.state.accessibilityLabel ?? '', /^Concur access token expires in (less than a minute|1 minute)$/);
    const labelChanges = api.statusBar.state.labelChanges;
    await waitUntil('the countdown to move', () => api.statusBar.state.text !== first, 2500);
    const secondsOf = (t: string): number => Number(/(\d+):(\d\d)$/.exec(t)?.[2]);
    assert.ok(secondsOf(api.statusBar.state.text) < secondsOf(first), `${api.statusBar.state.text} after ${first}`);
    await waitUntil('another tick', () => secondsOf(api.statusBar.state.text) < secondsOf(first) - 1, 2500);
    assert.equal(api.statusBar.state.accessibilityLabel, 'Concur access token expires in less than a minute');
    assert.ok(api.statusBar.state.labelChanges - labelChanges <= 1, `the accessibility label was set ${api.statusBar.state.labelChanges - labelChanges} times in two ticks`);
  });

  it('spins while refreshing and reads "expired" with the error colour once the token has expired', async () => {
    const id = api.sessions.activeSession?.id as string;
    mock.setFaults([{ route: '/oauth2/v0/token', kind: 'latency', ms: 1500, times: 1 }]);
    const refreshing = vscode.commands.executeCommand('concur.refreshToken');
    await waitUntil('the spinning icon', () => api.statusBar.state.text.startsWith('$(sync~spin)'), 1500);
    assert.ok(api.sessions.isRefreshing(id));
    await refreshing;
    await clearNotifications();
    assert.match(api.statusBar.state.text, /^\$\(concur-logo\) (0:\d\d|1:00)$/);
    // From now on Concur is unavailable: the token runs out, the session is kept. The token is made
    // to run out in 2 s rather than waiting the minute out.
    mock.setFaults([{ route: '/oauth2/v0/token', kind: 'html503' }]);
    await ageStoredSession(api, id, 2000);
    const expiresAt = api.sessions.activeSession?.expiresAt as number;
    await waitUntil('expiry', () => Date.now() > expiresAt + 1200, 30_000);
    await waitUntil('"expired"', () => api.statusBar.state.text === '$(concur-logo) expired');
    assert.equal(api.statusBar.state.accessibilityLabel, 'Concur access token expired');
    assert.equal(api.statusBar.state.background, 'statusBarItem.errorBackground');
    assert.equal(api.sessions.activeSession?.id, id, 'the session is kept while Concur is unavailable');
    mock.clearFaults();
    await clearNotifications();
  });

  it('clears the view and the countdown on sign-out, and stops the clock', async () => {
    await vscode.commands.executeCommand('concur.signOut', api.sessions.activeSession?.id);
    await clearNotifications();
    assert.deepEqual(await api.tree.getChildren(undefined), []);
    assert.equal(api.statusBar.state.text, '$(concur-logo) Concur: Sign In');
    await waitUntil('the clock to stop', () => !api.ticker.running, 2000);
    await vscode.workspace.getConfiguration('concur').update('statusBar.showWhenSignedOut', false, vscode.ConfigurationTarget.Global);
    await waitUntil('the item to hide', () => !api.statusBar.state.visible, 2000);
    await vscode.workspace.getConfiguration('concur').update('statusBar.showWhenSignedOut', undefined, vscode.ConfigurationTarget.Global);
  });
});
