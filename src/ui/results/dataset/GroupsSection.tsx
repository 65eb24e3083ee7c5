/**
 * The aggregates of the groups the filters keep, one page of groups at a time (the dataset may
 * hold thousands): the table of medians with the number of results behind each, the medians
 * chart, and each group's distribution from its quantile sketches.
 */
import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { fmt, t, tp } from '../../../i18n/index.ts';
import type { GroupStats, RealGroupStats } from '../../../shared/dataset.ts';
import { datasetSeries, groupLabel } from '../../../results/compare.ts';
import { Chart, axisStyle, cssVar } from '../../Chart.tsx';
import { GroupDistribution, sharedScales } from './Distribution.tsx';

function MediansChart({ groups }: { groups: GroupStats[] }) {
  const s = useMemo(() => datasetSeries(groups), [groups]);
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
      <figcaption class="small muted">{t('results.dataset.chartCaption')} {t('dataset.groups.chartCount')}</figcaption>
    </figure>
  );
}

/** Where a group's medians come from: every row (small groups) or its sketch, with the sketch's accuracy. */
export function MedianSource({ group }: { group: GroupStats }) {
  const accuracy = fmt((group.distributions[0]?.relativeAccuracy ?? 0.01) * 100, 0);
  switch (group.medianSource) {
    case 'exact':
      return <span title={t('dataset.median.exactTitle')}>{t('dataset.median.exact')}</span>;
    case 'sketch':
      return <span title={t('dataset.median.sketchTitle', { accuracy })}>{t('dataset.median.sketch', { accuracy })}</span>;
    default: {
      const never: never = group.medianSource;
      throw new Error(`unexpected median source ${String(never)}`);
    }
  }
}

/**
 * A real group's accuracy: the pooled rate with its interval, then what the interval rests on
 * (the answers of one result on average, not all answers pooled; see dataset.ts RealGroupStats).
 */
function Accuracy({ accuracy: a }: { accuracy: RealGroupStats['accuracy'] }) {
  if (a === null) return <>—</>;
  const pct = (x: number) => fmt(x * 100, 1);
  return (
    <>
      {t('dataset.real.accuracyValue', { rate: pct(a.rate), correct: a.correct, n: a.n, low: pct(a.low), high: pct(a.high) })}
      <br />
      <span class="small muted" data-testid="dataset-real-effective-n">{tp('dataset.real.effectiveN', a.results, { effectiveN: fmt(a.effectiveN, 2) })}</span>
    </>
  );
}

/** A real group's role, in the reader's language; null for a synthetic group (no role). */
function roleLabel(role: GroupStats['role']): string | null {
  switch (role) {
    case undefined:
      return null;
    case 'specialized':
      return t('dataset.real.role.specialized');
    case 'general':
      return t('dataset.real.role.general');
    default: {
      const never: never = role;
      throw new Error(`unexpected role ${String(never)}`);
    }
  }
}

