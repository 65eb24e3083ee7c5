/**
 * The efficiency-gap figures: headline, bars with p5–p95 whiskers, per-query and per-1,000 table,
 * equivalences, "what if" scaling, budget calculator, literature comparison, and the profile,
 * grid and embodied-carbon settings that feed the estimate. Every figure carries its range and
 * the word "estimate". In the results view each part sits in a section that opens on demand
 * (`EnergySections` with a `section` wrapper); `EnergyPanel` shows them all at once.
 */
import type { ComponentChildren, VNode } from 'preact';
import { useState } from 'preact/hooks';
import { fmt, lang, t, tp } from '../../i18n/index.ts';
import { energyLabel } from '../../shared/energy-label.ts';
import type { EnergySection, ResultDocument, Role } from '../../shared/result.ts';
import {
  equivalencesFor,
  LITERATURE,
  queriesWithinBudget,
  scaleScenario,
  type EnergyContext,
  type EnergyResult,
  scale3,
} from '../../energy/index.ts';
import type { SectionId } from '../summary/sections.ts';
import { hrefFor } from '../router.ts';
import { EnergyChart } from './EnergyChart.tsx';
import { EnergyLabelBadge } from './EnergyLabelBadge.tsx';
import { GridPicker } from './GridPicker.tsx';
import { MeasuredBeside } from './MeasuredBeside.tsx';
import { ProfilePicker } from './ProfilePicker.tsx';
import { ProvenanceTable } from './ProvenanceTable.tsx';
import { fmtGramsInterval, fmtGramsRange, fmtRange, fmtWhRange, fmtWhValue, logSliderPos, logSliderValue } from './format.ts';
import { useEnergyEstimate, type ComputeEnergy, type EnergyEstimate } from './use-energy.ts';
import './energy.css';

export interface EnergyPanelProps {
  doc: ResultDocument;
  onEnergy?: (e: EnergySection) => void;
  compute?: ComputeEnergy;
}

/** Wraps one part of the energy figures (a disclosure in the results view, nothing standalone). */
export type SectionWrap = (id: SectionId, children: ComponentChildren) => VNode | null;

const showAll: SectionWrap = (id, children) => <div data-section={id}>{children}</div>;

/** The extra fields computeEnergy adds, when the section came from it (a worker returns the same object). */
export function asEnergyResult(e: EnergySection): EnergyResult | null {
  return 'per1000' in e && 'method' in e ? (e as EnergyResult) : null;
}

/** Every energy figure at once, with its own estimate (used where no summary sits above it). */
export function EnergyPanel({ doc, onEnergy, compute }: EnergyPanelProps) {
  const est = useEnergyEstimate(doc, compute, onEnergy);
  return <EnergySections doc={doc} est={est} section={showAll} />;
}

