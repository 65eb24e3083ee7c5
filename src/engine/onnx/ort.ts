/**
 * onnxruntime-web setup, one place for the lab worker's ONNX measurement and the benchmark:
 * our own copies of the WASM files, one thread unless cross-origin isolated, and sessions
 * created the same way. ort is imported dynamically so that importing this module costs nothing
 * until a session is needed.
 */
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type * as Ort from 'onnxruntime-web';
import type { OnnxEp } from '../../shared/onnx.ts';

export type OrtModule = typeof Ort;

/** Points ort at our WASM files; threads need SharedArrayBuffer, so cross-origin isolation. */
export function configureOrt(ort: OrtModule): OrtModule {
  ort.env.wasm.wasmPaths = { mjs: ortMjsUrl, wasm: ortWasmUrl };
  if (!globalThis.crossOriginIsolated) ort.env.wasm.numThreads = 1;
  // ort warns on every session that shape ops stay on the CPU: expected, and said in the UI.
  ort.env.logLevel = 'error';
  return ort;
}

let ortPromise: Promise<OrtModule> | null = null;

/** ort (the WebGPU build, which also holds the WASM EP), configured once. */
export function loadOrt(): Promise<OrtModule> {
  ortPromise ??= import('onnxruntime-web/webgpu').then((mod) => configureOrt(mod as unknown as OrtModule));
  return ortPromise;
}

/**
 * A session on one execution provider, with ort's full graph optimizations. `extra` adds
 * options (the generator keeps its KV cache on the GPU with `preferredOutputLocation`).
 */
export function createSession(ort: OrtModule, bytes: Uint8Array, ep: OnnxEp, extra: Ort.InferenceSession.SessionOptions = {}): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: 'all', ...extra });
}

export const ortMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
