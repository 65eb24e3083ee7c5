/**
 * The open dataset (`#/dataset`): community aggregates per vendor/architecture and preset
 * (median energy per query of each model, the gap ratio, count), a chart, download links and
 * the licence.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { fmt, t } from '../../i18n/index.ts';
import { DATASET_LICENSE } from '../../shared/dataset.ts';
import type { DatasetStats } from '../../shared/dataset.ts';
import { datasetSeries, groupLabel } from '../../results/compare.ts';
import { Chart, axisStyle, cssVar } from '../Chart.tsx';
import { hrefFor } from '../router.ts';
import './results.css';

type Load = { kind: 'loading' } | { kind: 'ready'; stats: DatasetStats } | { kind: 'offline' } | { kind: 'error'; status: number };

async function fetchStats(): Promise<Load> {
  let res: Response;
  try {
    // Revalidate (a 304 is cheap): a visitor who just uploaded sees the dataset with their result.
    res = await fetch('/api/stats', { headers: { accept: 'application/json' }, cache: 'no-cache' });
  } catch {
    return { kind: 'offline' };
  }
  if (!res.ok) return { kind: 'error', status: res.status };
  try {
    return { kind: 'ready', stats: (await res.json()) as DatasetStats };
  } catch {
    return { kind: 'error', status: res.status };
  }
}

function DatasetChart({ stats }: { stats: DatasetStats }) {
  const s = useMemo(() => datasetSeries(stats.groups), [stats]);
  const options = useMemo((): Omit<uPlot.Options, 'width'> => ({
    height: 280,
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { distr: 3 } },
    axes: [
      { ...axisStyle(), values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? (s.labels[v] ?? '') : '')) },
      { ...axisStyle(), label: t('results.dataset.axisJ') },
    ],
    series: [
      { label: t('results.dataset.group') },
      { label: t('results.dataset.specialized'), stroke: cssVar('--accent', '#1f7a4d'), width: 0, points: { show: true, size: 11, fill: cssVar('--accent', '#1f7a4d') } },
      { label: t('results.dataset.general'), stroke: cssVar('--accent-2', '#b4541b'), width: 0, points: { show: true, size: 11, fill: cssVar('--accent-2', '#b4541b') } },
    ],
  }), [s]);
  const data = useMemo(() => [s.x, s.specialized, s.general] as uPlot.AlignedData, [s]);
  return (
    <figure>
      <Chart options={options} data={data} label={t('results.dataset.chartLabel')} />
      <figcaption class="small muted">{t('results.dataset.chartCaption')}</figcaption>
    </figure>
  );
}

export function DatasetView() {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const refresh = () => {
    setLoad({ kind: 'loading' });
    void fetchStats().then(setLoad);
  };
  useEffect(refresh, []);

  const license = (
    <a href={DATASET_LICENSE.url} target="_blank" rel="noreferrer noopener">{DATASET_LICENSE.name}</a>
  );
  const [before, after] = t('results.dataset.license', { license: '\u0000' }).split('\u0000');

  return (
    <div class="results-view" data-testid="dataset-view">
      <section class="card" aria-labelledby="dataset-title">
        <h2 id="dataset-title">{t('results.dataset.title')}</h2>
        <p class="small muted">{t('results.dataset.intro')}</p>
        <p class="license-note" data-testid="dataset-license">{before}{license}{after}</p>
        <p>
          {t('results.dataset.download')}{' '}
          <a href="/api/export.csv" download>{t('results.dataset.csv')}</a> ·{' '}
          <a href="/api/export.jsonl" download>{t('results.dataset.jsonl')}</a>
        </p>
        <p><a href={hrefFor('dictionary')} data-testid="dataset-dictionary">{t('results.dictionary.link')}</a></p>
        <div aria-live="polite">
          {load.kind === 'loading' ? <p>{t('results.dataset.loading')}</p> : null}
          {load.kind === 'offline' ? <p class="message-error">{t('results.dataset.offline')}</p> : null}
          {load.kind === 'error' ? <p class="message-error">{t('results.dataset.error', { status: load.status })}</p> : null}
          {load.kind === 'ready' ? <p>{t('results.dataset.total', { count: load.stats.total })}</p> : null}
        </div>
        <button type="button" onClick={refresh} disabled={load.kind === 'loading'}>{t('results.dataset.refresh')}</button>
      </section>
      {load.kind === 'ready' && load.stats.groups.length === 0 ? <p class="card">{t('results.dataset.empty')}</p> : null}
      {load.kind === 'ready' && load.stats.groups.length > 0 ? (
        <section class="card" data-testid="dataset-table">
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('results.dataset.group')}</th>
                  <th scope="col">{t('results.dataset.preset')}</th>
                  <th scope="col" class="num">{t('results.dataset.count')}</th>
                  <th scope="col" class="num">{t('results.dataset.specializedJ')}</th>
                  <th scope="col" class="num">{t('results.dataset.generalJ')}</th>
                  <th scope="col" class="num">{t('results.dataset.ratio')}</th>
                </tr>
              </thead>
              <tbody>
                {load.stats.groups.map((g) => (
                  <tr key={`${groupLabel(g)} ${g.suiteVersion}`}>
                    <td>{g.vendor || '?'} / {g.architecture || '?'}</td>
                    <td>{g.preset} <span class="small muted">({g.suiteVersion})</span></td>
                    <td class="num">{g.count}</td>
                    <td class="num">{fmt(g.medianSpecializedJ, 3)}</td>
                    <td class="num">{fmt(g.medianGeneralJ, 3)}</td>
                    <td class="num">{g.medianRatio === null ? '—' : `${fmt(g.medianRatio, 2)}×`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <DatasetChart stats={load.stats} />
        </section>
      ) : null}
    </div>
  );
}
