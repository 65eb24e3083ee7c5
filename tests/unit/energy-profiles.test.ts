import { describe, expect, test } from 'vitest';
import {
  EMBODIED,
  POWER_PROFILES,
  profileFromCatalog,
  profileFromMeasuredWatts,
  selectProfile,
  UnknownProfileError,
  InvalidEnergyInputError,
} from '../../src/energy/index.ts';

const adapter = (vendor: string, architecture: string, isFallbackAdapter = false) => ({ vendor, architecture, isFallbackAdapter });
const idOf = (vendor: string, arch: string, hasBattery: boolean | null) => selectProfile(adapter(vendor, arch), { hasBattery }).profile.id;

describe('data/power-profiles.json schema', () => {
  const ids = POWER_PROFILES.profiles.map((p) => p.id);
  test('ids are unique and "unknown" + "software-adapter" exist', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('unknown');
    expect(ids).toContain('software-adapter');
  });
  test.each(POWER_PROFILES.profiles.map((p) => [p.id, p] as const))('%s: low ≤ typ ≤ high, positive, cited', (_id, p) => {
    for (const d of [p.deltaW, p.idleW]) {
      expect(d.low).toBeGreaterThan(0);
      expect(d.low).toBeLessThanOrEqual(d.typ);
      expect(d.typ).toBeLessThanOrEqual(d.high);
    }
    expect(p.sources.length).toBeGreaterThan(0);
    for (const s of p.sources) expect(POWER_PROFILES.sourcesIndex[s], `source ${s}`).toBeTruthy();
    for (const a of p.anchors) expect(POWER_PROFILES.sourcesIndex[a.source], `anchor source ${a.source}`).toBeTruthy();
    expect(['low', 'medium', 'high']).toContain(p.confidence);
    expect(p.embodied.length).toBeGreaterThan(0);
    for (const c of p.embodied) expect(EMBODIED.classes[c], `embodied class ${c}`).toBeTruthy();
    for (const r of p.match) expect(['battery', 'mains', 'any']).toContain(r.formFactor);
  });
  test('no two entries claim the same vendor/architecture/form factor before a wildcard', () => {
    const seen = new Map<string, string>();
    for (const p of POWER_PROFILES.profiles)
      for (const r of p.match)
        for (const a of r.architectures) {
          const k = `${r.vendor}/${a}/${r.formFactor}`;
          expect(seen.get(k), k).toBeUndefined();
          seen.set(k, p.id);
        }
  });
  test('embodied.json: every class cited with lifetime and use ratio', () => {
    for (const [id, c] of Object.entries(EMBODIED.classes)) {
      expect(c.kgCO2e, id).toBeGreaterThan(0);
      expect(c.lifetimeYears, id).toBeGreaterThan(0);
      expect(c.useRatio, id).toBeGreaterThan(0);
      expect(c.useRatio, id).toBeLessThanOrEqual(1);
      expect(c.source.length, id).toBeGreaterThan(10);
    }
  });
});

