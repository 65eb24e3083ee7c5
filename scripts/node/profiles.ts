/**
 * Measured power profiles kept on this machine by the Node runner. A run with readable watts
 * (the document's `measured` block) leaves a sensor profile for its adapter: the sensor's idle
 * power and the power each model added above it (src/shared/sensor-profile.ts, the same
 * derivation as the page's store). A later run on the same adapter computes its document's
 * estimate with it: profile source `sensor`, labelled "Measured on this device (day, sensor)",
 * provenance `measured` by `sensor:<kind>`, checked by the results server like any profile.
 *
 * Where: LAB_PROFILE_DIR, else $XDG_CONFIG_HOME/frugal-ai-lab/profiles, else
 * ~/.config/frugal-ai-lab/profiles; one JSON file per adapter (vendor-architecture).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { computeEnergy, defaultEnergyContext, profileFromSensor, type EnergyResult, type ProfileChoice } from '../../src/energy/index.ts';
import { withEstimate } from '../../src/shared/measured.ts';
import { isSensorMeasurement, sensorMeasurementOf, type SensorMeasurement } from '../../src/shared/sensor-profile.ts';
import type { AdapterSummary, ResultDocument } from '../../src/shared/result.ts';

/** A kept profile: the shared sensor measurement (the file format since the first version). */
export type MeasuredProfile = SensorMeasurement;

export function profileDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['LAB_PROFILE_DIR']) return env['LAB_PROFILE_DIR'];
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'frugal-ai-lab', 'profiles');
}

/** The file of an adapter's profile: its vendor and architecture, filesystem-safe. */
export function profilePath(adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'>, dir: string): string {
  const safe = (s: string) => s.replace(/[^a-z0-9._-]/gi, '_') || 'unknown';
  return join(dir, `${safe(adapter.vendor)}-${safe(adapter.architecture)}${adapter.isFallbackAdapter ? '-fallback' : ''}.json`);
}

/**
 * The profile a document's measurement gives, or null with why not: no measured figures, or no
 * model that drew measurably more than idle (within the sensor's noise a difference means nothing).
 */
export function profileFromDocument(doc: ResultDocument): { ok: true; profile: MeasuredProfile } | { ok: false; why: string } {
  if (!doc.measured) return { ok: false, why: 'the run was not measured (--measure-power)' };
  return sensorMeasurementOf(doc);
}

/** The kept profile of this adapter, or null (none, or a file this version cannot read). */
export function loadProfile(adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'>, dir: string): MeasuredProfile | null {
  try {
    const x: unknown = JSON.parse(readFileSync(profilePath(adapter, dir), 'utf8'));
    return isSensorMeasurement(x) ? x : null;
  } catch {
    return null;
  }
}

/** Keeps the profile (the latest measurement of an adapter replaces the one before); returns the file. */
export function saveProfile(profile: MeasuredProfile, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = profilePath(profile.adapter, dir);
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
  return file;
}

/**
 * The measured profile as the energy model's input (profile source `sensor`), with the embodied
 * classes of the adapter's automatic catalog profile (a sensor does not tell the device class).
 */
function measuredProfileChoice(p: MeasuredProfile, auto: Pick<ProfileChoice, 'embodiedClasses'>): ProfileChoice {
  return profileFromSensor(p, auto.embodiedClasses);
}

/** The document's estimate redone with the measured profile instead of the catalog's (same grid rule). */
export function estimateWithProfile(doc: ResultDocument, p: MeasuredProfile, country: string | null): EnergyResult {
  const ctx = defaultEnergyContext(doc.environment.adapter, { hasBattery: null, country, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  const profile = measuredProfileChoice(p, ctx.profile);
  return computeEnergy(doc, { ...ctx, profile });
}

/**
 * The document with its estimate computed from the kept sensor profile of its adapter (and the
 * measured block's estimate ÷ measured redone against it). Only a profile of this very adapter,
 * measured on or before the run's day, is used.
 */
export function withSensorProfile(doc: ResultDocument, p: MeasuredProfile, country: string | null): ResultDocument {
  const a = doc.environment.adapter;
  if (p.adapter.vendor !== a.vendor || p.adapter.architecture !== a.architecture || p.adapter.isFallbackAdapter !== a.isFallbackAdapter) return doc;
  if (doc.date !== undefined && p.date > doc.date) return doc;
  const energy = estimateWithProfile(doc, p, country);
  return { ...doc, energy, ...(doc.measured ? { measured: withEstimate(doc.measured, energy) } : {}) };
}
