/**
 * Device power profiles (data/power-profiles.json) and the matcher that picks one from the
 * WebGPU adapter info. Pure: no DOM, no WebGPU, so it runs in the worker and in node tests.
 */
import catalogJson from '../../data/power-profiles.json';
import { spanTriangles } from '../shared/catalog-watts.ts';
import { BATTERY_LABEL, CATALOG_LABEL, MEASURED_LABEL, SENSOR_LABEL, joinLabels, profileLabel, profileReason } from '../shared/catalog-text.ts';
import { SENSOR_PROFILE_ID, profileHostIncluded, sensorRecord, sensorWatts, type SensorMeasurement } from '../shared/sensor-profile.ts';
import type { EnergyProfileRecord } from '../shared/result.ts';
import type { Triangular } from './random.ts';
import { InvalidEnergyInputError, UnknownProfileError } from './errors.ts';
import { appleTierCandidates, appleTierSummary, type AppleTierBasis, type AppleTierSpec } from './apple-tier.ts';
import { prettyArchitecture, prettyVendor } from '../shared/device-names.ts';

export type FormFactor = 'battery' | 'mains' | 'any';
export type Confidence = 'low' | 'medium' | 'high';

export interface ProfileMatchRule { vendor: string; architectures: string[]; formFactor: FormFactor }

/** One entry of data/power-profiles.json. */
export interface PowerProfileEntry {
  id: string;
  label: string;
  labelFr: string;
  match: ProfileMatchRule[];
  matchFallbackAdapter?: boolean;
  idleW: Triangular;
  deltaW: Triangular;
  /** True when the figure already includes CPU/host overhead (wall meter, battery drain). */
  hostIncluded: boolean;
  /** Embodied-carbon classes of data/embodied.json, summed (host + GPU card). */
  embodied: string[];
  anchors: { what: string; value: string; source: string }[];
  sources: string[];
  confidence: Confidence;
  /** Set when the watts are modeled rather than cited: the reasoning behind them. */
  modeled?: string;
  /** Apple tiers only: how to recognise the tier from what the browser exposes. */
  appleTier?: AppleTierSpec;
}

export interface PowerProfileCatalog {
  version: string;
  licence: string;
  note: string;
  sourcesIndex: Record<string, string>;
  profiles: PowerProfileEntry[];
}

export const POWER_PROFILES: PowerProfileCatalog = catalogJson as PowerProfileCatalog;

/** Why a profile was chosen, in parts the UI can translate (the `reason` string is English). */
export type ProfileBasisKind = 'adapter' | 'fallback' | 'unidentified' | 'uncatalogued' | 'chosen' | 'measured' | 'battery';
export interface ProfileBasis {
  kind: ProfileBasisKind;
  /** "NVIDIA Ada Lovelace" (may be empty). */
  who: string;
  form: 'battery' | 'mains' | 'unknown' | null;
  /** AMD RDNA 2/3 on a battery device: an integrated GPU or a gaming laptop's discrete one. */
  integratedOrDiscrete?: boolean;
  /** Apple: which tier the evidence pointed to, or the tiers the band spans. */
  appleTier?: AppleTierBasis;
}

/**
 * What the browser exposes beyond the adapter strings. Read on the machine that ran the
 * benchmark; a document viewed elsewhere must not be given the viewer's values.
 */
export interface DeviceHints {
  /** navigator.hardwareConcurrency. */
  cpuThreads?: number | null;
  /** GFLOP/s reached by the run's fma-peak workload (see measuredPeakGflops in context.ts). */
  measuredPeakGflops?: number | null;
}

export interface SelectOptions {
  /** true: a battery; false: none (desktop); null: could not tell (API missing, or full on mains). */
  hasBattery: boolean | null;
  hints?: DeviceHints;
}

/**
 * The profile an energy computation uses: the schema-v1 record plus what the model and the UI
 * need (idle range, whether host overhead is already inside, sources, embodied classes).
 */
