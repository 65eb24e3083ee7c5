/**
 * `#/model` (DESIGN.md §3/§7): load a real ONNX model (file, drag-and-drop or URL), choose the
 * dynamic dimensions of its inputs, and measure it through onnxruntime-web in the lab worker:
 * WebGPU execution provider, WASM as the CPU reference, or both (then their ratio). Same timing
 * record as the lab's own workloads (wall clock here: ort exposes no GPU timestamps).
 *
 * The page only inspects the model (a protobuf walk, no ort); every run gets its own copy of the
 * bytes, transferred to the worker.
 */
import { signal } from '@preact/signals';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { dynamicDims, shapesForDims, type OnnxEp, type OnnxGraphInfo, type OnnxProgress } from '../../shared/onnx.ts';
import { fmt, lang, t } from '../../i18n/index.ts';
import { computeWorkloadEnergy, currentTimeZone, defaultEnergyContext, detectBattery, profileFromCatalog } from '../../energy/index.ts';
import { fmtGramsRange, fmtWhRange, profileLabel } from '../energy/format.ts';
import { Comlink, getLab } from '../../lab/client.ts';
import type { Workload } from '../../shared/result.ts';
import { axisStyle, Chart, cssVar } from '../Chart.tsx';
import { hrefFor, location } from '../router.ts';
import { capsState } from '../state.ts';
import './model.css';

// ---------------------------------------------------------------------------------------------
// State (module signals: the loaded model and results survive a visit to another view).

type SourceState =
  | { kind: 'none' }
  | { kind: 'downloading'; label: string; received: number; total: number | null }
  | { kind: 'ready'; label: string; bytes: Uint8Array; info: OnnxGraphInfo }
  | { kind: 'error'; message: string };

export type EpChoice = OnnxEp | 'both';

type EpResult = { kind: 'ok'; workload: Workload } | { kind: 'error'; name: string; message: string };

type RunStatus =
  | { kind: 'idle' }
  | { kind: 'running'; ep: OnnxEp; phase: OnnxProgress['phase']; sample: number; samples: number; liveMs: number[] }
  | { kind: 'cancelled' }
  | { kind: 'done' };

const source = signal<SourceState>({ kind: 'none' });
const dimValues = signal<Record<string, number>>({});
const epChoice = signal<EpChoice>('both');
const warmup = signal(3);
const samples = signal(20);
const status = signal<RunStatus>({ kind: 'idle' });
const results = signal<Partial<Record<OnnxEp, EpResult>>>({});
const url = signal('');
let download: AbortController | null = null;

// ---------------------------------------------------------------------------------------------
// Loading.

async function accept(bytes: Uint8Array, label: string): Promise<void> {
  try {
    // Parsed in the worker: a large model would block the page for a long task.
    const info = await getLab().inspectOnnx(bytes);
    dimValues.value = {};
    results.value = {};
    status.value = { kind: 'idle' };
    source.value = info.externalData ? { kind: 'error', message: t('model.onnx.error.externalData') } : { kind: 'ready', label, bytes, info };
  } catch (e) {
    source.value = { kind: 'error', message: `${(e as Error).message} ${t('model.onnx.hint.OnnxLoadError')}` };
  }
}

async function loadFile(file: File): Promise<void> {
  source.value = { kind: 'downloading', label: file.name, received: 0, total: file.size };
  try {
    await accept(new Uint8Array(await file.arrayBuffer()), file.name);
  } catch (e) {
    source.value = { kind: 'error', message: t('model.onnx.error.read', { detail: (e as Error).message }) };
  }
}

