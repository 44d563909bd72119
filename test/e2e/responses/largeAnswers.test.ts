/**
 * Large answers in VS Code in the browser (VS Code Server), where the workbench asks before it opens
 * a file above 10 MB: a 20 MB and a 60 MB answer each become readable in their tab with no question,
 * and the time they take is measured against VS Code opening the same formatted document from the
 * workspace (its question answered), reported in test-results/e2e/large-answers.json and the README.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { answer, openWorkbench, runCommand, screenshot, screenshotDir, type Workbench, signInWithPassword } from '../workbench';

describe('Large answers in VS Code in the browser (e2e)', () => {
  let mock: MockConcur;
  let workbench: Workbench;
  const figures: { mb: number; answerMs: number; workspaceMs: number; ratio: number; fileMb: number }[] = [];

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    workbench = await openWorkbench({ settings: { 'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }] } });
    const { page } = workbench;
    await signInWithPassword(page, mock.demo);
  });

  after(async () => {
    if (figures.length) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      fs.writeFileSync(path.join(screenshotDir, 'large-answers.json'), `${JSON.stringify(figures, null, 2)}\n`);
    }
    await workbench?.close();
    await mock?.close();
  });

  /** The answer files the extension wrote in this workbench's global storage. */
  function answerFiles(): string[] {
    const root = path.join(workbench.server.userDataDir, 'User', 'globalStorage');
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (full.includes(`${path.sep}responses${path.sep}`) && entry.name.endsWith('.json')) out.push(full);
      }
    };
    walk(root);
    return out;
  }

  const editorText = (): ReturnType<Workbench['page']['locator']> => workbench.page.locator('.editor-instance .monaco-editor .view-lines').first();

  for (const mb of [20, 60]) {
    it(`a ${mb} MB answer is readable in its tab with no question, about as fast as VS Code opens the same document`, async () => {
      const { page } = workbench;
      const before = new Set(answerFiles());
      mock.setFaults([{ route: '/localities/v5/countries', kind: 'largeBody', mb }]);
      let answerMs: number;
      try {
        await runCommand(page, 'Concur: Call API');
        await answer(page, 'GET', /HTTP method/);
        const widget = page.locator('.quick-input-widget');
        const input = widget.locator('input').first();
        // The path step, not the method pick it replaces: typing before it is shown types into the pick.
        await widget.getByText(/A path such as \/profile\/v1\/me|Sends to /).first().waitFor({ timeout: 15_000 });
        // The typed path, not the one the box opened with: Enter before the box has read it sends the old one.
        const sendsTo = widget.getByText(/Sends to \S*\/localities\/v5\/countries/).first();
        for (let attempt = 1; ; attempt++) {
          await input.fill('/localities/v5/countries');
          const read = await sendsTo.waitFor({ timeout: 5_000 }).then(() => true, () => false);
          if (read) break;
          if (attempt === 3) throw new Error(`the path box did not take the typed path (value ${JSON.stringify(await input.inputValue())})`);
        }
        await input.press('Enter');
        const tab = page.locator('.tabs-container .tab.active', { hasText: /countries · 200\.json/ });
        await tab.waitFor({ state: 'visible', timeout: 120_000 }).catch(async (e: unknown) => {
          await screenshot(page, `large-answer-${mb}mb-no-tab`);
          throw e;
        });
        // From the tab's appearance to its first lines of text: what opening the document costs.
        const opened = Date.now();
        await editorText()
          .filter({ hasText: '"totalResults":' })
          .waitFor({ timeout: 60_000 })
          .catch(async (e: unknown) => {
            await screenshot(page, `large-answer-${mb}mb-failed`);
            throw e;
          });
        answerMs = Date.now() - opened;
      } finally {
        mock.clearFaults();
      }
      assert.equal(await page.getByRole('button', { name: 'Open Anyway' }).count(), 0, 'VS Code asked before showing the answer');
      await screenshot(page, `large-answer-${mb}mb`);

      // The same formatted document, opened from the workspace as any file is.
      const written = answerFiles().filter((f) => !before.has(f));
      assert.equal(written.length, 1, written.join(', '));
      const copy = path.join(workbench.workspace, `answer-${mb}mb.json`);
      fs.copyFileSync(written[0], copy);
      const fileMb = fs.statSync(copy).size / 1024 / 1024;
      await page.keyboard.press('Control+P');
      const quick = page.locator('.quick-input-widget input').first();
      await quick.waitFor({ state: 'visible' });
      await quick.pressSequentially(path.basename(copy), { delay: 10 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(copy) }).first().waitFor({ timeout: 15_000 });
      await quick.press('Enter');
      // VS Code in the browser asks first about a workspace file above 10 MB; the clock starts when the answer is given.
      const openAnyway = page.getByRole('button', { name: 'Open Anyway' });
      await openAnyway.waitFor({ state: 'visible', timeout: 20_000 });
      const clicked = Date.now();
      await openAnyway.click();
      await editorText().filter({ hasText: '"totalResults":' }).waitFor({ timeout: 60_000 });
      const workspaceMs = Date.now() - clicked;
      const ratio = answerMs / Math.max(1, workspaceMs);
      figures.push({ mb, fileMb: Math.round(fileMb * 10) / 10, answerMs, workspaceMs, ratio: Math.round(ratio * 100) / 100 });
      console.log(`      ${mb} MB answer (${fileMb.toFixed(1)} MB formatted): readable in ${answerMs} ms in its tab, ${workspaceMs} ms from the workspace (${ratio.toFixed(2)}×)`);
      await page.keyboard.press('Control+W');
      await page.keyboard.press('Control+W');
    });
  }
});
