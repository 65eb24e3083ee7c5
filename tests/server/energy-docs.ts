/**
 * Documents as the app builds them for upload: the sample run, its energy section computed by
 * computeEnergy with a catalog profile, the Ember grid of a country and the profile's embodied
 * classes (seeded, so the same every time), then anonymized the way the upload dialog does.
 */
import { computeEnergy, embodiedFor, gridIntensity, profileFromCatalog, type EnergyContext } from '../../src/energy/index.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { anonymize } from '../../src/shared/schema.ts';

/** The upload day the fixtures are built with. */
export const UPLOAD_DAY = new Date(Date.UTC(2026, 10, 23, 12));

export function appEnergyContext(profileId = 'software-adapter', country = 'FRA'): EnergyContext {
  const profile = profileFromCatalog(profileId);
  return { profile, grid: gridIntensity(country), embodied: embodiedFor(profile.embodiedClasses) };
}

/** The local copy: the sample run with its computed energy section (what History keeps). */
export function localDocument(overrides: Partial<ResultDocument> = {}, ctx: EnergyContext = appEnergyContext()): ResultDocument {
  const doc = sampleResult(overrides);
  const { energy: _stale, ...run } = doc;
  void _stale;
  return { ...run, energy: computeEnergy(run, ctx) };
}

/** What the app sends: the local copy anonymized (schema pass included). */
export function uploadedDocument(overrides: Partial<ResultDocument> = {}, ctx?: EnergyContext): ResultDocument {
  return anonymize(localDocument(overrides, ctx), UPLOAD_DAY);
}