export interface ProfileChoice extends EnergyProfileRecord {
  label: string;
  /** French label (catalog entries). */
  labelFr?: string;
  reason: string;
  basis?: ProfileBasis;
  /**
   * Ends of the idle-power triangle; its mode is `idleW` (the typical value), so the model draws
   * P_idle ~ Tri(idleRangeW.low, idleW, idleRangeW.high) (see idleDistribution in model.ts).
   */
  idleRangeW: { low: number; high: number } | null;
  hostIncluded: boolean;
  confidence: Confidence | 'calibrated';
  /** Human-readable citations. */
  sources: string[];
  embodiedClasses: string[];
  /** e.g. "coarse" for battery calibration, "form-factor-unknown". */
  flags: string[];
}

export interface AdapterIdentity { vendor: string; architecture: string; isFallbackAdapter: boolean }

function ruleMatches(rule: ProfileMatchRule, vendor: string, arch: string): boolean {
  if (rule.vendor !== vendor) return false;
  return rule.architectures.some((a) => a === '*' || a === arch);
}

/** First catalog entry whose rule matches vendor + architecture for this form factor. */
function firstMatch(vendor: string, arch: string, hasBattery: boolean): PowerProfileEntry | null {
  for (const entry of POWER_PROFILES.profiles) {
    for (const rule of entry.match) {
      const formOk = rule.formFactor === 'any' || (rule.formFactor === 'battery') === hasBattery;
      if (formOk && ruleMatches(rule, vendor, arch)) return entry;
    }
  }
  return null;
}

export function catalogEntry(id: string): PowerProfileEntry {
  const e = POWER_PROFILES.profiles.find((p) => p.id === id);
  if (!e) throw new UnknownProfileError(id);
  return e;
}

function citations(ids: string[]): string[] {
  return ids.map((s) => POWER_PROFILES.sourcesIndex[s] ?? s);
}

function wattRange(d: Triangular): string {
  const r = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);
  return `${r(d.low)}–${r(d.high)} W`;
}

/** A schema-v1 profile choice from a catalog entry. */
export function choiceFromEntry(entry: PowerProfileEntry, reason: string, basis: ProfileBasis, flags: string[] = []): ProfileChoice {
  return {
    id: entry.id,
    source: 'catalog',
    // The catalog's typical idle watts: the mode of the idle triangle, with idleRangeW its ends.
    idleW: entry.idleW.typ,
    deltaW: { ...entry.deltaW },
    label: entry.label,
    labelFr: entry.labelFr,
    reason,
    basis,
    idleRangeW: { low: entry.idleW.low, high: entry.idleW.high },
    hostIncluded: entry.hostIncluded,
    confidence: entry.confidence,
    sources: citations(entry.sources),
    embodiedClasses: [...entry.embodied],
    flags,
  };
}

/**
 * When the evidence leaves several classes (form factor unknown, integrated or discrete, Apple
 * tier unknown), we do not guess: the profile spans them all (lowest low, highest high,
 * geometric-mean typical), so the uncertainty band says what we do not know.
 */
function mergeEntries(entries: PowerProfileEntry[], reason: string, basis: ProfileBasis, flags: string[]): ProfileChoice {
  const idle = spanTriangles(entries.map((e) => e.idleW));
  const delta = spanTriangles(entries.map((e) => e.deltaW));
  const lowerConfidence: Confidence = entries.some((e) => e.confidence === 'low') ? 'low' : 'medium';
  return {
    // "+" joins the ids: the result schema allows only [A-Za-z0-9._:@/+-] in ids.
    id: entries.map((e) => e.id).join('+'),
    source: 'catalog',
    idleW: idle.typ,
    deltaW: delta,
    label: joinLabels(entries.map((e) => e.label)),
    labelFr: joinLabels(entries.map((e) => e.labelFr)),
    reason,
    basis,
    idleRangeW: { low: idle.low, high: idle.high },
    hostIncluded: false,
    confidence: lowerConfidence,
    sources: citations([...new Set(entries.flatMap((e) => e.sources))]),
    embodiedClasses: [...entries[0]!.embodied],
    flags,
  };
}

/** The Apple tier entries of the catalog, smallest first. */
function appleTierEntries(): (PowerProfileEntry & { appleTier: AppleTierSpec })[] {
  return POWER_PROFILES.profiles.filter((p): p is PowerProfileEntry & { appleTier: AppleTierSpec } => p.appleTier !== undefined);
}

