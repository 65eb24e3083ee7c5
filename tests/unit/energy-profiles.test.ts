import { describe, expect, test } from 'vitest';
import {
  EMBODIED,
  POWER_PROFILES,
  profileFromCatalog,
  profileFromMeasuredWatts,
  selectProfile,
  UnknownProfileError,
  InvalidEnergyInputError,
  defaultEnergyContext,
  detectBattery,
  measuredPeakGflops,
} from '../../src/energy/index.ts';
import { profileReason } from '../../src/ui/energy/format.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

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

// Without hints an Apple GPU's tier is unknown: the band spans every tier (no Ultra on a battery).
const APPLE_LAPTOP = 'apple-m-base+apple-m-pro+apple-m-max';
const APPLE_ALL = 'apple-m-base+apple-m-pro+apple-m-max+apple-m-ultra';

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
  // On a battery these may be an iGPU (680M, 780M) or a gaming laptop's discrete GPU: both classes.
  ['amd', 'rdna-2', 'amd-rdna-desktop', 'x86-integrated+laptop-discrete'],
  ['amd', 'rdna-3', 'amd-rdna-desktop', 'x86-integrated+laptop-discrete'],
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
  ['apple', 'metal-3', APPLE_ALL, APPLE_LAPTOP],
  ['apple', 'common-3', APPLE_ALL, APPLE_LAPTOP],
  ['apple', 'common-2', APPLE_ALL, APPLE_LAPTOP],
  ['apple', 'common-1', APPLE_ALL, APPLE_LAPTOP],
  ['apple', 'apple', APPLE_ALL, APPLE_LAPTOP], // Safari: every field "apple"
  ['apple', '', APPLE_ALL, APPLE_LAPTOP],
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
    else if (vendor === 'apple') expect(unknown.id).toBe(APPLE_ALL);
    else {
      // form factor unknown: a span of both classes, flagged
      expect(unknown.id).toBe(`${battery}+${desktop}`);
      expect(unknown.flags).toContain('form-factor-unknown');
      const parts = unknown.id.split('+').map((id) => POWER_PROFILES.profiles.find((p) => p.id === id)!);
      expect(unknown.deltaW.low).toBe(Math.min(...parts.map((p) => p.deltaW.low)));
      expect(unknown.deltaW.high).toBe(Math.max(...parts.map((p) => p.deltaW.high)));
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
  // Was 'AMD RDNA 3, battery-powered: 5–25 W' (integrated only): a gaming laptop's RX 7600S
  // reports the same architecture, so both laptop classes are spanned and the reason says so.
  test('reason for an AMD RDNA 3 on a battery device', () => {
    expect(selectProfile(adapter('amd', 'rdna-3'), { hasBattery: true }).reason).toBe('AMD RDNA 3, battery-powered, integrated or discrete GPU: 5–150 W');
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

/** Chromium's reading for a desktop, and for a full laptop on its charger. */
const fullOnMains = async () => ({ level: 1, charging: true, chargingTime: 0, dischargingTime: Infinity });

describe('a full, plugged-in laptop is not taken for a desktop', () => {
  test('AMD RDNA 3 (780M laptop): merged band, not the desktop Radeon class', async () => {
    const hasBattery = await detectBattery(fullOnMains);
    expect(hasBattery).toBeNull();
    const p = selectProfile(adapter('amd', 'rdna-3'), { hasBattery }).profile;
    // Before: 'amd-rdna-desktop', ΔP typ 180 W, 15× the 12 W of the integrated class it is.
    expect(p.id).toBe('x86-integrated+laptop-discrete+amd-rdna-desktop');
    expect(p.flags).toEqual(['form-factor-unknown']);
    expect(p.deltaW).toEqual({ low: 5, typ: 53.3, high: 300 }); // typ: ∛(12·70·180)
    expect(180 / p.deltaW.typ).toBeCloseTo(3.38, 2); // the old typical was 3.4× this one
    expect(p.deltaW.low).toBeLessThanOrEqual(12); // covers the iGPU it may be
    expect(p.reason).toBe('AMD RDNA 3, form factor unknown (laptop or desktop): 5–300 W');
  });
  test('NVIDIA Lovelace laptop: merged band, not the desktop class', async () => {
    const p = selectProfile(adapter('nvidia', 'lovelace'), { hasBattery: await detectBattery(fullOnMains) }).profile;
    // Before: 'nvidia-lovelace-desktop', ΔP typ 170 W, 2.4× the laptop class's 70 W.
    expect(p.id).toBe('laptop-discrete+nvidia-lovelace-desktop');
    expect(p.flags).toEqual(['form-factor-unknown']);
    expect(p.deltaW).toEqual({ low: 30, typ: 109.1, high: 380 }); // typ: √(70·170)
    expect(170 / p.deltaW.typ).toBeCloseTo(1.56, 2);
  });
  test('AMD RDNA 2/3 on a battery: integrated or discrete, flagged; other architectures unchanged', () => {
    for (const arch of ['rdna-2', 'rdna-3']) {
      const p = selectProfile(adapter('amd', arch), { hasBattery: true }).profile;
      expect(p.id).toBe('x86-integrated+laptop-discrete');
      expect(p.flags).toEqual(['integrated-or-discrete']);
      expect(p.basis).toMatchObject({ kind: 'adapter', form: 'battery', integratedOrDiscrete: true });
      // Before: 5 / 12 / 25 W, whose high is a sixth of a laptop RX 7600S's class (150 W).
      expect(p.deltaW).toEqual({ low: 5, typ: 29, high: 150 });
    }
    expect(idOf('amd', 'gcn-5', true)).toBe('x86-integrated');
    expect(idOf('amd', 'rdna-4', true)).toBe('laptop-discrete');
  });
  test('merged ids and labels fit the result schema (64 / 200 characters)', () => {
    for (const [v, a, hb] of [['amd', 'rdna-3', null], ['apple', 'metal-3', null], ['nvidia', '', null]] as const) {
      const p = selectProfile(adapter(v, a), { hasBattery: hb }).profile;
      expect(p.id.length).toBeLessThanOrEqual(64);
      expect(p.label.length).toBeLessThanOrEqual(200);
      expect((p.labelFr ?? '').length).toBeLessThanOrEqual(200);
      expect(p.reason.length).toBeLessThanOrEqual(200);
    }
  });
});

describe('Apple tier from CPU threads and the measured fma peak', () => {
  const apple = (arch: string, hasBattery: boolean | null, cpuThreads: number | null, measuredPeakGflops: number | null = null) =>
    selectProfile(adapter('apple', arch), { hasBattery, hints: { cpuThreads, measuredPeakGflops } }).profile;

  test('16 threads and a high measured peak → Max (before: 6 / 15 / 45 W for every Mac)', () => {
    const p = apple('metal-3', true, 16, 12_000);
    expect(p.id).toBe('apple-m-max');
    expect(p.deltaW).toEqual({ low: 30, typ: 60, high: 130 });
    expect(p.deltaW.typ / 15).toBe(4); // the old typical was a quarter of the Max's
    expect(p.flags).toEqual(['apple-tier-detected']);
    expect(p.basis?.appleTier).toMatchObject({ chosen: 'max', candidates: ['max'], cpuThreads: 16, threadsUsed: true, peakGflops: 12_000 });
    expect(p.reason).toBe('Apple Metal 3, battery-powered: 30–130 W; tier Max (16 CPU threads, measured peak not decisive, battery rules out Ultra)');
    expect(profileReason(p, 'en')).toBe(p.reason);
    expect(profileReason(p, 'fr')).toBe('Apple Metal 3, sur batterie : 30–130 W; gamme Max (16 fils CPU, crête mesurée non décisive, la batterie exclut Ultra)');
  });
  test('12 threads (Pro or Max): the measured peak beyond any Pro decides Max', () => {
    const p = apple('metal-3', true, 12, 12_000);
    expect(p.id).toBe('apple-m-max');
    expect(p.basis?.appleTier).toMatchObject({ chosen: 'max', threadsUsed: true, peakUsed: true });
    expect(p.reason).toContain('tier Max (12 CPU threads, measured peak 12000 GFLOP/s');
  });
  test('12 threads and no peak: Pro or Max, the band spans both, flagged', () => {
    const p = apple('metal-3', true, 12);
    expect(p.id).toBe('apple-m-pro+apple-m-max');
    expect(p.flags).toEqual(['apple-tier-unknown']);
    expect(p.deltaW).toEqual({ low: 12, typ: 36.3, high: 130 });
  });
  test('ambiguous (10 threads: M4, M1 Pro or M1 Max) → band over base … Max, flagged, never base alone', () => {
    const p = apple('metal-3', true, 10);
    expect(p.id).toBe('apple-m-base+apple-m-pro+apple-m-max');
    expect(p.flags).toEqual(['apple-tier-unknown']);
    expect(p.deltaW.low).toBe(5);
    expect(p.deltaW.high).toBe(130);
    expect(p.basis?.appleTier).toMatchObject({ chosen: null, candidates: ['base', 'pro', 'max'] });
    expect(p.reason).toBe('Apple Metal 3, battery-powered: 5–130 W; tier not determined, band spans base / Pro / Max (10 CPU threads, measured peak not decisive, battery rules out Ultra)');
  });
  test('a low measured peak rules nothing out (a throttled Max, a small preset)', () => {
    const p = apple('metal-3', true, 8, 2_500);
    expect(p.id).toBe('apple-m-base+apple-m-pro');
    expect(p.basis?.appleTier?.peakUsed).toBe(false);
  });
  test('Safari ("apple" architecture) caps the thread count at 8: it is not used', () => {
    const p = apple('apple', true, 8);
    expect(p.id).toBe('apple-m-base+apple-m-pro+apple-m-max');
    expect(p.basis?.appleTier?.threadsUsed).toBe(false);
    expect(apple('apple', null, 8).id).toBe('apple-m-base+apple-m-pro+apple-m-max+apple-m-ultra');
    // …but the peak still rules out the smaller tiers.
    expect(apple('apple', null, 8, 25_000).id).toBe('apple-m-ultra');
  });
  test('24 threads → Ultra; a count no tier ships with tells nothing', () => {
    expect(apple('metal-3', null, 24).id).toBe('apple-m-ultra');
    expect(apple('metal-3', true, 18).id).toBe('apple-m-base+apple-m-pro+apple-m-max');
  });
  test('tier entries carry their detection data, modeled where ENERGY_DATA.md has no figure', () => {
    const tiers = POWER_PROFILES.profiles.filter((p) => p.appleTier);
    expect(tiers.map((p) => p.id)).toEqual(['apple-m-base', 'apple-m-pro', 'apple-m-max', 'apple-m-ultra']);
    for (const t of tiers) {
      expect(t.appleTier!.fp32PeakGflops.low).toBeLessThan(t.appleTier!.fp32PeakGflops.high);
      expect(t.appleTier!.reasoning.length).toBeGreaterThan(20);
      expect(t.sources).toContain('energy-data-apple-tiers');
    }
    expect(POWER_PROFILES.profiles.find((p) => p.id === 'apple-m-ultra')!.modeled).toBeTruthy();
    expect(POWER_PROFILES.profiles.find((p) => p.id === 'apple-m-base')!.modeled).toBeTruthy();
  });
});

describe('measuredPeakGflops', () => {
  test('fma-peak FLOPs over its median time; null when absent or unverified', () => {
    const doc = sampleResult();
    expect(measuredPeakGflops(doc)).toBeCloseTo(0.4, 9); // 1 MFLOP in 2.5 ms
    expect(measuredPeakGflops({ workloads: doc.workloads.filter((w) => w.id !== 'fma-peak') })).toBeNull();
    expect(measuredPeakGflops({ workloads: doc.workloads.map((w) => (w.id === 'fma-peak' ? { ...w, verified: false } : w)) })).toBeNull();
  });
  test('defaultEnergyContext passes the hints on to the Apple tier choice', () => {
    const ctx = defaultEnergyContext(adapter('apple', 'metal-3'), { hasBattery: true, hints: { cpuThreads: 16, measuredPeakGflops: null } });
    expect(ctx.profile.id).toBe('apple-m-max');
  });
});
