/**
 * The efficiency-gap view: headline, bars with p5–p95 whiskers, per-query and per-1,000 table,
 * equivalences, "what if" scaling, budget calculator, literature comparison, and the profile,
 * grid and embodied-carbon settings that feed the estimate. Every figure carries its range and
 * the word "estimate".
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fmt, lang, t } from '../../i18n/index.ts';
import { errorName } from '../../shared/errors.ts';
import { energyLabel } from '../../shared/energy-label.ts';
import type { EnergySection, ResultDocument, Role } from '../../shared/result.ts';
import {
  computeEnergy,
  currentTimeZone,
  cpuThreadsHere,
  detectBattery,
  measuredPeakGflops,
  embodiedFor,
  equivalencesFor,
  gridFromTimeZone,
  LITERATURE,
  queriesWithinBudget,
  restoreGrid,
  restoreProfile,
  scaleScenario,
  selectProfile,
  type EnergyContext,
  type EnergyResult,
  type GridChoice,
  type ProfileChoice,
  scale3,
} from '../../energy/index.ts';
import { hrefFor } from '../router.ts';
import { EnergyChart } from './EnergyChart.tsx';
import { EnergyLabelBadge } from './EnergyLabelBadge.tsx';
import { GridPicker } from './GridPicker.tsx';
import { MeasuredBeside } from './MeasuredBeside.tsx';
import { ProfilePicker } from './ProfilePicker.tsx';
import { ProvenanceTable } from './ProvenanceTable.tsx';
import { fmtGramsInterval, fmtGramsRange, fmtRange, fmtWhRange, fmtWhValue, logSliderPos, logSliderValue } from './format.ts';
import './energy.css';

export interface EnergyPanelProps {
  doc: ResultDocument;
  onEnergy?: (e: EnergySection) => void;
  compute?: (doc: ResultDocument, ctx: EnergyContext) => Promise<EnergySection>;
}


/** The extra fields computeEnergy adds, when the section came from it (a worker returns the same object). */
function asEnergyResult(e: EnergySection): EnergyResult | null {
  return 'per1000' in e && 'method' in e ? (e as EnergyResult) : null;
}

function hasBothRoles(doc: ResultDocument): boolean {
  const roles = new Set(doc.workloads.filter((w) => w.kind === 'model').map((w) => w.role));
  return roles.has('general') && roles.has('specialized');
}

/**
 * The first grid: the one the document was computed with (URL country, earlier choice, a
 * result from history), else the time zone.
 */
function initialGrid(doc: ResultDocument, zone: string | null): GridChoice {
  const g = doc.energy?.grid;
  if (g) {
    try {
      return restoreGrid(g);
    } catch {
      // An unusable stored value: fall back to the time zone.
    }
  }
  return gridFromTimeZone(zone);
}

/** A stored profile that differs from the automatic one is kept as the override. */
function initialOverride(doc: ResultDocument, auto: ProfileChoice): ProfileChoice | null {
  const p = doc.energy?.profile;
  if (!p || (p.source === 'catalog' && p.id === auto.id)) return null;
  return restoreProfile(p, auto, doc.environment.adapter);
}