export function EnergySections({ doc, est, section }: { doc: ResultDocument; est: EnergyEstimate; section: SectionWrap }) {
  // Reading the signal subscribes this component: a language switch re-renders every figure.
  void lang.value;
  const { energy, error, auto, profile, grid, zone, ctx } = est;

  if (!est.bothRoles) {
    return (
      <section class="card energy-panel" data-testid="energy-panel">
        <h2>{t('energy.title')}</h2>
        <p class="muted">{t('energy.missingRole')}</p>
      </section>
    );
  }

  return (
    <div class="energy-panel" data-testid="energy-panel">
      {section(
        'energy',
        <div class="card">
          <h3 id="energy-title">
            {t('energy.title')} <span class="badge warn">{t('energy.estimate')}</span>
          </h3>
          <div aria-live="polite" aria-busy={energy === null && error === null}>
            {error ? <p class="warn-text" role="alert">{error}</p> : null}
            {energy === null && error === null ? <p class="muted">{t('energy.computing')}</p> : null}
            {energy ? <Headline e={energy} /> : null}
          </div>
          {energy ? <EnergyChart specialized={scale3(energy.perQuery.specialized.joules, 1000 / 3600)} general={scale3(energy.perQuery.general.joules, 1000 / 3600)} /> : null}
          {energy ? <FiguresTable e={energy} /> : null}
          <p class="small">
            <a href={hrefFor('methodology')}>{t('energy.methodologyLink')}</a>
          </p>
        </div>,
      )}
      {doc.measured && (doc.measured.available || doc.measured.reason !== 'no-local-server') ? section('measured', <MeasuredBeside measured={doc.measured} e={energy} />) : null}
      {energy ? section('provenance', <ProvenanceTable doc={doc} e={energy} />) : null}
      {energy ? section('equivalences', <Equivalences e={energy} />) : null}
      {energy && doc.suite.preset === LITERATURE.replica.preset ? section('literature', <Literature e={energy} />) : null}
      {energy ? section('whatif', <WhatIf e={energy} />) : null}
      {energy ? section('budget', <Budget e={energy} />) : null}
      {section('profile', <ProfilePicker auto={auto} current={profile} onChange={est.setProfile} adapter={doc.environment.adapter} />)}
      {section('grid', <GridPicker grid={grid} zone={zone} onChange={est.setGrid} />)}
      {section('embodied', <Embodied e={energy} ctx={ctx} />)}
    </div>
  );
}

function Headline({ e }: { e: EnergySection }) {
  const r = asEnergyResult(e);
  const spec = scale3(e.perQuery.specialized.joules, 1000 / 3600);
  const gen = scale3(e.perQuery.general.joules, 1000 / 3600);
  return (
    <>
      <p class="energy-headline" data-testid="energy-headline">
        <span class="badge warn">{t('energy.estimate')}</span>{' '}
        {t('energy.headline', {
          spec: fmtWhRange(spec),
          gen: fmtWhRange(gen),
          ratio: fmt(e.ratio.p50, 1),
          low: fmt(e.ratio.p5, 1),
          high: fmt(e.ratio.p95, 1),
        })}
      </p>
      <p class="small muted">{r ? tp('guide.plural.headlineNote', r.method.draws) : t('guide.headlineNoteNoDraws')}</p>
    </>
  );
}

