/**
 * The tuning cache key names the whole WebGPU stack a choice was timed on: a browser update (its
 * WebGPU implementation and shader compiler) or a driver whose description or subgroup sizes
 * change must tune again; the same stack must find its entry.
 */
import { describe, expect, test } from 'vitest';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { tuningShapes } from '../../src/engine/tuning/shapes.ts';
import { TUNER_VERSION, runtimeBrowser, staleTuningKeys, tuningKey, type TuningAdapter } from '../../src/engine/tuning/store.ts';
import { browserFamily } from '../../src/shared/user-agent.ts';

const shapes = tuningShapes(resolveSuite('ci').workloads);
const stack: TuningAdapter = {
  vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)',
  subgroupMinSize: 8, subgroupMaxSize: 8, features: ['timestamp-query', 'shader-f16'], browser: { name: 'chrome', major: 140 },
};
const key = (a: Partial<TuningAdapter> = {}): string => tuningKey({ ...stack, ...a }, shapes, 'k');

describe('tuning cache key', () => {
  test('changes with the browser\'s major version or family, stays equal otherwise', () => {
    expect(key({ browser: { name: 'chrome', major: 141 } })).not.toBe(key());
    expect(key({ browser: { name: 'edge', major: 140 } })).not.toBe(key());
    expect(key({ browser: { name: 'chrome', major: null } })).not.toBe(key());
    // The same stack: the same key (features in any order, a fresh object).
    expect(key({ browser: { name: 'chrome', major: 140 }, features: ['shader-f16', 'timestamp-query'] })).toBe(key());
    expect(key()).toMatch(new RegExp(`^tuning\\|v${TUNER_VERSION}\\|`));
    expect(TUNER_VERSION).toBe(5);
  });

  test('changes with what the adapter says of its driver: description and subgroup sizes', () => {
    expect(key({ description: 'llvmpipe: Mesa 25.1.0 (LLVM 19.1.7)' })).not.toBe(key());
    expect(key({ subgroupMinSize: 4 })).not.toBe(key());
    expect(key({ subgroupMaxSize: 64 })).not.toBe(key());
    // Not exposed (null) and absent are the same unknown.
    const { subgroupMinSize: _min, subgroupMaxSize: _max, ...bare } = stack;
    expect(tuningKey(bare, shapes, 'k')).toBe(key({ subgroupMinSize: null, subgroupMaxSize: null }));
  });

  test('the browser as the result document names it; the browser-free runner is node and its major', () => {
    expect(browserFamily('Node.js/20.20.2')).toEqual({ name: 'node', major: 20 });
    expect(browserFamily('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36')).toEqual({ name: 'chrome', major: 140 });
    // No navigator here (Node 20 without the runner's): unknown, and still a key.
    const here = runtimeBrowser();
    expect(typeof here.name).toBe('string');
    expect(key({ browser: here })).toMatch(/^tuning\|/);
  });
});

describe('stale tuning entries', () => {
  test('a put drops the entries of other kernel sources or tuner versions, keeps other browsers, adapters and presets', () => {
    const current = tuningKey(stack, shapes, 'knew');
    const oldSources = tuningKey(stack, shapes, 'kold');
    const oldVersion = current.replace(`tuning|v${TUNER_VERSION}|`, `tuning|v${TUNER_VERSION - 1}|`);
    const otherBrowser = tuningKey({ ...stack, browser: { name: 'chrome', major: 139 } }, shapes, 'knew');
    const otherAdapter = tuningKey({ ...stack, description: 'another driver' }, shapes, 'knew');
    const otherPreset = tuningKey(stack, tuningShapes(resolveSuite('quick').workloads), 'knew');
    const notOurs = 'something-else';
    const stored = [current, oldSources, oldVersion, otherBrowser, otherAdapter, otherPreset, notOurs];
    expect(staleTuningKeys(stored, current)).toEqual([oldSources, oldVersion]);
    // A description with the separator in it does not confuse the key's parts.
    const piped = tuningKey({ ...stack, description: 'a | b |k|s' }, shapes, 'knew');
    expect(staleTuningKeys([piped, oldSources], current)).toEqual([oldSources]);
    expect(staleTuningKeys(stored, 'not a tuning key')).toEqual([]);
  });
});
