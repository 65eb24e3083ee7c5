/** Timing samples per execution provider, live while a run measures. */
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import { t } from '../../i18n/index.ts';
import type { OnnxEp } from '../../lab/onnx-session.ts';
import { axisStyle, Chart, cssVar } from '../Chart.tsx';

const EP_COLOURS: Record<OnnxEp, [string, string]> = { webgpu: ['--accent', '#1f7a4d'], wasm: ['--accent-2', '#7a4d1f'] };

export function SamplesChart({ series }: { series: { ep: OnnxEp; ms: number[] }[] }) {
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
