// CSV rows of a real-model document: the model, dtype, EP, accuracy with n and interval, parse
// failures, agreement, the energy per correct answer on the workload the energy rests on, and the
// task set answered.
import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, csvRows, toJsonl } from '../../src/shared/export.ts';
import { sampleRealResult } from '../../src/shared/sample-real-result.ts';

const col = (row: unknown[], name: (typeof CSV_COLUMNS)[number]): unknown => row[CSV_COLUMNS.indexOf(name)];

describe('real-model exports', () => {
  test('CSV: real-model rows carry the real columns; replica rows leave them empty', () => {
    const doc = sampleRealResult();
    const rows = csvRows({ id: 'r1', doc });
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const general = rows.find((r) => col(r, 'workload_id') === 'general:qwen2.5-0.5b-instruct:webgpu')!;
    const w = doc.workloads[1]!.real!;
    const pc = doc.energy!.perQuery.general.perCorrect!;
    const ratio = doc.energy!.ratioPerCorrect!;
    if (!pc.available || !ratio.available) throw new Error('the sample has per-correct figures');
    expect({
      model: col(general, 'real_model'), dtype: col(general, 'real_dtype'), ep: col(general, 'execution_provider'), acc: col(general, 'accuracy'),
      n: col(general, 'accuracy_n'), low: col(general, 'accuracy_low'), high: col(general, 'accuracy_high'), pf: col(general, 'parse_failures'),
      agreement: col(general, 'agreement'), an: col(general, 'agreement_n'), j: col(general, 'per_correct_j_p50'), ratio: col(general, 'ratio_per_correct_p50'),
      task: col(general, 'task_set'), version: col(general, 'task_version'), sha: col(general, 'model_sha256'),
    }).toEqual({
      model: 'qwen2.5-0.5b-instruct', dtype: 'q4f16', ep: 'webgpu', acc: 31 / 40, n: 40, low: w.accuracy.low, high: w.accuracy.high, pf: 2,
      agreement: 19 / 20, an: 20, j: pc.joules.p50, ratio: ratio.ratio.p50, task: 'sentiment-en', version: 1, sha: null,
    });
    expect(col(general, 'kind')).toBe('real-model');
    const replica = rows.find((r) => col(r, 'workload_id') === 'general:qwen2.5-0.5b-instruct')!;
    expect(CSV_COLUMNS.slice(CSV_COLUMNS.indexOf('real_model')).map((c) => col(replica, c))).toEqual(Array(17).fill(null));
  });

  test('CSV: the rows of a custom model carry its file hash (what tells custom models apart), those of a catalog model none', () => {
    const doc = sampleRealResult();
    const spec = doc.workloads.find((w) => w.kind === 'real-model' && w.role === 'specialized')!;
    spec.real = { ...spec.real!, model: 'custom', sha256: 'ab'.repeat(32) };
    const rows = csvRows({ id: 'r1', doc });
    expect(rows.filter((r) => col(r, 'kind') === 'real-model').map((r) => [col(r, 'real_model'), col(r, 'model_sha256')]))
      .toEqual([['custom', 'ab'.repeat(32)], ['qwen2.5-0.5b-instruct', null]]);
  });

  test('JSONL keeps the real block and the per-correct figures', () => {
    const line = JSON.parse(toJsonl([{ id: 'r1', doc: sampleRealResult() }])) as { workloads: { real?: { accuracy: unknown } }[]; energy: { ratioPerCorrect?: unknown } };
    expect(line.workloads[0]!.real?.accuracy).toMatchObject({ correct: 36, n: 40 });
    expect(line.energy.ratioPerCorrect).toMatchObject({ available: true, method: 'interval-envelope' });
  });
});
