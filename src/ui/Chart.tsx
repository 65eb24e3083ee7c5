/**
 * A thin Preact wrapper over uPlot: created once per options object, data pushed with setData,
 * width follows the container. Colours come from the CSS custom properties of the theme.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
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

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(200, el.clientWidth || 600);
    plot.current = new uPlot({ ...options, width }, data, el);
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (plot.current && Math.abs(plot.current.width - w) > 2) plot.current.setSize({ width: w, height: options.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Recreate when the options object changes (series added or removed).
  }, [options]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={host} class={`chart ${cls ?? ''}`} role="img" aria-label={label} />;
}

export function axisStyle(): Partial<uPlot.Axis> {
  const fg = cssVar('--muted', '#666');
  const grid = cssVar('--border', '#ddd');
  return { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}
