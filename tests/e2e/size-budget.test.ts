import { describe, expect, test } from 'vitest';
import { INITIAL_JS_BUDGET_BYTES, initialScripts, measureInitialJs } from '../../scripts/size-budget.ts';

describe('initial JavaScript budget of #/', () => {
  test('index.html scripts: the module entry and its preloads, never stylesheets or lazy chunks', () => {
    const html = `<script type="module" crossorigin src="./assets/main-a.js"></script>
      <link rel="modulepreload" crossorigin href="./assets/presets-b.js">
      <link rel="stylesheet" crossorigin href="./assets/main-c.css">`;
    expect(initialScripts(html)).toEqual(['./assets/main-a.js', './assets/presets-b.js']);
  });

  test('the built app stays within 150 KB gzip', () => {
    const size = measureInitialJs('dist');
    expect(size.files.length).toBeGreaterThan(0);
    expect(size.budgetBytes).toBe(INITIAL_JS_BUDGET_BYTES);
    // The message names every file so an over-budget build says where the bytes went.
    expect(size.gzipBytes, size.files.map((f) => `${f.path}: ${f.gzipBytes} B gzip`).join('\n')).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });
});
