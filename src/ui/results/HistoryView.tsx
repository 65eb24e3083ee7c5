/**
 * Local history (`#/history`): every saved run, selection, side-by-side comparison (table and
 * chart), JSON/CSV export, deletion, and withdrawal of shared runs. Works offline: everything
 * but withdrawal reads IndexedDB only.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { fmt, fmtDate, t, tp } from '../../i18n/index.ts';
import { clearUpload, deleteRun, historyRevision, readHistory, type HistoryRecord, type SkippedRecord } from '../../results/history.ts';
import { compareRefusal, compareRuns, formatEstimate } from '../../results/compare.ts';
import type { Comparison, CompareRefusal } from '../../results/compare.ts';
import { realPair, realPairLabel } from '../../results/real.ts';
import { toCsv, toJson } from '../../shared/export.ts';
import { withdrawResult } from '../../results/upload.ts';
import { Chart, axisStyle, cssVar } from '../Chart.tsx';
import { ResultsPanel } from '../ResultsPanel.tsx';
import { hrefFor, location } from '../router.ts';
// The real-models strings (a history row's "real models", the comparison's refusals, an opened real result).
import '../realmodels/strings.ts';
import { downloadText } from './download.ts';
import { withdrawMessage } from './UploadPanel.tsx';
import './results.css';

type Load = { kind: 'loading' } | { kind: 'ready'; runs: HistoryRecord[]; skipped: SkippedRecord[] } | { kind: 'error'; message: string };

/** Distinct series colours: the theme's two accents first, then fixed hues. */
function palette(i: number): string {
  const fixed = [cssVar('--accent', '#1f7a4d'), cssVar('--accent-2', '#b4541b'), '#1d5fd1', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d'];
  return fixed[i % fixed.length] ?? '#888';
}

function CompareChart({ c }: { c: Comparison }) {
  const options = useMemo((): Omit<uPlot.Options, 'width'> => ({
    height: 260,
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { distr: 3 } },
    axes: [
      { ...axisStyle(), values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? (c.workloads[v] ?? '') : '')) },
      { ...axisStyle(), label: 'ms' },
    ],
    series: [
      {},
      ...c.runs.map((r, i) => ({
        label: t('results.history.run', { n: i + 1 }),
        stroke: palette(i),
        width: 0,
        points: { show: true, size: 9, fill: palette(i) },
      })),
    ],
    legend: { show: true },
  }), [c]);
  const data = useMemo(() => [c.workloads.map((_, i) => i), ...c.runs.map((_, r) => c.medianMs.map((row) => row[r] ?? null))] as uPlot.AlignedData, [c]);
  return (
    <figure>
      <Chart options={options} data={data} label={t('results.history.chartLabel')} />
      <figcaption class="small muted">{t('results.history.chartCaption')}</figcaption>
    </figure>
  );
}

function refusalText(r: CompareRefusal): string {
  switch (r.kind) {
    case 'mixed':
      return t('realmodels.compare.mixed');
    case 'different-models':
      return t('realmodels.compare.differentModels', { pairs: r.pairs.join('; ') });
    case 'different-tasks':
      return t('realmodels.compare.differentTasks', { tasks: r.tasks.join('; ') });
    default: {
      const never: never = r;
      return String(never);
    }
  }
}

function ComparePanel({ runs }: { runs: HistoryRecord[] }) {
  const refusal = useMemo(() => compareRefusal(runs), [runs]);
  if (refusal) {
    return (
      <section class="card" aria-labelledby="history-compare-title" data-testid="history-compare-refused" data-refusal={refusal.kind}>
        <h3 id="history-compare-title">{t('results.history.compare', { count: runs.length })}</h3>
        <p class="message-warn">{refusalText(refusal)}</p>
      </section>
    );
  }
  return <CompareTable runs={runs} />;
}

