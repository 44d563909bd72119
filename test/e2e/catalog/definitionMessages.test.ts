import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { scriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { answer, openWorkbench, runCommand, screenshot, type Workbench } from '../workbench';

/** The message of the first toast that matches, once it shows, in one line (without its buttons). */
async function toast(page: Page, text: RegExp): Promise<string> {
  const found = page.locator('.notification-toast', { hasText: text }).first();
  await found.waitFor({ state: 'visible', timeout: 30_000 });
  return (await found.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();
}

async function clearToasts(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

/** A screenshot once the progress toast has closed and the message's toast stands still. */
async function settledScreenshot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1300, 300);
  await page.locator('.notification-toast', { hasText: /Reading the API definition|Downloading Concur's API definitions/ }).first().waitFor({ state: 'hidden', timeout: 15_000 });
  await page.waitForTimeout(800);
  await screenshot(page, name);
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('API definitions that cannot be read: what the message names (e2e)', () => {
  let missing: ScriptedServer;
  let workbench: Workbench;

  before(async () => {
    // A server that has no definition file at all.
    missing = await scriptedServer(() => ({ status: 404, body: 'Not Found' }));
    workbench = await openWorkbench({
      // Concur's published files from an address that does not resolve: the offline case, without a network.
      settings: { 'concur.publishedApiDefinitionsBaseUrl': 'https://published-definitions.invalid/api-explorer' },
    });
  });

  after(async () => {
    await workbench?.close();
    await missing?.close();
  });

  it('"Add API Definition…" from a URL whose host does not resolve: names the URL once, and no base URL the user never wrote', async () => {
    const { page } = workbench;
    const url = 'https://definitions.invalid/openapi.json';
    await runCommand(page, 'Concur: Add API Definition');
    await answer(page, 'From a URL', /Where is the API definition/);
    await answer(page, url, /The https URL of a Swagger 2\.0 or OpenAPI 3 document/);
    const said = await toast(page, /openapi\.json could not be read/);
    assert.equal(said, 'The API definition https://definitions.invalid/openapi.json could not be read: Could not find definitions.invalid (DNS). Check your network and the address. It was not added.');
    assert.doesNotMatch(said, /base URL/);
    await settledScreenshot(page, 'add-api-definition-not-found');
    await clearToasts(page);
  });

  it('"Add API Definition…" from a URL that answers 404: the URL once, the status, one period', async () => {
    const { page } = workbench;
    const url = `${missing.url}/nope.json`;
    await runCommand(page, 'Concur: Add API Definition');
    await answer(page, 'From a URL', /Where is the API definition/);
    await answer(page, url, /The https URL of a Swagger 2\.0 or OpenAPI 3 document/);
    const said = await toast(page, /nope\.json could not be read/);
    assert.equal(said, `The API definition ${url} could not be read: the server answered HTTP 404. It was not added.`);
    assert.equal(occurrences(said, url), 1, said);
    assert.doesNotMatch(said, /\.\./);
    await settledScreenshot(page, 'add-api-definition-404');
    await clearToasts(page);
  });

  it('"Add Concur\'s Published API Definitions…" offline: says none was added, and the one cause once', async () => {
    const { page } = workbench;
    await runCommand(page, "Concur: Add Concur's Published API Definitions");
    const widget = page.locator('.quick-input-widget');
    const lists = widget.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Lists$/ }) }).first();
    await lists.waitFor({ timeout: 15_000 });
    // Every family starts picked: the header's box clears them all, then Lists alone is picked.
    const all = widget.locator('.quick-input-header [aria-label="Toggle all checkboxes"]');
    if ((await all.getAttribute('aria-checked')) === 'true') await all.click();
    await lists.click();
    await page.waitForTimeout(300);
    const picked = await widget.locator('.quick-input-list .monaco-list-row[aria-checked="true"]').allInnerTexts();
    assert.deepEqual(picked.map((t) => t.trim().split('\n')[0]), ['Lists']);
    await screenshot(page, 'add-published-definitions-lists');
    await page.keyboard.press('Enter');
    const said = await toast(page, /API definitions (could|to the)/);
    assert.doesNotMatch(said, /Added 0/, said);
    assert.match(said, /^None of Concur's 5 API definitions could be added: Could not find published-definitions\.invalid \(DNS\)\. Check your network and the address\./, said);
    // One cause, said once (not once per file).
    assert.equal(occurrences(said, 'Could not find'), 1, said);
    assert.doesNotMatch(said, /base URL/);
    await settledScreenshot(page, 'add-published-definitions-offline');
    await clearToasts(page);
  });
});
