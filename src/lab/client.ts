/**
 * The page side of the worker boundary: one lab worker per page, visibility forwarded to it,
 * and the pieces that turn an engine run into a schema-v1 result document.
 */
import * as Comlink from 'comlink';
import type { LabApi } from './api.ts';

let remote: Comlink.Remote<LabApi> | null = null;
let workerError: string | null = null;

export function getLab(): Comlink.Remote<LabApi> {
  if (remote) return remote;
  const worker = new Worker(new URL('../../workers/lab.worker.ts', import.meta.url), { type: 'module', name: 'lab' });
  worker.addEventListener('error', (e) => {
    workerError = e.message || 'The lab worker failed to start.';
  });
  remote = Comlink.wrap<LabApi>(worker);
  if (typeof document !== 'undefined') {
    const forward = () => void remote?.setHidden(document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', forward);
    forward();
  }
  return remote;
}

export function lastWorkerError(): string | null {
  return workerError;
}

export { Comlink };
