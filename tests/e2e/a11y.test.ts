/**
 * End to end: axe-core on every view of the built app, in the light and dark themes (the demo
 * brings its own projector theme, checked with its dialog and its step-through recap too), after a
 * real `ci` run so the results views are full. The real-models views (`models=real` on `#/` and the
 * demo, with the demo's dialog) are checked before a race, with the fixture models served as a
 * class server serves them (MODELS_DIR), so their panel shows sizes and where the files come from,
 * and with a base on another host, where the panel asks "Load models from …?" first (and nothing
 * is requested from that host meanwhile). A serious or critical violation fails the test,
 * unless it is listed in `KNOWN_VIOLATIONS` below; a listed one that is no longer found fails it
 * too, so the list cannot outlive the fixes.
 */
import { describe, expect, test } from 'vitest';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { useBuiltApp, useFixtureModels } from './harness.ts';

const modelsDir = useFixtureModels('a11y');

const app = useBuiltApp('a11y', { modelsDir });

/**
 * Violations in views whose files are another area's, to be fixed there: rule id, the view (and
 * theme) it shows in, and axe's selector for the node. Each must still be found.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

/** A link whose model base is on another host: the real race asks the visitor before any request goes there. */
const FOREIGN_BASE = '#/?models=real&base=https%3A%2F%2Felsewhere.example%2F';
const VIEWS = ['#/?preset=ci&class=ABC234', '#/results', '#/demo', '#/demo?models=real', '#/?models=real', '#/model', FOREIGN_BASE, '#/history', '#/dataset', '#/methodology'] as const;
const THEMES = ['light', 'dark'] as const;




/** Serious and critical violations on the page as it stands, one line each: "rule view selector". */
async function violations(page: Page, where: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    const list = r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.map(String).join(' > ')}`));
    return { passes: r.passes.length, list };
  });
  // Proof that axe looked at the page: an empty list from a run that checked nothing proves nothing.
  expect(found.passes).toBeGreaterThan(10);
  return found.list.map((f) => {
    const [rule, ...sel] = f.split(' ');
    return `${rule} ${where} ${sel.join(' ')}`;
  });
}

async function show(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  // Views that read the API (dataset, history) settle within a moment; then nothing is pending.
  await page.waitForTimeout(1500);
}

describe('accessibility (axe-core)', () => {
  test('no serious or critical violation on any view, in either theme, beyond the known list', async () => {
    // The app's CSP refuses inline scripts; axe is injected by the test, not the app.
    const context = await app.browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).hostname === 'elsewhere.example') foreign.push(`${r.method()} ${r.url()}`);
    });
    await page.goto(`${app.url}/${VIEWS[0]}`);
    await page.locator('[data-testid="webgpu-status"][data-available="true"]').waitFor({ timeout: 60_000 });
    // A fresh browser sees the first-visit explanation over #/: checked too, then closed with Esc.
    await page.locator('[data-testid="guide"]').waitFor();
    const guideViolations = await violations(page, '#/+guide light');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="guide"]').waitFor({ state: 'hidden' });
    await page.locator('[data-testid="run"]').click();
    await page.locator('[data-testid="results"]').waitFor({ timeout: 200_000 });
    await page.locator('[data-testid="class-contribution"]').waitFor();

    const found: string[] = [...guideViolations];
    for (const theme of THEMES) {
      await page.locator('[data-testid="theme"]').selectOption(theme);
      for (const view of VIEWS) {
        await show(page, view);
        // The real race's panel, settled: the pair found on this server, and its sizes.
        if (view === '#/?models=real') await page.locator('[data-testid="rm-served-here"]').waitFor();
        if (view === '#/?models=real') await page.locator('[data-testid="size-generator"]').waitFor();
        if (view === FOREIGN_BASE) await page.locator('[data-testid="rm-consent"]').waitFor();
        found.push(...(await violations(page, `${view} ${theme}`)));
        if (view === FOREIGN_BASE) {
          // Declined from the keyboard: the usual source again (this server's /models/), for the next views.
          await page.locator('[data-testid="rm-consent-no"]').focus();
          await page.keyboard.press('Enter');
          await page.locator('[data-testid="rm-served-here"]').waitFor();
        }
        if (view === '#/demo') {
          // The "your own device" dialog, over the demo.
          await page.keyboard.press('q');
          await page.locator('[data-testid="class-dialog"]').waitFor();
          found.push(...(await violations(page, `${view}+dialog ${theme}`)));
          await page.keyboard.press('Escape');
          // Step-through over the finished race: the recap panel, in the projector theme.
          await page.locator('[data-testid="step-mode"]').check();
          await page.locator('[data-testid="demo-steps"]').waitFor();
          found.push(...(await violations(page, `${view}+steps ${theme}`)));
          await page.locator('[data-testid="step-mode"]').uncheck();
        }
        if (view === '#/demo?models=real') {
          // The dialog's link for the real race: it says where the pupils' devices download from.
          await page.locator('[data-testid="rm-demo"]').waitFor();
          await page.keyboard.press('q');
          await page.locator('[data-testid="class-real-from"]').waitFor();
          found.push(...(await violations(page, `${view}+dialog ${theme}`)));
          await page.keyboard.press('Escape');
        }
      }
    }
    const unique = [...new Set(found)];
    const unexpected = unique.filter((f) => !KNOWN_VIOLATIONS.includes(f));
    const fixed = KNOWN_VIOLATIONS.filter((k) => !unique.includes(k));
    expect(unexpected).toEqual([]);
    expect(fixed).toEqual([]);
    expect(errors).toEqual([]);
    // The other host was shown and never asked: the visitor did not agree.
    expect(foreign).toEqual([]);
    await context.close();
  });
});