// Every vendor/architecture string Dawn reports (its gpu_info.json), with the class it
// must land in on a desktop (no battery) and on a battery device.
const CASES: [vendor: string, arch: string, desktop: string, battery: string][] = [
  ['nvidia', 'fermi', 'nvidia-legacy-desktop', 'laptop-discrete'],
  ['nvidia', 'kepler', 'nvidia-legacy-desktop', 'laptop-discrete'],
  ['nvidia', 'maxwell', 'nvidia-legacy-desktop', 'laptop-discrete'],
  ['nvidia', 'pascal', 'nvidia-legacy-desktop', 'laptop-discrete'],
  ['nvidia', 'turing', 'nvidia-turing-ampere-desktop', 'laptop-discrete'],
  ['nvidia', 'volta', 'nvidia-tegra', 'nvidia-tegra'],
  ['nvidia', 'ampere', 'nvidia-turing-ampere-desktop', 'laptop-discrete'],
  ['nvidia', 'lovelace', 'nvidia-lovelace-desktop', 'laptop-discrete'],
  ['nvidia', 'blackwell', 'nvidia-blackwell-desktop', 'laptop-discrete'],
  ['nvidia', '', 'nvidia-unknown-desktop', 'laptop-discrete'], // H100: Hopper is not mapped by Dawn
  ['amd', 'terascale-2', 'amd-legacy-desktop', 'laptop-discrete'],
  ['amd', 'gcn-1', 'amd-legacy-desktop', 'laptop-discrete'],
  ['amd', 'gcn-2', 'amd-legacy-desktop', 'laptop-discrete'],
  ['amd', 'gcn-3', 'amd-legacy-desktop', 'laptop-discrete'],
  ['amd', 'gcn-4', 'amd-legacy-desktop', 'laptop-discrete'],
  ['amd', 'gcn-5', 'amd-legacy-desktop', 'x86-integrated'],
  ['amd', 'rdna-1', 'amd-rdna-desktop', 'laptop-discrete'],
  ['amd', 'rdna-2', 'amd-rdna-desktop', 'x86-integrated'], // 680M
  ['amd', 'rdna-3', 'amd-rdna-desktop', 'x86-integrated'], // 780M
  ['amd', 'rdna-4', 'amd-rdna-desktop', 'laptop-discrete'],
  ['amd', 'cdna-1', 'amd-cdna', 'amd-cdna'],
  ['intel', 'gen-7', 'x86-integrated', 'x86-integrated'],
  ['intel', 'gen-8', 'x86-integrated', 'x86-integrated'],
  ['intel', 'gen-9', 'x86-integrated', 'x86-integrated'],
  ['intel', 'gen-11', 'x86-integrated', 'x86-integrated'],
  ['intel', 'gen-12lp', 'x86-integrated', 'x86-integrated'],
  ['intel', 'gen-12hp', 'intel-arc-desktop', 'laptop-discrete'],
  ['intel', 'xe-lpg', 'x86-integrated', 'x86-integrated'],
  ['intel', 'xe-2lpg', 'x86-integrated', 'x86-integrated'],
  ['intel', 'xe-2hpg', 'intel-arc-desktop', 'laptop-discrete'],
  ['intel', 'xe-3lpg', 'x86-integrated', 'x86-integrated'],
  ['intel', 'xe-3lpg-xs', 'x86-integrated', 'x86-integrated'],
  ['apple', 'metal-3', 'apple-m-series', 'apple-m-series'],
  ['apple', 'common-3', 'apple-m-series', 'apple-m-series'],
  ['apple', 'common-2', 'apple-m-series', 'apple-m-series'],
  ['apple', 'common-1', 'apple-m-series', 'apple-m-series'],
  ['apple', 'apple', 'apple-m-series', 'apple-m-series'], // Safari: every field "apple"
  ['apple', '', 'apple-m-series', 'apple-m-series'],
  ['qualcomm', 'adreno-4xx', 'mobile-soc', 'mobile-soc'],
  ['qualcomm', 'adreno-5xx', 'mobile-soc', 'mobile-soc'],
  ['qualcomm', 'adreno-6xx', 'mobile-soc', 'mobile-soc'],
  ['qualcomm', 'adreno-7xx', 'mobile-soc', 'mobile-soc'],
  ['qualcomm', 'adreno-8xx', 'mobile-soc', 'mobile-soc'],
  ['arm', 'midgard', 'mobile-soc', 'mobile-soc'],
  ['arm', 'bifrost', 'mobile-soc', 'mobile-soc'],
  ['arm', 'valhall', 'mobile-soc', 'mobile-soc'],
  ['arm', 'gen-5', 'mobile-soc', 'mobile-soc'],
  ['img-tec', 'rogue', 'mobile-soc', 'mobile-soc'],
  ['img-tec', 'furian', 'mobile-soc', 'mobile-soc'],
  ['img-tec', 'b-series', 'mobile-soc', 'mobile-soc'],
  ['img-tec', 'd-series', 'mobile-soc', 'mobile-soc'],
  ['samsung', 'rdna-2', 'mobile-soc', 'mobile-soc'],
  ['samsung', 'rdna-3', 'mobile-soc', 'mobile-soc'],
  ['huawei', 'maleoon', 'mobile-soc', 'mobile-soc'],
  ['broadcom', 'videocore', 'single-board', 'single-board'],
  ['google', 'swiftshader', 'software-adapter', 'software-adapter'],
  ['microsoft', 'warp', 'software-adapter', 'software-adapter'],
  ['mesa', 'software', 'software-adapter', 'software-adapter'],
  ['verisilicon', '', 'mobile-soc', 'mobile-soc'],
];

