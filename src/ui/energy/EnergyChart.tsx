/**
 * Two bars (specialized, general) of energy per 1,000 queries at the median, with p5–p95
 * whiskers drawn in a uPlot draw hook. One series per model so each keeps its theme colour.
 */
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import { lang, t } from '../../i18n/index.ts';
import { scale3 } from '../../energy/index.ts';
import type { Range3 } from '../../shared/result.ts';
import { axisStyle, barsPath, Chart, cssVar } from '../Chart.tsx';
import { fmtWhRange, scaleWh } from './format.ts';

export function EnergyChart({ specialized, general }: { specialized: Range3; general: Range3 }) {
  const l = lang.value;
  const { options, data } = useMemo(() => {
    // One unit for both bars, chosen from the larger median.
    const unit = scaleWh(general.p50 >= specialized.p50 ? general : specialized);
    const k = unit.value.p50 / (general.p50 >= specialized.p50 ? general.p50 : specialized.p50);
    const rows: Range3[] = [specialized, general].map((r) => scale3(r, k));
    const top = Math.max(...rows.map((r) => r.p95)) * 1.1 || 1;
    const accent = cssVar('--accent', '#1f7a4d');
    const accent2 = cssVar('--accent-2', '#b4541b');
    const fg = cssVar('--fg', '#222');
    const names = [t('energy.role.specialized'), t('energy.role.general')];
    const bars = barsPath({ size: [0.5, 140] });
    const opts: Omit<uPlot.Options, 'width'> = {
      height: 240,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, 1.5] }, y: { range: () => [0, top] } },
      axes: [
        { ...axisStyle(), splits: () => [0, 1], values: (_u, splits) => splits.map((v) => names[v] ?? '') },
        { ...axisStyle(), label: `${unit.unit} ${t('energy.chart.axis')}`, size: 70 },
      ],
      series: [
        {},
        { label: names[0], fill: accent, stroke: accent, paths: bars, points: { show: false } },
        { label: names[1], fill: accent2, stroke: accent2, paths: bars, points: { show: false } },
      ],
      hooks: {
        draw: [
          (u: uPlot) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = fg;
            ctx.lineWidth = Math.max(1, devicePixelRatio * 1.5);
            rows.forEach((r, i) => {
              const x = u.valToPos(i, 'x', true);
              const y5 = u.valToPos(r.p5, 'y', true);
              const y95 = u.valToPos(r.p95, 'y', true);
              const cap = 10 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(x, y5);
              ctx.lineTo(x, y95);
              ctx.moveTo(x - cap, y5);
              ctx.lineTo(x + cap, y5);
              ctx.moveTo(x - cap, y95);
              ctx.lineTo(x + cap, y95);
              ctx.stroke();
            });
            ctx.restore();
          },
        ],
      },
    };
    const d: uPlot.AlignedData = [
      [0, 1],
      [rows[0]!.p50, null],
      [null, rows[1]!.p50],
    ];
    return { options: opts, data: d };
    // lang: axis names and unit labels follow the language.
  }, [specialized, general, l]);

  return (
    <Chart
      options={options}
      data={data}
      class="energy-chart"
      label={t('energy.chart.label', { spec: fmtWhRange(specialized), gen: fmtWhRange(general) })}
    />
  );
}
