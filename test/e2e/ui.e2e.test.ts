// The renderer in real Chromium against the real `driftlock serve --ui` with a
// real case file: import a Loghub file, see the anomalies, open one, triage it,
// search the logs, export an evidence bundle and verify it; then listen for
// OTLP from the Live view, fed by the official OpenTelemetry exporters.
// Screenshots go to test-results/e2e/; any console error fails the test.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templatedLog } from '../../scripts/lib/templated-log';
import { sendLogs, sendSpans } from '../otlp/helpers/otel-clients';
import { openBrowser, type Session } from './support/browser';
import { DATA, ROOT, startServeUi, type ServeUi } from './support/serve-ui';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const BGL = path.join(DATA, 'loghub', 'BGL_2k.log');
// More real logs beside BGL, so the overview shows several streams.
const OTHERS = ['Thunderbird_2k.log', 'unlabelled/HDFS_2k.log', 'unlabelled/OpenSSH_2k.log', 'unlabelled/Linux_2k.log', 'unlabelled/Apache_2k.log'].map((f) =>
  path.join(DATA, 'loghub', f),
);

describe('desktop UI in Chromium against serve --ui', () => {
  let dir: string;
  let server: ServeUi;
  let s: Session;
  const started = performance.now();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(path.join(os.tmpdir(), 'driftlock-e2e-'));
    server = await startServeUi(['--db', path.join(dir, 'case.driftlock'), '--data-dir', path.join(dir, 'data')]);
    s = await openBrowser();
  });

  afterAll(async () => {
    await s?.browser.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    console.log(`ui e2e: ${((performance.now() - started) / 1000).toFixed(1)} s end to end`);
  });

  it('imports a real log, triages an anomaly, exports and verifies its bundle', async () => {
    const { page } = s;
    page.setDefaultTimeout(20_000);
    // Steps are logged so a failure in CI says where it stopped.
    const step = (name: string): void => console.log(`ui e2e ${((performance.now() - started) / 1000).toFixed(1)} s: ${name}`);
    await page.goto(server.url);
    await page.getByTestId('import-dropzone').waitFor();
    // The token leaves the address bar as soon as the page has read it.
    expect(page.url()).not.toContain('token=');

    step('import six Loghub files');
    await page.getByTestId('import-file-input').setInputFiles([BGL, ...OTHERS]);
    await page.locator('[data-testid=import-job][data-done=true]').waitFor({ timeout: 120_000 });
    const states = await page.locator('[data-testid=import-job] .import-file').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset['state']));
    expect(states).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect(await page.getByTestId('stream-table').locator('tbody tr').count()).toBe(6);
    await page.getByTestId('ncd-heatmap').locator('[data-testid=heatmap-cell]').first().waitFor();
    const flaggedCells = await page.locator('[data-testid=heatmap-cell]:not([data-anomalies="0"])').count();
    expect(flaggedCells).toBeGreaterThan(0);
    const dismiss = page.locator('.import-job button', { hasText: 'Dismiss' });
    if (await dismiss.isVisible()) await dismiss.click();
    await page.screenshot({ path: path.join(SHOTS, 'overview.png') });

    step('heatmap → timeline');
    // A heatmap cell opens its window on the timeline.
    await page.locator('[data-testid=heatmap-cell]:not([data-anomalies="0"])').first().click();
    await page.getByTestId('window-timeline').locator('.recharts-surface').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'timeline.png') });

    step('anomaly list and detail');
    // The anomaly list and the detail of the top anomaly.
    await page.getByRole('button', { name: /^Anomalies/ }).click();
    const rows = page.getByTestId('anomaly-list').locator('[data-testid=anomaly-row]');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    await rows.first().click();
    const detail = page.getByTestId('anomaly-detail');
    await detail.waitFor();
    await expect.poll(() => detail.getByTestId('anomaly-explanation').textContent()).toMatch(/Events \d+–\d+ .* bits/);
    expect(await detail.locator('[data-testid=novel-events] li').count()).toBeGreaterThan(0);
    expect(await detail.locator('mark').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'anomaly-detail.png') });

    step('triage');
    // Triage from the keyboard: C confirms; a note is saved with Ctrl+Enter.
    const id = await detail.getAttribute('data-anomaly-id');
    await page.keyboard.press('c');
    await expect.poll(() => detail.locator('.detail-head .badge').textContent()).toBe('confirmed');
    await page.keyboard.press('n');
    await expect.poll(() => page.evaluate('document.activeElement?.dataset.testid')).toBe('triage-note');
    const noteText = 'Matches the kernel TLB incident reported by operations.';
    await page.keyboard.type(noteText);
    await page.keyboard.press('Control+Enter');
    await page.getByText('Note saved.').waitFor();
    // The note is in the store, not only in the text box.
    const stored = await fetch(`${server.origin}/api/call/getAnomaly`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: Number(id) }),
    });
    expect(stored.status).toBe(200);
    expect(JSON.stringify(await stored.json())).toContain(noteText);
    await expect.poll(() => page.locator(`[data-testid=anomaly-row][data-id="${id}"] .badge`).textContent()).toBe('confirmed');

    step('search');
    // Full-text search, a hit opens its window, and back to the results.
    await page.getByRole('button', { name: 'Logs & search' }).click();
    await page.getByTestId('log-search').fill('parity');
    await page.keyboard.press('Enter');
    const hits = page.getByTestId('search-hit');
    await hits.first().waitFor();
    expect(await hits.count()).toBeGreaterThan(0);
    expect((await hits.first().locator('mark').first().textContent())?.toLowerCase()).toBe('parity');
    await page.screenshot({ path: path.join(SHOTS, 'search.png') });
    await hits.first().click();
    await page.getByTestId('log-view').locator('.log-line.hit').waitFor();
    expect(await page.locator('.log-line.in-window').count()).toBeGreaterThan(0);
    await page.getByTestId('back-to-results').click();
    await hits.first().waitFor();

    step('export');
    // Export the confirmed anomaly with the analyst's fields, then verify the bundle.
    await page.getByRole('button', { name: /^Anomalies/ }).click();
    await page.locator(`[data-testid=anomaly-row][data-id="${id}"]`).click();
    await detail.waitFor();
    await page.keyboard.press('e');
    const exporter = page.getByTestId('evidence-export');
    await exporter.waitFor();
    await exporter.getByTestId('export-incidentId').fill('INC-2026-0142');
    await exporter.getByTestId('export-classification').fill('major ICT-related incident');
    await exporter.getByTestId('export-reporter').fill('E2E Analyst');
    await exporter.getByTestId('export-submit').click();
    const result = exporter.getByTestId('export-result');
    // Either the result or an error appears; an error fails with its own words.
    await exporter.locator('[data-testid=export-result], .state-error').first().waitFor({ timeout: 60_000 });
    expect(await exporter.locator('.state-error').allTextContents()).toEqual([]);
    const bundle = (await result.locator('code').first().textContent())!.trim();
    expect(bundle).toMatch(/\.zip$/);

    step('verify');
    const verifier = page.getByTestId('evidence-verify');
    await verifier.getByTestId('verify-file-input').setInputFiles(bundle);
    const verdict = verifier.getByTestId('verify-result');
    await verifier.locator('[data-testid=verify-result], .state-error').first().waitFor({ timeout: 60_000 });
    expect(await verifier.locator('.state-error').allTextContents()).toEqual([]);
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    const checks = verifier.getByTestId('verify-check');
    expect(await checks.count()).toBeGreaterThan(2);
    expect(await verifier.locator('.checks .fail').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'evidence.png') });

    expect(s.errors).toEqual([]);
  }, 240_000);

  it('listens for OTLP from the Live view, counts what arrives, and stops with the findings shown', async () => {
    const { page } = s;
    page.setDefaultTimeout(20_000);
    await page.getByRole('button', { name: 'Live OTLP' }).click();
    const status = page.getByTestId('listener-status');
    await expect.poll(() => status.getAttribute('data-state')).toBe('stopped');
    // Any free ports: the machine may run a collector (or another test) on 4318/4317.
    await page.getByTestId('listener-http-port-input').fill('0');
    await page.getByTestId('listener-grpc-port-input').fill('0');
    await page.getByTestId('listener-toggle').click();
    await expect.poll(() => status.getAttribute('data-state')).toBe('listening');
    const httpPort = Number(await page.getByTestId('listener-http').getAttribute('data-port'));
    const grpcPort = Number(await page.getByTestId('listener-grpc').getAttribute('data-port'));
    expect(httpPort).toBeGreaterThan(0);
    expect(grpcPort).toBeGreaterThan(0);
    expect(await page.getByTestId('listener-http').textContent()).toBe(`127.0.0.1:${httpPort}`);

    // A service log with an incident (40 lines never seen before), with its own timestamps, over OTLP/HTTP; spans over gRPC.
    const log = templatedLog({ lines: 3000, bursts: [2000], burstLength: 40, seed: 5 });
    const received = page.getByTestId('listener-received');
    const logs = await sendLogs(
      { protocol: 'http/protobuf', base: `http://127.0.0.1:${httpPort}` },
      { service: 'checkout', count: log.lines.length, body: (i) => log.lines[i]!.slice(25), timestamp: (i) => Date.parse(log.lines[i]!.slice(0, 24)), severity: () => 9, batch: 250 },
    );
    expect(logs).toMatchObject({ exported: log.lines.length, failed: 0 });
    const spans = await sendSpans({ protocol: 'grpc', base: `http://127.0.0.1:${grpcPort}` }, 'checkout', 60);
    expect(spans).toMatchObject({ exported: 60, failed: 0 });
    // The count rises on screen as the listener pushes its status (no reload, no click).
    await expect.poll(() => received.getAttribute('data-value'), { timeout: 20_000 }).toBe(String(log.lines.length + 60));
    expect(await received.textContent()).toBe((log.lines.length + 60).toLocaleString('en-GB'));
    await page.screenshot({ path: path.join(SHOTS, 'live-listening.png') });

    await page.getByTestId('listener-toggle').click();
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('stopped');
    expect(await page.getByTestId('listener-http').getAttribute('data-port')).toBe('');
    // Stopping decided the open windows: the incident arrives among the newest anomalies.
    await page.getByTestId('live-anomalies').locator('tr', { hasText: 'checkout/logs/info' }).first().waitFor();
    expect(await page.locator('.live-view .state-error').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'live-stopped.png') });
    expect(s.errors).toEqual([]);
  }, 120_000);

  it('refuses API calls without the token and with a foreign Host', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${server.origin}/api/call/getAppInfo`, { method: 'POST', headers }).then((r) => r.status);
    expect(await call({})).toBe(401);
    expect(await call({ Authorization: 'Bearer wrong' })).toBe(401);
    expect(await call({ Authorization: `Bearer ${server.token}` })).toBe(200);
    expect(await call({ Authorization: `Bearer ${server.token}`, Origin: 'http://evil.example' })).toBe(403);
    // fetch cannot forge Host; a raw request can.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(server.origin);
      const req = request({ host: u.hostname, port: u.port, path: '/', headers: { Host: 'rebound.example:80' } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});
