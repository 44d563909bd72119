import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * A Chromium for driving the VS Code workbench: $CONCUR_CHROMIUM, the distribution's chromium
 * (Debian: `apt-get install chromium`), or a browser Playwright downloaded earlier.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.CONCUR_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const candidate of candidates) if (candidate && fs.existsSync(candidate)) return candidate;
  try {
    const downloaded = chromium.executablePath();
    if (downloaded && fs.existsSync(downloaded)) return downloaded;
  } catch {
    // No downloaded browser.
  }
  return undefined;
}

export const CHROMIUM_HINT = "install Chromium (Debian: 'apt-get install chromium') or point CONCUR_CHROMIUM at a Chrome/Chromium binary";

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`No Chromium found: ${CHROMIUM_HINT}.`);
  return chromium.launch({
    executablePath,
    headless: true,
    // Without the background-networking switches Chromium keeps dialling Google's hosts, which a
    // closed network refuses; --no-sandbox because CI runs as root.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}
