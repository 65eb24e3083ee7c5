/**
 * Request bodies, read from Node's stream by us rather than by Hono's `bodyLimit`, so that every
 * answer leaves the connection in the state it announces.
 *
 * The trap: an answer sent before the body is read (413 on the declared length, 415, 429, 403,
 * 404...) goes out with `Connection: keep-alive`, while the rest of the body is still on the
 * wire. Something must read it before the next request on that socket can be parsed. The Node
 * adapter's own clean-up gives up after 500 ms and stalls once Hono has wrapped the body in a web
 * stream, then destroys the socket: the client's next request fails with "other side closed".
 *
 * Our rule (see `settleBody`): before any answer to a request with a body, read and discard what
 * is left of it, up to `DRAIN_MAX_BYTES` and `DRAIN_TIMEOUT_MS`. A body that ends within those
 * bounds keeps the connection alive; one declared larger, or that runs past them, gets its answer
 * with `Connection: close` (Node then closes the socket after the answer). The server never reads
 * more than the bound, whatever the client sends.
 */
import type { IncomingMessage } from 'node:http';

/** The most bytes read and thrown away after an early answer to keep a connection usable. */
export const DRAIN_MAX_BYTES = 8 * 1024 * 1024;
/** The longest we wait for those bytes before giving up on the connection. */
export const DRAIN_TIMEOUT_MS = 10_000;

export class BodyReadError extends Error {
  override name = 'BodyReadError';
}

export type BodyRead = { kind: 'ok'; bytes: Uint8Array } | { kind: 'too-large' };

/** The declared Content-Length, or null when absent, malformed or combined with chunking. */
export function declaredLength(incoming: IncomingMessage): number | null {
  if (incoming.headers['transfer-encoding'] !== undefined) return null;
  const raw = incoming.headers['content-length'];
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

/**
 * Read the whole body, or stop as soon as it passes `maxBytes` (the rest stays unread for
 * `settleBody`). A client that goes away mid-body rejects with `BodyReadError`.
 */
export function readBody(incoming: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = declaredLength(incoming);
  if (declared !== null && declared > maxBytes) return Promise.resolve({ kind: 'too-large' });
  return new Promise<BodyRead>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const detach = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        detach();
        incoming.pause();
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      detach();
      resolve({ kind: 'ok', bytes: Buffer.concat(chunks, size) });
    };
    const onError = (err: Error) => {
      detach();
      reject(new BodyReadError(`request body: ${err.message}`));
    };
    const onClose = () => {
      detach();
      reject(new BodyReadError('request body: the client closed the connection'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
    incoming.resume();
  });
}

/**
 * How a request's body stands once its answer is ready: `complete` (already read to the end),
 * `drained` (the rest was read and discarded: keep-alive is safe), or `abandoned` (too large, too
 * slow or broken: answer with `Connection: close`).
 */
export type BodySettlement = 'complete' | 'drained' | 'abandoned';

export function settleBody(incoming: IncomingMessage, maxBytes = DRAIN_MAX_BYTES, timeoutMs = DRAIN_TIMEOUT_MS): Promise<BodySettlement> {
  // Keep the bytes flowing to nowhere whatever we answer: Node writes the answer meanwhile and,
  // when we give up, closes the socket after it. Even a body that has fully arrived may sit
  // unread in the stream's buffer (readBody stopped at the limit), holding the socket paused.
  const discard = () => undefined;
  incoming.on('data', discard);
  incoming.resume();
  if (incoming.complete) return Promise.resolve('complete');
  const declared = declaredLength(incoming);
  if (incoming.destroyed || (declared !== null && declared > maxBytes)) return Promise.resolve('abandoned');
  return new Promise<BodySettlement>((resolve) => {
    let size = 0;
    const finish = (outcome: BodySettlement) => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish('abandoned');
    };
    const onEnd = () => finish('drained');
    const onGone = () => finish('abandoned');
    const timer = setTimeout(() => finish('abandoned'), timeoutMs);
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onGone);
    incoming.on('close', onGone);
  });
}
