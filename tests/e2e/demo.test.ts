/**
 * End to end: the classroom demo in the built app (headless Chromium, WebGPU on SwiftShader),
 * driven from the keyboard as a teacher would, on a 1280×720 projector without scrolling: the
 * race in both languages (the live region announcing it), step-through holding the live race after
 * each phase, the address's bad values, copy link, the QR dialog over an inert page, reduced motion.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useBuiltApp, type E2eApp } from './harness.ts';

const app = useBuiltApp('demo');

/** Whether the page fits the viewport: the teacher never scrolls in front of the class. */
const fits = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight && document.scrollingElement!.scrollWidth <= window.innerWidth);

/** Whether an element holds one line of its text (under twice its font size tall). */
const oneLine = (page: Page, selector: string) =>
  page.locator(selector).evaluate((e) => e.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(e).fontSize));

/**
 * SwiftShader races on a shared, loaded CPU: generous waits, and every page closed after its test
 * even when it failed, so a race left running cannot slow the next test down.
 */
const RACE_MS = 180_000;
const open: Page[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.context().close()));
});
const newPage = async (options: Parameters<E2eApp['browser']['newContext']>[0]) => {
  const context = await app.browser.newContext(options);
  const page = await context.newPage();
  open.push(page);
  return page;
};

const announced = (page: Page) => page.locator('[data-testid="live-announcer"]').textContent();

async function race(page: Page, lang: 'fr' | 'en'): Promise<string> {
  // A fresh load each time: a hash change alone would keep the previous race on screen.
  await page.goto('about:blank');
  await page.goto(`${app.url}/#/demo?preset=ci&lang=${lang}`);
  const start = page.locator('[data-testid="demo-start"]');
  await expect.poll(() => start.isEnabled(), { timeout: RACE_MS }).toBe(true);
  expect(await fits(page)).toBe(true);
  expect(await oneLine(page, '[data-testid="demo-keys"]')).toBe(true);
  await page.keyboard.press('Space');
  // The live region says the race is on, then that it finished.
  await expect.poll(() => announced(page), { timeout: RACE_MS, interval: 50 }).toMatch(lang === 'fr' ? /Mesure en cours/ : /Measuring/);
  await page.locator('[data-testid="lane-general"][data-done="true"]').waitFor({ timeout: RACE_MS });
  await page.locator('[data-testid="lane-specialized"][data-done="true"]').waitFor({ timeout: RACE_MS });
  await page.locator('[data-testid="demo-ratio"]').waitFor();
  expect(await fits(page)).toBe(true);
  expect(await announced(page)).toMatch(lang === 'fr' ? /Mesure terminée/ : /Run finished/);
  return (await page.locator('[data-testid="demo"]').textContent()) ?? '';
}