/** Downloads with a progress bar; a network or CORS refusal becomes a message that says what to do. */
async function loadUrl(address: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(address, window.location.href);
  } catch {
    source.value = { kind: 'error', message: t('model.onnx.error.badUrl') };
    return;
  }
  download?.abort();
  const ctrl = new AbortController();
  download = ctrl;
  const label = decodeURIComponent(parsed.pathname.split('/').pop() || parsed.host);
  source.value = { kind: 'downloading', label, received: 0, total: null };
  let res: Response;
  try {
    res = await fetch(parsed, { signal: ctrl.signal, mode: 'cors' });
  } catch (e) {
    if (ctrl.signal.aborted) source.value = { kind: 'none' };
    // fetch gives no detail on purpose: a CORS refusal and a network error look the same.
    else source.value = { kind: 'error', message: t('model.onnx.error.cors', { host: parsed.host, detail: (e as Error).message }) };
    return;
  }
  if (!res.ok) {
    source.value = { kind: 'error', message: t('model.onnx.error.http', { status: res.status, text: res.statusText }) };
    return;
  }
  const total = Number(res.headers.get('content-length')) || null;
  try {
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = res.body?.getReader();
    if (!reader) chunks.push(new Uint8Array(await res.arrayBuffer()));
    else {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        source.value = { kind: 'downloading', label, received, total };
      }
    }
    const bytes = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      bytes.set(c, o);
      o += c.length;
    }
    await accept(bytes, label);
  } catch (e) {
    source.value = ctrl.signal.aborted ? { kind: 'none' } : { kind: 'error', message: t('model.onnx.error.read', { detail: (e as Error).message }) };
  } finally {
    if (download === ctrl) download = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Running.

function epsOf(choice: EpChoice): OnnxEp[] {
  switch (choice) {
    case 'both':
      return ['webgpu', 'wasm'];
    case 'webgpu':
    case 'wasm':
      return [choice];
  }
}

/** What runs: without WebGPU, only the CPU reference can, whatever was chosen before. */
function effectiveChoice(): EpChoice {
  const webgpu = capsState.value.status === 'ready' && capsState.value.caps.available;
  return webgpu ? epChoice.value : 'wasm';
}

async function runModel(): Promise<void> {
  const src = source.value;
  if (src.kind !== 'ready' || status.value.kind === 'running') return;
  let inputShapes: Record<string, number[]>;
  try {
    inputShapes = shapesForDims(src.info.inputs, dimValues.value);
  } catch (e) {
    results.value = { [epsOf(effectiveChoice())[0]!]: { kind: 'error', name: (e as Error).name, message: (e as Error).message } };
    return;
  }
  results.value = {};
  const lab = getLab();
  for (const ep of epsOf(effectiveChoice())) {
    status.value = { kind: 'running', ep, phase: 'load', sample: 0, samples: samples.value, liveMs: [] };
    const onProgress = (p: OnnxProgress) => {
      const s = status.value;
      if (s.kind !== 'running') return;
      status.value = { ...s, phase: p.phase, sample: p.sample ?? 0, samples: p.samples ?? s.samples, liveMs: p.ms !== undefined ? [...s.liveMs, p.ms] : s.liveMs };
    };
    // Each run transfers its own copy: the page keeps the model for the next run.
    const copy = src.bytes.slice();
    try {
      const workload = await lab.measureOnnx(
        Comlink.transfer(copy, [copy.buffer]),
        { ep, warmup: warmup.value, samples: samples.value, inputShapes, name: src.label },
        Comlink.proxy(onProgress),
      );
      results.value = { ...results.value, [ep]: { kind: 'ok', workload } };
    } catch (e) {
      const err = e as Error;
      if (err.name === 'RunCancelledError') {
        status.value = { kind: 'cancelled' };
        return;
      }
      results.value = { ...results.value, [ep]: { kind: 'error', name: err.name, message: err.message } };
    }
  }
  status.value = { kind: 'done' };
}

function cancel(): void {
  void getLab().cancel();
}

// ---------------------------------------------------------------------------------------------
// Views.

function bytesLabel(n: number): string {
  if (n >= 1e9) return t('model.onnx.gb', { n: fmt(n / 1e9, 3) });
  if (n >= 1e6) return t('model.onnx.mb', { n: fmt(n / 1e6, 3) });
  return t('model.onnx.kb', { n: fmt(n / 1e3, 3) });
}

function SourceCard() {
  const s = source.value;
  const busy = s.kind === 'downloading' || status.value.kind === 'running';
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file && !busy) void loadFile(file);
  };
  return (
    <section class="card onnx-source" aria-labelledby="onnx-source-h">
      <h2 id="onnx-source-h">{t('model.onnx.source')}</h2>
      <div class="onnx-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="onnx-drop">
        <label>
          {t('model.onnx.file')}
          <input
            type="file"
            accept=".onnx,application/octet-stream"
            disabled={busy}
            data-testid="onnx-file"
            onChange={(e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0];
              if (f) void loadFile(f);
            }}
          />
        </label>
        <span class="small muted">{t('model.onnx.dropHint')}</span>
      </div>
      <form
        class="row onnx-url"
        onSubmit={(e) => {
          e.preventDefault();
          if (url.value.trim()) void loadUrl(url.value.trim());
        }}
      >
        <label class="grow">
          {t('model.onnx.url')}
          <input
            type="url"
            value={url.value}
            placeholder="https://huggingface.co/…/resolve/main/model.onnx"
            onInput={(e) => (url.value = (e.currentTarget as HTMLInputElement).value)}
            disabled={busy}
            data-testid="onnx-url"
          />
        </label>
        <button type="submit" disabled={busy || !url.value.trim()}>
          {t('model.onnx.fetch')}
        </button>
        {s.kind === 'downloading' && download ? (
          <button type="button" class="danger" onClick={() => download?.abort()}>
            {t('model.onnx.stopDownload')}
          </button>
        ) : null}
      </form>
      <div aria-live="polite">
        {s.kind === 'downloading' ? (
          <div>
            <span class="small">{t('model.onnx.downloading', { label: s.label, received: bytesLabel(s.received), total: s.total ? bytesLabel(s.total) : '?' })}</span>
            <progress max={s.total ?? undefined} value={s.total ? s.received : undefined} aria-label={t('model.onnx.downloadProgress')} />
          </div>
        ) : null}
      </div>
      {s.kind === 'error' ? (
        <p class="errors" role="alert" data-testid="onnx-source-error">
          {s.message}
        </p>
      ) : null}
      {s.kind === 'ready' ? <ModelInfo label={s.label} size={s.bytes.length} info={s.info} /> : null}
    </section>
  );
}

