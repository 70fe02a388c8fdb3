// The packaged-app path: Playwright's Electron driver launches the built app
// with its own profile folder and checks the hardening from inside the
// running window. Runs where the Electron binary exists; elsewhere it is
// skipped with the reason printed (the binary cannot be downloaded here).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/serve-ui';

// Read the install marker directly: require('electron') would try to download the binary.
function electronBinary(): { path: string | null; reason: string } {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  const marker = path.join(dir, 'path.txt');
  if (!existsSync(marker)) return { path: null, reason: `${marker} is missing: the binary download failed or was skipped` };
  const bin = path.join(dir, 'dist', readFileSync(marker, 'utf8').trim());
  return existsSync(bin) ? { path: bin, reason: '' } : { path: null, reason: `${bin} does not exist` };
}

const binary = electronBinary();
if (!binary.path) {
  console.log(`electron e2e SKIPPED: no Electron binary (${binary.reason}). Install it (see README "Offline install") to run this test.`);
}

describe.skipIf(!binary.path)('Electron app', () => {
  let app: ElectronApplication;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    profile = mkdtempSync(path.join(os.tmpdir(), 'driftlock-electron-'));
    app = await electron.launch({ executablePath: binary.path!, args: [ROOT, `--user-data-dir=${profile}`], cwd: ROOT });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('runs the renderer isolated: sandbox, context isolation, no Node', async () => {
    // Page code as strings: this file is type-checked without the DOM library.
    const globals = await page.evaluate(`({
      driftlock: typeof window.driftlock,
      require: typeof window.require,
      process: typeof window.process,
      ipcRenderer: 'ipcRenderer' in window,
      electron: 'electron' in window,
      origin: location.origin,
    })`);
    expect(globals).toEqual({ driftlock: 'object', require: 'undefined', process: 'undefined', ipcRenderer: false, electron: false, origin: 'app://driftlock' });
    const keys = (await page.evaluate('Object.keys(window.driftlock).sort()')) as string[];
    expect(keys).toContain('stageFiles');
    expect(keys).not.toContain('invoke');
  });

  it('blocks window.open and navigation away from the app', async () => {
    expect(await page.evaluate(`window.open('https://example.com') === null`)).toBe(true);
    await page.evaluate(`location.href = 'https://example.com/'`);
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/driftlock\//);
    expect(app.windows()).toHaveLength(1);
  });

  it('opens the sample case and shows its finding', async () => {
    await page.getByRole('button', { name: 'Open sample case' }).click();
    await page.locator('.nav-count').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /^Anomalies/ }).click();
    await page.getByTestId('anomaly-row').first().click();
    await page.getByTestId('anomaly-explanation').waitFor();
  });
});