/**
 * AMD names its integrated GPUs like its discrete ones (680M: rdna-2, 780M: rdna-3), so on a
 * battery device these architectures may be either; for them both laptop classes are kept.
 */
const AMD_INTEGRATED_OR_DISCRETE = new Set(['rdna-2', 'rdna-3']);

/** The catalog classes that fit vendor + architecture on a battery device (one, or two for AMD RDNA 2/3). */
function batteryClasses(vendor: string, arch: string): PowerProfileEntry[] {
  const e = firstMatch(vendor, arch, true);
  if (!e) return [];
  if (vendor === 'amd' && AMD_INTEGRATED_OR_DISCRETE.has(arch) && e.id === 'x86-integrated') return [e, catalogEntry('laptop-discrete')];
  return [e];
}

/**
 * Pick a power profile from the adapter info. `hasBattery`: true = battery device, false = no
 * battery (desktop), null = could not tell. The reason reads like
 * "NVIDIA Ada Lovelace, desktop: 70–380 W".
 */
export function selectProfile(adapter: AdapterIdentity, opts: SelectOptions): { profile: ProfileChoice; reason: string } {
  const vendor = (adapter.vendor ?? '').trim().toLowerCase();
  const arch = (adapter.architecture ?? '').trim().toLowerCase();
  const who = [prettyVendor(vendor), prettyArchitecture(arch)].filter(Boolean).join(' ');
  const form = opts.hasBattery === true ? 'battery-powered' : opts.hasBattery === false ? 'desktop' : 'form factor unknown (laptop or desktop)';
  const formKey: ProfileBasis['form'] = opts.hasBattery === true ? 'battery' : opts.hasBattery === false ? 'mains' : 'unknown';
  const basis = (kind: ProfileBasisKind): ProfileBasis => ({ kind, who, form: kind === 'adapter' ? formKey : null });

  const done = (profile: ProfileChoice) => ({ profile, reason: profile.reason });

  if (adapter.isFallbackAdapter) {
    const e = catalogEntry('software-adapter');
    return done(choiceFromEntry(e, `Fallback (software) adapter${who ? ` reported as ${who}` : ''}: ${wattRange(e.deltaW)}`, basis('fallback')));
  }
  if (!vendor) {
    // Firefox reports empty strings; an empty vendor tells us nothing about the device.
    const e = catalogEntry('unknown');
    return done(choiceFromEntry(e, `Adapter not identified by the browser (empty vendor and architecture), wide default: ${wattRange(e.deltaW)}`, basis('unidentified')));
  }

  const anyMatch = firstMatch(vendor, arch, true) ?? firstMatch(vendor, arch, false);
  if (anyMatch?.id === 'apple-m-series') return done(selectAppleTier(arch, who, formKey, form, opts));

  const fromBattery = opts.hasBattery === false ? [] : batteryClasses(vendor, arch);
  const onMains = opts.hasBattery === true ? null : firstMatch(vendor, arch, false);
  const classes = [...fromBattery];
  if (onMains && !classes.some((c) => c.id === onMains.id)) classes.push(onMains);
  // Flagged on a battery device only: with the form factor unknown the band spans every class anyway.
  const integratedOrDiscrete = opts.hasBattery === true && fromBattery.length > 1;
  const b: ProfileBasis = integratedOrDiscrete ? { ...basis('adapter'), integratedOrDiscrete } : basis('adapter');
  const formText = integratedOrDiscrete ? `${form}, integrated or discrete GPU` : form;
  if (classes.length > 1) {
    const flags = integratedOrDiscrete ? ['integrated-or-discrete'] : ['form-factor-unknown'];
    const merged = mergeEntries(classes, '', b, flags);
    merged.reason = `${who}, ${formText}: ${wattRange(merged.deltaW)}`;
    return done(merged);
  }
  const e = classes[0];
  if (e) return done(choiceFromEntry(e, `${who}, ${formText}: ${wattRange(e.deltaW)}`, b));
  const u = catalogEntry('unknown');
  return done(choiceFromEntry(u, `${who || vendor}: not in the catalog, wide default: ${wattRange(u.deltaW)}`, basis('uncatalogued')));
}