function ModelInfo({ label, size, info }: { label: string; size: number; info: OnnxGraphInfo }) {
  const topOps = Object.entries(info.ops)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([op, n]) => `${op} ×${n}`)
    .join(', ');
  return (
    <dl class="status-grid" data-testid="onnx-info">
      <dt>{t('model.onnx.info.name')}</dt>
      <dd class="mono">{info.graphName || label}</dd>
      <dt>{t('model.onnx.info.size')}</dt>
      <dd>{t('model.onnx.info.sizeValue', { size: bytesLabel(size), weights: bytesLabel(info.initializerBytes) })}</dd>
      <dt>{t('model.onnx.info.format')}</dt>
      <dd>{t('model.onnx.info.formatValue', { ir: info.irVersion, opset: info.opset ?? '?', producer: info.producer || '?' })}</dd>
      <dt>{t('model.onnx.info.nodes')}</dt>
      <dd>
        {info.nodes} <span class="small muted">({topOps})</span>
      </dd>
    </dl>
  );
}

function SettingsCard({ info }: { info: OnnxGraphInfo }) {
  const fields = useMemo(() => dynamicDims(info.inputs), [info]);
  let shapes: Record<string, number[]> = {};
  try {
    shapes = shapesForDims(info.inputs, dimValues.value);
  } catch {
    // An expression dim that cannot be computed: the run reports it.
  }
  const running = status.value.kind === 'running';
  const webgpu = capsState.value.status === 'ready' && capsState.value.caps.available;
  const choice = effectiveChoice();
  return (
    <section class="card" aria-labelledby="onnx-settings-h">
      <h2 id="onnx-settings-h">{t('model.onnx.settings')}</h2>
      <h3>{t('model.onnx.inputs')}</h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('model.onnx.input.name')}</th>
              <th>{t('model.onnx.input.type')}</th>
              <th>{t('model.onnx.input.declared')}</th>
              <th>{t('model.onnx.input.shape')}</th>
            </tr>
          </thead>
          <tbody>
            {info.inputs.map((inp) => (
              <tr key={inp.name}>
                <td class="mono">{inp.name}</td>
                <td class="mono">{inp.type}</td>
                <td class="mono">{inp.dims ? `[${inp.dims.map((d) => d ?? '?').join(', ')}]` : t('model.onnx.input.noShape')}</td>
                <td class="mono">{shapes[inp.name] ? `[${shapes[inp.name]!.join(', ')}]` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {fields.length ? (
        <fieldset class="onnx-dims" disabled={running}>
          <legend>{t('model.onnx.dynamicDims')}</legend>
          {fields.map((f) => (
            <label key={f.key}>
              <span class="mono">{f.label}</span>
              <input
                type="number"
                min={0}
                step={1}
                value={dimValues.value[f.key] ?? f.default}
                onInput={(e) => {
                  const v = Number((e.currentTarget as HTMLInputElement).value);
                  if (Number.isInteger(v) && v >= 0) dimValues.value = { ...dimValues.value, [f.key]: v };
                }}
              />
            </label>
          ))}
        </fieldset>
      ) : (
        <p class="small muted">{t('model.onnx.staticShapes')}</p>
      )}
      <p class="small muted">{t('model.onnx.synthNote')}</p>
      <fieldset class="row" disabled={running}>
        <legend>{t('model.onnx.ep')}</legend>
        {(['webgpu', 'wasm', 'both'] as const).map((c) => (
          <label key={c}>
            <input type="radio" name="onnx-ep" value={c} checked={choice === c} disabled={c !== 'wasm' && !webgpu} onChange={() => (epChoice.value = c)} />
            {t(`model.onnx.ep.${c}`)}
          </label>
        ))}
      </fieldset>
      {!webgpu ? <p class="small warn-text">{t('model.onnx.noWebgpu')}</p> : null}
      <div class="row">
        <label>
          {t('model.onnx.warmup')}
          <input type="number" min={0} max={100} value={warmup.value} onInput={(e) => (warmup.value = clampInt((e.currentTarget as HTMLInputElement).value, 0, 100, 3))} disabled={running} />
        </label>
        <label>
          {t('model.onnx.samples')}
          <input type="number" min={2} max={1000} value={samples.value} onInput={(e) => (samples.value = clampInt((e.currentTarget as HTMLInputElement).value, 2, 1000, 20))} disabled={running} />
        </label>
      </div>
      <div class="row">
        <button class="primary" disabled={running} onClick={() => void runModel()} data-testid="onnx-run">
          {t('model.onnx.run')}
        </button>
        <button class="danger" disabled={!running} onClick={cancel} data-testid="onnx-cancel">
          {t('model.onnx.cancel')}
        </button>
      </div>
      <RunProgress />
    </section>
  );
}

function clampInt(raw: string, lo: number, hi: number, fallback: number): number {
  const v = Math.round(Number(raw));
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
}

function RunProgress() {
  const s = status.value;
  return (
    <div aria-live="polite" data-testid="onnx-progress">
      {s.kind === 'running' ? (
        <div>
          <span class="small">
            {t(`model.onnx.phase.${s.phase}`, { ep: t(`model.onnx.ep.${s.ep}`) })}
            {s.sample ? ` · ${t('model.onnx.sampleOf', { n: s.sample, total: s.samples })}` : ''}
          </span>
          <progress max={s.phase === 'measure' ? s.samples : 1} value={s.phase === 'measure' ? s.sample : undefined} aria-label={t('model.onnx.runProgress')} />
        </div>
      ) : s.kind === 'cancelled' ? (
        <p class="small">{t('model.onnx.cancelled')}</p>
      ) : null}
    </div>
  );
}

const EP_COLOURS: Record<OnnxEp, [string, string]> = { webgpu: ['--accent', '#1f7a4d'], wasm: ['--accent-2', '#7a4d1f'] };

function SamplesChart({ series }: { series: { ep: OnnxEp; ms: number[] }[] }) {
  const key = series.map((s) => s.ep).join(',');
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 180,
      legend: { show: series.length > 1 },
      scales: { x: { time: false } },
      // Runs are whole numbers: no ticks between them.
      axes: [{ ...axisStyle(), label: t('model.onnx.sample'), incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] }, { ...axisStyle(), label: 'ms', size: 60 }],
      series: [{ label: t('model.onnx.sample') }, ...series.map((s) => ({ label: t(`model.onnx.ep.${s.ep}`), stroke: cssVar(...EP_COLOURS[s.ep]), width: 2, points: { show: true, size: 6 } }))],
    }),
    // Recreated only when the set of EPs changes; data flows through setData.
    [key],
  );
  const n = Math.max(0, ...series.map((s) => s.ms.length));
  const data = [Array.from({ length: n }, (_, i) => i + 1), ...series.map((s) => Array.from({ length: n }, (_, i) => s.ms[i] ?? null))] as uPlot.AlignedData;
  if (n === 0) return null;
  return <Chart options={options} data={data} label={t('model.onnx.chartLabel', { n })} />;
}

