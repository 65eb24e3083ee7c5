/**
 * The tuning cache in the browser's real IndexedDB (the store the worker uses): a put and a get
 * round-trip the value, and a put drops the entries of other kernel sources or tuner versions in
 * the same transaction (an app update would otherwise leave one unreachable entry per update),
 * while an entry of another browser version stays.
 */
import { expect, test } from 'vitest';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { tuningShapes } from '../../src/engine/tuning/shapes.ts';
import { IndexedDbTuningStore, TUNER_VERSION, tuningKey, type StoredTuning, type TuningAdapter } from '../../src/engine/tuning/store.ts';

const stack: TuningAdapter = {
  vendor: 'google', architecture: 'swiftshader', device: '', description: '', subgroupMinSize: 4, subgroupMaxSize: 4,
  features: ['timestamp-query', 'subgroups'], browser: { name: 'chrome', major: 156 },
};
const shapes = tuningShapes(resolveSuite('ci').workloads);
const value = (splitK: 2 | 4): StoredTuning => ({
  tuning: { gemmSplitK: { '16x128x512': splitK }, gemvReduction: 'workgroup' },
  trials: [{ op: 'gemm', shape: '16x128x512', candidate: `splitK=${splitK}`, medianMs: 0.5 }],
});

test('IndexedDB: round trip, and a put drops the entries an app update made unreachable', async () => {
  const store = new IndexedDbTuningStore(indexedDB);
  const before = tuningKey(stack, shapes, 'sources-before');
  const olderTuner = before.replace(`tuning|v${TUNER_VERSION}|`, `tuning|v${TUNER_VERSION - 1}|`);
  const otherBrowser = tuningKey({ ...stack, browser: { name: 'chrome', major: 155 } }, shapes, 'sources-after');
  const after = tuningKey(stack, shapes, 'sources-after');
  await store.put(olderTuner, value(2));
  await store.put(before, value(2));
  expect(await store.get(before)).toEqual(value(2));
  expect(await store.get(olderTuner)).toBeNull();
  // An app update: the first put under the new kernel sources drops the old sources' entry.
  await store.put(otherBrowser, value(2));
  expect(await store.get(before)).toBeNull();
  // Another browser version's entry under the current sources stays beside this one.
  await store.put(after, value(4));
  expect(await store.get(after)).toEqual(value(4));
  expect(await store.get(otherBrowser)).toEqual(value(2));
});
