import { describe, expect, test } from 'vitest';
import { ChromiumNotFoundError, findChromium, locateChromium } from '../../scripts/chromium.ts';

describe('Chromium lookup', () => {
  test('a missing CHROMIUM_PATH is reported, not thrown, by the lookup the vitest config uses', () => {
    const found = locateChromium({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(found.ok).toBe(false);
    if (!found.ok) expect(found.error.message).toMatch(/CHROMIUM_PATH=\/nonexistent\/chromium does not exist.*apt-get install -y chromium/);
  });

  test('the tools that need Chromium now get a named error that says what to install', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(ChromiumNotFoundError);
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(/point CHROMIUM_PATH at a Chromium/);
  });

  test('an existing CHROMIUM_PATH wins', () => {
    expect(locateChromium({ CHROMIUM_PATH: process.execPath })).toEqual({ ok: true, path: process.execPath });
  });
});