/** Real-model groups: model, role, weights, task set, pooled accuracy with its interval, time, energy per query and per correct answer. */
function RealGroupsTable({ groups }: { groups: GroupStats[] }) {
  return (
    <section class="card" aria-labelledby="dataset-real-title" data-testid="dataset-real">
      <h3 id="dataset-real-title">{t('dataset.real.title')}</h3>
      <p class="small muted">{t('dataset.real.intro')}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('results.dataset.group')}</th>
              <th scope="col">{t('dataset.real.model')}</th>
              <th scope="col">{t('dataset.real.role')}</th>
              <th scope="col">{t('dataset.real.dtype')}</th>
              <th scope="col">{t('dataset.real.task')}</th>
              <th scope="col" class="num">{t('results.dataset.count')}</th>
              <th scope="col">{t('dataset.real.accuracy')}</th>
              <th scope="col" class="num">{t('dataset.metric.queryMs')}</th>
              <th scope="col" class="num">{t('dataset.metric.queryJ')}</th>
              <th scope="col" class="num">{t('dataset.metric.correctJ')}</th>
              <th scope="col">{t('dataset.median.source')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={groupKey(g)}>
                <td>{g.vendor || '?'} / {g.architecture || '?'} <span class="small muted">{g.preset} ({g.suiteVersion})</span></td>
                <td>{g.model}{g.modelSha256 ? <span class="small muted" data-testid="dataset-real-file" title={g.modelSha256}> {shortHash(g.modelSha256)}</span> : null}</td>
                <td data-testid="dataset-real-role">{roleLabel(g.role) ?? '—'}</td>
                <td>{g.dtype}</td>
                <td data-testid="dataset-real-task">{taskLabel(g)}</td>
                <td class="num">{g.count}</td>
                <td><Accuracy accuracy={g.real?.accuracy ?? null} /></td>
                <td class="num">{fmt(g.real?.medianQueryMs ?? null, 2)}</td>
                <td class="num">{fmt(g.real?.medianQueryJ ?? null, 3)}</td>
                <td class="num">{fmt(g.real?.medianCorrectJ ?? null, 3)}</td>
                <td class="small"><MedianSource group={g} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** "sentiment-en v1": a real group's task set and its version (versions never pool). */
const taskLabel = (g: GroupStats): string => (g.task === null ? '—' : g.taskVersion === undefined ? g.task : `${g.task} v${g.taskVersion}`);

/** A custom model's file, as the table shows it: the first 12 hex digits of its SHA-256 (the whole hash is its tooltip). */
const shortHash = (sha256: string): string => sha256.slice(0, 12);

/** Everything /api/stats keys a group by, the whole hash included: unique per group (a list key). */
const groupKey = (g: GroupStats): string =>
  [g.vendor, g.architecture, g.preset, g.suiteVersion, g.model ?? '', g.modelSha256 ?? '', g.dtype ?? '', g.task ?? '', g.taskVersion ?? '', g.role ?? ''].join('\u0000');

/** A group's heading for readers: its role translated, a custom model's file by its short hash. */
const groupTitle = (g: GroupStats): string => {
  const role = roleLabel(g.role);
  const model = g.model
    ? ` · ${g.model}${g.modelSha256 ? ` ${shortHash(g.modelSha256)}` : ''}${g.dtype ? ` ${g.dtype}` : ''}${g.task ? ` · ${taskLabel(g)}` : ''}${role ? ` · ${role}` : ''}`
    : '';
  return `${g.vendor || '?'} / ${g.architecture || '?'} · ${g.preset} (${g.suiteVersion})${model}`;
};

export function GroupsSection({ groups, pageSize }: { groups: GroupStats[]; pageSize: number }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(groups.length / pageSize));
  // Fewer groups after a filter: stay on the last page that exists.
  const current = Math.min(page, pages - 1);
  const shown = useMemo(() => groups.slice(current * pageSize, (current + 1) * pageSize), [groups, current, pageSize]);
  const scales = useMemo(() => sharedScales(shown), [shown]);
  const results = shown.reduce((n, g) => n + g.count, 0);
  const synthetic = shown.filter((g) => g.real === undefined);
  const real = shown.filter((g) => g.real !== undefined);
  return (
    <>
      <section class="card" data-testid="dataset-table">
        <p class="small" data-testid="dataset-groups-range">{t('dataset.groups.range', { first: current * pageSize + 1, last: current * pageSize + shown.length, total: groups.length, results })}</p>
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
                <th scope="col">{t('dataset.median.source')}</th>
              </tr>
            </thead>
            <tbody>
              {synthetic.map((g) => (
                <tr key={`${groupLabel(g)} ${g.suiteVersion} ${g.model ?? ''} ${g.dtype ?? ''} ${g.task ?? ''}`}>
                  <td>{g.vendor || '?'} / {g.architecture || '?'}{g.model ? <span class="small muted"> · {g.model}</span> : null}</td>
                  <td>{g.preset} <span class="small muted">({g.suiteVersion})</span></td>
                  <td class="num">{g.count}</td>
                  <td class="num">{fmt(g.medianSpecializedJ, 3)}</td>
                  <td class="num">{fmt(g.medianGeneralJ, 3)}</td>
                  <td class="num">{g.medianRatio === null ? '—' : `${fmt(g.medianRatio, 2)}×`}</td>
                  <td class="small" data-testid="median-source"><MedianSource group={g} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {pages > 1 ? (
          <nav class="pager" aria-label={t('dataset.groups.pager')}>
            <button type="button" data-testid="groups-prev" disabled={current === 0} onClick={() => setPage(current - 1)}>{t('dataset.previous')}</button>
            <span class="small">{t('dataset.groups.page', { page: current + 1, pages })}</span>
            <button type="button" data-testid="groups-next" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>{t('dataset.next')}</button>
          </nav>
        ) : null}
        {synthetic.length > 0 ? <MediansChart groups={synthetic} /> : null}
      </section>
      {real.length > 0 ? <RealGroupsTable groups={real} /> : null}
      <section class="card" aria-labelledby="dataset-dist-title" data-testid="dataset-distributions">
        <h3 id="dataset-dist-title">{t('dataset.dist.title')}</h3>
        <p class="small muted">{t('dataset.dist.intro')}</p>
        <div class="dist-grid">
          {shown.map((g) => <GroupDistribution key={groupKey(g)} group={g} scales={scales} title={groupTitle(g)} />)}
        </div>
      </section>
    </>
  );
}
