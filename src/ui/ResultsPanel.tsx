/** A finished run: ceilings, roofline, the two models side by side, kernel breakdown, energy, upload. */
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import { fmt, t, tp } from '../i18n/index.ts';
import type { EnergySection, ResultDocument, Workload } from '../shared/result.ts';
import { axisStyle, barsPath, Chart, cssVar } from './Chart.tsx';
import { roofCurve, roofline } from './charts.ts';
import { EnergySections, type SectionWrap } from './energy/EnergyPanel.tsx';
import { useEnergyEstimate } from './energy/use-energy.ts';
import { location, replaceHash } from './router.ts';
import { Disclosure } from './summary/Disclosure.tsx';
import { ResultSummary } from './summary/ResultSummary.tsx';
import { hashWithOpen, parseOpen, withSection, type SectionId } from './summary/sections.ts';
import { downloadText } from './results/download.ts';
import { formatBytes } from './format.ts';
import { getLab } from '../lab/client.ts';
import { lazyView } from './lazy.tsx';
import { isRealDocument } from '../results/real.ts';

// The upload panel validates with the whole schema: it loads when its section opens.
const UploadPanel = lazyView(() => import('./results/UploadPanel.tsx').then((m) => m.UploadPanel));
// A real-models document has its own layout, loaded on demand: no real-models code in the first screen's script.
const StoredRealResult = lazyView(() => import('./realmodels/StoredRealResult.tsx').then((m) => m.StoredRealResult));

interface ResultsPanelProps {
  doc: ResultDocument;
  localId: string | null;
  onEnergy?: (e: EnergySection) => void;
}

function ms(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${fmt(v, 3)} ms`;
}

function MicroTable({ doc }: { doc: ResultDocument }) {
  const micro = doc.workloads.filter((w) => w.kind === 'micro');
  const r = roofline(doc);
  if (!micro.length) return null;
  return (
    <div class="table-wrap">
      <table data-testid="micro-table">
        <thead>
          <tr>
            <th>{t('results.workload')}</th>
            <th class="num">{t('results.median')}</th>
            <th class="num">p10–p90</th>
            <th class="num">CV</th>
            <th class="num">GFLOP/s</th>
            <th class="num">GB/s</th>
            <th>{t('results.notes')}</th>
          </tr>
        </thead>
        <tbody>
          {micro.map((w) => {
            const p = r?.points.find((x) => x.id === w.id);
            return (
              <tr key={w.id} data-workload={w.id}>
                <td>
                  <strong>{w.id}</strong>
                  <div class="small muted mono">{JSON.stringify(w.config)}</div>
                </td>
                <td class="num">{ms(w.timing.medianMs)}</td>
                <td class="num">
                  {fmt(w.timing.p10Ms, 3)}–{fmt(w.timing.p90Ms, 3)}
                </td>
                <td class="num">{fmt(w.timing.cv * 100, 2)} %</td>
                <td class="num">{w.gflops ? fmt(w.gflops, 3) : '—'}</td>
                <td class="num">{w.gbps ? fmt(w.gbps, 3) : '—'}</td>
                <td class="small">
                  {w.verified ? <span class="badge ok">{t('results.verified')}</span> : null}{' '}
                  {p ? t('results.ofRoof', { pct: fmt(p.fractionOfRoof * 100, 2) }) : null}{' '}
                  {(w.timing.flags ?? []).map((f) => (
                    <span class="badge warn" key={f}>
                      {t(`flag.${f}`)}
                    </span>
                  ))}
                  <div class="muted">
                    {tp('guide.plural.samplesInfo', w.timing.samplesMs.length, { warmup: fmt(w.timing.warmup, 9), batch: fmt(w.timing.batch ?? 1, 9), dropped: fmt(w.timing.dropped ?? 0, 9) })}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RooflineChart({ doc }: { doc: ResultDocument }) {
  const r = useMemo(() => roofline(doc), [doc]);
  const { options, data } = useMemo(() => {
    if (!r) return { options: null, data: null };
    const [rx] = roofCurve(r);
    const pts = r.points;
    // One shared, sorted x axis (log scale): the roof is defined everywhere, each workload only
    // at its own arithmetic intensity (null elsewhere, drawn as a single point).
    const xs = [...new Set([...rx, ...pts.map((p) => p.intensity)])].sort((a, b) => a - b);
    const roofY = xs.map((x) => Math.min(r.peakGflops, x * r.bandwidthGbps));
    const pointY = pts.map((p) => xs.map((x) => (x === p.intensity ? p.gflops : null)));
    const palette = [cssVar('--accent', '#1f7a4d'), cssVar('--accent-2', '#b4541b'), cssVar('--focus', '#1d5fd1'), cssVar('--warn', '#9a6700')];
    const fg = cssVar('--fg', '#222');
    const opts: Omit<uPlot.Options, 'width'> = {
      height: 260,
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      axes: [
        { ...axisStyle(), label: t('results.intensity') },
        { ...axisStyle(), label: 'GFLOP/s', size: 70 },
      ],
      series: [
        { label: 'FLOP/byte', value: (_u, v) => (v == null ? '—' : fmt(v, 3)) },
        { label: t('results.roof'), stroke: fg, width: 2, points: { show: false }, value: (_u, v) => (v == null ? '—' : fmt(v, 3)) },
        ...pts.map((p, i) => {
          const c = palette[i % palette.length]!;
          return {
            label: p.id,
            stroke: c,
            paths: () => null,
            points: { show: true, size: 12, stroke: c, fill: c, width: 2 },
            value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${fmt(v, 3)} GFLOP/s`),
          };
        }),
      ],
    };
    return { options: opts, data: [xs, roofY, ...pointY] as uPlot.AlignedData };
  }, [r]);
  if (!r || !options || !data) return null;
  return (
    <figure class="card-inner">
      <h3>{t('results.roofline')}</h3>
      <Chart options={options} data={data} label={t('results.rooflineLabel', { peak: fmt(r.peakGflops, 3), bw: fmt(r.bandwidthGbps, 3) })} />
      <figcaption class="small muted">{t('results.rooflineCaption', { peak: fmt(r.peakGflops, 3), bw: fmt(r.bandwidthGbps, 3), ridge: fmt(r.ridge, 2) })}</figcaption>
      <ul class="small">
        {r.points.map((p) => (
          <li key={p.id}>{t('results.rooflinePoint', { id: p.id, gflops: fmt(p.gflops, 3), pct: fmt(p.fractionOfRoof * 100, 2), intensity: fmt(p.intensity, 3) })}</li>
        ))}
      </ul>
    </figure>
  );
}

