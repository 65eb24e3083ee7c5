/**
 * End to end: the built app in headless Chromium (WebGPU on SwiftShader), driven like a visitor.
 */
import { describe, expect, test } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import { chromiumArgs, findChromium } from '../../scripts/chromium.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { useBuiltApp } from './harness.ts';

const app = useBuiltApp('app');




async function openRun(page: Page, preset = 'ci', extra = ''): Promise<void> {
  // Count main-thread WebGPU use: all GPU work must happen in the worker.
  await page.addInitScript(() => {
    // A returning visitor: the first-visit explanation was closed on an earlier visit.
    localStorage.setItem('fal.guideSeen', '1');
    const w = window as unknown as { __mainThreadGpuCalls: number };
    w.__mainThreadGpuCalls = 0;
    const gpu = navigator.gpu;
    if (gpu) {
      const orig = gpu.requestAdapter.bind(gpu);
      gpu.requestAdapter = (o?: GPURequestAdapterOptions) => {
        w.__mainThreadGpuCalls++;
        return orig(o);
      };
    }
  });
  await page.goto(`${app.url}/#/?preset=${preset}${extra}`);
  await page.locator('[data-testid="webgpu-status"][data-available="true"]').waitFor({ timeout: 60_000 });
}

describe('the lab in a real browser', () => {
  test('runs the ci preset from the Run button and shows verified results', async () => {
    const page = await app.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The sections this test reads open from the address, as a shared link would open them.
    await openRun(page, 'ci', '&open=models,upload');
    await expect(page.locator('[data-testid="adapter-vendor"]').textContent()).resolves.toBe('google');
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="progress"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="results"]').waitFor({ timeout: 200_000 });

    for (const id of ['fma-peak', 'copy', 'gemm']) {
      await expect(page.locator(`[data-testid="micro-table"] tr[data-workload="${id}"] .badge.ok`).count()).resolves.toBe(1);
    }
    await page.locator('[data-testid="model-comparison"]').waitFor();
    const doc = (await page.evaluate(() => (window as unknown as { __labResult: unknown }).__labResult)) as ResultDocument;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.suite.preset).toBe('ci');
    expect(doc.environment.adapter.architecture).toBe('swiftshader');
    expect(doc.environment.timing).toBe('gpu-timestamp');
    expect(doc.environment.browser.name).toBe('chrome');
    expect(doc.workloads.map((w) => w.id).slice(0, 3)).toEqual(['fma-peak', 'copy', 'gemm']);
    const roles = doc.workloads.filter((w) => w.kind === 'model').map((w) => w.role).sort();
    expect(roles).toEqual(['general', 'specialized']);
    for (const w of doc.workloads) {
      expect(w.timing.medianMs).toBeGreaterThan(0);
      expect(w.timing.samplesMs.length).toBeGreaterThanOrEqual(2);
    }
    // Energy headline: every figure is labelled as an estimate.
    expect(doc.energy?.ratio.p50).toBeGreaterThan(0);
    const text = (await page.locator('[data-testid="results"]').textContent()) ?? '';
    expect(text.toLowerCase()).toContain('estimate');
    // The page stays in one language: switch to French and the headline follows.
    await page.locator('[data-testid="lang"]').selectOption('fr');
    expect(((await page.locator('[data-testid="results"]').textContent()) ?? '').toLowerCase()).toContain('estimation');
    expect(await page.evaluate(() => (window as unknown as { __mainThreadGpuCalls: number }).__mainThreadGpuCalls)).toBe(0);

    // Opt-in upload: the exact anonymized payload is shown, consent is required, then the
    // receipt gives an id and a withdrawal token; the open dataset then lists the result.
    await page.locator('[data-testid="lang"]').selectOption('en');
    await page.locator('[data-testid="upload-review"]').click();
    const payload = JSON.parse((await page.locator('[data-testid="upload-payload"]').textContent()) ?? '{}') as ResultDocument & Record<string, unknown>;
    expect(payload.environment.adapter.vendor).toBe('google');
    expect(JSON.stringify(payload)).not.toMatch(/Mozilla|HeadlessChrome/);
    await expect(page.locator('[data-testid="upload-send"]').isDisabled()).resolves.toBe(true);
    await page.locator('[data-testid="upload-consent"]').check();
    await page.locator('[data-testid="upload-send"]').click();
    await page.locator('[data-testid="upload-token"]').waitFor({ timeout: 30_000 });
    const listed = (await (await fetch(`${app.url}/api/results`)).json()) as { items: { doc: ResultDocument }[] };
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]!.doc.workloads.map((w) => w.id)).toEqual(doc.workloads.map((w) => w.id));
    expect(listed.items[0]!.doc.energy?.ratio.p50).toBeCloseTo(doc.energy!.ratio.p50, 9);

    // The run is in the local history, marked as shared.
    await page.goto(`${app.url}/#/history`);
    await page.locator('[data-testid="history-row"]').first().waitFor({ timeout: 30_000 });
    // The GPU-reset hook exists only in debug mode.
    expect(await page.evaluate(() => typeof window.__labDebug)).toBe('undefined');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a lost device ends the run with a message, and the page can run again', async () => {
    const page = await app.browser.newPage();
    await openRun(page, 'ci', '&debug=1');
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="progress"] li[data-status="running"]').first().waitFor({ timeout: 30_000 });
    // Wait until the worker holds a device, then destroy it as a driver reset would.
    await expect.poll(() => page.evaluate(() => window.__labDebug!.loseDevice()), { timeout: 30_000, interval: 100 }).toBe(true);
    const err = page.locator('[data-testid="run-error"]');
    await err.waitFor({ timeout: 60_000 });
    await expect(err.getAttribute('data-error-name')).resolves.toBe('DeviceLostError');
    expect(await err.textContent()).toMatch(/lost/i);
    // Recovery: a new run gets a new device and finishes.
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="results"]').waitFor({ timeout: 200_000 });
    await page.close();
  });

  test('cancel stops a run and the page stays usable', async () => {
    const page = await app.browser.newPage();
    await openRun(page);
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="progress"] li[data-status="running"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="cancel"]').click();
    await page.locator('[data-testid="cancelled"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid="run"]').isEnabled()).resolves.toBe(true);
    await page.close();
  });
});

describe('offline', () => {
  test('the history opens without a network once the app has been visited', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/#/history`);
    // Wait until the service worker controls the page, then load once more so it caches the files.
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
    await page.reload();
    await page.locator('[data-testid="history-view"]').waitFor({ timeout: 30_000 });
    await context.setOffline(true);
    await page.reload();
    await page.locator('[data-testid="history-view"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('.app-header nav a').count()).resolves.toBeGreaterThan(3);
    await context.close();
  });
});

describe('without WebGPU', () => {
  test('the page explains what is missing instead of failing', async () => {
    const noGpu = await chromium.launch({
      executablePath: findChromium(),
      args: chromiumArgs().filter((a) => !a.includes('webgpu')).concat('--disable-features=WebGPU'),
      headless: true,
    });
    try {
      const page = await noGpu.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${app.url}/#/`);
      const card = page.locator('[data-testid="webgpu-status"][data-available="false"]');
      await card.waitFor({ timeout: 60_000 });
      const text = (await card.textContent()) ?? '';
      expect(text).toMatch(/WebGPU is not available/);
      expect(text).toMatch(/Chrome|Safari|Firefox/);
      await expect(page.locator('[data-testid="run"]').isDisabled()).resolves.toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await noGpu.close();
    }
  });
});
