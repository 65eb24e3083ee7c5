/**
 * Measured watts beside the estimate: when the run was recorded by a sensor of the machine
 * (`npm start` on it, src/lab/power.ts), each model's measured joules per query sit next to the
 * estimated ones, each labelled with how it was obtained ("measured with nvidia-smi, GPU board" /
 * "estimated"), with the measured gap ratio and estimate ÷ measured. When the measurement could
 * not be made, one line says why; a page without a local server shows nothing.
 */
import { fmt, t } from '../../i18n/index.ts';
import type { Coverage, MeasuredReason, MeasuredSection, SensorKind } from '../../shared/power.ts';
import type { EnergySection, Role } from '../../shared/result.ts';
import { withEstimate } from '../../shared/measured.ts';
import { fmtRange } from './format.ts';

// Literal keys, one per closed id: a new id fails to compile until it has its sentence.
const REASON: Record<MeasuredReason, string> = {
  'no-local-server': 'energy.measured.reason.noLocalServer',
  'no-readable-sensor': 'energy.measured.reason.noReadableSensor',
  'sensor-failed': 'energy.measured.reason.sensorFailed',
  'sensor-busy': 'energy.measured.reason.sensorBusy',
  'trace-gap': 'energy.measured.reason.traceGap',
  'window-too-short': 'energy.measured.reason.windowTooShort',
  'recording-lost': 'energy.measured.reason.recordingLost',
  'no-model-window': 'energy.measured.reason.noModelWindow',
  'implausible-reading': 'energy.measured.reason.implausibleReading',
};
const KIND: Record<SensorKind, string> = {
  'nvidia-smi': 'energy.measured.kind.nvidiaSmi',
  hwmon: 'energy.measured.kind.hwmon',
  rapl: 'energy.measured.kind.rapl',
  powermetrics: 'energy.measured.kind.powermetrics',
};
const COVERAGE: Record<Coverage, string> = {
  'gpu-board': 'energy.measured.coverage.gpuBoard',
  'cpu-package': 'energy.measured.coverage.cpuPackage',
  'whole-system': 'energy.measured.coverage.wholeSystem',
};

const ROLES: readonly Role[] = ['specialized', 'general'];

/** "measured with nvidia-smi, GPU board". */
export function measuredLabel(m: Extract<MeasuredSection, { available: true }>): string {
  return t('energy.measured.with', { kind: t(KIND[m.sensor.kind]), coverage: t(COVERAGE[m.sensor.coverage]) });
}

/** `measured` of the document; `e` the estimate shown now (its profile or grid may have changed since the run). */
export function MeasuredBeside({ measured, e }: { measured: MeasuredSection | undefined; e: EnergySection | null }) {
  if (!measured || (!measured.available && measured.reason === 'no-local-server')) return null;
  if (!measured.available) {
    return (
      <p class="small muted" data-testid="energy-measured">
        {t('energy.measured.unavailable', { reason: t(REASON[measured.reason]) })}
      </p>
    );
  }
  // Estimate ÷ measured against the estimate on screen, not the one the run started with.
  const m = withEstimate(measured, e ?? undefined);
  if (!m.available) return null;
  const roles = ROLES.filter((r) => m.perQuery[r]);
  return (
    <div class="table-wrap" data-testid="energy-measured">
      <table class="energy-table">
        <caption class="small muted">
          {t('energy.measured.caption', { idle: fmt(m.idleW, 2), samples: fmt(m.samples, 4), period: fmt(m.sensor.periodMs, 2) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('energy.table.quantity')}</th>
            <th scope="col">
              {t('energy.measured.col.measured')} <span class="badge">{measuredLabel(m)}</span>
            </th>
            <th scope="col">
              {t('energy.measured.col.estimated')} <span class="badge warn">{t('energy.estimate')}</span>
            </th>
            <th scope="col">{t('energy.measured.col.ratio')}</th>
          </tr>
        </thead>
        <tbody>
          {roles.map((role) => {
            const r = m.perQuery[role]!;
            return (
              <tr key={role} class={`role-${role}`} data-role={role}>
                <th scope="row">
                  {t('energy.row.marginal')} — {t(`energy.role.${role}`)}
                </th>
                <td class="num">
                  {t('energy.measured.perQuery', { joules: fmt(r.joules, 2), attributional: fmt(r.attributionalJoules, 2), watts: fmt(r.meanW, 2), ms: fmt(r.queryMs, 2) })}
                </td>
                <td class="num">{e ? `${fmtRange(e.perQuery[role].joules)} J` : '—'}</td>
                <td class="num">{r.estimateOverMeasured === null ? '—' : `× ${fmt(r.estimateOverMeasured, 2)}`}</td>
              </tr>
            );
          })}
          <tr data-role="ratio">
            <th scope="row">{t('energy.measured.gap')}</th>
            <td class="num">{m.ratio === null ? t('energy.measured.noGap') : `× ${fmt(m.ratio, 2)}`}</td>
            <td class="num">{e ? `× ${fmtRange(e.ratio)}` : '—'}</td>
            <td class="num">{e && m.ratio !== null ? `× ${fmt(e.ratio.p50 / m.ratio, 2)}` : '—'}</td>
          </tr>
        </tbody>
      </table>
      <p class="small muted">{t('energy.measured.method')}</p>
    </div>
  );
}
