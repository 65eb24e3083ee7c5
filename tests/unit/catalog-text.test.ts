import { describe, expect, test } from 'vitest';
import { customGrid, embodiedFor, gridIntensity, profileFromCatalog, restoreProfile, selectProfile, type ProfileChoice } from '../../src/energy/index.ts';
import { embodiedSourceText, gridSourceText, profileLabel, profileReason } from '../../src/shared/catalog-text.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import type { EnergyProfileRecord } from '../../src/shared/result.ts';

/** What the results server keeps of a profile the app chose: the record after the schema. */
function stored(choice: ProfileChoice): EnergyProfileRecord {
  const doc = sampleResult();
  const parsed = parseResult({ ...doc, energy: { ...doc.energy!, profile: choice } });
  if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
  expect(parsed.value.energy!.profile).not.toHaveProperty('label');
  expect(parsed.value.energy!.profile).not.toHaveProperty('reason');
  return parsed.value.energy!.profile;
}

const adapter = (vendor: string, architecture: string, isFallbackAdapter = false) => ({ vendor, architecture, isFallbackAdapter });

describe('profile texts rendered from the catalog read as the energy model words them', () => {
  const cases: [string, ReturnType<typeof adapter>, boolean | null][] = [
    ['catalog (NVIDIA desktop)', adapter('nvidia', 'lovelace'), false],
    ['catalog (Intel battery)', adapter('intel', 'xe-lpg'), true],
    ['merged band (form factor unknown)', adapter('nvidia', 'lovelace'), null],
    ['merged band (AMD integrated or discrete)', adapter('amd', 'rdna-3'), true],
    ['Apple, tier not determined', adapter('apple', 'metal-3'), null],
    ['Apple on battery', adapter('apple', 'apple'), true],
    ['fallback adapter', adapter('google', 'swiftshader', true), null],
    ['unidentified adapter', adapter('', ''), null],
    ['uncatalogued adapter', adapter('verisilicon', 'vivante'), false],
  ];
  test.each(cases)('%s', (_name, a, hasBattery) => {
    const choice = selectProfile(a, { hasBattery }).profile;
    const record = stored(choice);
    expect(profileReason(record, a, 'en')).toBe(choice.reason);
    expect(profileLabel(record, 'en')).toBe(choice.label);
    expect(profileLabel(record, 'fr')).toBe(choice.labelFr);
    expect(profileReason(record, a, 'fr')).not.toBe(choice.reason);
  });

  test('a merged band joins the catalog labels', () => {
    const choice = selectProfile(adapter('nvidia', 'lovelace'), { hasBattery: null }).profile;
    expect(choice.id).toContain('+');
    expect(profileLabel(stored(choice), 'en')).toContain(' / ');
  });

  test('an Apple tier chosen from evidence names the evidence used (its values are not stored)', () => {
    const a = adapter('apple', 'metal-3');
    const choice = selectProfile(a, { hasBattery: true, hints: { cpuThreads: 16, measuredPeakGflops: null } }).profile;
    expect(choice.flags).toContain('apple-tier-detected');
    const text = profileReason(stored(choice), a, 'en');
    // The app says "16 CPU threads"; the stored basis only says the thread count was used.
    expect(text.startsWith(choice.reason.split('; ')[0]!)).toBe(true);
    expect(text).toMatch(/; tier Max \(CPU thread count used, measured peak not decisive, battery rules out Ultra\)$/);
    expect(profileReason(stored(choice), a, 'fr')).toMatch(/gamme Max \(nombre de fils CPU utilisé/);
  });

  test('a class chosen by the user', () => {
    const choice = profileFromCatalog('laptop-discrete');
    const a = adapter('nvidia', 'lovelace');
    expect(profileReason(stored(choice), a, 'en')).toBe(choice.reason);
    expect(profileReason(stored(choice), a, 'fr')).toMatch(/^Choisi par vous : GPU dédié de portable/);
  });

  test('user-measured and battery-calibrated profiles: the wording of a restored profile', () => {
    const fallback = selectProfile(adapter('nvidia', 'lovelace'), { hasBattery: false }).profile;
    for (const [id, source] of [['user-measured', 'user'], ['battery-calibrated', 'battery']] as const) {
      const record: EnergyProfileRecord = { id, source, idleW: 5, deltaW: { low: 9, typ: 10, high: 11 } };
      const restored = restoreProfile(record, fallback);
      expect(profileLabel(record, 'en')).toBe(restored.label);
      expect(profileLabel(record, 'fr')).toBe(restored.labelFr);
      expect(profileReason(record, adapter('nvidia', 'lovelace'), 'en')).toBe(restored.reason);
      const withBasis = { ...record, basis: { kind: source === 'user' ? 'measured' : 'battery', form: null } } as const;
      expect(profileReason(withBasis, adapter('nvidia', 'lovelace'), 'en')).toBe(restored.reason);
    }
  });

  test('French numbers use a decimal comma', () => {
    const record: EnergyProfileRecord = { id: 'unknown', source: 'catalog', idleW: 5, deltaW: { low: 2.5, typ: 10, high: 300 }, basis: { kind: 'unidentified', form: null } };
    expect(profileReason(record, adapter('', ''), 'fr')).toMatch(/: 2,5–300 W$/);
  });
});

describe('grid and embodied source lines', () => {
  test.each(['WORLD', 'FRA', 'USA', 'BRA', 'EU'])('%s reads as gridIntensity words it', (code) => {
    const g = gridIntensity(code);
    expect(gridSourceText(g, 'en')).toBe(g.source);
    expect(gridSourceText(g, 'fr')).not.toBe(g.source);
  });
  test('CUSTOM', () => {
    const g = customGrid(123);
    expect(gridSourceText(g, 'en')).toBe(g.source);
    expect(gridSourceText(g, 'fr')).toBe('Saisie par vous (valeur personnalisée)');
  });
  test('WORLD in French', () => {
    expect(gridSourceText(gridIntensity(null), 'fr')).toMatch(/^Moyenne mondiale Ember 2024 \(472,94 gCO2e\/kWh/);
  });
  test('embodied classes', () => {
    for (const classes of [['laptop'], ['desktop', 'gpu-card'], ['apple-laptop']]) {
      expect(embodiedSourceText(classes, 'en')).toBe(embodiedFor(classes)!.source);
      expect(embodiedSourceText(classes, 'fr')).toBe(embodiedFor(classes)!.source);
    }
  });
});

describe('exports never read the texts from the document', () => {
  test('a document that never passed the schema: texts rendered, nothing of its own', async () => {
    const { withCatalogTexts, toJsonl } = await import('../../src/shared/export.ts');
    const evil = '<img src=x onerror=alert(1)>';
    const doc = sampleResult();
    const e = doc.energy!;
    const hostile = {
      ...doc,
      energy: {
        ...e,
        profile: { ...e.profile, id: evil, source: evil, label: evil, labelFr: evil, reason: evil, basis: { kind: evil, form: evil, appleTier: { chosen: evil, candidates: [evil] } } },
        grid: { ...e.grid, country: evil, year: evil, source: evil, sourceKey: evil, sourceParams: { label: evil } },
        embodied: { ...e.embodied!, classes: [evil], source: evil },
      },
    } as unknown as typeof doc;
    const line = toJsonl([{ id: 'x', doc: hostile }], 'fr');
    // The ids themselves are the document's (the migration and the schema keep them clean); the texts are not.
    const texts = withCatalogTexts(hostile);
    for (const text of [texts.energy!.profile.label, texts.energy!.profile.reason, texts.energy!.grid.source, texts.energy!.embodied!.source]) {
      expect(text).not.toContain('onerror');
    }
    expect(line).not.toContain('"labelFr"');
    expect(line).not.toContain('"sourceKey"');
    const clean = withCatalogTexts(doc, 'en');
    expect(clean.energy!.profile.label).toBe('Software adapter (CPU rasterizer: SwiftShader, WARP, llvmpipe)');
    expect(clean.energy!.grid.source).toBe(gridIntensity('FRA').source);
  });
});