function ModelCard({ w }: { w: Workload }) {
  // `config` is free-form in the document: show the recorded model name when it is a plain value.
  const c = w.config;
  const model = c['model'];
  const name = typeof model === 'string' || typeof model === 'number' ? String(model) : w.id;
  return (
    <div class={`card model-card role-${w.role}`} data-testid={`model-${w.role}`}>
      <h3>{t(`results.role.${w.role}`)}</h3>
      <p class="mono small">{name}</p>
      <p class="big-number">{ms(w.timing.medianMs)}</p>
      <p class="small muted">{t('results.perQuery')}</p>
      <ul class="small">
        {w.flops !== null ? <li>{t('results.flops', { gflop: fmt(w.flops / 1e9, 3) })}</li> : null}
        <li>{t('results.bytes', { size: formatBytes(w.bytes) })}</li>
        {c['family'] === 'decoder' ? (
          <li>{t('results.tokensDecoder', { prompt: String(c['promptTokens']), output: String(c['outputTokens']) })}</li>
        ) : (
          <li>{t('results.tokensEncoder', { input: String(c['inputTokens']) })}</li>
        )}
        {w.tokensPerSecond ? (
          <li>{t('results.tokensPerSecond', { prefill: fmt(w.tokensPerSecond.prefill, 3), decode: fmt(w.tokensPerSecond.decode, 3) })}</li>
        ) : null}
        <li>{t('results.dtype', { dtype: w.dtype ?? 'f32' })}</li>
        <li>
          p10–p90 {fmt(w.timing.p10Ms, 3)}–{fmt(w.timing.p90Ms, 3)} ms, CV {fmt(w.timing.cv * 100, 2)} %
        </li>
      </ul>
    </div>
  );
}

