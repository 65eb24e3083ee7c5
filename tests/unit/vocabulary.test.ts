// The closed vocabulary of the open dataset (src/shared/vocabulary.ts) is written out below the
// engine; these tests tie it to what the engine, the kernels, the lab plan and the energy catalogs
// actually produce, so a new kernel, preset, flag or feature cannot be refused by the server
// without one of them failing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as v from './../../src/shared/vocabulary.ts';
import { PRESET_NAMES } from '../../src/shared/presets.ts';
import { SUITE_VERSIONS, resolveSuite } from '../../src/engine/models/presets.ts';
import { MODEL_PRESETS, workloadConfig } from '../../src/engine/models/config.ts';
import { OPTIONAL_FEATURES, RECORDED_LIMITS } from '../../src/engine/device.ts';
import { microSpecs } from '../../src/lab/plan.ts';
import { core } from '../../src/i18n/dict/core.ts';
import { POWER_PROFILES, selectProfile } from '../../src/energy/profiles.ts';
import { KNOWN_VENDORS } from '../../src/shared/schema.ts';
import type { KernelMeta } from '../../kernels/kernel.ts';
import { EXECUTION_PROVIDERS, REAL_MODEL_KEYS, REAL_MODELS } from '../../src/shared/realmodels/record.ts';
import type { RealModelConfig } from '../../src/shared/realmodels/cost.ts';
import { sampleRealWorkloads } from '../../src/shared/sample-real-result.ts';

