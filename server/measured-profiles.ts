/**
 * GET /api/profiles/measured: the sensor power profiles the dataset holds, per adapter and sensor
 * (results whose estimate used a profile of source `sensor`): how many, and the medians of their
 * idle power and ΔP. One grouped read over the stored documents, shared by every request for a
 * minute (single flight), so the endpoint stays cheap whatever the traffic; a listing of at most
 * MAX_GROUPS groups. The numbers were checked on upload (src/shared/sensor-profile.ts bounds).
 */
import * as v from 'valibot';
import { SCHEMA_VERSION } from '../src/shared/result.ts';
import { SENSOR_COVERAGES, SENSOR_KINDS, type Coverage, type SensorKind } from '../src/shared/power.ts';
import type { MeasuredProfileGroup, MeasuredProfilesListing } from '../src/shared/sensor-profile.ts';
import type { Queryable } from './queryable.ts';

export const MEASURED_PROFILES_TTL_MS = 60_000;
const MAX_GROUPS = 500;


export const MeasuredProfileGroupSchema = v.object({
  vendor: v.string(),
  architecture: v.string(),
  sensor: v.picklist(SENSOR_KINDS),
  coverage: v.picklist(SENSOR_COVERAGES),
  count: v.pipe(v.number(), v.integer(), v.minValue(1)),
  medianIdleW: v.number(),
  medianDeltaW: v.number(),
});
export const MeasuredProfilesSchema = v.object({ schemaVersion: v.literal(SCHEMA_VERSION), groups: v.array(MeasuredProfileGroupSchema) });
type MeasuredProfiles = MeasuredProfilesListing;
// Compile-time proof that the documented schema's output is the shared listing type.
const _sameShape = (x: v.InferOutput<typeof MeasuredProfilesSchema>): MeasuredProfiles => x;
void _sameShape;

const SQL = `
  SELECT vendor, architecture,
         doc->'energy'->'profile'->'sensor'->>'kind' AS sensor,
         doc->'energy'->'profile'->'sensor'->>'coverage' AS coverage,
         count(*)::int AS count,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (doc->'energy'->'profile'->>'idleW')::float8) AS idle,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (doc->'energy'->'profile'->'deltaW'->>'typ')::float8) AS delta
    FROM results
   WHERE doc->'energy'->'profile'->>'source' = 'sensor'
   GROUP BY 1, 2, 3, 4
   ORDER BY count DESC, vendor, architecture, sensor, coverage
   LIMIT ${MAX_GROUPS}`;

interface Row { vendor: string; architecture: string; sensor: string; coverage: string; count: number | string; idle: number | string; delta: number | string; [k: string]: unknown }

const isKind = (s: string): s is SensorKind => (SENSOR_KINDS as readonly string[]).includes(s);
const isCoverage = (s: string): s is Coverage => (SENSOR_COVERAGES as readonly string[]).includes(s);

export async function readMeasuredProfiles(db: Queryable): Promise<MeasuredProfiles> {
  const { rows } = await db.query<Row>(SQL);
  const groups: MeasuredProfileGroup[] = [];
  for (const r of rows) {
    // Stored documents passed the closed vocabulary; a row that did not is left out, never echoed.
    if (!isKind(r.sensor) || !isCoverage(r.coverage)) continue;
    groups.push({ vendor: r.vendor, architecture: r.architecture, sensor: r.sensor, coverage: r.coverage, count: Number(r.count), medianIdleW: Number(r.idle), medianDeltaW: Number(r.delta) });
  }
  return { schemaVersion: SCHEMA_VERSION, groups };
}

/** One read per TTL, shared by the requests in between. */
export function measuredProfilesReader(db: Queryable, now: () => number = Date.now): () => Promise<MeasuredProfiles> {
  let cached: { at: number; value: Promise<MeasuredProfiles> } | null = null;
  return () => {
    if (cached && now() - cached.at < MEASURED_PROFILES_TTL_MS) return cached.value;
    const value = readMeasuredProfiles(db);
    cached = { at: now(), value };
    // A failed read is not kept: the next request tries again.
    value.catch(() => { if (cached?.value === value) cached = null; });
    return value;
  };
}
