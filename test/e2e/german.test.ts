import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../host/paths';
import { openWorkbench, runCommand, screenshot, type Workbench } from './workbench';

/** The German texts, read from the translations the extension ships. */
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.de.json'), 'utf8')) as Record<string, string>;
const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot, 'media', 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;

describe('German display language (e2e)', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ locale: 'de' });
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the views, welcome text and command titles in German', async () => {
    const { page } = workbench;
    await page.locator('.activitybar a.action-label[aria-label="Concur"]').click();
    const firstLine = manifest['viewsWelcome.sessions.contents'].split('\n')[0];
    assert.notEqual(firstLine, 'Concur API Explorer keeps your SAP Concur sessions here: the account you are signed in with, and the decoded claims of its tokens.');
    await page.locator('.welcome-view-content', { hasText: firstLine.slice(0, 60) }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'german-welcome');
    // The palette lists the German title (VS Code adds the English one beside it for searching).
    await runCommand(page, `Concur: ${manifest['command.signIn.title']}`);
    // The sign-in flow speaks German: its title and the datacenter step's placeholder come from the runtime bundle.
    const input = page.locator('.quick-input-widget');
    await input.locator('.quick-input-title', { hasText: bundle['Sign In to Concur'] }).waitFor({ state: 'visible', timeout: 15_000 });
    const placeholder = await input.locator('input').getAttribute('placeholder');
    assert.equal(placeholder, bundle["Datacenter to sign in at (Concur redirects to the user's own datacenter when needed)"]);
    await screenshot(page, 'german-sign-in');
    await page.keyboard.press('Escape');
  });
});