/** An Apple GPU: the tier from the thread count and the measured peak, else a band over the tiers left. */
function selectAppleTier(arch: string, who: string, formKey: ProfileBasis['form'], form: string, opts: SelectOptions): ProfileChoice {
  const entries = appleTierEntries();
  const tier = appleTierCandidates(
    entries.map((e) => e.appleTier),
    { architecture: arch, cpuThreads: opts.hints?.cpuThreads ?? null, measuredPeakGflops: opts.hints?.measuredPeakGflops ?? null, hasBattery: opts.hasBattery },
  );
  const chosen = entries.filter((e) => tier.candidates.includes(e.appleTier.tier));
  const basis: ProfileBasis = { kind: 'adapter', who, form: formKey, appleTier: tier };
  const reason = (d: Triangular) => `${who}, ${form}: ${wattRange(d)}; ${appleTierSummary(tier)}`;
  if (chosen.length === 1) return choiceFromEntry(chosen[0]!, reason(chosen[0]!.deltaW), basis, ['apple-tier-detected']);
  const merged = mergeEntries(chosen, '', basis, ['apple-tier-unknown']);
  merged.reason = reason(merged.deltaW);
  return merged;
}

/** A catalog class chosen by the user. */
export function profileFromCatalog(id: string): ProfileChoice {
  const e = catalogEntry(id);
  return choiceFromEntry(e, `Chosen by you: ${e.label}: ${wattRange(e.deltaW)}`, { kind: 'chosen', who: '', form: null });
}

/**
 * A profile from a wall-meter reading: the extra watts at the wall while the benchmark runs,
 * and optionally the idle watts. A wall reading already includes the CPU/host share and the
 * power-supply loss, so we convert it to DC (× η mid-point) and mark host overhead as included,
 * so the model (which divides by η and adds host power) does not count either twice. ±10 % for
 * meter accuracy and load variation.
 */
export function profileFromMeasuredWatts(
  input: { loadDeltaWallW: number; idleWallW?: number | null },
  etaMid = 0.885,
): ProfileChoice {
  const d = input.loadDeltaWallW;
  if (!Number.isFinite(d) || d <= 0) throw new InvalidEnergyInputError('loadDeltaWallW', d);
  const idle = input.idleWallW ?? null;
  if (idle !== null && (!Number.isFinite(idle) || idle < 0)) throw new InvalidEnergyInputError('idleWallW', idle);
  const typ = d * etaMid;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const idleDc = idle === null ? null : round(idle * etaMid);
  return {
    id: 'user-measured',
    source: 'user',
    idleW: idleDc,
    deltaW: { low: round(typ * 0.9), typ: round(typ), high: round(typ * 1.1) },
    label: MEASURED_LABEL.en,
    labelFr: MEASURED_LABEL.fr,
    reason: `Measured at the wall: +${d} W under load${idle === null ? '' : `, ${idle} W idle`}`,
    basis: { kind: 'measured', who: '', form: null },
    idleRangeW: idleDc === null ? null : { low: round(idleDc * 0.9), high: round(idleDc * 1.1) },
    hostIncluded: true,
    confidence: 'calibrated',
    sources: ['User wall-meter measurement'],
    embodiedClasses: ['laptop'],
    flags: ['user-measured'],
  };
}

/**
 * A profile from a power sensor of this machine (a measured run's idle and load watts, kept for
 * its adapter): what the sensor covers decides whether the host is inside (whole system) or
 * added by the model (GPU board, CPU package). Embodied classes are the device's, which a sensor
 * does not tell: the caller passes the automatic profile's.
 */
export function profileFromSensor(m: SensorMeasurement, embodiedClasses: string[]): ProfileChoice {
  const w = sensorWatts(m);
  const record = sensorRecord(m);
  const text = { id: SENSOR_PROFILE_ID, source: 'sensor' as const, deltaW: w.deltaW, idleW: w.idleW, sensor: record, basis: { kind: 'measured' as const, form: null } };
  return {
    id: SENSOR_PROFILE_ID,
    source: 'sensor',
    idleW: w.idleW,
    idleRangeW: w.idleRangeW,
    deltaW: w.deltaW,
    hostIncluded: w.hostIncluded,
    confidence: 'calibrated',
    label: profileLabel(text, 'en'),
    labelFr: profileLabel(text, 'fr'),
    reason: profileReason(text, m.adapter, 'en'),
    basis: { kind: 'measured', who: '', form: null },
    sources: [`${m.sensor.kind} (${m.sensor.coverage}), ${m.samples} readings, ${m.date}`],
    embodiedClasses: [...embodiedClasses],
    flags: [],
    sensor: record,
  };
}

