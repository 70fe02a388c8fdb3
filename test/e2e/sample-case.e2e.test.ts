// First run: with no case open, "Open sample case" imports the shipped log
// and shows its one known incident (lines 2,100–2,169 of
// resources/sample/checkout-incident.log) with its explanation, ready to export.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type Session } from './support/browser';
import { startServeUi, type ServeUi } from './support/serve-ui';

const INCIDENT = { first: 2100, last: 2169 };

describe('first run: the sample case', () => {
  let dir: string;
  let server: ServeUi;
  let s: Session;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'driftlock-sample-'));
    server = await startServeUi(['--data-dir', path.join(dir, 'data')]);
    s = await openBrowser();
  });

  afterAll(async () => {
    await s?.browser.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the known incident, explained, and exports it', async () => {
    const { page } = s;
    page.setDefaultTimeout(30_000);
    await page.goto(server.url);
    const started = performance.now();
    await page.getByRole('button', { name: 'Open sample case' }).click();
    await page.locator('.nav-count').waitFor();
    await page.getByRole('button', { name: /^Anomalies/ }).click();
    const rows = page.getByTestId('anomaly-row');
    await rows.first().waitFor();
    // The incident's window is the top finding and it covers the incident's lines.
    await rows.first().click();
    const detail = page.getByTestId('anomaly-detail');
    await detail.waitFor();
    const span = (await detail.locator('.detail-head .muted').textContent()) ?? '';
    const [first, last] = (/events ([\d,]+)–([\d,]+)/.exec(span) ?? []).slice(1).map((x) => Number(x.replace(/,/g, '')));
    expect(first! <= INCIDENT.last && last! >= INCIDENT.first, span).toBe(true);
    expect(await detail.getByTestId('anomaly-explanation').textContent()).toMatch(/new to the baseline/);
    const seconds = (performance.now() - started) / 1000;
    console.log(`sample case: finding and explanation on screen ${seconds.toFixed(1)} s after "Open sample case"`);

    await page.keyboard.press('e');
    const exporter = page.getByTestId('evidence-export');
    await exporter.getByTestId('export-submit').click();
    await exporter.locator('[data-testid=export-result], .state-error').first().waitFor({ timeout: 60_000 });
    expect(await exporter.locator('.state-error').allTextContents()).toEqual([]);
    expect(s.errors).toEqual([]);
  }, 180_000);
});
