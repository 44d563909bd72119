import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startMockConcur, type MockConcur } from '../../../src/localConcur';
import { answer, openWorkbench, runCommand, screenshot, type Workbench } from '../workbench';

/** Runs Sign In with Browser from the palette, as a user would, and returns the browser page it opened. */
async function startBrowserSignIn(page: Page, mock: MockConcur, scopes = ''): Promise<Page> {
  await runCommand(page, 'Concur: Sign In with Browser');
  await answer(page, 'Local Concur', /Datacenter to sign in at/);
  await answer(page, mock.demo.clientId, /Client id of your Concur app/);
  await answer(page, mock.demo.clientSecret, /Client secret of your Concur app/);
  const popupOpened = page.context().waitForEvent('page', { timeout: 30_000 });
  await answer(page, scopes, /Scopes to ask Concur for/);
  const popup = await popupOpened;
  await popup.waitForLoadState();
  return popup;
}

describe('Browser and one-time-password sign-in, and sign-out with revoke, through the workbench UI (e2e)', () => {
  let mock: MockConcur;
  let workbench: Workbench;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    workbench = await openWorkbench({
      settings: {
        'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }],
        // The browser and the extension host are on this machine, as in a desktop window.
        'concur.signIn.browserRedirect': 'loopback',
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await mock?.close();
  });

  it('signs in with the browser: Concur\'s page opens, one click, the tab says it can be closed, the token is verified', async () => {
    const { page } = workbench;
    const popup = await startBrowserSignIn(page, mock, 'openid user.read');
    // Straight to the local server, or through VS Code Server's forwarding of this machine's ports.
    assert.match(popup.url(), /\/oauth2\/v0\/authorize\?client_id=/);
    // The scopes typed in the last step, as Concur's authorize request takes them.
    assert.equal(new URL(popup.url()).searchParams.get('scope'), 'openid user.read');
    const waiting = page.locator('.notifications-toasts .notification-list-item', { hasText: /Waiting for you to sign in to Concur in your browser/ }).first();
    await waiting.waitFor({ timeout: 10_000 });
    await screenshot(page, 'browser-sign-in-waiting');
    // The notification's link opens the same page again, for a browser that did not show it.
    const again = page.context().waitForEvent('page', { timeout: 15_000 });
    await waiting.getByRole('link', { name: 'Open the link again' }).click();
    const second = await again;
    await second.waitForLoadState();
    assert.equal(second.url(), popup.url());
    await second.close();
    await popup.locator('#approve-demo').click();
    await popup.getByText(/close this tab/i).waitFor({ timeout: 15_000 });
    assert.match(popup.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    await popup.close();
    // The browser came back: the waiting notification is gone with it.
    await waiting.waitFor({ state: 'detached', timeout: 15_000 });

    await page.locator('.activitybar a.action-label[aria-label="Concur"]').click();
    const tree = page.locator('.pane-body .monaco-list').first();
    await tree.locator('.monaco-list-row', { hasText: 'user (browser)' }).waitFor({ timeout: 20_000 });
    await tree.locator('.monaco-list-row', { hasText: /signature verified \(kid / }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'browser-sign-in-signature-verified');
  });

  it('offers the scopes of the last browser sign-in in its scopes step', async () => {
    const { page } = workbench;
    await runCommand(page, 'Concur: Sign In with Browser');
    await answer(page, 'Local Concur', /Datacenter to sign in at/);
    await answer(page, mock.demo.clientId, /Client id of your Concur app/);
    await answer(page, 'Use the stored client secret', /Client secret/);
    const widget = page.locator('.quick-input-widget');
    // The last step, prefilled: it says at once what the authorize request will ask for.
    await widget.locator('.quick-input-title', { hasText: 'Sign In with Browser (4/4)' }).waitFor({ timeout: 15_000 });
    await widget.getByText('Asks Concur for: openid user.read').first().waitFor({ timeout: 10_000 });
    assert.equal(await widget.locator('input').first().inputValue(), 'openid user.read');
    await screenshot(page, 'browser-sign-in-scopes-remembered');
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('asks once at sign-out, and revokes the app\'s access when told to', async () => {
    const { page } = workbench;
    mock.resetLog();
    await runCommand(page, 'Concur: Sign Out');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText(/Sign out of Concur as/).waitFor({ timeout: 15_000 });
    await screenshot(page, 'sign-out-or-revoke');
    await dialog.getByRole('button', { name: 'Revoke Access and Sign Out' }).click();
    await page.locator('.notifications-toasts').getByText(/Concur revoked the app's access/).first().waitFor({ timeout: 15_000 });
    assert.deepEqual(
      mock.requests.filter((r) => r.path === '/app-mgmt/v0/connections').map((r) => `${r.host} ${r.method} ${r.status}`),
      ['geo DELETE 204'],
    );
  });

  it('signs in by one-time password, typing the code from the e-mail', async () => {
    const { page } = workbench;
    mock.resetLog();
    await runCommand(page, 'Concur: Sign In');
    await answer(page, 'Local Concur', /Datacenter to sign in at/);
    await answer(page, 'One-time password', /Whom the token is for/);
    await answer(page, mock.demo.clientId, /Client id of your Concur app/);
    await answer(page, mock.demo.clientSecret, /Client secret of your Concur app/);
    await answer(page, mock.demo.otpHandle, /E-mail address of the Concur user/);
    const widget = page.locator('.quick-input-widget');
    await widget.getByText(/The one-time password Concur e-mailed to/).waitFor({ timeout: 20_000 });
    const otp = mock.lastOtp(mock.demo.otpHandle);
    assert.ok(otp, 'no one-time password was sent');
    await answer(page, otp, /The one-time password Concur e-mailed to/);
    const tree = page.locator('.pane-body .monaco-list').first();
    await tree.locator('.monaco-list-row', { hasText: mock.demo.otpHandle }).filter({ hasText: 'user (one-time password)' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'one-time-password-signed-in');
    assert.deepEqual(
      mock.requests.filter((r) => r.path.startsWith('/oauth2/v0/') && r.path !== '/oauth2/v0/jwks').map((r) => `${r.host} ${r.path} ${r.status}`),
      ['landing /oauth2/v0/otp 400', 'geo /oauth2/v0/otp 200', 'geo /oauth2/v0/token 200'],
    );
  });
});

describe('Browser sign-in through VS Code\'s URI handler, as in VS Code for the Web (e2e)', () => {
  let mock: MockConcur;
  let workbench: Workbench;

  before(async () => {
    mock = await startMockConcur({ quiet: true, companyUsers: 60 });
    workbench = await openWorkbench({
      settings: { 'concur.datacenters': [{ label: 'Local Concur server', baseUrl: mock.url }], 'concur.signIn.browserRedirect': 'uriHandler' },
    });
  });

  after(async () => {
    await workbench?.close();
    await mock?.close();
  });

  it('comes back through VS Code\'s own callback page, with the redirect URI intact', async () => {
    const { page } = workbench;
    const popup = await startBrowserSignIn(page, mock);
    const redirectUri = new URL(popup.url()).searchParams.get('redirect_uri') ?? '';
    // VS Code's callback address carries a query of its own; it must reach Concur whole.
    assert.match(redirectUri, /\/callback\?vscode-reqid=.*&vscode-scheme=.*&vscode-authority=concur-api-explorer\.concur-api-explorer&vscode-path=%2Fsigned-in/);
    await popup.locator('#approve-demo').click();
    await popup.waitForLoadState();
    const tree = page.locator('.pane-body .monaco-list').first();
    await page.locator('.activitybar a.action-label[aria-label="Concur"]').click();
    await tree.locator('.monaco-list-row', { hasText: 'user (browser)' }).waitFor({ timeout: 30_000 });
    assert.deepEqual(
      mock.requests.filter((r) => r.path === '/oauth2/v0/token').map((r) => `${r.host} ${r.grantType} ${r.status}`),
      ['geo authorization_code 200'],
    );
    await screenshot(page, 'browser-sign-in-uri-handler');
  });
});
