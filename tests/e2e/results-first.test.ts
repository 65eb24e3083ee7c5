/**
 * End to end: a finished run answers the question in the first screen at 1280×800, and a link
 * that names open sections opens them.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useBuiltApp } from './harness.ts';

const app = useBuiltApp('results');

let page: Page;
const VIEWPORT = { width: 1280, height: 800 };

beforeAll(async () => {
  page = await app.browser.newPage({ viewport: VIEWPORT });
  // A returning visitor: the first-visit explanation was closed on an earlier visit.
  await page.addInitScript(() => localStorage.setItem('fal.guideSeen', '1'));
});

/** The element lies wholly inside the first screen (the page is not scrolled). */
async function inFirstScreen(testId: string): Promise<void> {
  const box = await page.locator(`[data-testid="${testId}"]`).boundingBox();
  expect(box, testId).not.toBeNull();
  expect(box!.y, `${testId} top`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${testId} bottom`).toBeLessThanOrEqual(VIEWPORT.height);
  expect(box!.x + box!.width, `${testId} right`).toBeLessThanOrEqual(VIEWPORT.width);
}

describe('results first', () => {
  test('after a ci run, the ratio and both per-query energies are in the first screen at 1280×800', async () => {
    await page.goto(`${app.url}/#/?preset=ci`);
    await page.locator('[data-testid="webgpu-status"][data-available="true"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="summary-ratio"]').waitFor({ timeout: 200_000 });
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const id of ['summary-ratio', 'summary-per-query-specialized', 'summary-per-query-general', 'summary-per-1000-general', 'summary-equivalence']) {
      await inFirstScreen(id);
    }
    await expect(page.locator('[data-testid="summary-ratio"]').textContent()).resolves.toMatch(/× the energy/);
    // The details wait, closed, under the summary.
    await expect(page.locator('[data-testid="toggle-energy"]').getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.locator('[data-testid="energy-table"]').isVisible()).resolves.toBe(false);
  });

  test('a link with open= opens those sections; opening another one updates the address', async () => {
    await page.goto(`${app.url}/#/results?open=energy,kernels,bogus`);
    await page.locator('[data-testid="energy-table"]').waitFor({ timeout: 30_000 });
    for (const id of ['energy', 'kernels']) {
      await expect(page.locator(`[data-testid="toggle-${id}"]`).getAttribute('aria-expanded')).resolves.toBe('true');
    }
    await expect(page.locator('[data-testid="toggle-upload"]').getAttribute('aria-expanded')).resolves.toBe('false');
    await page.locator('[data-testid="toggle-grid"]').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/results?open=kernels,energy,grid');
    // Keyboard: the section buttons are ordinary buttons.
    await page.locator('[data-testid="toggle-grid"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/results?open=kernels,energy');
  });
});
