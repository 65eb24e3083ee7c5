/**
 * measureOnnx in real Chromium: ONNX graphs built in TypeScript (bert-tiny from buildOnnxModel,
 * and a small Conv → Flatten → Gemm → MatMul graph), measured through onnxruntime-web, with FLOPs
 * counted from the graph and checked against hand-computed values.
 */
import { describe, expect, test, vi } from 'vitest';
import { h, render } from 'preact';
import { BERT_TINY } from '../../src/engine/models/config.ts';
import { RunCancelledError } from '../../src/engine/errors.ts';
import { buildOnnxModel } from '../../src/engine/onnx/models.ts';
import { ints, int, OnnxGraphBuilder, OnnxType } from '../../src/engine/onnx/graph.ts';
import { ModelView } from '../../src/ui/model/ModelView.tsx';
import { capsState } from '../../src/ui/state.ts';
import { lang } from '../../src/i18n/index.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { countGraphFlops, dynamicDims, workloadId, evalDimExpr, inspectOnnx, shapesForDims, measureOnnx, OnnxLoadError, resolveInputShapes, type OnnxProgress } from '../../src/engine/onnx/measure.ts';

const FAST = { warmup: 1, samples: 3 } as const;
lang.value = 'en'; // the UI test reads English strings

/** bert-tiny, S tokens: matrix products only (biases and element-wise work are not counted). */
function bertTinyFlops(S: number): number {
  const { layers: L, hidden: d, heads: H, headDim: hd, ffn, labels } = BERT_TINY;
  const perLayer = 4 * 2 * S * d * d /* q, k, v, o */ + 2 * H * 2 * S * S * hd /* QKᵀ, PV */ + 2 * 2 * S * d * ffn; /* up, down */
  return L * perLayer + 2 * d * d /* pre-classifier, first token */ + 2 * d * labels;
}

/**
 * x [N, 3, 8, 8] → Conv 4×3×3×3, stride 2, pad 1 → [N, 4, 4, 4] → Flatten → [N, 64]
 * → Gemm with Bᵀ [10, 64] → [N, 10] → MatMul [10, 5] → [N, 5].
 * FLOPs per image: Conv 2·(4·4·4)·(3·3·3) = 3456, Gemm 2·10·64 = 1280, MatMul 2·5·10 = 100: 4836.
 */