/** Label, reason and basis for a stored profile that is not a catalog entry. */
function restoredWording(source: EnergyProfileRecord['source']): Pick<ProfileChoice, 'label' | 'labelFr' | 'reason' | 'basis'> {
  switch (source) {
    case 'user':
      return { label: MEASURED_LABEL.en, labelFr: MEASURED_LABEL.fr, reason: 'Measured at the wall', basis: { kind: 'measured', who: '', form: null } };
    case 'battery':
      return { label: BATTERY_LABEL.en, labelFr: BATTERY_LABEL.fr, reason: 'Battery drain', basis: { kind: 'battery', who: '', form: null } };
    case 'sensor':
      return { label: SENSOR_LABEL.en, labelFr: SENSOR_LABEL.fr, reason: 'Power sensor', basis: { kind: 'measured', who: '', form: null } };
    case 'catalog':
      return { label: CATALOG_LABEL.en, labelFr: CATALOG_LABEL.fr, reason: 'Stored catalog profile', basis: { kind: 'chosen', who: '', form: null } };
    default: {
      const never: never = source;
      throw new Error(`unknown profile source ${String(never)}`);
    }
  }
}

/**
 * A profile choice rebuilt from a stored schema-v1 record (history, an uploaded or imported
 * document), so re-opening a result recomputes with the profile it was computed with. Catalog
 * ids restore their catalog extras; user and battery profiles keep their recorded watts and are
 * taken to include host overhead, as when they were made.
 */
export function restoreProfile(record: EnergyProfileRecord, fallback: ProfileChoice, adapter?: Pick<AdapterIdentity, 'vendor' | 'architecture'>): ProfileChoice {
  const entry = POWER_PROFILES.profiles.find((p) => p.id === record.id);
  const full = record as Partial<ProfileChoice>;
  // A stored basis keeps ids only (the published document has no text): the device's name comes
  // back from the adapter, and the Apple tier evidence the dataset does not keep reads as unknown.
  const who = adapter ? [prettyVendor(adapter.vendor), prettyArchitecture(adapter.architecture)].filter(Boolean).join(' ') : '';
  const storedBasis: ProfileBasis | undefined = record.basis
    ? {
        ...record.basis,
        who: full.basis?.who ?? who,
        ...(record.basis.appleTier
          ? { appleTier: { cpuThreads: null, peakGflops: null, ...record.basis.appleTier, chosen: record.basis.appleTier.chosen as AppleTierBasis['chosen'], candidates: record.basis.appleTier.candidates as AppleTierBasis['candidates'] } }
          : {}),
      } as ProfileBasis
    : undefined;
  const base: ProfileChoice = entry
    ? choiceFromEntry(entry, record.reason ?? '', storedBasis ?? { kind: 'chosen', who: '', form: null })
    : { ...fallback, ...restoredWording(record.source), flags: [...fallback.flags] };
  if (record.source === 'sensor') {
    // The name carries the measuring run's day and sensor, rebuilt from the stored ids.
    base.label = profileLabel(record, 'en');
    base.labelFr = profileLabel(record, 'fr');
  }
  return {
    ...base,
    id: record.id,
    source: record.source,
    idleW: record.idleW,
    deltaW: { ...record.deltaW },
    label: record.label ?? base.label,
    reason: record.reason ?? base.reason,
    idleRangeW: full.idleRangeW !== undefined ? full.idleRangeW : record.idleW === null ? null : (entry ? base.idleRangeW : { low: record.idleW, high: record.idleW }),
    hostIncluded: profileHostIncluded(record),
    ...(record.sensor ? { sensor: { ...record.sensor, adapter: { ...record.sensor.adapter } } } : {}),
    confidence: full.confidence ?? (record.source === 'catalog' ? base.confidence : 'calibrated'),
    sources: full.sources ?? base.sources,
    embodiedClasses: full.embodiedClasses ?? base.embodiedClasses,
    flags: full.flags ?? base.flags,
  };
}
