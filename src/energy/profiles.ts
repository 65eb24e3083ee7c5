/**
 * Device power profiles (data/power-profiles.json) and the matcher that picks one from the
 * WebGPU adapter info. Pure: no DOM, no WebGPU, so it runs in the worker and in node tests.
 */
import catalogJson from '../../data/power-profiles.json';
import type { EnergyProfileRecord } from '../shared/result.ts';
import type { Triangular } from './random.ts';
import { InvalidEnergyInputError, UnknownProfileError } from './errors.ts';

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

const VENDOR_NAMES: Record<string, string> = {
  nvidia: 'NVIDIA', amd: 'AMD', intel: 'Intel', apple: 'Apple', qualcomm: 'Qualcomm', arm: 'Arm',
  'img-tec': 'Imagination', samsung: 'Samsung', huawei: 'Huawei', broadcom: 'Broadcom', google: 'Google',
  microsoft: 'Microsoft', mesa: 'Mesa', verisilicon: 'VeriSilicon',
};

const ARCH_NAMES: Record<string, string> = {
  lovelace: 'Ada Lovelace', 'gen-12lp': 'Gen 12 LP', 'gen-12hp': 'Gen 12 HP (Arc)', 'xe-lpg': 'Xe-LPG',
  'xe-2lpg': 'Xe2-LPG', 'xe-2hpg': 'Xe2-HPG (Arc B)', 'xe-3lpg': 'Xe3-LPG', 'xe-3lpg-xs': 'Xe3-LPG XS',
  swiftshader: 'SwiftShader', warp: 'WARP', 'metal-3': 'Metal 3', videocore: 'VideoCore',
};

