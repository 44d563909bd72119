import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startMockConcur, type MockConcur } from '../../mock-concur/index';
import { answer, openWorkbench, runCommand, screenshot as screenshotOfPage, type Workbench, signInWithPassword } from '../workbench';

/** A screenshot with the pointer moved off the quick input, so that no hover covers it. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1300, 600);
  await page.waitForTimeout(200);
  await screenshotOfPage(page, name);
}

/** What the quick input shows: its title with VS Code's "(n/m)", the line under the box, and how that line is marked. */
interface QuickInputView {
  readonly title: string;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info' | 'none';
  readonly value: string;
}

async function readQuickInput(page: Page): Promise<QuickInputView> {
  const widget = page.locator('.quick-input-widget');
  const box = widget.locator('.quick-input-box .monaco-inputbox').first();
  const classes = ((await box.getAttribute('class')) ?? '').split(/\s+/);
  return {
    title: (await widget.locator('.quick-input-title').innerText()).trim(),
    message: (await widget.locator('.quick-input-message').innerText()).trim(),
    severity: classes.includes('error') ? 'error' : classes.includes('warning') ? 'warning' : classes.includes('info') ? 'info' : 'none',
    value: await widget.locator('.quick-input-box input').first().inputValue(),
  };
}

/**
 * Waits for the step titled `title` (as VS Code shows it: "Sign In with Browser (2/4)") and checks
 * that it opens without an error: nothing typed is nothing wrong.
 */
async function expectStep(page: Page, title: string): Promise<QuickInputView> {
  const deadline = Date.now() + 15_000;
  let view: QuickInputView | undefined;
  for (;;) {
    if (await page.locator('.quick-input-widget').isVisible()) {
      view = await readQuickInput(page);
      if (view.title === title) break;
    }
    if (Date.now() > deadline) throw new Error(`The step "${title}" did not appear (showing: ${JSON.stringify(view)})`);
    await page.waitForTimeout(100);
  }
  // The message under the box settles a moment after the title.
  await page.waitForTimeout(300);
  view = await readQuickInput(page);
  assert.notEqual(view.severity, 'error', `"${title}" opens with an error before any input: ${view.message}`);
  return view;
}

/** Types into the box as a user does, replacing what is there, and returns what the box says then. */
async function typeInto(page: Page, text: string): Promise<QuickInputView> {
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.fill('');
  if (text) await input.pressSequentially(text, { delay: 15 });
  // The message comes from the extension host: read it once it holds still.
  let view = await readQuickInput(page);
  for (let i = 0; i < 15; i++) {
    await page.waitForTimeout(200);
    const next = await readQuickInput(page);
    if (JSON.stringify(next) === JSON.stringify(view) && view.value === text) break;
    view = next;
  }
  return view;
}

async function enter(page: Page): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-box input').first().press('Enter');
}

async function back(page: Page): Promise<void> {
  await page.locator('.quick-input-widget .codicon-quick-input-back').first().click();
}

