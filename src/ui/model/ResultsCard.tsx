/** The measured runs: one row per execution provider, their ratio, the samples and the energy. */
import { fmt, t, tp } from '../../i18n/index.ts';
import { results, status, type OnnxEp } from '../../lab/onnx-session.ts';
import type { Workload } from '../../shared/result.ts';
import { EnergyCard } from './EnergyCard.tsx';
import { errorHint } from './format.ts';
import { SamplesChart } from './SamplesChart.tsx';

/** The operators whose FLOPs could not be counted, as the worker recorded them. */
function unresolved(w: Workload): string {
  const ops = w.config['flopsUnresolved'];
  return Array.isArray(ops) ? ops.join(', ') : '?';
}

export function ResultsCard() {
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
  const counted = (gpu ?? cpu)?.flops ?? null;
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
                      {typeof w.config['threads'] === 'number' ? <span class="small muted"> · {tp('model.onnx.threads', w.config['threads'])}</span> : null}
                    </th>
                    <td class="num" data-testid={`onnx-median-${ep}`}>{t('model.onnx.ms', { n: fmt(w.timing.medianMs, 3) })}</td>
                    <td class="num">
                      {fmt(w.timing.p10Ms, 3)} – {fmt(w.timing.p90Ms, 3)}
                    </td>
                    <td class="num">{fmt(w.timing.cv * 100, 2)} %</td>
                    <td class="num">{w.timing.samplesMs.length}</td>
                    <td class="num" title={w.flopsUnknown}>
                      {w.gflops != null ? fmt(w.gflops, 3) : w.flops === null ? t('model.onnx.notCountedOps', { ops: unresolved(w) }) : t('model.onnx.notCounted')}
                    </td>
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
          {counted === null
            ? t('model.onnx.flopsUnknown', { ops: [...new Set(eps.flatMap((ep) => (ok(ep) ? unresolved(ok(ep)!).split(', ') : [])))].join(', ') })
            : t('model.onnx.flopsCounted', { gflop: fmt(counted / 1e9, 3) })}{' '}
          {t('model.onnx.timingNote')}
        </p>
      ) : null}
      <SamplesChart series={chartSeries} />
      <EnergyCard />
      {gpu || cpu ? (
        <details>
          <summary>{t('model.onnx.json')}</summary>
          <pre class="onnx-json">{JSON.stringify(eps.flatMap((ep) => (ok(ep) ? [ok(ep)] : [])), null, 2)}</pre>
        </details>
      ) : null}
    </section>
  );
}