function ResultsCard() {
  const r = results.value;
  const s = status.value;
  const eps = (['webgpu', 'wasm'] as const).filter((ep) => r[ep]);
  const live = s.kind === 'running' && s.liveMs.length ? [{ ep: s.ep, ms: s.liveMs }] : [];
  if (!eps.length && !live.length) return null;
  const ok = (ep: OnnxEp): Workload | null => {
    const x = r[ep];
    return x?.kind === 'ok' ? x.workload : null;
  };
  const gpu = ok('webgpu');
  const cpu = ok('wasm');
  const chartSeries = [...eps.flatMap((ep) => (ok(ep) ? [{ ep, ms: ok(ep)!.timing.samplesMs }] : [])), ...live.filter((l) => !r[l.ep])];
  const anyFlopsUnknown = eps.some((ep) => ok(ep)?.timing.flags?.includes('flops-unknown'));
  return (
    <section class="card" aria-labelledby="onnx-results-h" data-testid="onnx-results">
      <h2 id="onnx-results-h">{t('model.onnx.results')}</h2>
      {eps.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('model.onnx.col.ep')}</th>
                <th class="num">{t('model.onnx.col.median')}</th>
                <th class="num">{t('model.onnx.col.p10p90')}</th>
                <th class="num">{t('model.onnx.col.cv')}</th>
                <th class="num">{t('model.onnx.col.samples')}</th>
                <th class="num">{t('model.onnx.col.gflops')}</th>
                <th>{t('model.onnx.col.notes')}</th>
              </tr>
            </thead>
            <tbody>
              {eps.map((ep) => {
                const x = r[ep]!;
                if (x.kind === 'error') {
                  return (
                    <tr key={ep} data-ep={ep}>
                      <th scope="row">{t(`model.onnx.ep.${ep}`)}</th>
                      <td colSpan={6} class="errors" role="alert" data-error-name={x.name}>
                        {x.message} <span class="small">{errorHint(x.name)}</span>
                      </td>
                    </tr>
                  );
                }
                const w = x.workload;
                return (
                  <tr key={ep} data-ep={ep}>
                    <th scope="row">
                      {t(`model.onnx.ep.${ep}`)}
                      {typeof w.config['threads'] === 'number' ? <span class="small muted"> · {t('model.onnx.threads', { n: w.config['threads'] as number })}</span> : null}
                    </th>
                    <td class="num" data-testid={`onnx-median-${ep}`}>{t('model.onnx.ms', { n: fmt(w.timing.medianMs, 3) })}</td>
                    <td class="num">
                      {fmt(w.timing.p10Ms, 3)} – {fmt(w.timing.p90Ms, 3)}
                    </td>
                    <td class="num">{fmt(w.timing.cv * 100, 2)} %</td>
                    <td class="num">{w.timing.samplesMs.length}</td>
                    <td class="num">{w.gflops != null ? fmt(w.gflops, 3) : t('model.onnx.notCounted')}</td>
                    <td>
                      {(w.timing.flags ?? []).map((f) => (
                        <span key={f} class="badge warn" title={t(`model.onnx.flag.${f}`)}>
                          {f}
                        </span>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {gpu && cpu ? (
        <p class="headline" data-testid="onnx-ratio">
          {gpu.timing.medianMs <= cpu.timing.medianMs
            ? t('model.onnx.ratio.faster', { x: fmt(cpu.timing.medianMs / gpu.timing.medianMs, 2) })
            : t('model.onnx.ratio.slower', { x: fmt(gpu.timing.medianMs / cpu.timing.medianMs, 2) })}
        </p>
      ) : null}
      {gpu || cpu ? (
        <p class="small muted">
          {anyFlopsUnknown
            ? t('model.onnx.flopsUnknown', { ops: [...new Set(eps.flatMap((ep) => (ok(ep)?.config['flopsUnresolved'] as string[] | undefined) ?? []))].join(', ') })
            : t('model.onnx.flopsCounted', { gflop: fmt(((gpu ?? cpu)!.flops ?? 0) / 1e9, 3) })}{' '}
          {t('model.onnx.timingNote')}
        </p>
      ) : null}
      <SamplesChart series={chartSeries} />
      {gpu || cpu ? <OnnxEnergy runs={eps.flatMap((ep) => (ok(ep) ? [{ ep, w: ok(ep)! }] : []))} /> : null}
      {gpu || cpu ? (
        <details>
          <summary>{t('model.onnx.json')}</summary>
          <pre class="onnx-json">{JSON.stringify(eps.flatMap((ep) => (ok(ep) ? [ok(ep)] : [])), null, 2)}</pre>
        </details>
      ) : null}
    </section>
  );
}

/**
 * The same energy model as the race, for one workload: the GPU profile for the WebGPU EP, the
 * CPU profile for WASM (it runs on the processor). ort gives no GPU timestamps, so t_busy is
 * the wall-clock time per run: an upper bound, and said so.
 */
function OnnxEnergy({ runs }: { runs: { ep: OnnxEp; w: Workload }[] }) {
  const [battery, setBattery] = useState<boolean | null>(null);
  useEffect(() => {
    void detectBattery().then(setBattery);
  }, []);
  const caps = capsState.value;
  const rows = useMemo(() => {
    const adapter = caps.status === 'ready' && caps.caps.available ? caps.caps.adapter : null;
    const base = defaultEnergyContext(
      adapter ? { vendor: adapter.vendor, architecture: adapter.architecture, isFallbackAdapter: adapter.isFallbackAdapter } : { vendor: '', architecture: '', isFallbackAdapter: false },
      { hasBattery: battery, timeZone: currentTimeZone() },
    );
    return runs.map(({ ep, w }) => {
      const ctx = ep === 'wasm' ? { ...base, profile: profileFromCatalog('software-adapter') } : base;
      return { ep, ctx, e: computeWorkloadEnergy(w, ctx) };
    });
  }, [runs, battery, caps]);
  return (
    <div class="onnx-energy" data-testid="onnx-energy">
      <h3>{t('model.onnx.energyTitle')}</h3>
      <ul class="small">
        {rows.map(({ ep, ctx, e }) => (
          <li key={ep}>
            {t('model.onnx.energyLine', {
              ep: t(`model.onnx.ep.${ep}`),
              perRun: fmtWhRange({ p5: e.joules.p5 / 3600, p50: e.joules.p50 / 3600, p95: e.joules.p95 / 3600 }),
              per1000: fmtWhRange(e.whPer1000),
              co2: fmtGramsRange(e.gCO2e),
              profile: profileLabel(ctx.profile, lang.value),
              country: ctx.grid.country,
              g: fmt(ctx.grid.gPerKWh, 3),
            })}
          </li>
        ))}
      </ul>
      <p class="small muted">
        {t('model.onnx.energyNote')} <a href={hrefFor('methodology')}>{t('model.onnx.energyLink')}</a>
      </p>
    </div>
  );
}

function errorHint(name: string): string {
  const key = `model.onnx.hint.${name}`;
  const hint = t(key);
  return hint === key ? '' : hint;
}

export function ModelView() {
  const s = source.value;
  // `#/model?url=…` pre-fills the address; downloading stays the visitor's decision.
  const linked = location.value.params.get('url');
  useEffect(() => {
    if (linked && !url.value) url.value = linked;
  }, [linked]);
  return (
    <div class="onnx-view" data-testid="model-view">
      <section class="card">
        <h1>{t('model.onnx.title')}</h1>
        <p>{t('model.onnx.intro')}</p>
      </section>
      <SourceCard />
      {s.kind === 'ready' ? <SettingsCard info={s.info} /> : null}
      <ResultsCard />
    </div>
  );
}
