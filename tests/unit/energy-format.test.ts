import { describe, expect, test } from 'vitest';
import { fmtGramsRange, fmtJRange, fmtWhRange, logSliderPos, logSliderValue, profileLabel, profileReason, scaleGrams, scaleWh } from '../../src/ui/energy/format.ts';
import { profileFromCatalog, selectProfile } from '../../src/energy/index.ts';

describe('energy figure formatting', () => {
  test('Wh unit follows the median', () => {
    const s = scaleWh({ p5: 0.002, p50: 0.004, p95: 0.008 });
    expect(s.unit).toBe('mWh');
    expect(s.value.p50).toBeCloseTo(4, 12);
    expect(scaleWh({ p5: 0.0002, p50: 0.0004, p95: 0.0008 }).unit).toBe('µWh');
    expect(scaleWh({ p5: 500, p50: 1500, p95: 3000 }).unit).toBe('kWh');
    expect(scaleWh({ p5: 1e-7, p50: 2e-7, p95: 4e-7 }).unit).toBe('µWh');
    expect(scaleGrams({ p5: 0.001, p50: 0.002, p95: 0.004 }).unit).toBe('mg');
    expect(scaleGrams({ p5: 900, p50: 1200, p95: 2000 }).unit).toBe('kg');
  });
  test('ranges read median (p5–p95) in both languages', () => {
    expect(fmtWhRange({ p5: 0.0021, p50: 0.0042, p95: 0.0085 }, 'en')).toBe('4.2 mWh (2.1–8.5)');
    expect(fmtWhRange({ p5: 0.0021, p50: 0.0042, p95: 0.0085 }, 'fr')).toBe('4,2 mWh (2,1–8,5)');
    expect(fmtGramsRange({ p5: 1.5, p50: 3.1, p95: 6.8 }, 'en')).toBe('3.1 g CO2e (1.5–6.8)');
  });
  test('log slider round-trips on round numbers', () => {
    expect(logSliderValue(0, 0, 6)).toBe(1);
    expect(logSliderValue(100, 0, 6)).toBe(1_000_000);
    expect(logSliderValue(50, 0, 6)).toBe(1000);
    expect(logSliderPos(1000, 0, 6)).toBe(50);
  });
});

describe('profile label and reason in both languages', () => {
  test('adapter reason, English and French', () => {
    const p = selectProfile({ vendor: 'nvidia', architecture: 'lovelace', isFallbackAdapter: false }, { hasBattery: false }).profile;
    expect(profileReason(p, 'en')).toBe('NVIDIA Ada Lovelace, desktop: 70–380 W');
    expect(profileReason(p, 'fr')).toBe('NVIDIA Ada Lovelace, ordinateur de bureau : 70–380 W');
    expect(profileLabel(p, 'fr')).toBe('NVIDIA Ada Lovelace, ordinateur de bureau');
    const chosen = profileFromCatalog('apple-m-max');
    expect(profileReason(chosen, 'en')).toBe('Chosen by you: 30–130 W');
    expect(profileReason(chosen, 'fr')).toBe('Choisi par vous : 30–130 W');
    const u = selectProfile({ vendor: 'amd', architecture: 'rdna-3', isFallbackAdapter: false }, { hasBattery: null }).profile;
    expect(profileReason(u, 'en')).toBe('AMD RDNA 3, form factor unknown (laptop or desktop): 5–300 W');
  });

  test('joules read in one unit chosen from the median', () => {
    expect(fmtJRange({ p5: 0.021, p50: 0.042, p95: 0.095 }, 'en')).toBe('42 mJ (21–95)');
    expect(fmtJRange({ p5: 6.1, p50: 13, p95: 26 }, 'fr')).toBe('13 J (6,1–26)');
    expect(fmtJRange({ p5: 2e-6, p50: 4e-6, p95: 8e-6 }, 'en')).toBe('4 µJ (2–8)');
    expect(fmtJRange({ p5: 900, p50: 1500, p95: 3000 }, 'en')).toBe('1.5 kJ (0.9–3)');
  });
});
