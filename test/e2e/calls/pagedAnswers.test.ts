import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { answer, openWorkbench, runCommand, screenshot, signInWithPassword, type Workbench, toastsSeen, watchToasts } from '../workbench';

async function clearToasts(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The editor tab titled `title`, brought to the front. */
async function focusTab(page: Page, title: RegExp): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.waitFor({ state: 'visible', timeout: 20_000 });
  await tab.click();
  await page.locator('.tabs-container .tab.active', { hasText: title }).first().waitFor({ timeout: 5_000 });
}

describe('Paged answers from the palette: what Fetch All Pages says it fetched, and nothing shown as fetching without a session (e2e)', () => {
  let mock: MockConcur;
  let workbench: Workbench;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    workbench = await openWorkbench({ settings: { 'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }] } });
    await signInWithPassword(workbench.page, mock.demo);
    await clearToasts(workbench.page);
  });

  after(async () => {
    await workbench?.close();
    await mock?.close();
  });

  it('Fetch All Pages on the first page says "all N items"; on page 2 it says how many from page 2 on, not "all"', async () => {
    const { page } = workbench;
    // Expense v3 reports, two at a time: v3 paging follows NextPage.
    await runCommand(page, 'Concur: Call Endpoint');
    await answer(page, 'GET /api/v3.0/expense/reports', /Concur endpoint to call/);
    await answer(page, '2', /limit \(query\)/);
    await answer(page, '', /user \(query\)/);
    await focusTab(page, /GET ∕api∕v3\.0∕expense∕reports · 200\.json/);
    await runCommand(page, 'Concur: Load Next Page');
    await focusTab(page, /reports · 200 \(page 2\)\.json/);

    await runCommand(page, 'Concur: Fetch All Pages');
    const fromPage2 = page.locator('.tabs-container .tab', { hasText: /reports · 200 \(.*items.*\)\.json/ }).first();
    await fromPage2.waitFor({ state: 'visible', timeout: 30_000 });
    const title2 = (await fromPage2.innerText()).trim();
    const total = Number(/\((?:all )?(\d+) items/.exec(title2)?.[1]);
    assert.doesNotMatch(title2, /\ball\b/, `a merge from page 2 on is titled as all items: ${title2}`);
    assert.match(title2, /\(\d+ items from page 2 on\)/, title2);
    await page.locator('.notification-toast', { hasText: /Concur: (GET|fetching)/ }).first().waitFor({ state: 'hidden', timeout: 15_000 });
    await screenshot(page, 'fetch-all-pages-from-page-2');

    await focusTab(page, /GET ∕api∕v3\.0∕expense∕reports · 200\.json/);
    await runCommand(page, 'Concur: Fetch All Pages');
    const all = page.locator('.tabs-container .tab', { hasText: /reports · 200 \(all \d+ items\)\.json/ }).first();
    await all.waitFor({ state: 'visible', timeout: 30_000 });
    const everything = Number(/all (\d+) items/.exec(await all.innerText())?.[1]);
    // The first page's two are what page 2 on leaves out.
    assert.equal(total, everything - 2, `${title2} against ${await all.innerText()}`);
  });

  it('after Sign Out, Fetch All Pages and Fetch All Pages to File say so without a "fetching all pages" progress, ask for no format or file, and write none', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Sign Out');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Sign Out Here Only' }).click();
    await page.locator('.notification-toast', { hasText: 'Signed out of Concur' }).first().waitFor({ timeout: 15_000 });
    await clearToasts(page);

    await focusTab(page, /GET ∕api∕v3\.0∕expense∕reports · 200\.json/);
    await watchToasts(page);
    mock.resetLog();
    await runCommand(page, 'Concur: Fetch All Pages');
    const refusal = page.locator('.notification-toast', { hasText: 'That Concur session no longer exists. Sign in again.' }).first();
    await refusal.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(1000);
    await screenshot(page, 'fetch-all-pages-signed-out');
    await clearToasts(page);

    // To a file: the same refusal before the format or the file is asked for, and no file.
    await focusTab(page, /GET ∕api∕v3\.0∕expense∕reports · 200\.json/);
    await runCommand(page, 'Concur: Fetch All Pages to File');
    await refusal.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(1000);
    const seen = await toastsSeen(page);
    assert.deepEqual(seen.filter((t) => /fetching all pages|writing all pages/i.test(t)), [], `a progress showed for pages that are never fetched: ${seen.join(' | ')}`);
    assert.deepEqual(mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks').map((r) => r.path), []);
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'a format or a file was asked for');
    assert.deepEqual(fs.readdirSync(workbench.workspace).filter((name) => /\.(ndjson|json|csv)$/.test(name)), [], 'a file was written');
    await screenshot(page, 'fetch-all-pages-to-file-signed-out');
    await clearToasts(page);
  });
});
