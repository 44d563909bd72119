import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../host/paths';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { scriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { answer, openWorkbench, runCommand, screenshot, screenshotOf, widenSideBar, type Workbench, signInWithPassword } from '../workbench';

describe('Sign in through the workbench UI (e2e)', () => {
  /** What the test's actions sent: the Sessions view's background signature check may fetch the JWKS meanwhile. */
  const calls = (): MockConcur['requests'] => mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks');
  let mock: MockConcur;
  let other: ScriptedServer;
  let workbench: Workbench;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    other = await scriptedServer(() => ({ status: 200, body: { stolen: true } }));
    workbench = await openWorkbench({
      settings: {
        'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }],
        'concur.apiDefinitions': [path.join(repoRoot, 'test', 'fixtures', 'integration', 'sample-localities.yaml')],
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await mock?.close();
    await other?.close();
  });

  it('signs in from the palette, step by step, and shows the countdown and the claims', async () => {
    const { page } = workbench;
    await signInWithPassword(page, mock.demo, { beforePassword: () => screenshot(page, 'sign-in-password-step'), waitForSignedIn: false });

    const countdown = page.locator('.statusbar-item', { hasText: /^\s*\d+:\d\d(:\d\d)?\s*$/ }).first();
    await countdown.waitFor({ state: 'visible', timeout: 20_000 });
    const first = (await countdown.innerText()).trim();
    assert.match(first, /^(59:\d\d|1:00:00)$/);
    await screenshotOf(page.locator('.statusbar'), 'status-bar-countdown');
    await page.waitForTimeout(2200);
    const later = (await countdown.innerText()).trim();
    const seconds = (t: string): number => t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
    assert.ok(seconds(later) < seconds(first), `the countdown went from ${first} to ${later}`);
    assert.ok(mock.requests.some((r) => r.path === '/oauth2/v0/token' && r.host === 'geo' && r.status === 200), 'the token came from the home datacenter');

    await page.locator('.activitybar a.action-label[aria-label="Concur"]').click();
    // Room for the claims: fold the API Catalog view below the Sessions view.
    const catalogHeader = page.locator('.pane-header', { hasText: 'API Catalog' });
    if ((await catalogHeader.getAttribute('aria-expanded')) === 'true') await catalogHeader.click();
    const tree = page.locator('.pane-body .monaco-list').first();
    await tree.locator('.monaco-list-row', { hasText: mock.demo.username }).waitFor({ timeout: 15_000 });
    for (const text of ['Access token', 'Claims', 'sub', 'exp', 'concur.scopes']) {
      await tree.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: 10_000 });
    }
    // The demo app has many scopes: their list starts folded, and opens on a click.
    const scopesRow = tree.locator('.monaco-list-row', { hasText: 'concur.scopes' }).first();
    if ((await scopesRow.getAttribute('aria-expanded')) !== 'true') await scopesRow.click();
    await tree.locator('.monaco-list-row', { hasText: 'user.read' }).first().waitFor({ timeout: 10_000 });
    await page.locator('.notifications-toasts').getByText('Signed in to Concur').first().waitFor({ timeout: 5_000 });
    await widenSideBar(page, 260);
    await page.waitForTimeout(300);
    await screenshot(page, 'signed-in-claims-and-countdown');
  });

  it('opens the profile from the palette as a JSON tab', async () => {
    const { page } = workbench;
    mock.resetLog();
    await runCommand(page, 'Concur: Open My Profile');
    const tab = page.locator('.tabs-container .tab', { hasText: /GET ∕profile∕v1∕me · 200/ });
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    // The tab's lines, once drawn with the profile (the editor may draw them again meanwhile: read until they hold it).
    const editor = page.locator('.editor-instance .monaco-editor .view-lines', { hasText: mock.demo.userId }).first();
    await editor.waitFor({ timeout: 10_000 });
    let text = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      text = (await editor.innerText().catch(() => '')).replace(/\s+/g, ' ');
      if (/"displayName": "Dana Traveler"/.test(text)) break;
    }
    assert.match(text, /"displayName": "Dana Traveler"/);
    assert.deepEqual(calls().map((r) => `${r.host} ${r.path} ${r.status}`), ['geo /profile/v1/me 200']);
    const status = page.locator('.statusbar-item', { hasText: /200 OK · \d+ ms/ });
    await status.waitFor({ state: 'visible', timeout: 5_000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'profile-json-tab');
  });

  it('lists the API catalog with a warning where the token lacks what an endpoint needs', async () => {
    const { page } = workbench;
    const header = (name: string) => page.locator('.pane-header', { hasText: name });
    if ((await header('Sessions').getAttribute('aria-expanded')) === 'true') await header('Sessions').click();
    if ((await header('API Catalog').getAttribute('aria-expanded')) !== 'true') await header('API Catalog').click();
    const row = page.locator('.monaco-list-row', { hasText: 'GET /profile/identity/v4/Users' }).first();
    await row.waitFor({ timeout: 10_000 });
    // A user token cannot call Identity (company tokens only): the row carries the warning icon.
    assert.ok(await row.locator('.codicon-warning').count(), 'no warning on an Identity endpoint for a user token');
    const profileRow = page.locator('.monaco-list-row', { hasText: 'GET /profile/v1/me' }).first();
    assert.equal(await profileRow.locator('.codicon-warning').count(), 0);
    await screenshot(page, 'api-catalog');
  });

  it('finds an endpoint by its scope and reveals it in the API Catalog', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Find Endpoint');
    await answer(page, 'receipts.read', /Find a Concur endpoint/);
    const selected = page.locator('.monaco-list-row.selected', { hasText: 'GET /receipts/v4/users/{userId}' });
    await selected.waitFor({ timeout: 10_000 });
    await screenshot(page, 'find-endpoint-revealed');
  });

  it('"Call API…": a path that names another server is refused while typing, and Enter sends nothing', async () => {
    const { page } = workbench;
    mock.resetLog();
    await runCommand(page, 'Concur: Call API');
    await answer(page, 'GET', /HTTP method/);
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    // The path step: its prompt, or already what the prefilled path would do.
    await widget.getByText(/A path such as \/profile\/v1\/me|Sends to /).first().waitFor({ timeout: 10_000 });
    await input.fill('');
    await input.pressSequentially(`//127.0.0.1:${other.port}/steal`, { delay: 10 });
    const refusal = widget.getByText(new RegExp(`names another host \\(127\\.0\\.0\\.1:${other.port}\\)`));
    await refusal.waitFor({ timeout: 10_000 });
    await screenshot(page, 'call-api-refuses-another-host');
    await input.press('Enter');
    await page.waitForTimeout(500);
    assert.ok(await widget.isVisible(), 'Enter accepted a refused path');
    // The same box says where a path does go.
    await input.fill('/profile/v1/me');
    await widget.getByText(new RegExp(`Sends to ${mock.geoUrl.replace(/[.:/]/g, '\\$&')}/profile/v1/me`)).waitFor({ timeout: 10_000 });
    await input.press('Escape');
    assert.deepEqual(other.requests, [], 'the other server was reached');
    assert.deepEqual(calls(), [], 'nothing was sent at all');
  });

  it('a 50 MB answer opens in a tab from a file, with its status, duration and size in the status bar', async () => {
    const { page } = workbench;
    mock.setFaults([{ route: '/localities/v5/countries', kind: 'largeBody', mb: 50 }]);
    try {
      await runCommand(page, 'Concur: Call API');
      await answer(page, 'GET', /HTTP method/);
      const widget = page.locator('.quick-input-widget');
      await widget.getByText(/A path such as \/profile\/v1\/me|Sends to /).first().waitFor({ timeout: 10_000 });
      const input = widget.locator('input').first();
      await input.fill('/localities/v5/countries');
      // The typed path, not the one the box opened with: Enter before the box has read it sends the old one.
      await widget.getByText(/Sends to \S*\/localities\/v5\/countries/).first().waitFor({ timeout: 10_000 });
      await input.press('Enter');
      const tab = page.locator('.tabs-container .tab', { hasText: /countries · 200\.json/ });
      await tab.waitFor({ state: 'visible', timeout: 90_000 });
    } finally {
      mock.clearFaults();
    }
    await page.locator('.statusbar-item', { hasText: /200 OK · \d+ ms · (5\d|6\d)\.\d MB/ }).waitFor({ state: 'visible', timeout: 15_000 });
    // Readable at once: VS Code in the browser would ask first about a file this large, but not about an answer the extension wrote.
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.filter({ hasText: '"totalResults":' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('button', { name: 'Open Anyway' }).count(), 0);
    // The breadcrumb names the request, not the storage folders.
    const breadcrumbs = await page.locator('.breadcrumbs-control').first().innerText();
    assert.ok(!/globalStorage|responses/.test(breadcrumbs), breadcrumbs);
    assert.match(breadcrumbs, /GET ∕localities∕v5∕countries · 200\.json/);
    await page.waitForTimeout(500);
    await screenshot(page, 'large-answer-tab');
    // The response tab's commands are offered on the file too: Filter Response… from the palette.
    await runCommand(page, 'Concur: Filter Response');
    await answer(page, '$.Resources[1].userName', /JSONPath/);
    await page.locator('.tabs-container .tab', { hasText: /Resources\[1\]\.userName · 1 match/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().filter({ hasText: '"user1@bulk.example"' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+W');
    await page.keyboard.press('Control+W');
  });

  it('a write from the catalog: the body tab with its required fields, Send from the CodeLens, a dialog naming method, path, host and account', async () => {
    const { page } = workbench;
    // A list to add an item to, read the way any client would.
    const token = mock.issueTokens({}).access_token;
    const lists = (await (await fetch(`${mock.geoUrl}/list/v4/lists`, { headers: { authorization: `Bearer ${token}` } })).json()) as { content: { id: string }[] };
    const listId = lists.content[0].id;

    await runCommand(page, 'Concur: Find Endpoint');
    await answer(page, 'POST /list/v4/items', /Find a Concur endpoint/);
    const row = page.locator('.monaco-list-row.selected', { hasText: 'POST /list/v4/items' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'POST ∕list∕v4∕items body.json' });
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').filter({ hasText: '"shortCode": ""' }).waitFor({ timeout: 10_000 });
    // Fill the three required fields: go to each line, into its empty quotes, and type.
    for (const [line, value] of [[3, listId], [4, 'E2E'], [5, 'Typed in the body tab']] as const) {
      await page.keyboard.press('Control+G');
      await page.keyboard.insertText(String(line));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      if (line !== 5) await page.keyboard.press('ArrowLeft');
      await page.keyboard.insertText(value);
    }
    await editor.locator('.view-lines').filter({ hasText: 'Typed in the body tab' }).waitFor({ timeout: 5_000 });
    const lens = page.locator('.codelens-decoration a', { hasText: /Send POST \/list\/v4\/items to 127\.0\.0\.1:\d+ as / });
    await lens.waitFor({ state: 'visible', timeout: 15_000 });
    assert.ok(await page.locator('.editor-actions .action-label[aria-label="Concur: Send Request"], .editor-actions .action-label[aria-label="Send Request"]').count(), 'no Send button in the editor title');
    await screenshot(page, 'write-request-body-tab');

    mock.resetLog();
    await lens.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`Send POST /list/v4/items to ${new URL(mock.geoUrl).host.replace(/\./g, '\\.')} as ${mock.demo.username.replace(/\./g, '\\.')}\\?`));
    assert.match(text, /changes data in Concur/);
    assert.deepEqual(calls(), [], 'sent before the answer');
    await screenshot(page, 'write-request-confirmation');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await page.locator('.tabs-container .tab', { hasText: /POST ∕list∕v4∕items · 201/ }).waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo POST /list/v4/items 201']);
    await page.locator('.editor-instance .monaco-editor .view-lines').filter({ hasText: 'Typed in the body tab' }).first().waitFor({ timeout: 10_000 });
  });

  it('an API definition\'s operation from the catalog: the answer\'s differences from its schema show in the tab and the status bar', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Find Endpoint');
    await answer(page, 'the answer breaks', /Find a Concur endpoint/);
    const row = page.locator('.monaco-list-row.selected', { hasText: 'GET /localities/v5/countries' });
    await row.waitFor({ timeout: 15_000 });
    mock.resetLog();
    await row.click();
    await page.locator('.tabs-container .tab', { hasText: /GET ∕localities∕v5∕countries · 200/ }).waitFor({ state: 'visible', timeout: 20_000 });
    const status = page.locator('.statusbar-item', { hasText: /200 OK · .* schema difference/ });
    await status.waitFor({ state: 'visible', timeout: 10_000 }).catch(async (e: unknown) => {
      await screenshot(page, 'schema-differences-failed');
      throw e;
    });
    // Warnings are drawn in the tab, where the answer differs.
    await page.locator('.editor-instance .monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: 10_000 });
    assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo GET /localities/v5/countries 200']);
    await page.waitForTimeout(300);
    await screenshot(page, 'schema-differences');
  });

  it('"Add API Definition…" from the palette: a file picked in the dialog becomes a product in the API Catalog', async () => {
    const { page } = workbench;
    const file = path.join(repoRoot, 'test', 'fixtures', 'definitions', 'sample-travel.openapi.yaml');
    await runCommand(page, 'Concur: Add API Definition');
    await answer(page, 'From a File', /Where is the API definition/);
    // VS Code's own file dialog (in the browser, the quick-input one): type the path and accept.
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    await widget.getByText('Add to the API Catalog').first().waitFor({ timeout: 15_000 });
    await input.fill(file);
    await page.waitForTimeout(500);
    // The dialog's own button, as a user clicks it (Enter may first complete the typed path).
    const ok = widget.getByText('Add to the API Catalog').first();
    for (let i = 0; i < 3 && (await ok.isVisible()); i++) {
      if ((await input.inputValue()) !== file) await input.fill(file);
      await ok.click();
      await page.waitForTimeout(800);
    }
    const product = page.locator('.monaco-list-row', { hasText: 'Sample Travel 2.0' }).first();
    await product.waitFor({ timeout: 20_000 }).catch(async (e: unknown) => {
      await screenshot(page, 'api-definition-not-added');
      throw e;
    });
    await page.waitForTimeout(300);
    await screenshot(page, 'api-definition-added');
  });

  it('a request file: highlighted, Send Request above each request, the answer in a response tab', async () => {
    const { page } = workbench;
    fs.copyFileSync(path.join(repoRoot, 'test', 'demo', 'requests.http'), path.join(workbench.workspace, 'concur-requests.http'));
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially('concur-requests.http', { delay: 10 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'concur-requests.http' }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'concur-requests.http' }).waitFor({ state: 'visible', timeout: 15_000 });
    const lens = page.locator('.codelens-decoration a', { hasText: 'Send Request' }).first();
    await lens.waitFor({ state: 'visible', timeout: 20_000 });
    assert.ok(await page.locator('.codelens-decoration a', { hasText: /Send All \(5\)/ }).count(), 'no Send All lens');
    await screenshot(page, 'request-file');
    // The grammar colours the method apart from the path (plain text would be one span of one colour).
    const line = page.locator('.view-line', { hasText: 'GET /profile/v1/me' }).first();
    const classes = await line.locator('span > span').evaluateAll((spans) => spans.map((s) => `${s.textContent ?? ''}=${s.className}`));
    const method = classes.find((c) => c.startsWith('GET='));
    const url = classes.find((c) => c.includes('/profile/v1/me='));
    assert.ok(method && url, classes.join(' | '));
    assert.notEqual(method.split('=')[1], url.split('=')[1], classes.join(' | '));
    mock.resetLog();
    await lens.click();
    for (let i = 0; i < 100 && calls().length === 0; i++) await page.waitForTimeout(100);
    assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo GET /profile/v1/me 200']);
    await page.locator('.tabs-container .tab.active', { hasText: /GET ∕profile∕v1∕me · 200/ }).waitFor({ state: 'visible', timeout: 20_000 });

    // Ctrl+Alt+R sends the request under the cursor.
    await page.locator('.tabs-container .tab', { hasText: 'concur-requests.http' }).click();
    await page.keyboard.press('Control+G');
    await page.keyboard.insertText('21');
    await page.keyboard.press('Enter');
    mock.resetLog();
    await page.keyboard.press('Control+Alt+R');
    for (let i = 0; i < 100 && calls().length === 0; i++) await page.waitForTimeout(100);
    assert.deepEqual(calls().map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), ['geo GET /localities/v5/countries/DE 200']);
  });
});

