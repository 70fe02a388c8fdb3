/** Debian's Chromium driven by playwright-core, with every console error and page error collected. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface Session {
  browser: Browser;
  page: Page;
  /** Console messages of type error, page errors and failed requests, in order. */
  errors: string[];
}

export async function openBrowser(viewport = { width: 1440, height: 900 }): Promise<Session> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Closing the page aborts the event stream; that is not an app error.
    if (!r.url().includes('/api/events')) errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  return { browser, page, errors };
}
