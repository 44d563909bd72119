import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { clearNotifications, labelOf, readLog, signInToMock, signOutEverything, testingApi, type TestingApi, waitUntil, walkTree } from '../helpers';

function activeDocument(): vscode.TextDocument {
  const doc = vscode.window.activeTextEditor?.document;
  assert.ok(doc, 'no active editor');
  return doc;
}

describe('Calling Concur APIs (responses as editor tabs)', () => {
  /** What the test's calls sent: the Sessions view's background signature check may fetch the JWKS meanwhile. */
  const calls = (): MockConcur['requests'] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks');
  let mock: MockConcur;
  let api: TestingApi;

  const signIn = (grant: 'password' | 'companyRequestToken'): Promise<void> => signInToMock(mock, grant);

  before(async () => {
    mock = await startMockConcur({ quiet: true });
    api = await testingApi();
    await signIn('password');
  });

  after(async () => {
    await signOutEverything(api);
    await mock.close();
  });

  it('"Open My Profile" opens the profile as a JSON tab, fetched from the geolocation', async () => {
    mock.resetLog();
    await vscode.commands.executeCommand('concur.openProfile');
    const doc = activeDocument();
    assert.equal(doc.uri.scheme, 'concur-response');
    assert.equal(doc.languageId, 'json');
    const profile = JSON.parse(doc.getText()) as { id: string; displayName: string; emails: { value: string }[] };
    assert.equal(profile.id, mock.demo.userId);
    assert.equal(profile.emails[0].value, mock.demo.username);
    assert.match(doc.getText(), /^\{\n {2}"/, 'pretty-printed');
    assert.match(doc.uri.path, /GET ∕profile∕v1∕me · 200\.json$/);
    assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo GET /profile/v1/me 200']);
    await waitUntil('the response status entry', () => /200 OK · \d+ ms · [\d.]+ KB/.test(api.responseStatusBar.text ?? ''));
    assert.ok(doc.isUntitled === false && !doc.isDirty);
  });

  it('says once that Profile v1 is deprecated, and that a user token cannot call its successor (Identity v4.1 takes company tokens)', async () => {
    const said = (): string[] => api.messages.recent.filter((m) => /^"Open My Profile" calls Profile v1\. Deprecated by Concur since 2025-05-15\. Use Identity v4\.1: User by id/.test(m));
    await waitUntil('the deprecation notice', () => said().length === 1);
    assert.match(said()[0], /Your token cannot \(Needs a company token; the active token is a user token\.\), so Open My Profile keeps calling Profile v1\.$/);
    await vscode.commands.executeCommand('concur.openProfile');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(said().length, 1, 'said twice');
    await clearNotifications();
  });

  it('marks the deprecated entry in the API Catalog, and filters the catalog by what is typed', async () => {
    const rows = async (): Promise<{ label: string; description: string; tooltip: string; spoken: string }[]> =>
      (await walkTree(api.catalog)).map(({ item }) => ({
        label: labelOf(item),
        description: String(item.description ?? ''),
        tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? ''),
        spoken: item.accessibilityInformation?.label ?? '',
      }));
    const profile = (await rows()).find((r) => r.label === 'GET /profile/v1/me');
    assert.match(profile?.description ?? '', /^deprecated · My profile/);
    // Read aloud with the whole note: since when, and what to use instead.
    assert.match(profile?.spoken ?? '', /^GET \/profile\/v1\/me, My profile, Profile v1, Deprecated by Concur since 2025-05-15\. Use Identity v4\.1: User by id/);
    assert.equal((await rows()).find((r) => r.label === 'Profile v1')?.spoken, 'Profile v1, 1 endpoint');
    assert.match(profile?.tooltip ?? '', /Deprecated by Concur since 2025-05-15\. Use Identity v4\.1: User by id/);
    await vscode.commands.executeCommand('concur.filterCatalog', 'receipts');
    const receipts = ['Receipts v4', 'GET /receipts/v4/users/{userId}', 'GET /receipts/v4/{receiptId}', 'GET /receipts/v4/status/{receiptId}', 'POST /receipts/v4/users/{userId}'];
    assert.deepEqual((await rows()).map((r) => r.label), receipts);
    await vscode.commands.executeCommand('concur.filterCatalog', 'receipts.writeonly');
    assert.deepEqual((await rows()).map((r) => r.label), ['Receipts v4', 'POST /receipts/v4/users/{userId}']);
    await vscode.commands.executeCommand('concur.clearCatalogFilter');
    assert.ok((await rows()).length > 20);
  });

  it('runs a catalog endpoint with a path parameter prefilled from the token\'s sub', async () => {
    mock.resetLog();
    await vscode.commands.executeCommand('concur.callEndpoint', 'receipts.v4.user', {});
    const doc = activeDocument();
    assert.deepEqual(calls().map((r) => `${r.host} ${r.path} ${r.status}`), [`geo /receipts/v4/users/${mock.demo.userId} 200`]);
    assert.ok(JSON.parse(doc.getText()), 'a JSON receipts document');
  });

  it('explains a 403: which scope the endpoint needs and which the token has', async () => {
    mock.resetLog();
    await vscode.commands.executeCommand('concur.callEndpoint', 'identity.v4.users', {});
    assert.equal(calls()[0]?.status, 403);
    const doc = activeDocument();
    assert.match(doc.uri.path, /· 403\.json$/, 'the raw error body is open');
    await waitUntil('the explanation in the log', () => /Users \(Identity v4\) accepts company tokens; this is a user token/.test(readLog(api)));
    await clearNotifications();
  });

  it('offers the next page and fetches all 2,500 users into one document (company token)', async () => {
    await signIn('companyRequestToken');
    // Profile v1's successor reads the user with a company token.
    mock.resetLog();
    await vscode.commands.executeCommand('concur.callEndpoint', 'identity.v41.user', { id: mock.demo.userId });
    assert.deepEqual(calls().map((r) => `${r.host} ${r.path} ${r.status}`), [`geo /profile/identity/v4.1/Users/${mock.demo.userId} 200`]);
    assert.equal((JSON.parse(activeDocument().getText()) as { id: string }).id, mock.demo.userId);
    await vscode.commands.executeCommand('concur.callEndpoint', 'identity.v4.users', {});
    const first = JSON.parse(activeDocument().getText()) as { totalResults: number; Resources: unknown[] };
    assert.equal(first.totalResults, 2500);
    assert.equal(first.Resources.length, 100);
    await vscode.commands.executeCommand('concur.loadNextPage');
    const second = JSON.parse(activeDocument().getText()) as { startIndex: number };
    assert.equal(second.startIndex, 101);
    assert.match(activeDocument().uri.path, /\(page 2\)/);
    await vscode.commands.executeCommand('workbench.action.previousEditor');
    mock.resetLog();
    await vscode.commands.executeCommand('concur.fetchAllPages');
    await clearNotifications();
    const all = JSON.parse(activeDocument().getText()) as { Resources: { id: string }[] };
    assert.equal(all.Resources.length, 2500);
    assert.equal(new Set(all.Resources.map((r) => r.id)).size, 2500);
    assert.match(activeDocument().uri.path, /all 2,500 items/);
    assert.equal(calls().length, 24, 'the first page is reused; 24 more were fetched');
  });

  it('opens a 20 MB JSON response as a pretty-printed tab', async () => {
    mock.setFaults([{ route: '/localities/v5/countries', kind: 'largeBody', mb: 20 }]);
    try {
      await vscode.commands.executeCommand('concur.callEndpoint', 'localities.v5.countries', {});
    } finally {
      mock.clearFaults();
    }
    // Above 16 MB the tab shows the file the answer was formatted into, through the extension's read-only concur-answer: scheme.
    try {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      assert.ok(input instanceof vscode.TabInputText, 'no text tab is active');
      assert.equal(input.uri.scheme, 'concur-answer');
      assert.match(input.uri.path, /countries · 200\.json$/);
      const text = Buffer.from(await vscode.workspace.fs.readFile(input.uri)).toString('utf8');
      assert.ok(text.length > 25 * 1024 * 1024, `${text.length} characters`);
      assert.match(text.slice(0, text.indexOf('\n', 2) + 1), /^\{\n {2}"totalResults": \d+,\n$/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('keeps a request history and copies a request as cURL without the token', async () => {
    assert.ok(api.requests.entries.length >= 5);
    // A history entry reads as words: "GET /profile/v1/me, 200 OK, 120 milliseconds, 2 minutes ago".
    const entries = (await api.history.getChildren(undefined)) ?? [];
    const ok = entries.find((e) => api.requests.entries.find((r) => r.id === e.id)?.status === 200);
    assert.ok(ok, 'no answered request in the history');
    const item = await api.history.getTreeItem(ok);
    const spoken = item.accessibilityInformation?.label ?? '';
    assert.match(spoken, /^(GET|POST|PUT|PATCH|DELETE) \/\S*, 200 OK, [\d.,]+ (milliseconds|seconds?), (now|\d+ (seconds?|minutes?) ago)$/);
    assert.ok(spoken.startsWith(`${labelOf(item)}, `), spoken);
    assert.doesNotMatch(spoken, /\bms\b|·/);
    assert.equal(api.requests.entries.at(-1)?.sent?.url, `${mock.geoUrl}/profile/v1/me`);
    const curl = (await vscode.commands.executeCommand('concur.copyAsCurl', undefined, false)) as string;
    assert.match(curl, /^curl -sS --globoff 'http:\/\/127\.0\.0\.1:\d+\/profile\/identity\/v4\/Users/);
    assert.match(curl, /"Authorization: Bearer \$CONCUR_TOKEN"/);
    assert.ok(!curl.includes(api.sessions.activeSession?.accessToken as string), 'no token in the command');
  });
});
