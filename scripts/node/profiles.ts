/**
 * Measured power profiles kept on this machine by the Node runner. A run with readable watts
 * (the document's `measured` block) leaves a profile for its adapter: the sensor's idle power
 * and the power each model added above it. A later run on the same adapter prints, beside the
 * catalog estimate it records, the estimate the same Monte Carlo gives with the measured watts,
 * labelled as such.
 *
 * The profile is not written into the result document: the document's profile sources
 * (catalog, wall meter, battery drain) have no "power sensor" kind yet, and recording a sensor's
 * board watts as a wall meter's would misstate how they were obtained.
 *
 * Where: LAB_PROFILE_DIR, else $XDG_CONFIG_HOME/frugal-ai-lab/profiles, else
 * ~/.config/frugal-ai-lab/profiles; one JSON file per adapter (vendor-architecture).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { computeEnergy, defaultEnergyContext, type EnergyResult, type ProfileChoice } from '../../src/energy/index.ts';
import type { Coverage, SensorKind } from '../../src/shared/power.ts';
import type { AdapterSummary, ResultDocument } from '../../src/shared/result.ts';

export interface MeasuredProfile {
  version: 1;
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean };
  sensor: { kind: SensorKind; coverage: Coverage };
  /** Day of the run that measured it. */
  date: string;
  /** Sensor's mean over the idle baseline, W. */
  idleW: number;
  /** Power above idle under each model's load: the lower, the mean and the higher, W. */
  deltaW: { low: number; typ: number; high: number };
  /** Readings behind it (idle and load windows of the run). */
  samples: number;
}

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
  const m = doc.measured;
  if (!m) return { ok: false, why: 'the run was not measured (--measure-power)' };
  if (!m.available) return { ok: false, why: `no measured figures (${m.reason})` };
  const roles = Object.values(m.perQuery);
  const deltas = roles.map((r) => r.meanW - m.idleW).filter((d) => d > 0);
  if (deltas.length === 0 || deltas.length < roles.length) return { ok: false, why: 'a model drew no more than idle: no power under load to keep' };
  const a = doc.environment.adapter;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    ok: true,
    profile: {
      version: 1,
      adapter: { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter },
      sensor: { kind: m.sensor.kind, coverage: m.sensor.coverage },
      date: doc.date ?? new Date().toISOString().slice(0, 10),
      idleW: round(m.idleW),
      deltaW: { low: round(Math.min(...deltas)), typ: round(deltas.reduce((s, d) => s + d, 0) / deltas.length), high: round(Math.max(...deltas)) },
      samples: m.samples,
    },
  };
}

const isProfile = (x: unknown): x is MeasuredProfile => {
  const p = x as Partial<MeasuredProfile> | null;
  return typeof p === 'object' && p !== null && p.version === 1 && typeof p.idleW === 'number' && typeof p.deltaW?.typ === 'number' && typeof p.adapter?.vendor === 'string' && typeof p.sensor?.kind === 'string';
};

/** The kept profile of this adapter, or null (none, or a file this version cannot read). */
export function loadProfile(adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'>, dir: string): MeasuredProfile | null {
  try {
    const x: unknown = JSON.parse(readFileSync(profilePath(adapter, dir), 'utf8'));
    return isProfile(x) ? x : null;
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
 * The measured profile as the energy model's input. A GPU-board or CPU-package sensor does not
 * see the host or the power supply: the model adds them as it does for catalog watts; a
 * whole-system sensor already includes them. ±10 % around the measured power under load, at
 * least the spread between the two models.
 */
export function measuredProfileChoice(p: MeasuredProfile): ProfileChoice {
  const hostIncluded = p.sensor.coverage === 'whole-system';
  return {
    id: 'measured-here',
    source: 'user',
    idleW: p.idleW,
    idleRangeW: { low: p.idleW * 0.9, high: p.idleW * 1.1 },
    deltaW: { low: Math.min(p.deltaW.low, p.deltaW.typ * 0.9), typ: p.deltaW.typ, high: Math.max(p.deltaW.high, p.deltaW.typ * 1.1) },
    hostIncluded,
    confidence: 'calibrated',
    label: `Measured on this machine (${p.sensor.kind}, ${p.date})`,
    reason: `${p.sensor.kind} (${p.sensor.coverage}): ${p.idleW} W idle, +${p.deltaW.typ} W under load`,
    sources: [`${p.sensor.kind} on this machine, ${p.date}`],
    embodiedClasses: [],
    flags: [],
  };
}

/** The document's estimate redone with the measured profile instead of the catalog's (same grid). */
export function estimateWithProfile(doc: ResultDocument, p: MeasuredProfile, country: string | null): EnergyResult {
  const ctx = defaultEnergyContext(doc.environment.adapter, { hasBattery: null, country, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  return computeEnergy(doc, { ...ctx, profile: measuredProfileChoice(p), embodied: null });
}
