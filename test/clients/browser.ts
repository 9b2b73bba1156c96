import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve('test-artifacts');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send anywhere but this machine (each was blocked). */
  foreignRequests: string[];
  close(): Promise<void>;
}

/**
 * Debian's headless chromium driven by playwright-core, with a fresh profile, and every request
 * off localhost blocked and recorded: the pages must work with no network beyond the service.
 *
 * Blocked in the browser itself: everything but this machine (which Chromium never proxies) goes
 * to a proxy that drops every connection. Not with request interception: that would hold every
 * request of the page until this Node process (busy running the service too) answered, and it
 * turns the HTTP cache off, so each page load would compile the bundle again.
 */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium. Run scripts/ensure-chromium.sh (as root) and try again.`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), 'chromium-profile-'));
  const deadEnd = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => deadEnd.listen(0, '127.0.0.1', resolve));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--proxy-server=http://127.0.0.1:${(deadEnd.address() as AddressInfo).port}`,
    ],
  });
  const foreignRequests: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:') return;
    foreignRequests.push(url.toString());
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    foreignRequests,
    async close() {
      await context.close();
      deadEnd.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
