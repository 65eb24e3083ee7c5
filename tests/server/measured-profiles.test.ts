// GET /api/profiles/measured over real HTTP on PGlite: results whose estimate used a sensor
// profile are listed per adapter and sensor with medians; an inconsistent sensor profile is
// refused on upload; the answer validates against the OpenAPI document.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.ts';
import { computeEnergy, defaultEnergyContext, profileFromSensor } from '../../src/energy/index.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import type { SensorMeasurement } from '../../src/shared/sensor-profile.ts';
import { postJson, tempDir } from './helpers.ts';
import { checkSchema } from './json-schema-check.ts';

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

describe('measured profiles in the dataset (pglite)', () => {
  let server: RunningServer;
  const data = tempDir('fal-measured-');
  beforeAll(async () => {
    server = await startServer({ port: 0, log: false, rateLimit: false, power: false, staticDir: '/nonexistent-dist', dataDir: data.path });
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  test('uploads with a sensor profile are accepted and grouped with medians; a catalog one is not listed', async () => {
    for (const [n, idle, typ] of [[1, 20, 100], [2, 30, 200], [3, 40, 150]] as const) {
      const up = await postJson(server.url, sensorDoc(n, idle, typ));
      expect(up.status, JSON.stringify(up.json)).toBe(201);
    }
    expect((await postJson(server.url, sampleResult())).status).toBe(201);
    const res = await fetch(`${server.url}/api/profiles/measured`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { schemaVersion: number; groups: Record<string, unknown>[] };
    const a = sampleResult().environment.adapter;
    expect(body.groups).toEqual([{ vendor: a.vendor, architecture: a.architecture, sensor: 'nvidia-smi', coverage: 'gpu-board', count: 3, medianIdleW: 30, medianDeltaW: 150 }]);
    const openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Parameters<typeof checkSchema>[2] & { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }> } }> };
    const schema = openapi.paths['/api/profiles/measured']!.get.responses['200']!.content['application/json']!.schema;
    expect(checkSchema(schema, body, openapi)).toEqual([]);
    expect(checkSchema(schema, { ...body, groups: [{ ...body.groups[0], sensor: 'multimeter' }] }, openapi)).not.toEqual([]);
  });

  test('an inconsistent sensor profile is refused with the field named', async () => {
    const d = sensorDoc(9, 25, 120);
    d.energy!.profile.hostIncluded = true;
    const up = await postJson(server.url, d);
    expect(up.status).toBe(422);
    expect(JSON.stringify(up.json)).toMatch(/energy\.profile\.hostIncluded: a gpu-board sensor does not include the host/);
  });
});
