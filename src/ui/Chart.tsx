/**
 * A thin Preact wrapper over uPlot: created once per options object, data pushed with setData,
 * width follows the container. Colours come from the CSS custom properties of the theme.
 *
 * uPlot itself (≈ 20 KB gzip) loads on demand, the first time a chart mounts: no chart is on the
 * first screen, whose script has a budget. Its table alternative renders at once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmt, t } from '../i18n/index.ts';

export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

let lib: typeof uPlot | null = null;
let loading: Promise<typeof uPlot> | null = null;

function loadUplot(): Promise<typeof uPlot> {
  return (loading ??= import('uplot').then(
    (m) => (lib = m.default),
    (e: unknown) => {
      // A failed chunk (offline, a deploy that replaced it) may succeed on the next chart.
      loading = null;
      throw e;
    },
  ));
}

/**
 * uPlot's bar path builder, usable in options built before uPlot has loaded: a path is only
 * drawn by a live plot, and a live plot means the library is there.
 */
export function barsPath(opts: uPlot.Series.BarsPathBuilderOpts): uPlot.Series.PathBuilder {
  let builder: uPlot.Series.PathBuilder | null = null;
  return (u, seriesIdx, idx0, idx1) => {
    builder ??= lib!.paths.bars!(opts);
    return builder(u, seriesIdx, idx0, idx1);
  };
}

export interface ChartProps {
  options: Omit<uPlot.Options, 'width'> & { width?: number };
  data: uPlot.AlignedData;
  /** Accessible summary of what the chart shows (charts are images to screen readers). */
  label: string;
  class?: string;
}

export function Chart({ options, data, label, class: cls }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let live = true;
    let ro: ResizeObserver | null = null;
    const create = (U: typeof uPlot): void => {
      if (!live) return;
      const width = Math.max(200, el.clientWidth || 600);
      plot.current = new U({ ...options, width }, latest.current, el);
      ro = new ResizeObserver(() => {
        const w = Math.max(200, el.clientWidth);
        if (plot.current && Math.abs(plot.current.width - w) > 2) plot.current.setSize({ width: w, height: options.height });
      });
      ro.observe(el);
    };
    if (lib) create(lib);
    else loadUplot().then(create, () => live && setFailed(true));
    return () => {
      live = false;
      ro?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Recreate when the options object changes (series added or removed).
  }, [options]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <div class="chart-wrap">
      <div ref={host} class={`chart ${cls ?? ''}`} role="img" aria-label={label} />
      {failed ? <p class="small muted">{t('view.loadFailed')}</p> : null}
      <ChartTable options={options} data={data} label={label} />
    </div>
  );
}

/** Rows a chart's table shows at most: beyond, a screen-reader user is better served by the export. */
const MAX_TABLE_ROWS = 200;

function seriesLabel(s: uPlot.Series | undefined, i: number): string {
  const l = s?.label;
  return typeof l === 'string' && l ? l : `#${i}`;
}

/**
 * The chart's data as a table, for screen readers and anyone who wants the numbers: closed by
 * default and built only when opened (a live chart changes at every progress event).
 */
function ChartTable({ options, data, label }: Pick<ChartProps, 'options' | 'data' | 'label'>) {
  const [open, setOpen] = useState(false);
  const x = data[0] ?? [];
  const rows = Math.min(x.length, MAX_TABLE_ROWS);
  return (
    <details class="chart-table small" onToggle={(e) => setOpen((e.currentTarget).open)}>
      <summary>{t('classroom.chart.table')}</summary>
      {open ? (
        <table>
          <caption class="sr-only">{label}</caption>
          <thead>
            <tr>
              {data.map((_, i) => (
                <th key={i} scope="col">
                  {seriesLabel(options.series[i], i)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, r) => (
              <tr key={r}>
                {data.map((col, i) => {
                  const v = col[r];
                  return <td key={i}>{typeof v === 'number' ? fmt(v, 3) : '—'}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </details>
  );
}

export function axisStyle(): Partial<uPlot.Axis> {
  const fg = cssVar('--muted', '#666');
  const grid = cssVar('--border', '#ddd');
  return { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}
