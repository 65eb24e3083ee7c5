import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HistoryMigrationError, migrateDocument, migrateRecord } from '../../src/results/migrations.ts';
import { clearUpload, deleteRun, getRun, historyRevision, keepReceipt, listRuns, markUploaded, MemoryHistory, pendingUploadKey, readHistory, RunNotFoundError, saveRun, useHistoryBackend } from '../../src/results/history.ts';
import type { HistoryRecord } from '../../src/results/history.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

describe('record migrations', () => {
  test('a v1 record (id, uploaded) becomes a v2 record with receipt and day', () => {
    const doc = sampleResult();
    const v1 = { id: 'abc', doc, uploaded: { id: 'REMOTE0123456789', token: 'tok' } };
    expect(migrateRecord(v1)).toEqual({
      v: 2, localId: 'abc', savedAt: '2026-11-23', doc, upload: { remoteId: 'REMOTE0123456789', token: 'tok', day: '2026-11-23' }, label: null,
    });
  });
  test('a v1 record without upload and without date', () => {
    const doc = sampleResult();
    delete doc.date;
    expect(migrateRecord({ id: 'x', doc })).toMatchObject({ v: 2, localId: 'x', savedAt: '1970-01-01', upload: null });
  });
  test('a v2 record is returned as is', () => {
    const rec = { v: 2, localId: 'y', savedAt: '2026-01-02', doc: sampleResult(), upload: null, label: 'laptop' };
    expect(migrateRecord(rec)).toEqual(rec);
  });
  test('future record versions and non-objects are refused with a named error', () => {
    expect(() => migrateRecord({ v: 3, localId: 'z' })).toThrow(HistoryMigrationError);
    expect(() => migrateRecord('nope')).toThrow(/not an object/);
  });
  test('a draft (version 0) document is upgraded to schema v1', () => {
    const draft = { preset: 'quick', suiteVersion: '0.9', environment: sampleResult().environment, workloads: [{ id: 'copy', kind: 'micro', timing: { samples: [1, 2], medianMs: 1.5 } }] };
    const doc = migrateDocument(draft);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.suite).toEqual({ preset: 'quick', version: '0.9' });
    expect(doc.app).toEqual({ version: '0' });
    expect(doc.workloads[0]?.timing.samplesMs).toEqual([1, 2]);
    expect('samples' in (doc.workloads[0]?.timing ?? {})).toBe(false);
  });
  test('documents of a newer schema version are refused, not misread', () => {
    expect(() => migrateDocument({ schemaVersion: 2 })).toThrow(/schema version 2/);
  });
});

