import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../host/paths';
import { openWorkbench, runCommand, screenshot, type Workbench } from '../workbench';

const readJson = (...segments: string[]): Record<string, string> => JSON.parse(fs.readFileSync(path.join(repoRoot, ...segments), 'utf8')) as Record<string, string>;

/** The English and German texts, read from the files the extension ships. */
const englishManifest = readJson('package.nls.json');
const manifest = readJson('package.nls.de.json');
const bundle = readJson('media', 'l10n', 'bundle.l10n.de.json');

/**
 * A German text that a locator can rely on: present, non-empty and not the English one (a missing key
 * would make `hasText: undefined` match anything, and an untranslated one would pass in English too).
 */
function german(texts: Record<string, string>, key: string, english: string): string {
  const text = texts[key];
  assert.equal(typeof text, 'string', `${key} is missing from the German translation`);
  assert.ok(text.trim(), `${key} has an empty German translation`);
  assert.notEqual(text, english, `${key} is not translated: ${JSON.stringify(text)}`);
  return text;
}

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
    const welcomeKey = 'viewsWelcome.sessions.contents';
    const englishWelcome = englishManifest[welcomeKey];
    assert.equal(typeof englishWelcome, 'string', `${welcomeKey} is missing from package.nls.json`);
    const englishFirstLine = englishWelcome.split('\n')[0];
    const firstLine = german(manifest, welcomeKey, englishWelcome).split('\n')[0];
    assert.ok(firstLine.trim(), 'the German welcome text starts with an empty line');
    assert.notEqual(firstLine, englishFirstLine, 'the German welcome text starts with the English sentence');
    const signInTitle = german(manifest, 'command.signIn.title', englishManifest['command.signIn.title']);
    const signInKey = 'Sign In to Concur';
    const signInStep = german(bundle, signInKey, signInKey);
    const datacenterKey = "Datacenter to sign in at (Concur redirects to the user's own datacenter when needed)";
    const datacenterPlaceholder = german(bundle, datacenterKey, datacenterKey);

    await page.locator('.activitybar a.action-label[aria-label="Concur"]').click();
    await page.locator('.welcome-view-content', { hasText: firstLine.slice(0, 60) }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'german-welcome');
    // The palette lists the German title (VS Code adds the English one beside it for searching).
    await runCommand(page, `Concur: ${signInTitle}`);
    // The sign-in flow speaks German: its title and the datacenter step's placeholder come from the runtime bundle.
    const input = page.locator('.quick-input-widget');
    await input.locator('.quick-input-title', { hasText: signInStep }).waitFor({ state: 'visible', timeout: 15_000 });
    const placeholder = await input.locator('input').getAttribute('placeholder');
    assert.equal(placeholder, datacenterPlaceholder);
    await screenshot(page, 'german-sign-in');
    await page.keyboard.press('Escape');
  });
});
