import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { scriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { openWorkbench, runCommand, screenshot, signInWithPassword, type Workbench, toastsSeen, watchToasts } from '../workbench';

/** Opens a workspace file in the editor through Quick Open, as a user does. */
async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.pressSequentially(name, { delay: 10 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await input.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });
}

/**
 * Types lines into the focused editor key by key. Escape before each Enter closes the suggestions a
 * `{{` opens, so that Enter starts a new line instead of accepting one.
 */
async function typeLines(page: Page, lines: readonly string[]): Promise<void> {
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type(line, { delay: 12 });
  }
  await page.keyboard.press('Escape');
}

/** The Problems view's rows, as it reads them out (message, source, line and column). */
async function problems(page: Page): Promise<string[]> {
  const rows = page.locator('.markers-panel .monaco-list-row');
  const labels: string[] = [];
  for (const row of await rows.all()) labels.push(((await row.getAttribute('aria-label')) ?? (await row.innerText())).replace(/\s+/g, ' ').trim());
  return labels;
}

async function clearToasts(page: Page): Promise<void> {
  const toasts = page.locator('.notification-toast');
  for (let i = 0; i < 10 && (await toasts.count()) > 0; i++) {
    // A toast may close by itself meanwhile: then there is nothing to clear.
    await toasts.first().hover({ timeout: 2_000 }).catch(() => undefined);
    await toasts.first().locator('.codicon-notifications-clear').first().click({ timeout: 2_000 }).catch(() => undefined);
    await page.waitForTimeout(150);
  }
}