export function EnergyPanel({ doc, onEnergy, compute }: EnergyPanelProps) {
  // Reading the signal subscribes this component: a language switch re-renders every figure.
  void lang.value;
  const zone = useMemo(() => currentTimeZone(), []);
  const [battery, setBattery] = useState<boolean | null | undefined>(undefined);
  // undefined until the first automatic profile is known (it depends on battery detection).
  const [override, setOverride] = useState<ProfileChoice | null | undefined>(undefined);
  const [grid, setGrid] = useState<GridChoice>(() => initialGrid(doc, zone));
  const [energy, setEnergy] = useState<EnergySection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);
  const bothRoles = hasBothRoles(doc);

  useEffect(() => {
    let live = true;
    void detectBattery().then((b) => live && setBattery(b));
    return () => {
      live = false;
    };
  }, []);

  const a = doc.environment.adapter;
  const auto = useMemo(
    // Results shown here were measured in this browser (a run or its local history), so this
    // machine's thread count and the run's own FMA peak are the evidence for an Apple tier.
    () =>
      selectProfile(
        { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter },
        { hasBattery: battery ?? null, hints: { cpuThreads: cpuThreadsHere(), measuredPeakGflops: measuredPeakGflops(doc) } },
      ).profile,
    [a.vendor, a.architecture, a.isFallbackAdapter, battery, doc],
  );
  useEffect(() => {
    if (battery !== undefined && override === undefined) setOverride(initialOverride(doc, auto));
  }, [battery, override, doc, auto]);
  const profile = override ?? auto;
  const ctx: EnergyContext = useMemo(() => ({ profile, grid, embodied: embodiedFor(profile.embodiedClasses) }), [profile, grid]);

  useEffect(() => {
    if (battery === undefined || override === undefined || !bothRoles) return;
    const mine = ++request.current;
    setError(null);
    // A synchronous throw from computeEnergy must become a rejection, handled like the worker's.
    const run = compute ?? ((d: ResultDocument, c: EnergyContext) => Promise.resolve().then(() => computeEnergy(d, c)));
    run(doc, ctx).then(
      (e) => {
        if (mine !== request.current) return;
        setEnergy(e);
        onEnergy?.(e);
      },
      (e: unknown) => {
        if (mine !== request.current) return;
        setError(errorName(e) === 'MissingModelRoleError' ? t('energy.missingRole') : t('energy.error', { message: (e as Error).message }));
      },
    );
    // onEnergy and compute are callbacks from the parent: a new identity must not recompute.
  }, [doc, ctx, battery, override === undefined, bothRoles]);

  if (!bothRoles) {
    return (
      <section class="card energy-panel" data-testid="energy-panel">
        <h2>{t('energy.title')}</h2>
        <p class="muted">{t('energy.missingRole')}</p>
      </section>
    );
  }

  return (
    <section class="energy-panel" data-testid="energy-panel" aria-labelledby="energy-title">
      <div class="card">
        <h2 id="energy-title">
          {t('energy.title')} <span class="badge warn">{t('energy.estimate')}</span>
        </h2>
        <div aria-live="polite" aria-busy={energy === null && error === null}>
          {error ? <p class="warn-text" role="alert">{error}</p> : null}
          {energy === null && error === null ? <p class="muted">{t('energy.computing')}</p> : null}
          {energy ? <Headline e={energy} /> : null}
        </div>
        {energy ? <EnergyChart specialized={scale3(energy.perQuery.specialized.joules, 1000 / 3600)} general={scale3(energy.perQuery.general.joules, 1000 / 3600)} /> : null}
        {energy ? <FiguresTable e={energy} /> : null}
        <MeasuredBeside measured={doc.measured} e={energy} />
        {energy ? <ProvenanceTable doc={doc} e={energy} /> : null}
        <p class="small">
          <a href={hrefFor('methodology')}>{t('energy.methodologyLink')}</a>
        </p>
      </div>
      {energy ? (
        <div class="grid-2">
          <Equivalences e={energy} />
          {doc.suite.preset === LITERATURE.replica.preset ? <Literature e={energy} /> : null}
          <WhatIf e={energy} />
          <Budget e={energy} />
        </div>
      ) : null}
      <div class="grid-2">
        <ProfilePicker auto={auto} current={profile} onChange={setOverride} />
        <GridPicker grid={grid} zone={zone} onChange={setGrid} />
      </div>
      <Embodied e={energy} ctx={ctx} />
    </section>
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
      <p class="small muted">{t('energy.headlineNote', { draws: r ? fmt(r.method.draws, 3) : '—' })}</p>
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
      {r ? <p class="small muted">{t('energy.reproduce', { seed: r.method.seed, draws: r.method.draws, version: r.method.formulasVersion })}</p> : null}
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