function convNet(): Uint8Array {
  const g = new OnnxGraphBuilder('convnet');
  const x = g.input('pixels', OnnxType.FLOAT, ['N', 3, 8, 8]);
  const w = g.initializer('conv.w', [4, 3, 3, 3], new Float32Array(4 * 27).fill(0.01));
  const c = g.op('Conv', [x, w], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
  const f = g.op('Flatten', [c], { axis: int(1) });
  const gemm = g.op('Gemm', [f, g.initializer('fc.w', [10, 64], new Float32Array(640).fill(0.02))], { transB: int(1) });
  g.op('MatMul', [gemm, g.initializer('head.w', [10, 5], new Float32Array(50).fill(0.03))], {}, 'scores');
  g.output('scores', OnnxType.FLOAT, ['N', 5]);
  return g.toBytes();
}

const CONVNET_FLOPS_PER_IMAGE = 3456 + 1280 + 100;

describe('FLOPs counted from the graph (no runtime)', () => {
  test('bert-tiny at 16 and 64 tokens: shape arithmetic (Shape → Slice → Reshape) folded', () => {
    const bytes = buildOnnxModel(BERT_TINY, 3).bytes;
    expect(bertTinyFlops(16)).toBe(12_878_336); // hand-computed: 2 × 6 422 528 + 32 768 + 512
    expect(countGraphFlops(bytes, { input_ids: [1, 16] })).toEqual({ flops: 12_878_336, complete: true, counted: 2 * 8 + 2, unresolved: [] });
    expect(countGraphFlops(bytes, { input_ids: [1, 64] }).flops).toBe(bertTinyFlops(64));
  });
  test('Conv, Gemm (transB) and MatMul with a dynamic batch', () => {
    expect(countGraphFlops(convNet(), { pixels: [2, 3, 8, 8] })).toEqual({ flops: 2 * CONVNET_FLOPS_PER_IMAGE, complete: true, counted: 3, unresolved: [] });
  });
  test('ConvTranspose: output shape (stride 2) and FLOPs, then a MatMul on its flattened output', () => {
    const g = new OnnxGraphBuilder('deconv');
    const x = g.input('x', OnnxType.FLOAT, [1, 2, 3, 3]);
    // W [Cin 2, Cout 4, 3, 3], stride 2: out spatial 2·(3 − 1) + 3 = 7 → [1, 4, 7, 7].
    const y = g.op('ConvTranspose', [x, g.initializer('w', [2, 4, 3, 3], new Float32Array(72))], { strides: ints([2, 2]) });
    const flat = g.op('Flatten', [y], { axis: int(1) }); // [1, 196]
    g.op('MatMul', [flat, g.initializer('head', [196, 2], new Float32Array(392))], {}, 'out');
    g.output('out', OnnxType.FLOAT, [1, 2]);
    // ConvTranspose: 2 · |x| (18) · 4 · 3 · 3 = 1296; MatMul: 2 · 196 · 2 = 784.
    expect(countGraphFlops(g.toBytes(), { x: [1, 2, 3, 3] })).toEqual({ flops: 1296 + 784, complete: true, counted: 2, unresolved: [] });
  });
  test('a product the count does not model (Einsum) makes the count unknown, not partial', () => {
    const g = new OnnxGraphBuilder('einsum');
    const a = g.input('a', OnnxType.FLOAT, [4, 8]);
    const m = g.op('MatMul', [a, g.initializer('w', [8, 8], new Float32Array(64))]);
    g.op('Einsum', [m, m], { equation: { kind: 'string', value: 'ij,kj->ik' } }, 'y');
    g.output('y', OnnxType.FLOAT, [4, 4]);
    expect(countGraphFlops(g.toBytes(), { a: [4, 8] })).toEqual({ flops: 0, complete: false, counted: 1, unresolved: ['Einsum'] });
  });
  test('exporter shape arithmetic: Shape → Gather (scalar) → Unsqueeze → Concat → Reshape → Transpose → MatMul', () => {
    const g = new OnnxGraphBuilder('heads');
    const x = g.input('x', OnnxType.FLOAT, ['B', 'S', 8]);
    const shape = g.op('Shape', [x]);
    const dim = (i: number) => g.op('Unsqueeze', [g.op('Gather', [shape, g.initializer(`idx${i}`, [], BigInt64Array.from([BigInt(i)]))], { axis: int(0) }), g.i64([0])]);
    const target = g.op('Concat', [dim(0), dim(1), g.i64([2]), g.i64([4])], { axis: int(0) });
    const heads = g.op('Transpose', [g.op('Reshape', [x, target])], { perm: ints([0, 2, 1, 3]) }); // [B, 2, S, 4]
    const keysT = g.op('Transpose', [heads], { perm: ints([0, 1, 3, 2]) }); // [B, 2, 4, S]
    g.op('MatMul', [heads, keysT], {}, 'scores'); // [B, 2, S, S]: 2·B·2·S·S·4 FLOPs
    g.output('scores', OnnxType.FLOAT, ['B', 2, 'S', 'S']);
    expect(countGraphFlops(g.toBytes(), { x: [3, 5, 8] })).toEqual({ flops: 2 * 3 * 2 * 5 * 5 * 4, complete: true, counted: 1, unresolved: [] });
  });
  test('an operator the inference does not know, feeding a product: count unknown', () => {
    const g = new OnnxGraphBuilder('mystery');
    const x = g.input('x', OnnxType.FLOAT, [2, 8]);
    const y = g.op('MysteryOp', [x]);
    g.op('MatMul', [y, g.initializer('w', [8, 8], new Float32Array(64))], {}, 'out');
    g.output('out', OnnxType.FLOAT, [2, 8]);
    expect(countGraphFlops(g.toBytes(), { x: [2, 8] })).toEqual({ flops: 0, complete: false, counted: 0, unresolved: ['MatMul'] });
  });
  test('dynamic dims of a decoder with a KV cache: shared symbols, past 0 by default, expressions computed', () => {
    const f32 = (name: string, dims: (number | string)[]) => ({ name, elemType: 1, type: 'float32', dims });
    const i64 = (name: string, dims: (number | string)[]) => ({ name, elemType: 7, type: 'int64', dims });
    const inputs = [
      i64('input_ids', ['batch_size', 'sequence_length']),
      i64('attention_mask', ['batch_size', 'past_sequence_length + sequence_length']),
      f32('past_key_values.0.key', ['batch_size', 4, 'past_sequence_length', 16]),
      f32('pixel_values', [null, 3, 'height', 'width'] as unknown as (number | string)[]),
    ];
    expect(dynamicDims(inputs)).toEqual([
      { key: 'sym:batch_size', label: 'batch_size', default: 1 },
      { key: 'sym:sequence_length', label: 'sequence_length', default: 64 },
      { key: 'sym:past_sequence_length', label: 'past_sequence_length', default: 0 },
      { key: 'pixel_values#0', label: 'pixel_values[0]', default: 1 },
      { key: 'sym:height', label: 'height', default: 64 },
      { key: 'sym:width', label: 'width', default: 64 },
    ]);
    expect(shapesForDims(inputs, { 'sym:sequence_length': 5, 'sym:past_sequence_length': 3, 'sym:batch_size': 2 })).toEqual({
      input_ids: [2, 5],
      attention_mask: [2, 8],
      'past_key_values.0.key': [2, 4, 3, 16],
      pixel_values: [1, 3, 64, 64],
    });
    expect(evalDimExpr('a * 2 + 1', new Map([['a', 3]]))).toBe(7);
    expect(evalDimExpr('a - 1', new Map([['a', 3]]))).toBe(2);
    expect(evalDimExpr('sequence_length', new Map([['sequence_length', 3]]))).toBeNull();
    expect(evalDimExpr('a + b', new Map([['a', 3]]))).toBeNull();
  });
  test('workload ids stay within the result schema identifier alphabet and length', () => {
    expect(workloadId('bert-tiny.oracle')).toBe('onnx:bert-tiny.oracle');
    expect(workloadId('my model (v2).onnx')).toBe('onnx:my-model-v2-.onnx');
    expect(workloadId('???')).toBe('onnx:model');
    expect(workloadId('x'.repeat(100))).toHaveLength(64);
  });
  test('inspection: inputs with their symbolic dims, default shapes batch 1 × sequence 64', () => {
    const info = inspectOnnx(buildOnnxModel(BERT_TINY, 3).bytes);
    expect(info.graphName).toBe('bert-tiny.oracle');
    expect(info.opset).toBe(17);
    expect(info.inputs).toEqual([{ name: 'input_ids', elemType: 7, type: 'int64', dims: [1, 'seq'] }]);
    expect(info.outputs).toEqual([{ name: 'logits', elemType: 1, type: 'float32', dims: [1, 1, 2] }]);
    expect(resolveInputShapes(info.inputs)).toEqual({ input_ids: [1, 64] });
    expect(resolveInputShapes([{ name: 'x', elemType: 1, type: 'float32', dims: ['batch', 3, 'h', 'w'] }])).toEqual({ x: [1, 3, 64, 64] });
  });
});

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
    expect(w.gflops).toBeCloseTo(w.flops / (w.timing.medianMs * 1e6), 9);
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
    expect(parseResult(doc)).toEqual({ ok: true, value: doc });
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