function FiguresTable({ e }: { e: EnergySection }) {
  const r = asEnergyResult(e);
  const roles: Role[] = ['specialized', 'general'];
  const rows: { key: string; perQuery: (role: Role) => string; per1000: (role: Role) => string; labelled?: boolean }[] = [
    {
      key: 'energy.row.marginal',
      // The A–E class of the per-query energy sits beside this figure (never in its place).
      labelled: true,
      perQuery: (role) => `${fmtRange(e.perQuery[role].joules)} J · ${fmtWhRange(scale3(e.perQuery[role].joules, 1 / 3600))}`,
      per1000: (role) => fmtWhRange(scale3(e.perQuery[role].joules, 1000 / 3600)),
    },
    ...(r
      ? [
          {
            key: 'energy.row.attributional',
            perQuery: (role: Role) => `${fmtRange(r.perQuery[role].attributionalJoules)} J`,
            per1000: (role: Role) => fmtWhRange(r.per1000[role].attributionalWh),
          },
        ]
      : []),
    {
      key: 'energy.row.co2',
      perQuery: (role) => fmtGramsRange(e.perQuery[role].gCO2e),
      per1000: (role) => fmtGramsRange(scale3(e.perQuery[role].gCO2e, 1000)),
    },
  ];
  return (
    <div class="table-wrap">
      <table class="energy-table" data-testid="energy-table">
        <caption class="small muted">{t('energy.table.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('energy.table.quantity')}</th>
            <th scope="col">{t('energy.table.perQuery')}</th>
            <th scope="col">{t('energy.table.per1000')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((row) =>
            roles.map((role) => (
              <tr key={`${row.key}-${role}`} class={`role-${role}`}>
                <th scope="row">
                  {t(row.key)} — {t(`energy.role.${role}`)}
                </th>
                <td class="num">
                  {row.perQuery(role)}
                  {row.labelled ? (
                    <>
                      {' '}
                      {/* Sections stored before labels existed get theirs from the same function. */}
                      <EnergyLabelBadge label={e.perQuery[role].label ?? energyLabel(e.perQuery[role].joules)} />
                    </>
                  ) : null}
                </td>
                <td class="num">{row.per1000(role)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {r ? <p class="small muted">{tp('guide.plural.reproduce', r.method.draws, { seed: r.method.seed, version: r.method.formulasVersion })}</p> : null}
    </div>
  );
}

function Equivalences({ e }: { e: EnergySection }) {
  const roles: Role[] = ['specialized', 'general'];
  return (
    <section class="card" aria-labelledby="energy-eq-h">
      <h3 id="energy-eq-h">{t('energy.eq.title')}</h3>
      {roles.map((role) => {
        const items = equivalencesFor(scale3(e.perQuery[role].joules, 1000 / 3600), scale3(e.perQuery[role].gCO2e, 1000));
        return (
          <div key={role} class={`energy-eq role-${role}`}>
            <h4>{t(`energy.role.${role}`)}</h4>
            <ul>
              {items.map((it) => (
                <li key={it.id}>
                  {t(`energy.eq.${it.id}`, { amount: fmtRange(it.amount) })}{' '}
                  <a class="small" href={it.url} title={it.source} target="_blank" rel="noopener noreferrer">
                    {t('energy.eq.source')}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/**
 * The study's figures beside this lab's: shown for the paper preset only, the one whose two
 * architectures are those of the study's models. Each quoted pair stands on its own (two pairs
 * are no range over all pairs); a pair whose models are not transcribed says so.
 */
function Literature({ e }: { e: EnergySection }) {
  const p = LITERATURE.powerHungryProcessing;
  const r = LITERATURE.replica;
  // Three significant digits: 67 and 494 million.
  const millions = (n: number) => fmt(n / 1e6, 2);
  return (
    <section class="card energy-literature" aria-labelledby="energy-lit-h" data-testid="energy-literature">
      <h3 id="energy-lit-h">{t('energy.lit.title')}</h3>
      <p>{t('energy.lit.body', { mean: fmt(p.meanRatio, 1) })}</p>
      <p>{t('energy.lit.pairsIntro')}</p>
      <ul>
        {p.pairs.map((pair, i) => (
          <li key={i} data-testid="energy-lit-pair">
            {t('energy.lit.pair', {
              ratio: fmt(pair.ratio, 1),
              models:
                pair.general !== null && pair.specialized !== null
                  ? t('energy.lit.pairModels', { general: pair.general, specialized: pair.specialized })
                  : t('energy.lit.pairUnknown'),
            })}
          </li>
        ))}
      </ul>
      <p>
        <strong>
          {t('energy.lit.yours', {
            general: r.general.name,
            generalParams: millions(r.general.parameters),
            specialized: r.specialized.name,
            specializedParams: millions(r.specialized.parameters),
            ratio: fmt(e.ratio.p50, 1),
            low: fmt(e.ratio.p5, 1),
            high: fmt(e.ratio.p95, 1),
          })}
        </strong>
      </p>
      <p class="small muted">{t('energy.lit.note')}</p>
      <p class="small">
        <a href={p.url} target="_blank" rel="noopener noreferrer">
          {p.citation}
        </a>
      </p>
    </section>
  );
}

function WhatIf({ e }: { e: EnergySection }) {
  const r = asEnergyResult(e);
  const [qPos, setQPos] = useState(logSliderPos(10, 0, 3));
  const [uPos, setUPos] = useState(logSliderPos(1000, 0, 6));
  const queries = logSliderValue(qPos, 0, 3);
  const users = logSliderValue(uPos, 0, 6);
  const roles: Role[] = ['specialized', 'general'];
  return (
    <section class="card" aria-labelledby="energy-whatif-h">
      <h3 id="energy-whatif-h">{t('energy.whatif.title')}</h3>
      <label class="energy-slider">
        {t('energy.whatif.queries', { n: fmt(queries, 3) })}
        <input type="range" min={0} max={100} value={qPos} onInput={(ev) => setQPos(Number((ev.target as HTMLInputElement).value))} />
      </label>
      <label class="energy-slider">
        {t('energy.whatif.users', { n: fmt(users, 6) })}
        <input type="range" min={0} max={100} value={uPos} onInput={(ev) => setUPos(Number((ev.target as HTMLInputElement).value))} />
      </label>
      <ul aria-live="polite">
        {roles.map((role) => {
          const wh = scaleScenario(scale3(e.perQuery[role].joules, 1 / 3600), { queriesPerDay: queries, users });
          const g = scaleScenario(e.perQuery[role].gCO2e, { queriesPerDay: queries, users });
          return (
            <li key={role}>
              {t('energy.whatif.result', { model: t(`energy.role.${role}`), energy: fmtWhRange(wh.perDay), carbon: fmtGramsRange(g.perYear) })}
            </li>
          );
        })}
      </ul>
      {r ? (
        <p>
          {(() => {
            const s = scaleScenario(scale3(r.saving.joules, 1 / 3600), { queriesPerDay: queries, users }).perYear;
            return t('energy.whatif.saving', { energy: fmtWhValue(s.p50), low: fmtWhValue(s.p5), high: fmtWhValue(s.p95) });
          })()}
        </p>
      ) : null}
    </section>
  );
}

function Budget({ e }: { e: EnergySection }) {
  const [amount, setAmount] = useState('10');
  const [unit, setUnit] = useState<'wh' | 'g'>('wh');
  const budget = Number(amount.replace(',', '.'));
  const roles: Role[] = ['specialized', 'general'];
  return (
    <section class="card" aria-labelledby="energy-budget-h">
      <h3 id="energy-budget-h">{t('energy.budget.title')}</h3>
      <div class="row">
        <label>
          {t('energy.budget.amount')}
          <input inputMode="decimal" size={6} value={amount} onInput={(ev) => setAmount((ev.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('energy.budget.unit')}
          <select value={unit} onChange={(ev) => setUnit((ev.target as HTMLSelectElement).value === 'g' ? 'g' : 'wh')}>
            <option value="wh">{t('energy.budget.unitWh')}</option>
            <option value="g">{t('energy.budget.unitG')}</option>
          </select>
        </label>
      </div>
      <ul aria-live="polite">
        {roles.map((role) => {
          const cost = unit === 'wh' ? scale3(e.perQuery[role].joules, 1 / 3600) : e.perQuery[role].gCO2e;
          const q = queriesWithinBudget(Number.isFinite(budget) ? budget : 0, cost);
          return (
            <li key={role}>
              {t('energy.budget.result', { model: t(`energy.role.${role}`), queries: fmt(q.p50, 2), low: fmt(q.p5, 2), high: fmt(q.p95, 2) })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Embodied({ e, ctx }: { e: EnergySection | null; ctx: EnergyContext }) {
  const r = e ? asEnergyResult(e) : null;
  const emb = ctx.embodied;
  const perQuery = r?.perQuery.general.embodiedGCO2e ?? null;
  const per1000 = r?.per1000.general.embodiedGCO2e ?? null;
  return (
    <section class="card energy-embodied" aria-labelledby="energy-emb-h">
      <h3 id="energy-emb-h">{t('energy.embodied.title')}</h3>
      {emb && perQuery && per1000 ? (
        <>
          <p>
            {t('energy.embodied.body', {
              kg: fmt(emb.kgCO2e, 2),
              years: fmt(emb.lifetimeYears, 1),
              perQuery: fmtGramsInterval(perQuery),
              per1000: fmtGramsInterval(per1000),
            })}
          </p>
          <p class="small muted">{t('energy.embodied.source', { source: emb.source })}</p>
        </>
      ) : (
        <p class="muted">{t('energy.embodied.none')}</p>
      )}
    </section>
  );
}
