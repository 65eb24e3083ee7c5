/**
 * Provenance of every number that enters an energy figure, as the Software Carbon Intensity
 * specification asks: each input is `measured` (and how), `sourced` (which sources, and the year
 * they state) or `modeled` (on what basis). Derived from the document alone, so the app writes it,
 * the results server checks it (recompute.ts), and the app and the exports render its texts from
 * the catalogs in the reader's language: only ids and years are ever stored, never free text.
 */
import profilesJson from '../../data/power-profiles.json';
import embodiedJson from '../../data/embodied.json';
import constants from '../../data/constants.json';
import type { EnergyProfileRecord, ResultDocument, Role } from './result.ts';
import type { SensorKind } from './power.ts';
import { profileHostIncluded } from './sensor-profile.ts';
import { energyWorkload } from './energy-workload.ts';
import type { EnergyProvenance, MeasuredMethod, Provenance } from './provenance-types.ts';

export * from './provenance-types.ts';

interface ProfileEntryLite { id: string; sources: string[]; modeled?: string }
const PROFILES = profilesJson.profiles as ProfileEntryLite[];
const SOURCE_YEARS = profilesJson.sourceYears as Record<string, number | null | string>;
const EMBODIED_CLASSES = embodiedJson.classes as Record<string, { year: number | null; source: string }>;

/** Source ids: `profile:KEY` (power-profiles sourcesIndex), `grid:ember`, `grid:user-entered`, `assumption:hostW|eta|boundSpread`, `embodied:CLASS`. */
export function knownSourceIds(): string[] {
  return [
    ...Object.keys(profilesJson.sourcesIndex).map((k) => `profile:${k}`),
    'grid:ember',
    'grid:user-entered',
    'assumption:hostW',
    'assumption:eta',
    'assumption:boundSpread',
    ...Object.keys(EMBODIED_CLASSES).map((k) => `embodied:${k}`),
  ];
}

/** English text of a source id, from the catalogs (the i18n layer may translate around it). */
export function sourceText(id: string): string | null {
  const [ns, key = ''] = id.split(/:(.*)/s, 2) as [string, string?];
  switch (ns) {
    case 'profile':
      return (profilesJson.sourcesIndex as Record<string, string>)[key] ?? null;
    case 'grid':
      return key === 'ember' ? constants.grid.dataset : key === 'user-entered' ? 'Entered by the person who ran the benchmark' : null;
    case 'assumption':
      return key === 'hostW' ? constants.assumptions.hostW.source : key === 'eta' ? constants.assumptions.eta.source : key === 'boundSpread' ? constants.assumptions.boundSpread.source : null;
    case 'embodied':
      return EMBODIED_CLASSES[key]?.source ?? null;
    default:
      return null;
  }
}

function latestYear(years: (number | null | undefined)[]): number | null {
  const ys = years.filter((y): y is number => typeof y === 'number');
  return ys.length ? Math.max(...ys) : null;
}

/** The catalog entries a stored profile id names: one id, or several joined by "+" (a merged band). */
function profileEntries(id: string): ProfileEntryLite[] | null {
  const entries = id.split('+').map((part) => PROFILES.find((p) => p.id === part));
  return entries.every((e): e is ProfileEntryLite => e !== undefined) ? entries : null;
}

/** Provenance of the profile's watts (ΔP, and idle when known). */
function profileProvenance(profile: Pick<EnergyProfileRecord, 'id' | 'source' | 'sensor'>): Provenance {
  switch (profile.source) {
    case 'sensor': {
      // A sensor profile without its sensor never passes the schema; the tag says so rather than guess.
      if (!profile.sensor) return { kind: 'modeled', basis: 'catalog-modeled', sources: [] };
      const method: `sensor:${SensorKind}` & MeasuredMethod = `sensor:${profile.sensor.kind}`;
      return { kind: 'measured', method };
    }
    case 'user':
      return { kind: 'measured', method: 'wall-meter' };
    case 'battery':
      return { kind: 'measured', method: 'battery-drain' };
    case 'catalog': {
      const entries = profileEntries(profile.id);
      if (!entries) return { kind: 'modeled', basis: 'catalog-modeled', sources: [] };
      const sources = [...new Set(entries.flatMap((e) => e.sources))].map((s) => `profile:${s}`);
      if (entries.length > 1) return { kind: 'modeled', basis: 'merged-classes', sources };
      if (entries[0]!.modeled) return { kind: 'modeled', basis: 'catalog-modeled', sources };
      const year = latestYear(entries[0]!.sources.map((s) => {
        const y = SOURCE_YEARS[s];
        return typeof y === 'number' ? y : null;
      }));
      return { kind: 'sourced', sources, year };
    }
    default: {
      const never: never = profile.source;
      throw new Error(`unknown profile source ${String(never)}`);
    }
  }
}

function timingProvenance(doc: ResultDocument, role: Role): { busy: Provenance; wall: Provenance } {
  const w = energyWorkload(doc, role);
  const busy: Provenance = { kind: 'measured', method: w?.timing.source ?? 'wall-clock' };
  const hasWall = w?.timing.wallMedianMs !== undefined && w.timing.wallMedianMs !== null;
  const wall: Provenance = hasWall || w?.timing.source === 'wall-clock'
    ? { kind: 'measured', method: 'wall-clock' }
    : { kind: 'modeled', basis: 'busy-time-as-wall', sources: [] };
  return { busy, wall };
}

/**
 * The provenance of a document's energy section, from the document alone. Null without an
 * energy section.
 */
export function provenanceOf(doc: ResultDocument): EnergyProvenance | null {
  const e = doc.energy;
  if (!e) return null;
  const gen = timingProvenance(doc, 'general');
  const spec = timingProvenance(doc, 'specialized');
  const watts = profileProvenance(e.profile);
  const hostIncluded = profileHostIncluded(e.profile);
  const hostW: Provenance = hostIncluded
    // Inside the wall-meter, battery or whole-system sensor reading: measured along with ΔP.
    ? watts
    : { kind: 'modeled', basis: 'assumption', sources: ['assumption:hostW'] };
  const country = e.grid.country.toUpperCase();
  const grid: Provenance = country === 'CUSTOM'
    ? { kind: 'sourced', sources: ['grid:user-entered'], year: null }
    : country === 'WORLD' && e.grid.gPerKWh === constants.grid.worldDefaultGPerKWh && (e.grid.range?.low ?? 0) <= constants.grid.unknownRangeGPerKWh.low
      ? { kind: 'modeled', basis: 'world-range', sources: ['grid:ember'] }
      : { kind: 'sourced', sources: ['grid:ember'], year: e.grid.year };
  const classes = e.embodied?.classes ?? [];
  const embodied: Provenance | null = classes.length === 0
    ? null
    : classes.includes('gpu-card')
      ? { kind: 'modeled', basis: 'derived-formula', sources: classes.map((c) => `embodied:${c}`) }
      : { kind: 'sourced', sources: classes.map((c) => `embodied:${c}`), year: latestYear(classes.map((c) => EMBODIED_CLASSES[c]?.year)) };
  return {
    busyTime: { general: gen.busy, specialized: spec.busy },
    wallTime: { general: gen.wall, specialized: spec.wall },
    deltaW: watts,
    idleW: e.profile.idleW === null ? null : watts,
    hostW,
    eta: { kind: 'sourced', sources: ['assumption:eta'], year: null },
    grid,
    embodied,
  };
}
