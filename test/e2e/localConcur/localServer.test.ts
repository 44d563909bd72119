/**
 * "Trying it without a Concur company", as a user does it: Start Local Concur Server from the
 * palette, the tab with the demo company opens, its "Sign In to It" lens signs in in one step, and
 * the status bar names the server's address. The screenshot is the README's.
 */
import * as assert from 'node:assert/strict';
import { openWorkbench, runCommand, screenshot, type Workbench } from '../workbench';

describe('The local Concur server, started from the palette (e2e)', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('starts, shows its demo company in a tab, signs in with one click, and names its address in the status bar', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Start Local Concur Server');
    const tab = page.locator('.tabs-container .tab', { hasText: 'Local Concur Server.md' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').filter({ hasText: 'Globex Demo Corporation' }).waitFor({ timeout: 15_000 });
    const status = page.locator('.statusbar-item', { hasText: /Local Concur 127\.0\.0\.1:\d+/ });
    await status.waitFor({ state: 'visible', timeout: 15_000 });
    const address = /127\.0\.0\.1:\d+/.exec((await status.textContent()) ?? '')?.[0];
    assert.ok(address, 'no address in the status bar');
    assert.ok((await editor.locator('.view-lines').textContent())?.includes(`http://${address}`), 'the tab does not name the address');

    const signIn = page.locator('.codelens-decoration a', { hasText: 'Sign In to It' });
    await signIn.waitFor({ state: 'visible', timeout: 15_000 });
    await signIn.click();
    await page.locator('.notifications-toasts').getByText('Signed in to Concur').first().waitFor({ timeout: 30_000 });
    // The Sessions view lists the new session.
    await page.locator('.activitybar a.action-label[aria-label="Concur"]').first().click();
    await page.locator('.pane-body .monaco-list-row', { hasText: /Dana Traveler|demo\.traveler/ }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'local-concur-server');
  });
});
