/**
 * A published energy figure can be recomputed: an upload keeps everything the draws need
 * (method, grid range, idle range, host flag, per-model inputs), the exported row recomputes to
 * its stored figures, and a document whose figures were edited is refused, naming the field.
 */
import { describe, expect, test } from 'vitest';
import type { ResultDocument } from '../../src/shared/result.ts';
import { recomputeEnergy, verifyEnergy } from '../../src/shared/recompute.ts';
import { anonymize } from '../../src/shared/schema.ts';
import { jsonlDocs, postJson, useServer } from './helpers.ts';
import { localDocument, UPLOAD_DAY } from './energy-docs.ts';

/** A plain-JSON copy (what crossing the wire leaves of a value). */
function json<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

async function exportedRows(base: string): Promise<(ResultDocument & { id: string })[]> {
  return jsonlDocs(await (await fetch(`${base}/api/export.jsonl`)).text());
}

describe('energy: uploaded, exported, recomputed', () => {
  const srv = useServer();
  const local = localDocument();
  const payload = anonymize(local, UPLOAD_DAY);
  let id = '';

  test('the upload is accepted', async () => {
    const up = await postJson(srv.base, payload);
    expect(up.status, JSON.stringify(up.json)).toBe(201);
    id = up.json.id as string;
  });

  test('the exported row carries the method and every input of the local copy', async () => {
    const row = (await exportedRows(srv.base)).find((r) => r.id === id)!;
    expect(row).toBeDefined();
    const mine = json(local.energy!);
    const theirs = row.energy!;
    expect(theirs.method).toEqual(mine.method);
    expect(theirs.method).toBeDefined();
    expect(theirs.grid.range).toEqual(mine.grid.range);
    expect(theirs.grid.gPerKWh).toBe(mine.grid.gPerKWh);
    expect(theirs.grid.year).toBe(mine.grid.year);
    expect(theirs.profile.idleRangeW).toEqual(mine.profile.idleRangeW);
    expect(theirs.profile.hostIncluded).toBe(mine.profile.hostIncluded);
    expect(theirs.profile.deltaW).toEqual(mine.profile.deltaW);
    for (const role of ['general', 'specialized'] as const) {
      expect(theirs.perQuery[role].inputs).toEqual(mine.perQuery[role].inputs);
      expect(theirs.perQuery[role].inputs).toBeDefined();
      expect(theirs.perQuery[role].joules).toEqual(mine.perQuery[role].joules);
      expect(theirs.perQuery[role].gCO2e).toEqual(mine.perQuery[role].gCO2e);
    }
    expect(theirs.ratio).toEqual(mine.ratio);
    // The timings the bootstrap resamples travel with the row.
    for (const w of row.workloads) expect(w.timing.samplesMs).toEqual(local.workloads.find((x) => x.id === w.id)!.timing.samplesMs);
  });

  test('recomputeEnergy on the exported row gives back the stored figures', async () => {
    const row = (await exportedRows(srv.base)).find((r) => r.id === id)!;
    const again = recomputeEnergy(row);
    const stored = row.energy!;
    for (const role of ['general', 'specialized'] as const) {
      const f = again.figures[role];
      const s = stored.perQuery[role];
      expect(f.joules).toEqual(s.joules);
      expect(f.gCO2e).toEqual(s.gCO2e);
      expect(f.attributionalJoules).toEqual(s.attributionalJoules);
      expect(f.attributionalGCO2e).toEqual(s.attributionalGCO2e);
      expect(f.embodiedGCO2e).toEqual(s.embodiedGCO2e);
      expect(again.inputs[role]).toEqual(s.inputs);
      expect(again.labels[role]).toEqual(s.label);
    }
    expect(again.figures.ratio).toEqual(stored.ratio);
    expect(again.figures.medianInputs).toEqual(stored.method!.medianInputs);
    expect(again.provenance).toEqual(stored.provenance);
    // And the server's own check finds nothing to say about the row it published.
    expect(verifyEnergy(row)).toEqual([]);
  });

  test('a copy whose general joules were multiplied by 10 is refused, naming the field', async () => {
    const forged = json(payload);
    const j = forged.energy!.perQuery.general.joules;
    forged.energy!.perQuery.general.joules = { p5: j.p5 * 10, p50: j.p50 * 10, p95: j.p95 * 10 };
    const up = await postJson(srv.base, forged);
    expect(up.status).toBe(422);
    const issues = (up.json.issues ?? []) as string[];
    expect(issues.some((i) => i.startsWith('energy.perQuery.general.joules')), issues.join(' | ')).toBe(true);
    // Nothing was stored: the dataset still holds the one honest row.
    expect((await exportedRows(srv.base)).map((r) => r.id)).toEqual([id]);
  });

  test('one forged percentile, a forged ratio or forged inputs are refused too', async () => {
    const cases: [string, (d: ResultDocument) => void][] = [
      ['energy.perQuery.specialized.joules', (d) => void (d.energy!.perQuery.specialized.joules.p95 *= 1.5)],
      ['energy.ratio', (d) => void (d.energy!.ratio.p50 *= 2)],
      ['energy.perQuery.general.inputs', (d) => void (d.energy!.perQuery.general.inputs!.tBusyMs *= 2)],
      // The figures stay, the samples they were resampled from lose their spread: p5 and p95 no longer match.
      ['energy.perQuery.general.joules', (d) => {
        const t = d.workloads.find((w) => w.role === 'general')!.timing;
        t.samplesMs = t.samplesMs.map(() => t.medianMs);
      }],
    ];
    for (const [field, edit] of cases) {
      const forged = json(payload);
      edit(forged);
      const up = await postJson(srv.base, forged);
      expect(up.status, field).toBe(422);
      const issues = (up.json.issues ?? []) as string[];
      expect(issues.some((i) => i.startsWith(field)), `${field}: ${issues.join(' | ')}`).toBe(true);
    }
  });
});