describe('vocabulary covers what the product produces', () => {
  test('suite versions: every preset of the engine', () => {
    expect([...v.SUITE_VERSIONS].sort()).toEqual(PRESET_NAMES.map((p) => SUITE_VERSIONS[p]).sort());
  });

  test('model names and workload ids: every model preset, and custom', () => {
    expect([...v.MODEL_NAMES].sort()).toEqual([...Object.keys(MODEL_PRESETS), 'custom'].sort());
    for (const preset of ['ci', 'quick', 'paper'] as const) {
      for (const w of resolveSuite(preset).workloads) expect(v.MODEL_WORKLOAD_IDS).toContain(w.id);
    }
  });

  test('kernel names: the name of every kernels/NAME/NAME.meta.ts', async () => {
    const root = join(import.meta.dirname, '../../kernels');
    const names: string[] = [];
    for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const files = readdirSync(join(root, dir.name)).filter((f) => f.endsWith('.meta.ts'));
      for (const f of files) {
        const mod = (await import(join(root, dir.name, f))) as Record<string, KernelMeta<unknown>>;
        for (const meta of Object.values(mod)) if (meta && typeof meta === 'object' && 'name' in meta) names.push(meta.name);
      }
    }
    expect([...v.KERNEL_NAMES].sort()).toEqual([...new Set(names)].sort());
  });

  test('config keys and words: every workload config of every preset (f32 and f16), micro shapes included', () => {
    const configs: Record<string, unknown>[] = [];
    for (const preset of ['ci', 'quick', 'paper', 'custom'] as const) {
      for (const f16 of [false, true]) for (const w of resolveSuite(preset, { f16 }).workloads) configs.push(workloadConfig(w));
      for (const m of microSpecs(preset)) {
        const { id: _id, ...shape } = m;
        configs.push(shape);
      }
    }
    for (const c of configs) {
      for (const [key, value] of Object.entries(c)) {
        expect(v.CONFIG_KEYS as readonly string[], key).toContain(key);
        if (typeof value === 'string') expect(v.CONFIG_STRINGS[key], `${key}=${value}`).toContain(value);
        if (typeof value === 'boolean') expect(v.CONFIG_BOOLEAN_KEYS as readonly string[]).toContain(key);
      }
    }
  });

  test('features and limits: what the device layer records', () => {
    expect([...v.RECORDED_FEATURES].sort()).toEqual([...OPTIONAL_FEATURES].sort());
    expect([...v.RECORDED_LIMIT_NAMES].sort()).toEqual([...RECORDED_LIMITS].sort());
  });

  test('result flags: exactly the flags the page can name (flag.* in the dictionary)', () => {
    const named = Object.keys(core.en).filter((k) => k.startsWith('flag.')).map((k) => k.slice('flag.'.length));
    expect([...v.RESULT_FLAGS].sort()).toEqual(named.sort());
  });

  test('profile ids: every catalog entry and every band the matcher builds, for every vendor and form factor', () => {
    for (const e of POWER_PROFILES.profiles) expect(v.isKnownProfileId(e.id)).toBe(true);
    const archs = new Set(POWER_PROFILES.profiles.flatMap((e) => e.match.flatMap((m) => m.architectures)));
    for (const vendor of KNOWN_VENDORS) {
      for (const architecture of [...archs, 'unknown-arch', '']) {
        for (const hasBattery of [true, false, null]) {
          const { profile } = selectProfile({ vendor, architecture, isFallbackAdapter: false }, { hasBattery });
          expect(v.isKnownProfileId(profile.id), profile.id).toBe(true);
          for (const f of profile.flags) expect(v.PROFILE_FLAGS as readonly string[]).toContain(f);
          for (const c of profile.embodiedClasses) expect(v.EMBODIED_CLASSES).toContain(c);
        }
      }
    }
  });

  test('closed means closed: free text is not an id', () => {
    expect(v.isKnownProfileId('jean.dupont@example.fr')).toBe(false);
    expect(v.isKnownProfileId('unknown+unknown')).toBe(false);
    expect(v.isKnownProfileId('user-measured')).toBe(true);
    expect(v.APP_VERSION_PATTERN.test('0.1.0')).toBe(true);
    expect(v.APP_VERSION_PATTERN.test('1.2.3-rc.1')).toBe(true);
    for (const bad of ['jean.dupont@example.fr', '<img src=x onerror=alert(1)>', '1.2', '1.2.3-', '1.2.3-' + 'a'.repeat(17), '01.2.3', '1.2.3\u202e']) {
      expect(v.APP_VERSION_PATTERN.test(bad), bad).toBe(false);
    }
    expect(v.ARCHITECTURE_PATTERN.test('rdna-3')).toBe(true);
    expect(v.ARCHITECTURE_PATTERN.test('a@b.c')).toBe(false);
  });

  test('real-model workload ids: ROLE:MODEL:EP for every role, real model and execution provider, none shared with the synthetic ids', () => {
    const expected = (['general', 'specialized'] as const).flatMap((r) => REAL_MODEL_KEYS.flatMap((m) => EXECUTION_PROVIDERS.map((ep) => `${r}:${m}:${ep}`)));
    expect([...v.REAL_WORKLOAD_IDS].sort()).toEqual(expected.sort());
    for (const id of v.REAL_WORKLOAD_IDS) expect(v.MODEL_WORKLOAD_IDS, id).not.toContain(id);
    expect([...v.ENERGY_WORKLOAD_IDS].sort()).toEqual([...v.MODEL_WORKLOAD_IDS, ...v.REAL_WORKLOAD_IDS].sort());
    // Each real model has a synthetic replica id of the same key (ROLE:MODEL), for the comparison.
    for (const m of REAL_MODEL_KEYS) expect(v.MODEL_NAMES as readonly string[], m).toContain(m);
    expect(Object.keys(REAL_MODELS).every((m) => (REAL_MODEL_KEYS as readonly string[]).includes(m))).toBe(true);
  });

  test('real-model config keys: exactly the keys a real workload records, architecture numbers shared with the synthetic config', () => {
    const keys = new Set(sampleRealWorkloads().filter((w) => w.kind === 'real-model').flatMap((w) => Object.keys(w.config)));
    expect([...keys].sort()).toEqual([...v.REAL_CONFIG_KEYS].sort());
    const shared: readonly (keyof RealModelConfig)[] = ['family', 'layers', 'hidden', 'heads', 'kvHeads', 'ffn', 'vocab'];
    for (const k of shared) expect(v.CONFIG_KEYS as readonly string[], k).toContain(k);
    expect(v.REAL_FLOPS_UNKNOWN).toEqual(['architecture-incomplete']);
  });
});
