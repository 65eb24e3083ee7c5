// The synthetic/real comparison: real session time ÷ the replica's median, per role, or why not.
import { describe, expect, test } from 'vitest';
import { syntheticComparison } from '../../src/shared/realmodels/replica.ts';
import { sampleRealWorkloads } from '../../src/shared/sample-real-result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

describe('syntheticComparison', () => {
  test('the sample: real session medians 140 and 9.5 ms over replicas of 120 and 8 ms', () => {
    expect(syntheticComparison({ workloads: sampleRealWorkloads() })).toEqual({
      general: { available: true, realWorkloadId: 'general:qwen2.5-0.5b-instruct:webgpu', replicaWorkloadId: 'general:qwen2.5-0.5b-instruct', realMs: 140, syntheticMs: 120, ratio: 140 / 120 },
      specialized: { available: true, realWorkloadId: 'specialized:distilbert-sst2:webgpu', replicaWorkloadId: 'specialized:distilbert-sst2', realMs: 9.5, syntheticMs: 8, ratio: 1.1875 },
    });
  });

  test('a replica under another id is used when it is the role\'s only model workload', () => {
    const ws = sampleRealWorkloads();
    ws[3]!.id = 'general:custom';
    ws[3]!.timing = { ...ws[3]!.timing, medianMs: 70 };
    expect(syntheticComparison({ workloads: ws }).general).toMatchObject({ available: true, replicaWorkloadId: 'general:custom', ratio: 2 });
  });

  test('the replica\'s wall-clock median is the synthetic time (a session run includes dispatch and readback); its GPU median only without one', () => {
    const ws = sampleRealWorkloads();
    ws[3]!.timing = { ...ws[3]!.timing, medianMs: 100, wallMedianMs: 112 };
    ws[2]!.timing = { ...ws[2]!.timing, medianMs: 7, wallMedianMs: null };
    const c = syntheticComparison({ workloads: ws });
    expect(c.general).toMatchObject({ available: true, replicaWorkloadId: 'general:qwen2.5-0.5b-instruct', realMs: 140, syntheticMs: 112, ratio: 140 / 112 });
    expect(c.specialized).toMatchObject({ available: true, replicaWorkloadId: 'specialized:distilbert-sst2', realMs: 9.5, syntheticMs: 7, ratio: 9.5 / 7 });
  });

  test('no replica, or no real model: null figures with the reason', () => {
    const ws = sampleRealWorkloads().slice(0, 3);
    expect(syntheticComparison({ workloads: ws }).general).toEqual({ available: false, reason: 'no-replica' });
    expect(syntheticComparison({ workloads: ws }).specialized.available).toBe(true);
    expect(syntheticComparison(sampleResult())).toEqual({
      general: { available: false, reason: 'no-real-model' }, specialized: { available: false, reason: 'no-real-model' },
    });
  });
});
