import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../host/paths';
import { startMockConcur, type MockConcur } from '../../mock-concur/index';
import { answer, openWorkbench, runCommand, screenshot, type Workbench, signInWithPassword } from '../workbench';

describe('A receipt image uploaded from the body tab (e2e)', () => {
  let mock: MockConcur;
  let workbench: Workbench;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    workbench = await openWorkbench({
      settings: {
        'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }],
        // The repository's stand-in for Concur's Receipts v4 file: a multipart POST with a receipt and an image.
        'concur.apiDefinitions': [path.join(repoRoot, 'test', 'fixtures', 'published', 'v4-0', 'Receipts.swagger2.json')],
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await mock?.close();
  });

  it('picks the operation in the catalog, chooses the image with the lens, sends multipart, and the server gets the file\'s exact bytes', async () => {
    const { page } = workbench;
    await signInWithPassword(page, mock.demo);

    const image = path.join(workbench.workspace, 'taxi receipt.png');
    const bytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(30_000), Buffer.from('\r\n--\r\n')]);
    fs.writeFileSync(image, bytes);

    await runCommand(page, 'Concur: Find Endpoint');
    await answer(page, 'Post a receipt, with its image', /Find a Concur endpoint/);
    const row = page.locator('.monaco-list-row.selected', { hasText: 'POST /receipts/v4/users/{userId}' });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    // The user's id comes prefilled from the token: Enter takes it.
    await answer(page, mock.demo.userId, /userId/);
    const tab = page.locator('.tabs-container .tab', { hasText: /POST ∕receipts∕v4∕users∕.* form\.json/ });
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').filter({ hasText: '"image": ""' }).waitFor({ timeout: 10_000 });

    // The receipt's JSON, typed into its field (line 3: "receipt": "").
    await page.keyboard.press('Control+G');
    await page.keyboard.insertText('3');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.insertText('{\\"merchant\\": {\\"name\\": \\"Taxi\\"}, \\"total\\": 23.4, \\"currencyCode\\": \\"USD\\"}');

    // "Choose File…" above the image field opens VS Code's file dialog (in the browser, its quick-input one).
    const choose = page.locator('.codelens-decoration a', { hasText: 'Choose File…' });
    await choose.waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'form-body-tab');
    await choose.click();
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    const ok = widget.getByText('Choose', { exact: true }).first();
    await ok.waitFor({ timeout: 15_000 });
    for (let i = 0; i < 3 && (await ok.isVisible()); i++) {
      if ((await input.inputValue()) !== image) await input.fill(image);
      await page.waitForTimeout(300);
      await ok.click();
      await page.waitForTimeout(800);
    }
    await editor.locator('.view-lines').filter({ hasText: 'taxi receipt.png' }).waitFor({ timeout: 10_000 });

    const send = page.locator('.codelens-decoration a', { hasText: /Send POST \/receipts\/v4\/users\/.* to 127\.0\.0\.1:\d+ as / });
    await send.waitFor({ state: 'visible', timeout: 15_000 });
    mock.resetLog();
    await send.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await dialog.innerText();
    assert.match(text, /Form fields: receipt \(\d+ B\), image: taxi receipt\.png \(29\.3 KB\)/);
    await screenshot(page, 'form-upload-confirmation');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await page.locator('.tabs-container .tab', { hasText: /POST ∕receipts∕v4∕users∕.* · 201/ }).waitFor({ state: 'visible', timeout: 20_000 });

    const sent = mock.requests.filter((r) => r.path.startsWith('/receipts/'));
    assert.deepEqual(sent.map((r) => `${r.host} ${r.method} ${r.path} ${r.status}`), [`geo POST /receipts/v4/users/${mock.demo.userId} 201`]);
    const [upload] = mock.uploads();
    assert.ok(upload?.image);
    assert.equal(upload.image.filename, 'taxi receipt.png');
    assert.equal(upload.image.contentType, 'image/png');
    assert.equal(upload.image.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(upload.receipt, { merchant: { name: 'Taxi' }, total: 23.4, currencyCode: 'USD' });
    await page.waitForTimeout(300);
    await screenshot(page, 'form-upload-sent');
  });
});
