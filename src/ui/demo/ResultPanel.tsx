/**
 * The punchline at the end of the race: the time gap, the energy gap with its range, the energy of
 * N answers of each model (N from the address) and one relatable equivalence.
 */
import { fmt, t } from '../../i18n/index.ts';
import { scale3 } from '../../energy/index.ts';
import type { EnergySection, Role, Workload } from '../../shared/result.ts';
import { fmtRange, fmtWhRange } from '../energy/format.ts';
import { pickEquivalence } from './meter.ts';

const ROLES: readonly Role[] = ['specialized', 'general'];

export function ResultPanel({ general, specialized, energy, queries }: { general: Workload; specialized: Workload; energy: EnergySection | undefined; queries: number }) {
  const eq = energy ? pickEquivalence(energy.perQuery.general, queries) : null;
  const n = fmt(queries, 9);
  return (
    <section class="punchline" aria-live="polite" data-testid="demo-result">
      <p class="punch-main">{t('demo.timeRatio', { ratio: fmt(general.timing.medianMs / specialized.timing.medianMs, 2) })}</p>
      {energy ? (
        <>
          <p data-testid="demo-ratio">{t('demo.energyRatio', { ratio: fmt(energy.ratio.p50, 2), low: fmt(energy.ratio.p5, 2), high: fmt(energy.ratio.p95, 2) })}</p>
          <div class="per-n">
            <span class="per-n-title">{t('demo.perN.title', { n })}</span>
            {ROLES.map((role) => (
              <span key={role} class={`per-n-item role-${role}`} data-testid={`per-n-${role}`}>
                {t('demo.perN.item', { role: t(`results.role.${role}`), value: fmtWhRange(scale3(energy.perQuery[role].joules, queries / 3600)) })}
              </span>
            ))}
          </div>
          {eq ? <p class="equivalence">{t('demo.equivalence', { n, what: t(`energy.eq.${eq.id}`, { amount: fmtRange(eq.amount) }) })}</p> : null}
        </>
      ) : (
        <p class="small">{t('demo.noEnergy')}</p>
      )}
      <p class="small muted">{t('results.synthetic')}</p>
    </section>
  );
}
