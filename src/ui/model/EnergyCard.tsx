/**
 * The energy estimate of each run, computed in the lab worker with the race's model (see
 * src/lab/onnx-session.ts); shown once it is ready.
 */
import { fmt, lang, t } from '../../i18n/index.ts';
import { energy } from '../../lab/onnx-session.ts';
import { energyLabel } from '../../shared/energy-label.ts';
import { EnergyLabelBadge } from '../energy/EnergyLabelBadge.tsx';
import { fmtGramsRange, fmtWhRange, profileLabel } from '../energy/format.ts';
import { hrefFor } from '../router.ts';

export function EnergyCard() {
  const s = energy.value;
  if (s.kind === 'none' || s.kind === 'pending') return null;
  if (s.kind === 'error') {
    return (
      <p class="small muted" data-testid="onnx-energy-error">
        {t('model.onnx.energyFailed', { detail: s.message })}
      </p>
    );
  }
  return (
    <div class="onnx-energy" data-testid="onnx-energy">
      <h3>{t('model.onnx.energyTitle')}</h3>
      <ul class="small">
        {s.rows.map(({ ep, ctx, e }) => (
          <li key={ep}>
            {t('model.onnx.energyLine', {
              ep: t(`model.onnx.ep.${ep}`),
              perRun: fmtWhRange({ p5: e.joules.p5 / 3600, p50: e.joules.p50 / 3600, p95: e.joules.p95 / 3600 }),
              per1000: fmtWhRange(e.whPer1000),
              co2: fmtGramsRange(e.gCO2e),
              profile: profileLabel(ctx.profile, lang.value),
              country: ctx.grid.country,
              g: fmt(ctx.grid.gPerKWh, 3),
            })}
            {/* The A–E class of one run beside its figure, as in the energy panel. */}{' '}
            <EnergyLabelBadge label={energyLabel(e.joules)} />
          </li>
        ))}
      </ul>
      <p class="small muted">
        {t('model.onnx.energyNote')} <a href={hrefFor('methodology')}>{t('model.onnx.energyLink')}</a>
      </p>
    </div>
  );
}
