/**
 * What `npm run models:fetch` does with a file's `.part` (the bytes of an interrupted run), as
 * pure decisions so they are unit-tested without a network: when to ask for a Range, and what
 * the answer means. A `.part` as long as the remote file (or longer: the file shrank) would get a
 * 416 on every run, so it is dropped; a 206 that does not continue at the `.part`'s end is never
 * appended.
 */
import { parseContentRange } from '../src/lab/model-download.ts';

export type PartStep =
  /** A 206 that continues exactly where the `.part` stops. */
  | { kind: 'append' }
  /** A 200: the whole file, written over the `.part`. */
  | { kind: 'write' }
  /** Delete the `.part` and fetch the whole file again (without Range). */
  | { kind: 'restart'; why: string }
  | { kind: 'fail'; why: string };

/** The Range header to send, or null: nothing kept, or a `.part` that already reaches the remote size. */
export function partRange(have: number, size: number | null): string | null {
  if (have <= 0 || (size !== null && have >= size)) return null;
  return `bytes=${have}-`;
}

/** What to do with the answer to a request made with `partRange(have, …)` (have 0: no Range sent). */
export function partStep(status: number, have: number, contentRange: string | null): PartStep {
  if (status === 416 && have > 0) return { kind: 'restart', why: `the server has nothing after byte ${have} (416)` };
  if (status === 200) return { kind: 'write' };
  if (status === 206) {
    const range = parseContentRange(contentRange);
    if (have > 0 && range?.start === have) return { kind: 'append' };
    if (have > 0) return { kind: 'restart', why: `the server sent ${contentRange ?? 'a range'} instead of bytes ${have}-` };
    return { kind: 'fail', why: 'a partial answer to a request for the whole file' };
  }
  return { kind: 'fail', why: `${status}` };
}
