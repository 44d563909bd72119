/**
 * Drives the real VS Code workbench (VS Code Server in headless Chromium) the way a user does:
 * keyboard, palette, clicks. Screenshots land in test-results/e2e/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../host/browser';
import { startCodeServer, type CodeServer } from '../host/codeServer';
import { makeWorkspace } from '../host/integrationHosts';
import { artifactsDir, repoRoot } from '../host/paths';

export const screenshotDir = path.join(artifactsDir, 'e2e');

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  /** The folder the workbench has open. */
  readonly workspace: string;
  close(): Promise<void>;
}

export async function openWorkbench(options: { settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv; locale?: string } = {}): Promise<Workbench> {
  const workspace = makeWorkspace();
  const server = await startCodeServer({ settings: options.settings, env: options.env, locale: options.locale });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: repoRoot }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The activity bar entry appears once the extension's contributions are read.
    await page.locator('.activitybar a.action-label[aria-label="Concur"]').first().waitFor({ timeout: 60_000 });
    const opened = browser;
    return {
      page,
      server,
      workspace,
      async close() {
        await opened.close();
        await server.close();
        fs.rmSync(workspace, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}

/** Runs a command from the palette by typing its title, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // The row whose label is the title (an ellipsis aside): "Concur: Sign In" must not pick "Concur: Sign In with Browser".
  const exact = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}…?\\s*$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  // Enter would run the first row, which may be a recently used command that merely starts the same.
  await row.click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function screenshotOf(locator: Locator, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await locator.screenshot({ path: file });
  return file;
}

/** Drags the sash between the side bar and the editor, as a user widens the side bar. */
export async function widenSideBar(page: Page, by: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return;
  const x = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + by / 2, y, { steps: 5 });
  await page.mouse.move(x + by, y, { steps: 5 });
  await page.mouse.up();
}

/** Answers the current quick input step by typing, as a user does, then Enter. */
export async function answer(page: Page, text: string, expectPrompt: RegExp): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  // A quick pick names its question in the placeholder, an input box in the message below it.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const visible = await widget.isVisible();
    const placeholder = visible ? ((await input.getAttribute('placeholder')) ?? '') : '';
    const text = visible ? await widget.innerText() : '';
    if (expectPrompt.test(placeholder) || expectPrompt.test(text)) break;
    if (Date.now() > deadline) throw new Error(`The sign-in step asking ${expectPrompt} did not appear (showing: ${placeholder} ${text})`);
    await page.waitForTimeout(100);
  }
  await input.fill('');
  await input.pressSequentially(text, { delay: 15 });
  await page.waitForTimeout(150);
  await input.press('Enter');
}

/** The demo account of the local Concur server, as its `demo` names it. */
export interface DemoAccount {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
}

/**
 * Signs in with the password grant through "Concur: Sign In", every step typed as a user types it,
 * at the datacenter labelled "Local Concur…"; `beforePassword` runs at the password step (a screenshot,
 * say). Waits for "Signed in to Concur" unless `waitForSignedIn` is false.
 */
export async function signInWithPassword(page: Page, demo: DemoAccount, options: { beforePassword?: () => Promise<unknown>; waitForSignedIn?: boolean } = {}): Promise<void> {
  await runCommand(page, 'Concur: Sign In');
  await answer(page, 'Local Concur', /Datacenter to sign in at/);
  await answer(page, 'Password', /Whom the token is for/);
  await answer(page, demo.clientId, /Client id of your Concur app/);
  await answer(page, demo.clientSecret, /Client secret of your Concur app/);
  await answer(page, demo.username, /Concur username/);
  await options.beforePassword?.();
  await answer(page, demo.password, /Concur password for/);
  if (options.waitForSignedIn !== false) await page.locator('.notifications-toasts').getByText('Signed in to Concur').first().waitFor({ timeout: 20_000 });
}

/**
 * Records every notification toast shown from now on, while it shows (a progress notification may
 * open and close between two looks): read back with `toastsSeen`.
 */
export async function watchToasts(page: Page): Promise<void> {
  // Runs in the page (this project compiles without the DOM's types): a script, not a function.
  await page.evaluate(`(() => {
    window.__toastObserver?.disconnect();
    const seen = [];
    window.__toasts = seen;
    const look = () => {
      for (const toast of document.querySelectorAll('.notification-toast')) {
        const text = toast.innerText.replace(/\\s+/g, ' ').trim();
        if (text && !seen.includes(text)) seen.push(text);
      }
    };
    window.__toastObserver = new MutationObserver(look);
    window.__toastObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
    look();
  })()`);
}

/** The texts of every toast `watchToasts` saw. */
export async function toastsSeen(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__toasts ?? []');
}