describe('history store (in-memory backend)', () => {
  beforeEach(() => useHistoryBackend(new MemoryHistory()));
  afterEach(() => useHistoryBackend(null));

  test('save, list, get, mark uploaded, clear, delete', async () => {
    const rev = historyRevision.value;
    const a = await saveRun(sampleResult(), new Date('2026-11-20T10:00:00Z'));
    const b = await saveRun(sampleResult({ app: { version: '0.2.0' } }), new Date('2026-11-22T10:00:00Z'));
    expect(historyRevision.value).toBe(rev + 2);
    expect(a).toMatch(/^[0-9a-z]{9}-[0-9a-f]{12}$/);
    const list = await listRuns();
    expect(list.map((r) => r.localId)).toEqual([b, a]);
    expect(list.map((r) => r.savedAt)).toEqual(['2026-11-22', '2026-11-20']);

    const up = await markUploaded(a, { remoteId: 'R123456789012345', token: 'secret' }, new Date('2026-11-23T05:00:00Z'));
    expect(up.upload).toEqual({ remoteId: 'R123456789012345', token: 'secret', day: '2026-11-23' });
    expect((await getRun(a))?.upload?.token).toBe('secret');
    await clearUpload(a);
    expect((await getRun(a))?.upload).toBeNull();

    await deleteRun(b);
    expect((await listRuns()).map((r) => r.localId)).toEqual([a]);
    expect(await getRun(b)).toBeNull();
    await expect(markUploaded(b, { remoteId: 'x', token: 'y' })).rejects.toBeInstanceOf(RunNotFoundError);
  });

  test('the pending upload key is created once, reused by retries, dropped with the receipt', async () => {
    const a = await saveRun(sampleResult(), new Date('2026-11-20T10:00:00Z'));
    let made = 0;
    const fresh = () => `key-${++made}-abcdefghijklmnopqrstuvwxyz`;
    const k1 = await pendingUploadKey(a, fresh);
    expect(k1).toBe('key-1-abcdefghijklmnopqrstuvwxyz');
    // A retry (even after a reload: the key is in the stored record) reuses it.
    expect(await pendingUploadKey(a, fresh)).toBe(k1);
    expect((await getRun(a))?.pendingUploadKey).toBe(k1);
    expect(made).toBe(1);
    // Once the receipt is kept, the next upload of this run starts a new series.
    await markUploaded(a, { remoteId: 'R123456789012345', token: 'secret' });
    expect((await getRun(a))?.pendingUploadKey).toBeUndefined();
    await clearUpload(a);
    expect(await pendingUploadKey(a, fresh)).toBe('key-2-abcdefghijklmnopqrstuvwxyz');
    await expect(pendingUploadKey('nope', fresh)).rejects.toBeInstanceOf(RunNotFoundError);
  });

  test('keepReceipt reports, never throws, when the token cannot be kept locally', async () => {
    const a = await saveRun(sampleResult(), new Date('2026-11-20T10:00:00Z'));
    const receipt = { remoteId: 'R123456789012345', token: 'secret' };
    expect(await keepReceipt(a, receipt, new Date('2026-11-23T05:00:00Z'))).toEqual({ kept: true });
    expect((await getRun(a))?.upload).toEqual({ ...receipt, day: '2026-11-23' });
    expect(await keepReceipt(null, receipt)).toEqual({ kept: false, reason: 'this run is not in the local history' });
    expect(await keepReceipt('missing', receipt)).toEqual({ kept: false, reason: 'RunNotFoundError: no local run missing' });

    class FullStorage extends MemoryHistory {
      override async put(_record: HistoryRecord): Promise<void> {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
    }
    const full = new FullStorage([{ v: 2, localId: 'run1', savedAt: '2026-11-20', doc: sampleResult(), upload: null, label: null }]);
    useHistoryBackend(full);
    expect(await keepReceipt('run1', receipt)).toEqual({ kept: false, reason: 'QuotaExceededError: The quota has been exceeded.' });
  });

  test('runs saved the same day are listed newest first', async () => {
    const first = await saveRun(sampleResult(), new Date('2026-11-22T08:00:00Z'));
    const second = await saveRun(sampleResult(), new Date('2026-11-22T09:00:00Z'));
    expect((await listRuns()).map((r) => r.localId)).toEqual([second, first]);
  });

  test('old records already in the store are listed migrated; unreadable ones are skipped', async () => {
    useHistoryBackend(new MemoryHistory([{ id: 'old1', doc: sampleResult() }, { v: 9, localId: 'future' }]));
    const list = await listRuns();
    expect(list.map((r) => [r.localId, r.v])).toEqual([['old1', 2]]);
  });

  test('what is skipped is reported, with the record and the reason, never hidden', async () => {
    useHistoryBackend(new MemoryHistory([{ id: 'old1', doc: sampleResult() }, { v: 9, localId: 'future' }, { localId: 'broken', v: 2, doc: { schemaVersion: 7 } }]));
    const { runs, skipped } = await readHistory();
    expect(runs.map((r) => r.localId)).toEqual(['old1']);
    expect(skipped.map((s) => s.localId).sort()).toEqual(['broken', 'future']);
    for (const s of skipped) expect(s.reason).not.toBe('');
    expect(skipped.find((s) => s.localId === 'future')?.reason).toMatch(/version/);
  });

  test('a storage failure on save reaches the caller (no silent catch)', async () => {
    const failing = new MemoryHistory();
    failing.put = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    useHistoryBackend(failing);
    const rev = historyRevision.value;
    await expect(saveRun(sampleResult())).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(historyRevision.value).toBe(rev);
  });
});