/** "rdna-3" → "RDNA 3", "lovelace" → "Ada Lovelace", "adreno-7xx" → "Adreno 7xx". */
export function prettyArchitecture(arch: string): string {
  const a = arch.trim().toLowerCase();
  if (ARCH_NAMES[a]) return ARCH_NAMES[a];
  const parts = a.split('-').filter(Boolean);
  return parts
    .map((p) => (/^(rdna|gcn|cdna)$/.test(p) ? p.toUpperCase() : /^\d/.test(p) ? p : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

export function prettyVendor(vendor: string): string {
  const v = vendor.trim().toLowerCase();
  return VENDOR_NAMES[v] ?? (v ? v.charAt(0).toUpperCase() + v.slice(1) : '');
}

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
 * When the form factor is unknown (no Battery API) and the laptop and desktop classes differ,
 * we do not guess: the profile spans both (lowest low, highest high, geometric-mean typical),
 * so the uncertainty band says what we do not know.
 */
function mergeEntries(a: PowerProfileEntry, b: PowerProfileEntry, reason: string, basis: ProfileBasis): ProfileChoice {
  const span = (x: Triangular, y: Triangular): Triangular => {
    const low = Math.min(x.low, y.low);
    const high = Math.max(x.high, y.high);
    const typ = Math.min(high, Math.max(low, Math.sqrt(x.typ * y.typ)));
    return { low, typ: Math.round(typ * 10) / 10, high };
  };
  const idle = span(a.idleW, b.idleW);
  const delta = span(a.deltaW, b.deltaW);
  const lowerConfidence: Confidence = a.confidence === 'low' || b.confidence === 'low' ? 'low' : 'medium';
  return {
    // "+" joins the two ids: the result schema allows only [A-Za-z0-9._:@/+-] in ids.
    id: `${a.id}+${b.id}`,
    source: 'catalog',
    idleW: idle.typ,
    deltaW: delta,
    label: `${a.label} / ${b.label}`,
    labelFr: `${a.labelFr} / ${b.labelFr}`,
    reason,
    basis,
    idleRangeW: { low: idle.low, high: idle.high },
    hostIncluded: false,
    confidence: lowerConfidence,
    sources: citations([...new Set([...a.sources, ...b.sources])]),
    embodiedClasses: [...a.embodied],
    flags: ['form-factor-unknown'],
  };
}

/**
 * Pick a power profile from the adapter info. `hasBattery`: true = battery device, false = no
 * battery (desktop), null = unknown (no Battery API). The reason reads like
 * "NVIDIA Ada Lovelace, desktop: 70–380 W".
 */
export function selectProfile(
  adapter: AdapterIdentity,
  opts: { hasBattery: boolean | null },
): { profile: ProfileChoice; reason: string } {
  const vendor = (adapter.vendor ?? '').trim().toLowerCase();
  const arch = (adapter.architecture ?? '').trim().toLowerCase();
  const who = [prettyVendor(vendor), prettyArchitecture(arch)].filter(Boolean).join(' ');
  const form = opts.hasBattery === true ? 'battery-powered' : opts.hasBattery === false ? 'desktop' : 'form factor unknown';
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

  if (opts.hasBattery === null) {
    const onBattery = firstMatch(vendor, arch, true);
    const onMains = firstMatch(vendor, arch, false);
    if (onBattery && onMains && onBattery.id !== onMains.id) {
      const merged = mergeEntries(onBattery, onMains, '', basis('adapter'));
      merged.reason = `${who}, ${form} (laptop or desktop): ${wattRange(merged.deltaW)}`;
      return done(merged);
    }
    const e = onBattery ?? onMains;
    if (e) return done(choiceFromEntry(e, `${who}, ${form}: ${wattRange(e.deltaW)}`, basis('adapter')));
  } else {
    const e = firstMatch(vendor, arch, opts.hasBattery);
    if (e) return done(choiceFromEntry(e, `${who}, ${form}: ${wattRange(e.deltaW)}`, basis('adapter')));
  }
  const e = catalogEntry('unknown');
  return done(choiceFromEntry(e, `${who || vendor}: not in the catalog, wide default: ${wattRange(e.deltaW)}`, basis('uncatalogued')));
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
    label: 'Measured by you (wall meter)',
    labelFr: 'Mesuré par vous (wattmètre)',
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

/** Label, reason and basis for a stored profile that is not a catalog entry. */
function restoredWording(source: EnergyProfileRecord['source']): Pick<ProfileChoice, 'label' | 'labelFr' | 'reason' | 'basis'> {
  switch (source) {
    case 'user':
      return { label: 'Measured by you (wall meter)', labelFr: 'Mesuré par vous (wattmètre)', reason: 'Measured at the wall', basis: { kind: 'measured', who: '', form: null } };
    case 'battery':
      return { label: 'Battery-drain calibration (coarse)', labelFr: 'Étalonnage par décharge de la batterie (grossier)', reason: 'Battery drain', basis: { kind: 'battery', who: '', form: null } };
    case 'catalog':
      return { label: 'Catalog profile', labelFr: 'Profil du catalogue', reason: 'Stored catalog profile', basis: { kind: 'chosen', who: '', form: null } };
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
export function restoreProfile(record: EnergyProfileRecord, fallback: ProfileChoice): ProfileChoice {
  const entry = POWER_PROFILES.profiles.find((p) => p.id === record.id);
  const full = record as Partial<ProfileChoice>;
  const base: ProfileChoice = entry
    ? choiceFromEntry(entry, record.reason ?? '', full.basis ?? { kind: 'chosen', who: '', form: null })
    : { ...fallback, ...restoredWording(record.source), flags: [...fallback.flags] };
  return {
    ...base,
    id: record.id,
    source: record.source,
    idleW: record.idleW,
    deltaW: { ...record.deltaW },
    label: record.label ?? base.label,
    reason: record.reason ?? base.reason,
    idleRangeW: full.idleRangeW !== undefined ? full.idleRangeW : record.idleW === null ? null : (entry ? base.idleRangeW : { low: record.idleW, high: record.idleW }),
    hostIncluded: full.hostIncluded ?? (record.source !== 'catalog'),
    confidence: full.confidence ?? (record.source === 'catalog' ? base.confidence : 'calibrated'),
    sources: full.sources ?? base.sources,
    embodiedClasses: full.embodiedClasses ?? base.embodiedClasses,
    flags: full.flags ?? base.flags,
  };
}
