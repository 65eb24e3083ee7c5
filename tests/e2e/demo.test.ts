/**
 * End to end: the classroom demo in the built app (headless Chromium, WebGPU on SwiftShader),
 * driven from the keyboard as a teacher would, on a 1280×720 projector without scrolling.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useBuiltApp } from './harness.ts';

const app = useBuiltApp('demo');




/** Whether the page fits the viewport: the teacher never scrolls in front of the class. */
const fits = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight && document.scrollingElement!.scrollWidth <= window.innerWidth);

async function race(page: Page, lang: 'fr' | 'en'): Promise<string> {
  // A fresh load each time: a hash change alone would keep the previous race on screen.
  await page.goto('about:blank');
  await page.goto(`${app.url}/#/demo?preset=ci&lang=${lang}`);
  const start = page.locator('[data-testid="demo-start"]');
  await expect.poll(() => start.isEnabled(), { timeout: 60_000 }).toBe(true);
  expect(await fits(page)).toBe(true);
  await page.keyboard.press('Space');
  await page.locator('[data-testid="lane-general"][data-done="true"]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="lane-specialized"][data-done="true"]').waitFor();
  await page.locator('[data-testid="demo-ratio"]').waitFor();
  expect(await fits(page)).toBe(true);
  return (await page.locator('[data-testid="demo"]').textContent()) ?? '';
}

describe('the classroom demo', () => {
  test('French then English: Space races both lanes to the ratio, on one 1280×720 screen', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const fr = await race(page, 'fr');
    expect(fr).toContain('Même question, deux IA');
    expect(fr).toMatch(/Énergie estimée : [\d,]+× plus \(fourchette/);
    expect(fr).toContain('par réponse');
    // The header (brand, navigation, language and theme) stays on one line in French.
    const header = await page.locator('.app-header').boundingBox();
    expect(header!.height).toBeLessThan(60);

    const en = await race(page, 'en');
    expect(en).toContain('Same question, two AIs');
    expect(en).toMatch(/Estimated energy: [\d.]+× more \(range/);
    expect(en).toContain('per answer');

    // The same screen at 1920×1080 still needs no scrolling.
    await page.setViewportSize({ width: 1920, height: 1080 });
    expect(await fits(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
