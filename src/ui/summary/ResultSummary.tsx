/**
 * The answer a visitor came for, at the top of a finished run: how many times more energy the
 * general model used than the specialized one (with its range), each model's energy per query and
 * per 1,000 queries with ranges and its A–E label, and one relatable equivalence. The figures are
 * the estimate the energy sections below show (one estimate, `useEnergyEstimate`); the
 * equivalence is chosen as the demo's punchline chooses it.
 */
import { fmt, fmtDate, t } from '../../i18n/index.ts';
import { scale3 } from '../../energy/index.ts';
import { energyLabel } from '../../shared/energy-label.ts';
import type { ResultDocument, Role, Workload } from '../../shared/result.ts';
import { pickEquivalence } from '../demo/meter.ts';
import { EnergyLabelBadge } from '../energy/EnergyLabelBadge.tsx';
import { fmtJRange, fmtRange, fmtWhRange } from '../energy/format.ts';
import type { EnergyEstimate } from '../energy/use-energy.ts';
import { HowItWorksButton } from '../FirstVisit.tsx';

const ROLES: readonly Role[] = ['specialized', 'general'];
/** The scale a reader pictures: a service answering a thousand questions. */
const QUERIES = 1000;

function model(doc: ResultDocument, role: Role): Workload | undefined {
  return doc.workloads.find((w) => w.kind === 'model' && w.role === role);
}

export function ResultSummary({ doc, est }: { doc: ResultDocument; est: EnergyEstimate | null }) {
  const e = est?.energy ?? null;
  const eq = e ? pickEquivalence(e.perQuery.general, QUERIES) : null;
  const hasModels = ROLES.every((r) => model(doc, r));
  return (
    <section class="card result-summary" data-testid="result-summary" aria-labelledby="result-summary-h">
      <h2 id="result-summary-h">{t('results.title')}</h2>
      {e ? (
        <p class="summary-ratio" data-testid="summary-ratio">
          <span class="badge warn">{t('energy.estimate')}</span>{' '}
          {t('guide.summary.ratio', { ratio: fmt(e.ratio.p50, 1), low: fmt(e.ratio.p5, 1), high: fmt(e.ratio.p95, 1) })}
        </p>
      ) : null}
      {hasModels && est && !e ? (
        <p class="muted" aria-live="polite">
          {est.error ?? (est.bothRoles ? t('energy.computing') : t('energy.missingRole'))}
        </p>
      ) : null}
      {e ? (
        <div class="summary-models">
          {ROLES.map((role) => {
            const w = model(doc, role);
            const q = e.perQuery[role];
            return (
              <div key={role} class={`summary-model role-${role}`} data-testid={`summary-${role}`}>
                <h3>
                  {t(`results.role.${role}`)} <EnergyLabelBadge label={q.label ?? energyLabel(q.joules)} />
                </h3>
                <p data-testid={`summary-per-query-${role}`}>
                  {t('guide.summary.perQuery')} <strong>{fmtJRange(q.joules)}</strong>
                </p>
                <p data-testid={`summary-per-1000-${role}`}>
                  {t('guide.summary.per1000', { n: fmt(QUERIES, 4) })} <strong>{fmtWhRange(scale3(q.joules, QUERIES / 3600))}</strong>
                </p>
                {w ? <p class="small muted">{t('guide.summary.time', { ms: fmt(w.timing.medianMs, 3) })}</p> : null}
              </div>
            );
          })}
        </div>
      ) : null}
      {eq ? (
        <p class="summary-equivalence" data-testid="summary-equivalence">
          {t('guide.summary.equivalence', { n: fmt(QUERIES, 4), what: t(`energy.eq.${eq.id}`, { amount: fmtRange(eq.amount) }) })}
        </p>
      ) : null}
      {(doc.flags ?? []).map((f) => (
        <p class="badge warn" key={f}>
          {t(`flag.${f}`)}
        </p>
      ))}
      <p class="small muted" data-testid="results-summary">
        {t('results.summary', {
          vendor: doc.environment.adapter.vendor || '?',
          arch: doc.environment.adapter.architecture || '?',
          timing: t(`timing.${doc.environment.timing}`),
          preset: doc.suite.preset,
          version: doc.suite.version,
        })}
        {doc.date ? ` · ${fmtDate(doc.date)}` : ''}
      </p>
      {e ? (
        <p class="small muted">
          {t('guide.summary.note')} <HowItWorksButton />
        </p>
      ) : null}
    </section>
  );
}