describe('selectProfile over every documented adapter string', () => {
  test.each(CASES)('%s / "%s" → desktop %s, battery %s', (vendor, arch, desktop, battery) => {
    expect(idOf(vendor, arch, false)).toBe(desktop);
    expect(idOf(vendor, arch, true)).toBe(battery);
    const unknown = selectProfile(adapter(vendor, arch), { hasBattery: null }).profile;
    if (desktop === battery) expect(unknown.id).toBe(desktop);
    else {
      // form factor unknown: a span of both classes, flagged
      expect(unknown.id).toBe(`${battery}+${desktop}`);
      expect(unknown.flags).toContain('form-factor-unknown');
      const a = POWER_PROFILES.profiles.find((p) => p.id === battery)!;
      const b = POWER_PROFILES.profiles.find((p) => p.id === desktop)!;
      expect(unknown.deltaW.low).toBe(Math.min(a.deltaW.low, b.deltaW.low));
      expect(unknown.deltaW.high).toBe(Math.max(a.deltaW.high, b.deltaW.high));
      expect(unknown.deltaW.typ).toBeGreaterThanOrEqual(unknown.deltaW.low);
      expect(unknown.deltaW.typ).toBeLessThanOrEqual(unknown.deltaW.high);
    }
  });
  test('case and surrounding spaces do not matter', () => {
    expect(idOf(' NVIDIA ', 'Lovelace', false)).toBe('nvidia-lovelace-desktop');
  });
  test('empty strings (Firefox) → the wide unknown class, whatever the form factor', () => {
    for (const hb of [true, false, null]) {
      const r = selectProfile(adapter('', ''), { hasBattery: hb });
      expect(r.profile.id).toBe('unknown');
      expect(r.profile.deltaW).toEqual({ low: 5, typ: 30, high: 300 });
      expect(r.reason).toMatch(/not identified/);
    }
  });
  test('an unlisted vendor → unknown', () => {
    expect(idOf('acme', 'x1', false)).toBe('unknown');
  });
  test('isFallbackAdapter wins over vendor strings', () => {
    expect(selectProfile(adapter('nvidia', 'lovelace', true), { hasBattery: false }).profile.id).toBe('software-adapter');
  });
  test('the reason reads "NVIDIA Ada Lovelace, desktop: 70–380 W"', () => {
    const r = selectProfile(adapter('nvidia', 'lovelace'), { hasBattery: false });
    expect(r.reason).toBe('NVIDIA Ada Lovelace, desktop: 70–380 W');
    expect(r.profile.reason).toBe(r.reason);
    expect(r.profile).toMatchObject({ source: 'catalog', idleW: 60, deltaW: { low: 70, typ: 170, high: 380 } });
  });
  test('reason for an integrated AMD on a battery device', () => {
    expect(selectProfile(adapter('amd', 'rdna-3'), { hasBattery: true }).reason).toBe('AMD RDNA 3, battery-powered: 5–25 W');
  });
});

describe('profile overrides', () => {
  test('catalog choice keeps the catalog numbers and says it was chosen', () => {
    const p = profileFromCatalog('apple-m-max');
    expect(p).toMatchObject({ id: 'apple-m-max', source: 'catalog', deltaW: { low: 30, typ: 60, high: 130 } });
    expect(p.reason).toMatch(/Chosen by you/);
    expect(() => profileFromCatalog('nope')).toThrow(UnknownProfileError);
  });
  test('wall-meter watts: converted to DC with η = 0.885, ±10 %, host included', () => {
    const p = profileFromMeasuredWatts({ loadDeltaWallW: 100, idleWallW: 40 });
    expect(p.source).toBe('user');
    expect(p.deltaW.typ).toBeCloseTo(88.5, 9);
    expect(p.deltaW.low).toBeCloseTo(79.65, 9);
    expect(p.deltaW.high).toBeCloseTo(97.35, 9);
    expect(p.idleW).toBeCloseTo(35.4, 9);
    expect(p.hostIncluded).toBe(true);
    expect(() => profileFromMeasuredWatts({ loadDeltaWallW: 0 })).toThrow(InvalidEnergyInputError);
    expect(() => profileFromMeasuredWatts({ loadDeltaWallW: Number.NaN })).toThrow(InvalidEnergyInputError);
  });
});
