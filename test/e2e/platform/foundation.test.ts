import * as assert from 'node:assert/strict';
import { openWorkbench, runCommand, screenshot, type Workbench } from '../workbench';

describe('Workbench (e2e)', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the Concur container in the activity bar with welcome text in its views', async () => {
    const { page } = workbench;
    await page.locator('.activitybar a.action-label[aria-label="Concur"]').click();
    const welcome = page.locator('.welcome-view-content', { hasText: 'Concur API Explorer keeps your SAP Concur sessions here' });
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'concur-view-welcome');
  });

  it('runs "Concur: Show Log" from the palette and shows the log channel', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Show Log');
    const output = page.locator('.part.panel .monaco-editor .view-lines');
    await output.filter({ hasText: 'Concur API Explorer' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await output.first().innerText()).replace(/\s+/g, ' ');
    assert.match(text, /activated in/);
    await screenshot(page, 'show-log');
  });
});