describe('Request files in the workbench: a refused target is marked while it is typed, and Send says so without a progress notification (e2e)', () => {
  let mock: MockConcur;
  let other: ScriptedServer;
  let workbench: Workbench;
  let otherHost: string;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    other = await scriptedServer(() => ({ status: 200, body: { stolen: true } }));
    otherHost = `127.0.0.1:${other.port}`;
    workbench = await openWorkbench({ settings: { 'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }] } });
    await signInWithPassword(workbench.page, mock.demo);
    await clearToasts(workbench.page);
  });

  after(async () => {
    await workbench?.close();
    await mock?.close();
    await other?.close();
  });

  const cases: { name: string; lines: (host: string) => string[]; marked: (host: string) => string; message: (host: string) => RegExp; line: number }[] = [
    {
      name: 'path-naming-another-host',
      lines: (host) => ['### A path that names a host', `GET //${host}/x`],
      marked: (host) => `//${host}/x`,
      message: (host) => new RegExp(`^"//${esc(host)}/x" names another host \\(${esc(host)}\\); the access token is only sent to this session's host \\(127\\.0\\.0\\.1:\\d+\\)\\. Start the path with a single /\\.`),
      line: 2,
    },
    {
      name: 'full-url-to-another-host',
      lines: (host) => ['### A full URL to another host', `GET http://${host}/steal-profile`],
      marked: (host) => `http://${host}/steal-profile`,
      message: (host) => new RegExp(`^The access token is only sent to this session's hosts? \\(.*127\\.0\\.0\\.1:\\d+.*\\), not to ${esc(host)}\\.`),
      line: 2,
    },
    {
      name: 'variable-to-another-host',
      lines: (host) => [`@target = http://${host}/steal`, '', '### A file variable that expands to another host', 'GET {{target}}'],
      marked: () => '{{target}}',
      message: (host) => new RegExp(`^Refused target from \\{\\{target\\}\\} \\(file variable, line 1\\): The access token is only sent to this session's hosts? \\(.*\\), not to ${esc(host)}\\.`),
      line: 4,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: the squiggle and the Problems view say it while it is typed; Send shows the refusal and no "Concur: GET …" progress; Copy as cURL refuses in the same words`, async () => {
      const { page } = workbench;
      const name = `${c.name}.http`;
      const file = path.join(workbench.workspace, name);
      fs.writeFileSync(file, '');
      await openFile(page, name);
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await editor.locator('.view-lines').click();
      const lines = c.lines(otherHost);
      await typeLines(page, lines);
      // Typed as written: what the editor holds is what the user meant.
      await page.keyboard.press('Control+S');
      await page.waitForTimeout(300);
      assert.equal(fs.readFileSync(file, 'utf8'), lines.join('\n'));

      // Before any Send: a red squiggle on what was written, and its message in the Problems view.
      await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 15_000 });
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
      let rows: string[] = [];
      const deadline = Date.now() + 15_000;
      const said = c.message(otherHost).source.replace(/^\^/, '');
      const inProblems = new RegExp(`^Error: ${said}`);
      while (!(rows = await problems(page)).some((r) => inProblems.test(r))) {
        if (Date.now() > deadline) throw new Error(`The Problems view does not say the refusal: ${rows.join(' | ')}`);
        await page.waitForTimeout(200);
      }
      const row = rows.find((r) => inProblems.test(r)) ?? '';
      // The row names the line and column the mark starts at: on what was written, not on the line.
      const column = lines[c.line - 1].indexOf(c.marked(otherHost)) + 1;
      assert.match(row, new RegExp(` at line ${c.line} and character ${column}\\. generated by Concur request file$`), row);
      // The squiggle covers the part that was written: hovering it shows the same message.
      await editor.locator('.squiggly-error').first().hover({ force: true });
      const hover = page.locator('.monaco-hover').filter({ hasText: new RegExp(said) }).first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      if (c.marked(otherHost).startsWith('{{')) {
        // The variable's own hover names it as written, its value and where it is defined.
        // Its part of the hover comes a moment after the diagnostic's (VS Code writes its spaces as no-break spaces).
        let shown = '';
        for (const deadline = Date.now() + 10_000; !/File\svariable,\sdefined\sin\sline\s1\./.test(shown); await page.waitForTimeout(150)) {
          if (Date.now() > deadline) throw new Error(`The variable's hover did not show: ${shown}`);
          shown = (await page.locator('.monaco-hover').allInnerTexts()).join('\n');
        }
        assert.match(shown, /^\s*\{\{target\}\}\s*$/m, shown);
        assert.doesNotMatch(shown, /\\\{/, `the hover shows markdown escapes: ${shown}`);
      }
      await screenshot(page, `request-file-refused-${c.name}-while-typing`);
      await page.keyboard.press('Escape');

      // Send (Ctrl+Alt+R in the editor, as the Send lens does): the refusal, no progress notification.
      await clearToasts(page);
      await watchToasts(page);
      mock.resetLog();
      const requestsBefore = other.requests.length;
      await editor.locator('.view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Control+Alt+R');
      const refusal = page.locator('.notification-toast', { hasText: new RegExp(`Line ${c.line}'s request is not sent\\.`) }).first();
      await refusal.waitFor({ state: 'visible', timeout: 15_000 });
      const refusalText = (await refusal.innerText()).replace(/\s+/g, ' ');
      // The same words as the squiggle.
      assert.match(refusalText, new RegExp(`Line ${c.line}'s request is not sent\\. ${said}`), refusalText);
      // A progress notification would open within moments of Send: wait past that, then read what showed.
      await page.waitForTimeout(1500);
      const seen = await toastsSeen(page);
      assert.ok(seen.length > 0, 'the toast watcher saw nothing');
      assert.deepEqual(
        seen.filter((t) => /Concur: (GET|POST)/.test(t)),
        [],
        `a progress notification showed for a request that is never sent: ${seen.join(' | ')}`,
      );
      assert.equal(other.requests.length, requestsBefore, 'the other host was reached');
      assert.deepEqual(
        mock.requests.filter((r) => r.path !== '/oauth2/v0/jwks').map((r) => r.path),
        [],
        'something was sent to Concur',
      );
      await page.mouse.move(1300, 300);
      await screenshot(page, `request-file-refused-${c.name}-on-send`);
      await clearToasts(page);

      // "Copy Request from File as cURL" from the palette: refused in the same words, the variable named.
      await editor.locator('.view-lines').click();
      await page.keyboard.press('Control+End');
      await runCommand(page, 'Concur: Copy Request from File as cURL');
      const copy = page.locator('.notification-toast', { hasText: new RegExp(`Line ${c.line}'s request is not copied`) }).first();
      await copy.waitFor({ state: 'visible', timeout: 15_000 });
      const copyText = (await copy.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ');
      assert.match(copyText, new RegExp(`^Line ${c.line}'s request is not copied as cURL\\. ${said}`), copyText);
      await page.mouse.move(1300, 300);
      await screenshot(page, `request-file-refused-${c.name}-copy-as-curl`);
      await clearToasts(page);
      await page.keyboard.press('Control+Shift+M');
    });
  }

  it('the same watch sees the progress of a request that is sent: "Concur: GET /profile/v1/me" while Concur answers', async () => {
    const { page } = workbench;
    const name = 'sent.http';
    fs.writeFileSync(path.join(workbench.workspace, name), '### Sent to the session\'s host\nGET /profile/v1/me\n');
    await openFile(page, name);
    await page.locator('.codelens-decoration a', { hasText: 'Send Request' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    // Slow enough that the progress is seen however the machine is loaded.
    mock.setFaults([{ route: '/profile/v1/me', kind: 'latency', ms: 1500 }]);
    try {
      await clearToasts(page);
      await watchToasts(page);
      await page.locator('.codelens-decoration a', { hasText: 'Send Request' }).first().click();
      await page.locator('.tabs-container .tab', { hasText: /GET ∕profile∕v1∕me · 200/ }).waitFor({ state: 'visible', timeout: 20_000 });
    } finally {
      mock.clearFaults();
    }
    const seen = await toastsSeen(page);
    assert.ok(seen.some((t) => t.includes('Concur: GET /profile/v1/me')), seen.join(' | '));
  });
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
