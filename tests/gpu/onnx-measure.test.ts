/**
 * measureOnnx in real Chromium: ONNX graphs built in TypeScript (bert-tiny from buildOnnxModel,
 * and a small Conv → Flatten → Gemm → MatMul graph), measured through onnxruntime-web, with FLOPs
 * counted from the graph and checked against hand-computed values. The pure graph tests (FLOPs,
 * dims, inspection) are in tests/unit/onnx-flops.test.ts.
 */
import { describe, expect, test, vi } from 'vitest';
import { h, render } from 'preact';
import { BERT_TINY } from '../../src/engine/models/config.ts';
import { RunCancelledError } from '../../src/engine/errors.ts';
import { buildOnnxModel } from '../../src/engine/onnx/models.ts';
import { OnnxGraphBuilder, OnnxType } from '../../src/engine/onnx/graph.ts';
import { bertTinyFlops, convNet, CONVNET_FLOPS_PER_IMAGE } from '../unit/onnx-fixtures.ts';
import { ModelView } from '../../src/ui/model/ModelView.tsx';
import { capsState } from '../../src/ui/state.ts';
import { lang } from '../../src/i18n/index.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { measureOnnx } from '../../src/engine/onnx/measure.ts';
import { OnnxLoadError, type OnnxProgress } from '../../src/shared/onnx.ts';

const FAST = { warmup: 1, samples: 3 } as const;
lang.value = 'en'; // the UI test reads English strings

describe('measureOnnx through onnxruntime-web', () => {
  test('bert-tiny on the WASM EP: samples, timing and the counted FLOPs', async () => {
    const phases: OnnxProgress[] = [];
    const w = await measureOnnx(buildOnnxModel(BERT_TINY, 3).bytes, { ep: 'wasm', ...FAST, inputShapes: { input_ids: [1, 16] } }, (p) => phases.push(p));
    expect(w.id).toBe('onnx:bert-tiny.oracle');
    expect(w.kind).toBe('model');
    expect(w.timing.source).toBe('wall-clock');
    expect(w.timing.warmup).toBe(1);
    expect(w.timing.samplesMs).toHaveLength(3);
    expect(w.timing.medianMs).toBeGreaterThan(0);
    expect(w.timing.p10Ms).toBeLessThanOrEqual(w.timing.medianMs);
    expect(w.timing.p90Ms).toBeGreaterThanOrEqual(w.timing.medianMs);
    expect(w.timing.flags).not.toContain('flops-unknown');
    expect(w.flops).toBe(bertTinyFlops(16));
    expect(w.gflops).toBeCloseTo(w.flops! / (w.timing.medianMs * 1e6), 9);
    // Weights: every BERT_TINY tensor in f32, plus 16 int64 ids in and 2 f32 logits out.
    const weightBytes = w.config['weightBytes'] as number;
    expect(w.bytes).toBe(weightBytes + 16 * 8 + 2 * 4);
    // ort's default thread count (ort.webgpu.mjs, initializeWebAssembly) unless we forced 1.
    const threads = crossOriginIsolated ? Math.min(4, Math.ceil((navigator.hardwareConcurrency || 1) / 2)) : 1;
    expect(w.config).toMatchObject({ ep: 'wasm', threads, opset: 17, inputs: ['input_ids: int64[1,16] token-ids'], outputs: ['logits: float32[1,1,2]'] });
    expect(w.config['ops']).toEqual(['Add×21', 'MatMul×18', 'Transpose×10', 'Reshape×8', 'Mul×6', 'LayerNormalization×5', 'Slice×3', 'Div×2', 'Erf×2', 'Softmax×2', 'Gather×1', 'Shape×1', 'Tanh×1']);
    // The workload goes into a result document as is: the shared schema accepts it unchanged.
    const doc = { ...sampleResult(), workloads: [w] };
    delete doc.energy;
    // An imported model's record is never published: its id and graph summary are the file's text.
    const parsed = parseResult(doc);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]).toMatch(/^workloads\.0\.id: must be a known workload id/);
    expect(phases.map((p) => p.phase)).toEqual(['load', 'warmup', 'measure', 'measure', 'measure']);
    expect(phases.at(-1)).toEqual({ phase: 'measure', sample: 3, samples: 3, ms: w.timing.samplesMs[2] });
  });

  test('the conv net with batch 2 on the WASM EP', async () => {
    const w = await measureOnnx(convNet(), { ep: 'wasm', ...FAST, inputShapes: { pixels: [2, 3, 8, 8] }, name: 'convnet.onnx' }, () => {});
    expect(w.flops).toBe(2 * CONVNET_FLOPS_PER_IMAGE);
    expect(w.config['outputs']).toEqual(['scores: float32[2,5]']);
  });

  test('the conv net on the WebGPU EP (runs on SwiftShader too)', async () => {
    const w = await measureOnnx(convNet(), { ep: 'webgpu', ...FAST, inputShapes: { pixels: [1, 3, 8, 8] } }, () => {});
    expect(w.id).toBe('onnx:convnet');
    expect(w.config['ep']).toBe('webgpu');
    expect(w.timing.samplesMs).toHaveLength(3);
    expect(w.timing.medianMs).toBeGreaterThan(0);
    expect(w.flops).toBe(CONVNET_FLOPS_PER_IMAGE);
    expect(w.config['outputs']).toEqual(['scores: float32[1,5]']);
  });

  test('garbage bytes: OnnxLoadError before ort is asked', async () => {
    const garbage = Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff);
    await expect(measureOnnx(garbage, { ep: 'wasm', ...FAST }, () => {})).rejects.toSatisfy(
      (e: Error) => e instanceof OnnxLoadError && e.name === 'OnnxLoadError' && /Not a readable ONNX model/.test(e.message),
    );
  });

  test('a well-formed graph ort rejects (unknown operator): OnnxLoadError carrying ort’s text', async () => {
    const g = new OnnxGraphBuilder('unknown-op');
    const a = g.input('a', OnnxType.FLOAT, [2]);
    g.op('NoSuchOperator', [a], {}, 'y');
    g.output('y', OnnxType.FLOAT, [2]);
    const err = await measureOnnx(g.toBytes(), { ep: 'wasm', ...FAST }, () => {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(OnnxLoadError);
    expect((err as Error).message).toMatch(/wasm execution provider/);
    expect((err as Error).message).toMatch(/NoSuchOperator/);
  });

  test('cancelled before the first sample: RunCancelledError', async () => {
    const err = await measureOnnx(convNet(), { ep: 'wasm', ...FAST }, () => {}, { cancelled: true }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RunCancelledError);
  });
});

