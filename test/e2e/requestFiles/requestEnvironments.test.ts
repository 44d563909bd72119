import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, screenshot, screenshotOf, type Workbench } from '../workbench';

describe('Request file environments in the workbench UI (e2e)', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
    fs.writeFileSync(path.join(workbench.workspace, 'http-client.env.json'), JSON.stringify({ dev: { country: 'FR' }, prod: { country: 'DE' } }, null, 2));
    fs.writeFileSync(path.join(workbench.workspace, 'countries.http'), '### A country from the chosen environment\nGET /localities/v5/countries/{{country}}\n');
  });

  after(async () => {
    await workbench?.close();
  });

  it('clicking the status bar item lists the environments; picking one shows it in the status bar', async () => {
    const { page } = workbench;
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially('countries.http', { delay: 10 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'countries.http' }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'countries.http' }).waitFor({ state: 'visible', timeout: 15_000 });

    // The item VS Code draws for the extension's status bar entry "concur.requestEnvironment".
    const item = page.locator('.statusbar-item[id$="concur.requestEnvironment"]');
    await item.filter({ hasText: 'No Environment' }).waitFor({ state: 'visible', timeout: 30_000 });
    await item.click();

    const widget = page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await widget.locator('input').first().getAttribute('placeholder'), 'The environment whose variables request files use');
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'prod' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const listed = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(listed.some((t) => t.startsWith('No Environment')), listed.join(' | '));
    assert.ok(listed.some((t) => /^dev\s*http-client\.env\.json/.test(t)), listed.join(' | '));
    assert.ok(listed.some((t) => /^prod\s*http-client\.env\.json/.test(t)), listed.join(' | '));
    await screenshot(page, 'request-environment-picker');
    await rows.filter({ has: page.locator('.label-name', { hasText: /^dev$/ }) }).first().click();

    await item.filter({ hasText: /^\s*dev\s*$/ }).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await item.filter({ hasText: 'No Environment' }).count(), 0);
    await screenshotOf(page.locator('.statusbar'), 'request-environment-status-bar');

    // The choice is this workspace's: the palette command shows it as chosen.
    await item.click();
    await rows.filter({ hasText: 'dev' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const devRow = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).find((t) => t.startsWith('dev'));
    assert.match(devRow ?? '', /chosen/);
    await page.keyboard.press('Escape');
  });
});