function CompareTable({ runs }: { runs: HistoryRecord[] }) {
  const c = useMemo(() => compareRuns(runs), [runs]);
  return (
    <section class="card" aria-labelledby="history-compare-title" data-testid="history-compare">
      <h3 id="history-compare-title">{t('results.history.compare', { count: runs.length })}</h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('results.history.workload')}</th>
              {c.runs.map((r, i) => (
                <th scope="col" class="num" key={r.localId} title={r.label}>
                  {t('results.history.run', { n: i + 1 })}
                  <br />
                  <span class="small muted">{r.label}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.workloads.map((w, wi) => (
              <tr key={w}>
                <th scope="row" class="mono">{w} <span class="small muted">({t('results.history.medianMs')})</span></th>
                {c.runs.map((r, ri) => <td class="num" key={r.localId}>{fmt(c.medianMs[wi]?.[ri] ?? null, 3)}</td>)}
              </tr>
            ))}
            {/* Energy is modelled, not measured: p50 with its p5–p95 range, labelled as an estimate. */}
            <tr>
              <th scope="row">{t('results.history.specializedJ')} <span class="small muted">({t('results.history.estimateRange')})</span></th>
              {c.specializedJ.map((v, i) => <td class="num" key={i}>{formatEstimate(v, (n) => fmt(n, 3))}</td>)}
            </tr>
            <tr>
              <th scope="row">{t('results.history.generalJ')} <span class="small muted">({t('results.history.estimateRange')})</span></th>
              {c.generalJ.map((v, i) => <td class="num" key={i}>{formatEstimate(v, (n) => fmt(n, 3))}</td>)}
            </tr>
            <tr>
              <th scope="row">{t('results.history.ratio')} <span class="small muted">({t('results.history.estimateRange')})</span></th>
              {c.ratio.map((v, i) => <td class="num" key={i}>{formatEstimate(v, (n) => fmt(n, 2), '×')}</td>)}
            </tr>
          </tbody>
        </table>
      </div>
      <CompareChart c={c} />
    </section>
  );
}

/** The preset, or for a real-models result "real models" and the model pair it measured. */
function PresetCell({ r }: { r: HistoryRecord }) {
  const pair = realPair(r.doc);
  if (pair) {
    return (
      <td data-testid="history-kind" data-kind="real-model">
        {t('realmodels.history.kind')} <span class="small muted mono">{realPairLabel(pair)}</span>
      </td>
    );
  }
  return (
    <td data-testid="history-kind" data-kind="synthetic">
      {r.doc.suite.preset} <span class="small muted">{r.doc.suite.version}</span>
    </td>
  );
}

/** A stored run opened from the list: its whole result, as after the run (a real-models one without the replies, never kept). */
function OpenedRun({ runs, id }: { runs: HistoryRecord[]; id: string }) {
  const r = runs.find((x) => x.localId === id);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening another run (`run=` changed) moves focus to its heading, so a keyboard or screen-reader
  // user lands on what just opened instead of staying on the list's link.
  useEffect(() => {
    heading.current?.focus();
  }, [id, r !== undefined]);
  if (!r) {
    return (
      <p class="card message-warn" data-testid="history-open-missing">
        {t('realmodels.history.missing')} <a href={hrefFor('history')}>{t('realmodels.history.close')}</a>
      </p>
    );
  }
  return (
    <section aria-labelledby="history-opened-h" data-testid="history-opened">
      <div class="row card">
        <h2 id="history-opened-h" tabIndex={-1} ref={heading}>{t('realmodels.history.opened', { date: fmtDate(r.doc.date ?? r.savedAt) })}</h2>
        <a href={hrefFor('history')}>{t('realmodels.history.close')}</a>
      </div>
      {/* Keyed by the run: another run is another panel, never the previous run's upload state (its receipt, "Withdraw now"). */}
      <ResultsPanel key={r.localId} doc={r.doc} localId={r.localId} />
    </section>
  );
}

export function HistoryView() {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<{ text: string; cls: string } | null>(null);
  const rev = historyRevision.value;

  useEffect(() => {
    let live = true;
    readHistory().then(
      ({ runs, skipped }) => {
        if (!live) return;
        setLoad({ kind: 'ready', runs, skipped });
        // Drop selections of runs that no longer exist.
        setSelected((s) => new Set([...s].filter((id) => runs.some((r) => r.localId === id))));
      },
      (e: unknown) => live && setLoad({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [rev]);

  const runs = load.kind === 'ready' ? load.runs : [];
  // `#/history?run=ID` opens that run below the list, so a stored result can be reopened by its link.
  const openId = location.value.params.get('run');
  const chosen = runs.filter((r) => selected.has(r.localId));
  const exportSet = chosen.length ? chosen : runs;
  const entries = () => exportSet.map((r) => ({ id: r.localId, doc: r.doc }));
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  const remove = async (r: HistoryRecord) => {
    if (!confirm(t('results.history.deleteConfirm'))) return;
    await deleteRun(r.localId);
  };
  const withdraw = async (r: HistoryRecord) => {
    if (!r.upload || !confirm(t('results.history.withdrawConfirm'))) return;
    const outcome = await withdrawResult(r.upload.remoteId, r.upload.token);
    if (outcome.kind === 'withdrawn' || outcome.kind === 'not-found') await clearUpload(r.localId);
    setNotice(withdrawMessage(outcome));
  };

  return (
    <div class="results-view" data-testid="history-view">
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('results.history.title')}</h2>
        <p class="small muted">{t('results.history.intro')}</p>
        <div aria-live="polite">
          {load.kind === 'loading' ? <p>{t('results.history.loading')}</p> : null}
          {load.kind === 'error' ? <p class="message-error">{t('results.history.error', { message: load.message })}</p> : null}
          {load.kind === 'ready' && load.skipped.length ? (
            <p class="message-error" data-testid="history-skipped">
              {tp('results.history.skipped', load.skipped.length, { reasons: [...new Set(load.skipped.map((s) => s.reason))].join('; ') })}
            </p>
          ) : null}
          {notice ? <p class={notice.cls}>{notice.text}</p> : null}
        </div>
        {load.kind === 'ready' && runs.length === 0 ? <p data-testid="history-empty">{t('results.history.empty')}</p> : null}
        {runs.length > 0 ? (
          <>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label={t('results.history.selectAll')}
                        checked={selected.size === runs.length}
                        onChange={(e) => setSelected((e.target as HTMLInputElement).checked ? new Set(runs.map((r) => r.localId)) : new Set())}
                      />
                    </th>
                    <th scope="col">{t('results.history.date')}</th>
                    <th scope="col">{t('results.history.adapter')}</th>
                    <th scope="col">{t('results.history.browser')}</th>
                    <th scope="col">{t('results.history.preset')}</th>
                    <th scope="col" class="num">{t('results.history.specializedJ')}</th>
                    <th scope="col" class="num">{t('results.history.generalJ')}</th>
                    <th scope="col" class="num">{t('results.history.ratio')}</th>
                    <th scope="col">{t('results.history.uploaded')}</th>
                    <th scope="col">{t('results.history.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((r) => {
                    const a = r.doc.environment.adapter;
                    const e = r.doc.energy;
                    return (
                      <tr key={r.localId} class={selected.has(r.localId) ? 'selected' : ''} data-testid="history-row">
                        <td>
                          <input type="checkbox" checked={selected.has(r.localId)} onChange={() => toggle(r.localId)} aria-label={t('results.history.select', { label: fmtDate(r.doc.date ?? r.savedAt) })} />
                        </td>
                        <td>{fmtDate(r.doc.date ?? r.savedAt)}</td>
                        <td>{a.vendor || '?'} / {a.architecture || '?'}</td>
                        <td>{r.doc.environment.browser.name} {r.doc.environment.browser.major ?? ''}</td>
                        <PresetCell r={r} />
                        <td class="num">{fmt(e?.perQuery.specialized.joules.p50 ?? null, 3)}</td>
                        <td class="num">{fmt(e?.perQuery.general.joules.p50 ?? null, 3)}</td>
                        <td class="num">{e ? `${fmt(e.ratio.p50, 2)}×` : '—'}</td>
                        <td>
                          {r.upload ? <span class="badge ok" title={r.upload.remoteId}>{t('results.history.uploaded')}</span> : <span class="badge">{t('results.history.notUploaded')}</span>}
                        </td>
                        <td class="row">
                          <a href={hrefFor('history', { run: r.localId })} data-testid="history-open" aria-current={openId === r.localId ? 'true' : undefined}>
                            {t('realmodels.history.open')}
                          </a>
                          {r.upload ? <button type="button" onClick={() => void withdraw(r)}>{t('results.history.withdraw')}</button> : null}
                          <button type="button" class="danger" onClick={() => void remove(r)}>{t('results.history.delete')}</button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <div class="row">
              <button type="button" onClick={() => downloadText('frugal-ai-lab-history.json', 'application/json', toJson(entries()))}>{t('results.history.exportJson')}</button>
              <button type="button" onClick={() => downloadText('frugal-ai-lab-history.csv', 'text/csv', toCsv(entries()))}>{t('results.history.exportCsv')}</button>
              <span class="small muted">{t('results.history.exportScope')}</span>
            </div>
          </>
        ) : null}
      </section>
      {load.kind === 'ready' && openId !== null ? <OpenedRun runs={runs} id={openId} /> : null}
      {chosen.length >= 2 ? <ComparePanel runs={chosen} /> : runs.length >= 2 ? <p class="small muted">{t('results.history.compareHint')}</p> : null}
    </div>
  );
}