describe('ModelView (#/model) with the real lab worker', () => {
  /** Waits for a selector (the worker runs ort; no wall-clock assertion, only a generous ceiling). */
  async function find(root: HTMLElement, selector: string, text?: string): Promise<HTMLElement> {
    return vi.waitFor(
      () => {
        const el = root.querySelector<HTMLElement>(selector);
        // The view's state is module-level (it survives navigation): wait for *this* model.
        if (!el || (text && !el.textContent?.includes(text))) throw new Error(`${selector} not there yet`);
        return el;
      },
      { timeout: 60_000, interval: 50 },
    );
  }

  test('pick a file, set the batch, measure on both EPs: table rows, samples and the ratio', async () => {
    capsState.value = {
      status: 'ready',
      caps: { available: true, secureContext: true, adapter: { vendor: 'test', architecture: 'test', isFallbackAdapter: false, features: [], limits: {} } },
    };
    const root = document.createElement('div');
    document.body.append(root);
    render(h(ModelView, null), root);
    try {
      const file = root.querySelector<HTMLInputElement>('[data-testid=onnx-file]')!;
      const dt = new DataTransfer();
      dt.items.add(new File([convNet() as Uint8Array<ArrayBuffer>], 'convnet.onnx'));
      file.files = dt.files;
      file.dispatchEvent(new Event('change', { bubbles: true }));
      await find(root, '[data-testid=onnx-info]', 'convnet');
      // One dynamic dimension, the symbolic batch "N", default 1: set it to 2.
      const dims = [...root.querySelectorAll<HTMLInputElement>('.onnx-dims input')];
      expect(dims).toHaveLength(1);
      expect(dims[0]!.value).toBe('1');
      dims[0]!.value = '2';
      dims[0]!.dispatchEvent(new Event('input', { bubbles: true }));
      const [warmupInput, samplesInput] = [...root.querySelectorAll<HTMLInputElement>('.onnx-view .row input[type=number]')];
      warmupInput!.value = '1';
      warmupInput!.dispatchEvent(new Event('input', { bubbles: true }));
      samplesInput!.value = '3';
      samplesInput!.dispatchEvent(new Event('input', { bubbles: true }));
      root.querySelector<HTMLInputElement>('input[name=onnx-ep][value=both]')!.click();
      await vi.waitFor(() => expect(root.textContent).toContain('[2, 3, 8, 8]'));
      root.querySelector<HTMLButtonElement>('[data-testid=onnx-run]')!.click();
      const ratio = await find(root, '[data-testid=onnx-ratio]');
      expect(ratio.textContent).toMatch(/WebGPU is [\d.,]+× (faster|slower)/);
      for (const ep of ['webgpu', 'wasm']) {
        const row = root.querySelector<HTMLTableRowElement>(`tr[data-ep=${ep}]`)!;
        expect(row.querySelectorAll('td')[3]!.textContent).toBe('3'); // samples column
      }
      // FLOPs of the batch-2 conv net, shown in GFLOP.
      expect(root.textContent).toContain(`One run: ${(2 * CONVNET_FLOPS_PER_IMAGE) / 1e9} GFLOP`);
      // Both runs get an energy estimate with a range, labelled as such.
      const energy = await find(root, '[data-testid=onnx-energy]');
      expect(energy.querySelectorAll('li')).toHaveLength(2);
      expect(energy.textContent).toMatch(/estimate/);
      expect(energy.textContent).toMatch(/Wh \([\d.,]+–[\d.,]+\) per 1,000 runs/);
    } finally {
      render(null, root);
      root.remove();
    }
  }, 120_000);

  test('a graph ort rejects: the worker’s OnnxLoadError crosses comlink by name into the table', async () => {
    capsState.value = { status: 'loading' }; // no WebGPU known: the view runs the CPU reference only
    const g = new OnnxGraphBuilder('unknown-op');
    g.op('NoSuchOperator', [g.input('a', OnnxType.FLOAT, [2])], {}, 'y');
    g.output('y', OnnxType.FLOAT, [2]);
    const root = document.createElement('div');
    document.body.append(root);
    render(h(ModelView, null), root);
    try {
      const file = root.querySelector<HTMLInputElement>('[data-testid=onnx-file]')!;
      const dt = new DataTransfer();
      dt.items.add(new File([g.toBytes() as Uint8Array<ArrayBuffer>], 'bad-op.onnx'));
      file.files = dt.files;
      file.dispatchEvent(new Event('change', { bubbles: true }));
      await find(root, '[data-testid=onnx-info]', 'unknown-op');
      expect(root.querySelector<HTMLInputElement>('input[name=onnx-ep][value=wasm]')!.checked).toBe(true);
      expect(root.querySelector<HTMLInputElement>('input[name=onnx-ep][value=webgpu]')!.disabled).toBe(true);
      root.querySelector<HTMLButtonElement>('[data-testid=onnx-run]')!.click();
      const cell = await find(root, 'tr[data-ep=wasm] td[data-error-name]');
      expect(cell.dataset['errorName']).toBe('OnnxLoadError');
      expect(cell.textContent).toMatch(/NoSuchOperator/);
      expect(root.querySelector('tr[data-ep=webgpu]')).toBeNull();
    } finally {
      render(null, root);
      root.remove();
    }
  }, 60_000);

  test('garbage file: the load error is shown, no settings', async () => {
    const root = document.createElement('div');
    document.body.append(root);
    render(h(ModelView, null), root);
    try {
      const file = root.querySelector<HTMLInputElement>('[data-testid=onnx-file]')!;
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f])], 'broken.onnx'));
      file.files = dt.files;
      file.dispatchEvent(new Event('change', { bubbles: true }));
      const err = await find(root, '[data-testid=onnx-source-error]');
      expect(err.textContent).toMatch(/^Not a readable ONNX model: /);
      expect(root.querySelector('[data-testid=onnx-run]')).toBeNull();
    } finally {
      render(null, root);
      root.remove();
    }
  });
});