async function escape(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('Sign-in steps: the counter, the titles and the first validation message of each flow (e2e)', () => {
  let mock: MockConcur;
  let workbench: Workbench;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    workbench = await openWorkbench({
      settings: {
        'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }],
        'concur.signIn.browserRedirect': 'loopback',
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await mock?.close();
  });

  it('Sign In with Browser: three steps, four with a custom base URL, each at its real position, Back included; the Custom base URL box opens without an error', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Sign In with Browser');
    await expectStep(page, 'Sign In with Browser (1/3)');
    // Highlighting Custom base URL… counts its box.
    await typeInto(page, 'Custom base URL');
    const custom = await expectStep(page, 'Sign In with Browser (1/4)');
    assert.equal(custom.severity, 'none');
    await enter(page);

    const box = await expectStep(page, 'Sign In with Browser (2/4)');
    assert.equal(box.value, '', 'the box is prefilled');
    assert.equal(box.severity, 'none');
    assert.match(box.message, /^Base URL of the Concur API host/);
    await screenshot(page, 'sign-in-custom-base-url-empty');
    // A scheme alone is not wrong yet: a hint, not an error.
    const scheme = await typeInto(page, 'https://');
    assert.equal(scheme.severity, 'info', scheme.message);
    assert.match(scheme.message, /^Type the base URL, such as https:\/\/us2\.api\.concursolutions\.com/);
    await screenshot(page, 'sign-in-custom-base-url-hint');
    // Enter on it is refused, saying what to type.
    await enter(page);
    await page.waitForTimeout(300);
    const refused = await readQuickInput(page);
    assert.equal(refused.title, 'Sign In with Browser (2/4)', 'Enter on a bare scheme went on');
    assert.equal(refused.severity, 'error');
    assert.match(refused.message, /^Enter the base URL, such as https:\/\/us2\.api\.concursolutions\.com/);
    // The first validation message for something typed that cannot be a base URL.
    const invalid = await typeInto(page, 'https://exa mple');
    assert.equal(invalid.severity, 'error');
    assert.equal(invalid.message, '"https://exa mple" is not a URL. Enter an address such as https://us2.api.concursolutions.com.');
    await screenshot(page, 'sign-in-custom-base-url-error');
    const valid = await typeInto(page, `${mock.url}/oauth2`);
    assert.equal(valid.severity, 'info');
    assert.equal(valid.message, `Signs in at ${mock.url} (without /oauth2: Concur's paths start at the host)`);
    await typeInto(page, mock.url);
    await enter(page);

    await expectStep(page, 'Sign In with Browser (3/4)');
    const notUuid = await typeInto(page, 'Concur-Demo-1');
    assert.equal(notUuid.severity, 'error');
    assert.equal(notUuid.message, 'The client id is a UUID, such as 2f3a6c2e-8b1d-4c57-9a0e-5d7f1b2c3d4e.');
    await typeInto(page, mock.demo.clientId);
    await enter(page);
    await expectStep(page, 'Sign In with Browser (4/4)');
    await screenshot(page, 'sign-in-browser-step-4-of-4');

    // Back through every step: each keeps its position and the count.
    await back(page);
    assert.equal((await expectStep(page, 'Sign In with Browser (3/4)')).value, mock.demo.clientId);
    await back(page);
    assert.equal((await expectStep(page, 'Sign In with Browser (2/4)')).value, mock.url);
    await back(page);
    await expectStep(page, 'Sign In with Browser (1/4)');
    // A datacenter from the list instead: three steps again.
    await typeInto(page, 'Local Concur');
    await expectStep(page, 'Sign In with Browser (1/3)');
    await enter(page);
    await expectStep(page, 'Sign In with Browser (2/3)');
    await enter(page);
    await expectStep(page, 'Sign In with Browser (3/3)');
    await escape(page);
  });

  it('Sign In with each grant: the count follows the grant, the title names it, and every step opens without an error', async () => {
    const { page } = workbench;
    const grants: { pick: string; title: string; steps: number; after: (page: Page) => Promise<void> }[] = [
      {
        pick: 'Password',
        title: 'Sign In with Password',
        steps: 6,
        after: async (p) => {
          await expectStep(p, 'Sign In with Password (5/6)');
          // The first validation message: a username typed and cleared again.
          await typeInto(p, 'x');
          const empty = await typeInto(p, '');
          assert.equal(empty.severity, 'error');
          assert.equal(empty.message, 'Enter the username.');
          await typeInto(p, mock.demo.username);
          await enter(p);
          await expectStep(p, 'Sign In with Password (6/6)');
        },
      },
      { pick: 'Browser', title: 'Sign In with Browser', steps: 4, after: async () => undefined },
      {
        pick: 'One-time password',
        title: 'Sign In with One-Time Password',
        steps: 5,
        after: async (p) => {
          await expectStep(p, 'Sign In with One-Time Password (5/5)');
          const notEmail = await typeInto(p, 'pat');
          assert.equal(notEmail.severity, 'error');
          assert.equal(notEmail.message, 'Enter an e-mail address, such as pat@example.com.');
        },
      },
      {
        pick: 'Company request token',
        title: 'Sign In with Company Request Token',
        steps: 6,
        after: async (p) => {
          await expectStep(p, 'Sign In with Company Request Token (5/6)');
          const notUuid = await typeInto(p, 'globex');
          assert.equal(notUuid.severity, 'error');
          assert.equal(notUuid.message, 'The company id is a UUID, such as 2f3a6c2e-8b1d-4c57-9a0e-5d7f1b2c3d4e.');
          await typeInto(p, mock.demo.companyId);
          await enter(p);
          await expectStep(p, 'Sign In with Company Request Token (6/6)');
        },
      },
      { pick: 'Client credentials', title: 'Sign In with Client Credentials', steps: 4, after: async () => undefined },
    ];
    for (const grant of grants) {
      await runCommand(page, 'Concur: Sign In');
      // Before a grant is chosen, the one highlighted (the first, Password, in a fresh window) is counted.
      await expectStep(page, 'Sign In to Concur (1/6)');
      await typeInto(page, 'Local Concur');
      await enter(page);
      await expectStep(page, 'Sign In to Concur (2/6)');
      await typeInto(page, grant.pick);
      await expectStep(page, `Sign In to Concur (2/${grant.steps})`);
      if (grant.pick === 'Password') await screenshot(page, 'sign-in-grant-step');
      await enter(page);
      await expectStep(page, `${grant.title} (3/${grant.steps})`);
      await typeInto(page, mock.demo.clientId);
      await enter(page);
      await expectStep(page, `${grant.title} (4/${grant.steps})`);
      await typeInto(page, mock.demo.clientSecret);
      if (grant.steps > 4) {
        await enter(page);
        await grant.after(page);
      }
      await screenshot(page, `sign-in-${grant.pick.toLowerCase().replace(/\W+/g, '-')}-last-step`);
      await escape(page);
    }
  });

  it('Sign In with a custom base URL counts its box; a stored client secret declined counts the box for another', async () => {
    const { page } = workbench;
    // Signed in once with a password, the client secret is stored for the local server.
    await signInWithPassword(page, mock.demo);

    await runCommand(page, 'Concur: Sign In');
    // Password is remembered: six steps, seven through the Custom base URL box.
    await expectStep(page, 'Sign In to Concur (1/6)');
    await typeInto(page, 'Custom base URL');
    await expectStep(page, 'Sign In to Concur (1/7)');
    await enter(page);
    const box = await expectStep(page, 'Sign In to Concur (2/7)');
    // The last base URL was one of the list's: the box is empty, not an error.
    assert.equal(box.value, '');
    await typeInto(page, mock.url);
    await enter(page);
    await expectStep(page, 'Sign In to Concur (3/7)');
    await enter(page);
    await expectStep(page, 'Sign In with Password (4/7)');
    await enter(page);
    // The stored secret is offered; typing another is one more step.
    await expectStep(page, 'Sign In with Password (5/7)');
    await typeInto(page, 'Enter a different');
    await expectStep(page, 'Sign In with Password (5/8)');
    await screenshot(page, 'sign-in-stored-secret-declined');
    await enter(page);
    await expectStep(page, 'Sign In with Password (6/8)');
    await back(page);
    await expectStep(page, 'Sign In with Password (5/8)');
    await escape(page);
  });

  it('"Call API…" counts two steps for GET and DELETE, three with a body', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Call API');
    await expectStep(page, 'Call Concur API (1/2)');
    await typeInto(page, 'POST');
    await expectStep(page, 'Call Concur API (1/3)');
    await typeInto(page, 'DELETE');
    await expectStep(page, 'Call Concur API (1/2)');
    await typeInto(page, 'GET');
    await enter(page);
    await expectStep(page, 'Call Concur API (2/2)');
    await screenshot(page, 'call-api-step-count');
    await escape(page);
  });

  it('"Switch Session…" says whom each token is for in the Sessions view\'s words, not the grant\'s internal name', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Switch Session');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: mock.demo.username }).first();
    await row.waitFor({ timeout: 10_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /user · 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(text, /password ·/);
    await screenshot(page, 'switch-session-grant-words');
    await escape(page);
  });

  it('"Add API Definition…" from a URL: the start of https:// is a hint, not an error; Reload with none configured says so', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Add API Definition');
    await answer(page, 'From a URL', /Where is the API definition/);
    await page.locator('.quick-input-widget').getByText(/The https URL of a Swagger 2\.0 or OpenAPI 3 document/).waitFor({ timeout: 10_000 });
    for (const typed of ['h', 'https://']) {
      const view = await typeInto(page, typed);
      assert.notEqual(view.severity, 'error', `"${typed}": ${view.message}`);
    }
    const view = await typeInto(page, 'https://');
    assert.equal(view.message, 'Type the https URL of the definition file, such as https://…/openapi.yaml.');
    const wrong = await typeInto(page, 'http://definitions.example.com/a.yaml');
    assert.equal(wrong.severity, 'error');
    await screenshot(page, 'add-api-definition-url-hint');
    await escape(page);
    // None is configured: Reload says so rather than doing nothing visible.
    await runCommand(page, 'Concur: Reload API Definitions');
    await page.locator('.notifications-toasts').getByText('No API definitions are configured.').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'reload-api-definitions-none');
  });
});
