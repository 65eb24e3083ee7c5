/**
 * Sensor profiles kept in this browser, one per adapter (vendor/architecture): filled when a run
 * on this machine measured watts (the document's `measured` block, src/shared/sensor-profile.ts),
 * offered by the profile picker as "Measured on this device" and chosen by default for later
 * estimates on the same adapter, until the visitor forgets it. Only runs made here fill it:
 * documents opened from a file or the dataset were measured on someone else's machine.
 */
import type { AdapterSummary, ResultDocument } from '../../shared/result.ts';
import { isSensorMeasurement, sensorMeasurementOf, type SensorMeasurement } from '../../shared/sensor-profile.ts';

type AdapterKey = Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'>;
type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const PREFIX = 'frugal-ai-lab:sensor-profile:';

function storage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // A browser that refuses storage (privacy settings): nothing is kept.
    return null;
  }
}

export function sensorStoreKey(a: AdapterKey): string {
  return `${PREFIX}${a.vendor || '-'}/${a.architecture || '-'}${a.isFallbackAdapter ? '/fallback' : ''}`;
}

/** The profile kept for this adapter, or null (none, unreadable, or another adapter's). */
export function loadSensorProfile(a: AdapterKey, store: Store | null = storage()): SensorMeasurement | null {
  try {
    const raw = store?.getItem(sensorStoreKey(a));
    if (!raw) return null;
    const x: unknown = JSON.parse(raw);
    if (!isSensorMeasurement(x)) return null;
    const same = x.adapter.vendor === a.vendor && x.adapter.architecture === a.architecture && x.adapter.isFallbackAdapter === a.isFallbackAdapter;
    return same ? x : null;
  } catch {
    return null;
  }
}

/** Keeps the profile a run measured (the latest measurement of an adapter replaces the one before); null when it measured none. */
export function rememberSensorProfile(doc: ResultDocument, store: Store | null = storage()): SensorMeasurement | null {
  const made = sensorMeasurementOf(doc);
  if (!made.ok || !store) return null;
  try {
    store.setItem(sensorStoreKey(made.profile.adapter), JSON.stringify(made.profile));
    return made.profile;
  } catch {
    // Storage full or refused: the run keeps its catalog estimate.
    return null;
  }
}

export function forgetSensorProfile(a: AdapterKey, store: Store | null = storage()): void {
  try {
    store?.removeItem(sensorStoreKey(a));
  } catch {
    // Nothing kept, nothing to forget.
  }
}

/**
 * The kept profile to estimate this document with by default: same adapter, measured on or before
 * the run's day, and not by this very run (its own watts are shown beside the estimate, as a
 * check; estimating with them would check the measurement against itself).
 */
export function defaultSensorProfile(doc: ResultDocument, store: Store | null = storage()): SensorMeasurement | null {
  const kept = loadSensorProfile(doc.environment.adapter, store);
  if (!kept) return null;
  if (doc.date !== undefined && kept.date > doc.date) return null;
  const own = sensorMeasurementOf(doc);
  if (own.ok && JSON.stringify(own.profile) === JSON.stringify(kept)) return null;
  return kept;
}