function KernelChart({ general, specialized }: { general: Workload; specialized: Workload }) {
  const names = useMemo(() => {
    const all = new Map<string, number>();
    for (const w of [general, specialized]) for (const k of w.kernels ?? []) all.set(k.name, (all.get(k.name) ?? 0) + k.medianMs);
    return [...all.entries()].sort((a, b) => b[1] - a[1]).map(([n]) => n);
  }, [general, specialized]);
  const { options, data } = useMemo(() => {
    const accent = cssVar('--accent', '#1f7a4d');
    const accent2 = cssVar('--accent-2', '#b4541b');
    const val = (w: Workload) => names.map((n) => w.kernels?.find((k) => k.name === n)?.medianMs ?? null);
    // Two bars per kernel, side by side: the specialized one left of the tick, the general right.
    const barsLeft = barsPath({ size: [0.4, 40], align: -1 });
    const barsRight = barsPath({ size: [0.4, 40], align: 1 });
    const opts: Omit<uPlot.Options, 'width'> = {
      height: 260,
      scales: { x: { time: false, range: [-0.5, names.length - 0.5] } },
      axes: [
        {
          ...axisStyle(),
          splits: () => names.map((_, i) => i),
          values: (_u, splits) => splits.map((s) => names[s] ?? ''),
          rotate: -30,
          size: 70,
        },
        { ...axisStyle(), label: t('results.msPerQuery'), size: 70 },
      ],
      series: [
        { label: t('results.kernel'), value: (_u, v) => (v == null ? '—' : (names[v] ?? '')) },
        { label: t('results.role.specialized'), stroke: accent, fill: accent, paths: barsLeft, points: { show: false }, value: (_u, v) => (v == null ? '—' : `${fmt(v, 3)} ms`) },
        { label: t('results.role.general'), stroke: accent2, fill: accent2, paths: barsRight, points: { show: false }, value: (_u, v) => (v == null ? '—' : `${fmt(v, 3)} ms`) },
      ],
    };
    const xs = names.map((_, i) => i);
    return { options: opts, data: [xs, val(specialized), val(general)] as uPlot.AlignedData };
  }, [names, general, specialized]);
  if (!names.length) return <p class="small muted">{t('results.noBreakdown')}</p>;
  return (
    <figure>
      <h3>{t('results.breakdown')}</h3>
      <Chart options={options} data={data} label={t('results.breakdownLabel')} />
      {general.profile ? <p class="small muted">{t('results.breakdownScaled', { scale: fmt(general.profile.scale, 2) })}</p> : null}
      <div class="table-wrap">
        <table class="small">
          <thead>
            <tr>
              <th>{t('results.kernel')}</th>
              <th class="num">{t('results.role.specialized')}</th>
              <th class="num">{t('results.role.general')}</th>
            </tr>
          </thead>
          <tbody>
            {names.map((n) => (
              <tr key={n}>
                <td class="mono">{n}</td>
                <td class="num">{ms(specialized.kernels?.find((k) => k.name === n)?.medianMs)}</td>
                <td class="num">{ms(general.kernels?.find((k) => k.name === n)?.medianMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export function ModelComparison({ doc }: { doc: ResultDocument }) {
  const pair = modelPair(doc);
  if (!pair) return null;
  const { general, specialized } = pair;
  // The race's own workloads always have counted FLOPs; only imported models may not.
  if (general.flops === null || specialized.flops === null) return null;
  const timeRatio = general.timing.medianMs / specialized.timing.medianMs;
  const flopRatio = general.flops / specialized.flops;
  return (
    <section class="card" data-testid="model-comparison">
      <h3>{t('results.models')}</h3>
      <p class="headline" data-testid="time-ratio">
        {t('results.timeRatio', { ratio: fmt(timeRatio, 2) })}
      </p>
      <p class="small">{t('results.flopRatio', { general: fmt(general.flops / 1e9, 3), specialized: fmt(specialized.flops / 1e9, 3), ratio: fmt(flopRatio, 2) })}</p>
      <div class="grid-2">
        <ModelCard w={specialized} />
        <ModelCard w={general} />
      </div>
      <p class="small muted synthetic-note">{t('results.synthetic')}</p>
    </section>
  );
}

function modelPair(doc: ResultDocument): { general: Workload; specialized: Workload } | null {
  const general = doc.workloads.find((w) => w.kind === 'model' && w.role === 'general');
  const specialized = doc.workloads.find((w) => w.kind === 'model' && w.role === 'specialized');
  return general && specialized ? { general, specialized } : null;
}

/**
 * A finished run. A real-models document shows the real-models results (accuracy, energy per
 * correct answer), download and upload; a synthetic-race one, its own layout below.
 */
export function ResultsPanel(props: ResultsPanelProps) {
  return isRealDocument(props.doc) ? <StoredRealResult doc={props.doc} localId={props.localId} /> : <SyntheticResults {...props} />;
}

/**
 * A synthetic-race run: the summary first (the answer in ten seconds), then every detail in a
 * section that opens on demand. Which sections are open lives in the address (`open=`), so a link
 * shows the same view.
 */
function SyntheticResults({ doc, localId, onEnergy }: ResultsPanelProps) {
  const hasModels = doc.workloads.some((w) => w.kind === 'model');
  const pair = modelPair(doc);
  const est = useEnergyEstimate(doc, (d, ctx) => getLab().computeEnergy(d, ctx), onEnergy);
  const open = parseOpen(location.value.params);
  const toggle = (id: SectionId, isOpen: boolean) => replaceHash(hashWithOpen(window.location.hash, withSection(open, id, isOpen)));
  const section: SectionWrap = (id, children) => (
    <Disclosure id={id} open={open.has(id)} onToggle={toggle}>
      {children}
    </Disclosure>
  );
  return (
    <div class="results" data-testid="results">
      <ResultSummary doc={doc} est={hasModels ? est : null} />
      {pair ? section('models', <ModelComparison doc={doc} />) : null}
      {pair ? section('kernels', <KernelChart general={pair.general} specialized={pair.specialized} />) : null}
      {section('micro', <MicroTable doc={doc} />)}
      {section('roofline', <RooflineChart doc={doc} />)}
      {hasModels ? <EnergySections doc={doc} est={est} section={section} /> : null}
      {section(
        'upload',
        <>
          <div class="row">
            <button onClick={() => downloadText(`frugal-ai-lab-${doc.date ?? 'run'}.json`, 'application/json', JSON.stringify(doc, null, 2))}>{t('results.exportJson')}</button>
          </div>
          <UploadPanel doc={doc} localId={localId} />
        </>,
      )}
    </div>
  );
}
