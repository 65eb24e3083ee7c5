/**
 * GET /api/profiles/measured: the sensor power profiles the dataset holds, per adapter and sensor
 * (results whose estimate used a profile of source `sensor`): how many, and the medians of their
 * idle power and ΔP; a listing of at most MAX_GROUPS groups. The numbers were checked on upload
 * (src/shared/sensor-profile.ts bounds).
 *
 * One grouped read through a partial index on exactly its filter and grouping expressions
 * (migration 8), so it reads the sensor-profile rows only, whatever the size of the table. Its
 * answer is kept per dataset version (server/http-cache.ts `datasetVersion`, read from the
 * maintained aggregates without a scan): an upload shows at once, and requests between two
 * writes share one computation (single flight).
 */
import * as v from 'valibot';
import { SCHEMA_VERSION } from '../src/shared/result.ts';
import { SENSOR_COVERAGES, SENSOR_KINDS, type Coverage, type SensorKind } from '../src/shared/power.ts';
import type { MeasuredProfileGroup, MeasuredProfilesListing } from '../src/shared/sensor-profile.ts';
import { datasetVersion } from './http-cache.ts';
import type { Queryable } from './queryable.ts';

const MAX_GROUPS = 500;

/** The expressions the listing filters and groups by; the index below is on these exact texts. */
const PROFILE = `doc->'energy'->'profile'`;
const IS_SENSOR = `${PROFILE}->>'source' = 'sensor'`;
const SENSOR_KIND = `(${PROFILE}->'sensor'->>'kind')`;
const SENSOR_COVERAGE = `(${PROFILE}->'sensor'->>'coverage')`;

/**
 * Migration 8. A partial index only covers a query whose WHERE implies its predicate, and an
 * expression index only matches the same expression: both are built from the constants above.
 */
export const MEASURED_PROFILES_INDEX_SQL = `
  CREATE INDEX IF NOT EXISTS results_sensor_profile_idx
    ON results (vendor, architecture, ${SENSOR_KIND}, ${SENSOR_COVERAGE})
    WHERE ${IS_SENSOR};
`;


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

export const MEASURED_PROFILES_SQL = `
  SELECT vendor, architecture, ${SENSOR_KIND} AS sensor, ${SENSOR_COVERAGE} AS coverage,
         count(*)::int AS count,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (${PROFILE}->>'idleW')::float8) AS idle,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (${PROFILE}->'deltaW'->>'typ')::float8) AS delta
    FROM results
   WHERE ${IS_SENSOR}
   GROUP BY 1, 2, 3, 4
   ORDER BY count DESC, vendor, architecture, sensor, coverage
   LIMIT ${MAX_GROUPS}`;

interface Row { vendor: string; architecture: string; sensor: string; coverage: string; count: number | string; idle: number | string; delta: number | string; [k: string]: unknown }

const isKind = (s: string): s is SensorKind => (SENSOR_KINDS as readonly string[]).includes(s);
const isCoverage = (s: string): s is Coverage => (SENSOR_COVERAGES as readonly string[]).includes(s);

export async function readMeasuredProfiles(db: Queryable): Promise<MeasuredProfiles> {
  const { rows } = await db.query<Row>(MEASURED_PROFILES_SQL);
  const groups: MeasuredProfileGroup[] = [];
  for (const r of rows) {
    // Stored documents passed the closed vocabulary; a row that did not is left out, never echoed.
    if (!isKind(r.sensor) || !isCoverage(r.coverage)) continue;
    groups.push({ vendor: r.vendor, architecture: r.architecture, sensor: r.sensor, coverage: r.coverage, count: Number(r.count), medianIdleW: Number(r.idle), medianDeltaW: Number(r.delta) });
  }
  return { schemaVersion: SCHEMA_VERSION, groups };
}

/**
 * The listing, computed again only when the dataset's version changes (a write, a withdrawal, a
 * migration); the version is one cheap read of the aggregates per request.
 */
export function measuredProfilesReader(db: Queryable): () => Promise<MeasuredProfiles> {
  let cached: { version: string; value: Promise<MeasuredProfiles> } | null = null;
  return async () => {
    const version = await datasetVersion(db);
    if (cached?.version === version) return cached.value;
    const value = readMeasuredProfiles(db);
    const entry = { version, value };
    cached = entry;
    // A failed read is not kept: the next request tries again.
    value.catch(() => { if (cached === entry) cached = null; });
    return value;
  };
}
