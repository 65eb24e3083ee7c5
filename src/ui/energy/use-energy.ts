/**
 * The energy estimate of a run, held once for the whole results view: the summary at the top
 * and the energy sections below read the same figures, and the profile and grid pickers (in
 * their own sections) change them for both.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { errorName } from '../../shared/errors.ts';
import type { EnergySection, ResultDocument } from '../../shared/result.ts';
import {
  computeEnergy,
  cpuThreadsHere,
  currentTimeZone,
  detectBattery,
  embodiedFor,
  gridFromTimeZone,
  measuredPeakGflops,
  profileFromSensor,
  restoreGrid,
  restoreProfile,
  selectProfile,
  type EnergyContext,
  type GridChoice,
  type ProfileChoice,
} from '../../energy/index.ts';
import { defaultSensorProfile } from './sensor-store.ts';
import { energyWorkload } from '../../shared/energy-workload.ts';

export type ComputeEnergy = (doc: ResultDocument, ctx: EnergyContext) => Promise<EnergySection>;

export interface EnergyEstimate {
  /** Whether the document has both model roles (nothing is estimated otherwise). */
  bothRoles: boolean;
  energy: EnergySection | null;
  error: string | null;
  zone: string | null;
  auto: ProfileChoice;
  profile: ProfileChoice;
  setProfile: (p: ProfileChoice | null) => void;
  grid: GridChoice;
  setGrid: (g: GridChoice) => void;
  ctx: EnergyContext;
}

export function hasBothRoles(doc: ResultDocument): boolean {
  return energyWorkload(doc, 'general') !== undefined && energyWorkload(doc, 'specialized') !== undefined;
}

/**
 * The first grid: the one the document was computed with (URL country, earlier choice, a
 * result from history), else the time zone.
 */
function initialGrid(doc: ResultDocument, zone: string | null): GridChoice {
  const g = doc.energy?.grid;
  if (g) {
    try {
      return restoreGrid(g);
    } catch {
      // An unusable stored value: fall back to the time zone.
    }
  }
  return gridFromTimeZone(zone);
}

/**
 * A stored profile that differs from the automatic one is kept as the override; an automatic
 * one gives way to the sensor profile measured on this adapter by an earlier run (sensor-store.ts).
 */
function initialOverride(doc: ResultDocument, auto: ProfileChoice): ProfileChoice | null {
  const p = doc.energy?.profile;
  if (p && !(p.source === 'catalog' && p.id === auto.id)) return restoreProfile(p, auto, doc.environment.adapter);
  const kept = defaultSensorProfile(doc);
  return kept ? profileFromSensor(kept, auto.embodiedClasses) : null;
}

export function useEnergyEstimate(doc: ResultDocument, compute?: ComputeEnergy, onEnergy?: (e: EnergySection) => void): EnergyEstimate {
  const zone = useMemo(() => currentTimeZone(), []);
  const [battery, setBattery] = useState<boolean | null | undefined>(undefined);
  // undefined until the first automatic profile is known (it depends on battery detection).
  const [override, setOverride] = useState<ProfileChoice | null | undefined>(undefined);
  const [grid, setGrid] = useState<GridChoice>(() => initialGrid(doc, zone));
  const [energy, setEnergy] = useState<EnergySection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);
  const bothRoles = hasBothRoles(doc);

  useEffect(() => {
    let live = true;
    void detectBattery().then((b) => live && setBattery(b));
    return () => {
      live = false;
    };
  }, []);

  const a = doc.environment.adapter;
  const auto = useMemo(
    // Results shown here were measured in this browser (a run or its local history), so this
    // machine's thread count and the run's own FMA peak are the evidence for an Apple tier.
    () =>
      selectProfile(
        { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter },
        { hasBattery: battery ?? null, hints: { cpuThreads: cpuThreadsHere(), measuredPeakGflops: measuredPeakGflops(doc) } },
      ).profile,
    [a.vendor, a.architecture, a.isFallbackAdapter, battery, doc],
  );
  useEffect(() => {
    if (battery !== undefined && override === undefined) setOverride(initialOverride(doc, auto));
  }, [battery, override, doc, auto]);
  const profile = override ?? auto;
  const ctx: EnergyContext = useMemo(() => ({ profile, grid, embodied: embodiedFor(profile.embodiedClasses) }), [profile, grid]);

  useEffect(() => {
    if (battery === undefined || override === undefined || !bothRoles) return;
    const mine = ++request.current;
    setError(null);
    // A synchronous throw from computeEnergy must become a rejection, handled like the worker's.
    const run = compute ?? ((d: ResultDocument, c: EnergyContext) => Promise.resolve().then(() => computeEnergy(d, c)));
    run(doc, ctx).then(
      (e) => {
        if (mine !== request.current) return;
        setEnergy(e);
        onEnergy?.(e);
      },
      (e: unknown) => {
        if (mine !== request.current) return;
        // The previous estimate was for another profile or grid: never show it beside this choice.
        setEnergy(null);
        setError(errorName(e) === 'MissingModelRoleError' ? t('energy.missingRole') : t('energy.error', { message: (e as Error).message }));
      },
    );
    // onEnergy and compute are callbacks from the parent: a new identity must not recompute.
  }, [doc, ctx, battery, override === undefined, bothRoles]);

  return { bothRoles, energy, error, zone, auto, profile, setProfile: setOverride, grid, setGrid, ctx };
}
