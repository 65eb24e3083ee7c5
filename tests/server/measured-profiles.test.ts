// GET /api/profiles/measured over real HTTP, on each storage backend: results whose estimate used a sensor profile are listed
// per adapter and sensor with medians; an inconsistent sensor profile is refused on upload; the
// answer validates against the OpenAPI document; an upload or a withdrawal shows at once; the
// listing's query is answered through migration 8's partial index.
import { describe, expect, test } from 'vitest';
import type { Db } from '../../server/db.ts';
import { MEASURED_PROFILES_SQL } from '../../server/measured-profiles.ts';
import { computeEnergy, defaultEnergyContext, profileFromSensor } from '../../src/energy/index.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import type { SensorMeasurement } from '../../src/shared/sensor-profile.ts';
import { deleteResult, postJson, useServer } from './helpers.ts';
import { checkSchema } from './json-schema-check.ts';
import { eachBackend, openQuiet, serverStorage, type SuiteBackend } from './postgres-harness.ts';

/** The sample run (with its workloads' first sample shifted, so each document is new) estimated with a sensor profile. */
function sensorDoc(n: number, idleW: number, typ: number): ResultDocument {
  const doc = sampleResult();
  doc.workloads = doc.workloads.map((w) => ({ ...w, timing: { ...w.timing, samplesMs: [w.timing.samplesMs[0]! + n * 1e-6, ...w.timing.samplesMs.slice(1)] } }));
  const a = doc.environment.adapter;
  const m: SensorMeasurement = {
    version: 1, adapter: { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter },
    sensor: { kind: 'nvidia-smi', coverage: 'gpu-board' }, date: '2026-01-01', idleW, deltaW: { low: typ * 0.95, typ, high: typ * 1.05 }, samples: 50,
  };
  const ctx = defaultEnergyContext(a, { hasBattery: null, country: 'FRA' });
  return { ...doc, energy: computeEnergy(doc, { ...ctx, profile: profileFromSensor(m, ctx.profile.embodiedClasses) }) };
}

/** The plan of the listing's query, with sequential scans ruled out: the index serves it or the plan says Seq Scan. */
async function listingPlan(db: Db): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.exec('SET LOCAL enable_seqscan = off');
    const rows = (await tx.query<Record<string, string>>(`EXPLAIN ${MEASURED_PROFILES_SQL}`)).rows;
    return rows.map((r) => Object.values(r)[0]).join('\n');
  });
}

function measuredProfilesSuite(backend: SuiteBackend) {
  describe(`measured profiles in the dataset (${backend.kind})`, () => {
    const srv = useServer(() => ({ power: false, ...serverStorage(backend.config()) }));

    test('uploads with a sensor profile are accepted and grouped with medians; a catalog one is not listed', async () => {
      for (const [n, idle, typ] of [[1, 20, 100], [2, 30, 200], [3, 40, 150]] as const) {
        const up = await postJson(srv.base, sensorDoc(n, idle, typ));
        expect(up.status, JSON.stringify(up.json)).toBe(201);
      }
      expect((await postJson(srv.base, sampleResult())).status).toBe(201);
      const res = await fetch(`${srv.base}/api/profiles/measured`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { schemaVersion: number; groups: Record<string, unknown>[] };
      const a = sampleResult().environment.adapter;
      expect(body.groups).toEqual([{ vendor: a.vendor, architecture: a.architecture, sensor: 'nvidia-smi', coverage: 'gpu-board', count: 3, medianIdleW: 30, medianDeltaW: 150 }]);
      const openapi = (await (await fetch(`${srv.base}/api/openapi.json`)).json()) as Parameters<typeof checkSchema>[2] & { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }> } }> };
      const schema = openapi.paths['/api/profiles/measured']!.get.responses['200']!.content['application/json']!.schema;
      expect(checkSchema(schema, body, openapi)).toEqual([]);
      expect(checkSchema(schema, { ...body, groups: [{ ...body.groups[0], sensor: 'multimeter' }] }, openapi)).not.toEqual([]);
    });

    test('an inconsistent sensor profile is refused with the field named', async () => {
      const d = sensorDoc(9, 25, 120);
      d.energy!.profile.hostIncluded = true;
      const up = await postJson(srv.base, d);
      expect(up.status).toBe(422);
      expect(JSON.stringify(up.json)).toMatch(/energy\.profile\.hostIncluded: a gpu-board sensor does not include the host/);
    });

    test('an upload and a withdrawal show in the listing at once (kept per dataset version, not for a minute)', async () => {
      const list = async () => ((await (await fetch(`${srv.base}/api/profiles/measured`)).json()) as { groups: { count: number; medianIdleW: number }[] }).groups;
      const before = await list();
      expect(before[0]?.count).toBe(3);
      const up = await postJson(srv.base, sensorDoc(4, 50, 160));
      expect(up.status, JSON.stringify(up.json)).toBe(201);
      expect((await list()).map((g) => [g.count, g.medianIdleW])).toEqual([[4, 35]]);
      const res = await deleteResult(srv.base, String(up.json.id), String(up.json.token));
      expect(res.status).toBe(204);
      expect(await list()).toEqual(before);
    });

    test('the listing reads the sensor-profile rows through their partial index (migration 8)', async () => {
      // The server holds PGlite's only connection: close it before reading the same directory.
      await srv.server.close();
      const db = await openQuiet(backend.config());
      try {
        const plan = await listingPlan(db);
        expect(plan).toMatch(/results_sensor_profile_idx/);
        expect(plan).not.toMatch(/Seq Scan/);
      } finally {
        await db.close();
      }
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite counts the listed profiles from zero.
eachBackend('measured profiles', measuredProfilesSuite, { emptySchema: true });