describe('the classroom demo', () => {
  test('French then English: Space races both lanes to the ratio, on one 1280×720 screen', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 720 } });
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

    // The same screen at 1920×1080 still needs no scrolling, in English and (L) in French.
    await page.setViewportSize({ width: 1920, height: 1080 });
    expect(await fits(page)).toBe(true);
    await page.keyboard.press('l');
    await expect.poll(() => page.locator('[data-testid="demo"]').textContent()).toContain('Même question, deux IA');
    await page.locator('[data-testid="demo-ratio"]').waitFor();
    expect(await fits(page)).toBe(true);
    expect(errors).toEqual([]);
  }, 900_000);

  test('step by step: the live race holds after each phase until Space, then a recap ends on the ratio', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/#/demo?preset=ci&lang=en`);
    const start = page.locator('[data-testid="demo-start"]');
    await expect.poll(() => start.isEnabled(), { timeout: RACE_MS }).toBe(true);
    await page.locator('[data-testid="step-mode"]').check();
    // Space on the focused checkbox would be the checkbox's: give the keyboard back to the demo.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Space');
    /** "held <phase> <count>", "recap" once the race is over, or "busy" (building, timing). */
    const where = () =>
      page.evaluate(() => {
        const held = document.querySelector('[data-testid="demo-steps"][data-held="true"]');
        if (held) return `held ${held.getAttribute('data-phase')} ${held.querySelector('.step-count')?.textContent ?? ''}`;
        return document.querySelector('[data-testid="demo-steps"][data-step]') ? 'recap' : 'busy';
      });
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await expect.poll(where, { timeout: RACE_MS, interval: 100 }).not.toBe('busy');
      const now = await where();
      if (now === 'recap') break;
      seen.push(now);
      expect(await fits(page)).toBe(true);
      // Held: the engine waits for the teacher, nothing moves on by itself.
      await page.waitForTimeout(400);
      expect(await where()).toBe(now);
      expect(await page.locator('[data-testid="step-sentence"]').textContent()).toMatch(/pass|prompt|word/);
      await page.keyboard.press('Space');
      await expect.poll(where, { timeout: RACE_MS, interval: 50 }).not.toBe(now);
    }
    const phases = seen.map((s) => s.split(' ')[1]);
    expect(phases.filter((p) => p === 'encode')).toHaveLength(1);
    expect(phases.filter((p) => p === 'prefill')).toHaveLength(1);
    expect(phases.filter((p) => p === 'decode').length).toBeGreaterThan(0);
    // The chat model's prefill comes before its decode steps.
    expect(phases.indexOf('prefill')).toBeLessThan(phases.indexOf('decode'));
    // After the race, the recap with the measured times, then the ratio.
    for (let i = 0; i < 40 && !(await page.locator('[data-testid="demo-ratio"]').count()); i++) await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid="demo-ratio"]').waitFor();
    expect(await fits(page)).toBe(true);
    expect(errors).toEqual([]);
  }, 900_000);

  test('without a race: bad address values noted, copy link, the QR dialog over an inert page, reduced motion', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce', permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${app.url}/#/demo?preset=turbo&lang=fr&queries=-3`);
    const notes = page.locator('[data-testid="demo-notes"]');
    await notes.waitFor();
    expect(await notes.textContent()).toContain('turbo');
    expect(await notes.textContent()).toContain('-3');
    expect(await fits(page)).toBe(true);

    // Copy link: the address with the settings actually used (the defaults for the bad values).
    await page.locator('[data-testid="copy-link"]').click();
    await page.locator('[data-testid="copy-done"], [data-testid="copy-fallback"]').first().waitFor();
    const copied = (await page.locator('[data-testid="copy-fallback"]').count())
      ? await page.locator('[data-testid="copy-fallback"]').inputValue()
      : await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('#/demo?preset=quick&lang=fr');
    expect(copied).toContain('queries=1000');

    // The QR dialog: the rest of the page is inert while it is open (the live region is kept),
    // and focus goes back to the button that opened it.
    const inert = (sel: string) => page.locator(sel).first().evaluate((e) => e.closest('[inert]') !== null);
    await page.locator('[data-testid="class-open"]').click();
    await page.locator('[data-testid="class-dialog"]').waitFor();
    expect(await inert('.app-header')).toBe(true);
    expect(await inert('[data-testid="demo-start"]')).toBe(true);
    expect(await inert('[data-testid="class-close-dialog"]')).toBe(false);
    expect(await inert('[data-testid="live-announcer"]')).toBe(false);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="class-dialog"]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.querySelectorAll('[inert]').length)).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('class-open');

    // prefers-reduced-motion: nothing on the page transitions or animates.
    const moving = await page.evaluate(() => {
      const seconds = (v: string) => Math.max(...v.split(',').map((x) => parseFloat(x) * (x.trim().endsWith('ms') ? 0.001 : 1)));
      return [...document.querySelectorAll('*')].filter((e) => {
        const s = getComputedStyle(e);
        return seconds(s.transitionDuration) > 0.001 || (s.animationName !== 'none' && seconds(s.animationDuration) > 0.001);
      }).length;
    });
    expect(moving).toBe(0);
  });
});
