/**
 * "How this figure was made": one row per input of the energy formulas (busy and wall time of
 * each model, ΔP, idle, host, η, grid intensity, embodied carbon) with the value the estimate
 * used, whether it was measured, sourced or modeled (the Software Carbon Intensity
 * specification's distinction), and how: the measuring method, the sources and their year, or
 * the basis of the model. The section's stored provenance is used when present; a section
 * written before provenance existed gets it derived from the document, the same function the
 * app and the results server use, so nothing is shown as missing.
 */
import constants from '../../../data/constants.json';
import { fmt, t } from '../../i18n/index.ts';
import { PROVENANCE_INPUTS, provenanceOf, sourceText, type Provenance, type ProvenanceInput, type ProvenanceKind } from '../../shared/provenance.ts';
import type { EnergySection, ResultDocument, Role } from '../../shared/result.ts';
import { energyWorkload } from '../../shared/energy-workload.ts';
import { lazyView } from '../lazy.tsx';

// The tuning note loads on demand with its strings (the first screen's script has a budget).
const TuningNote = lazyView<{ doc: ResultDocument }>(() => import('./TuningNote.tsx').then((m) => m.TuningNote));

const ROLES: Role[] = ['specialized', 'general'];

interface Row {
  input: ProvenanceInput;
  role: Role | null;
  value: string;
  prov: Provenance | null;
  /** What the detail cell says when the input has no provenance (it is not known, so not used). */
  absent?: string;
}

/** t_busy and t_wall of a role: the section's recorded inputs, else the document's median timings. */
function timingsOf(doc: ResultDocument, e: EnergySection, role: Role): { busy: number | null; wall: number | null } {
  const inputs = e.perQuery[role].inputs;
  if (inputs) return { busy: inputs.tBusyMs, wall: inputs.tWallMs };
  const w = energyWorkload(doc, role);
  if (!w) return { busy: null, wall: null };
  return { busy: w.timing.medianMs, wall: w.timing.wallMedianMs ?? w.timing.medianMs };
}

const ms = (v: number | null): string => (v === null ? '—' : `${fmt(v, 2)} ms`);

/** A number with its unit, when it has one. */
const withUnit = (v: number, unit: string): string => (unit ? `${fmt(v, 2)} ${unit}` : fmt(v, 2));

/** "; median drawn 13 W" when the section records the medians of its input distributions. */
const medianNote = (median: number | null | undefined, unit: string): string =>
  median === null || median === undefined ? '' : t('energy.prov.value.median', { median: withUnit(median, unit) });

/** "12 W typical (8–20 W); median drawn 13 W". */
function triangle(unit: string, typ: number, low: number, high: number, median: number | null | undefined): string {
  return t('energy.prov.value.range', { typ: withUnit(typ, unit), low: fmt(low, 2), high: withUnit(high, unit) }) + medianNote(median, unit);
}

function rowsOf(doc: ResultDocument, e: EnergySection): Row[] {
  const prov = e.provenance ?? provenanceOf({ ...doc, energy: e });
  const p = e.profile;
  const med = e.method?.medianInputs;
  // Older sections did not record their assumptions: they were the defaults of data/constants.json.
  const assumptions = e.method?.assumptions ?? { hostW: constants.assumptions.hostW, eta: constants.assumptions.eta };
  const hostIncluded = p.hostIncluded ?? p.source !== 'catalog';
  const rows: Row[] = [];
  for (const input of PROVENANCE_INPUTS) {
    switch (input) {
      case 'busyTime':
      case 'wallTime':
        for (const role of ROLES) {
          const tm = timingsOf(doc, e, role);
          rows.push({ input, role, value: ms(input === 'busyTime' ? tm.busy : tm.wall), prov: prov?.[input][role] ?? null });
        }
        break;
      case 'deltaW':
        rows.push({ input, role: null, value: triangle('W', p.deltaW.typ, p.deltaW.low, p.deltaW.high, med?.deltaW), prov: prov?.deltaW ?? null });
        break;
      case 'idleW':
        rows.push(
          p.idleW === null
            ? { input, role: null, value: t('energy.prov.value.unknown'), prov: null, absent: t('energy.prov.detail.noIdle') }
            : {
                input,
                role: null,
                value: triangle('W', p.idleW, p.idleRangeW?.low ?? p.idleW, p.idleRangeW?.high ?? p.idleW, med?.idleW),
                prov: prov?.idleW ?? null,
              },
        );
        break;
      case 'hostW':
        rows.push({
          input,
          role: null,
          value: hostIncluded
            ? t('energy.prov.value.hostIncluded')
            : triangle('W', assumptions.hostW.typ, assumptions.hostW.low, assumptions.hostW.high, med?.hostW),
          prov: prov?.hostW ?? null,
        });
        break;
      case 'eta': {
        const uniform = t('energy.prov.value.uniform', { low: fmt(assumptions.eta.low, 2), high: fmt(assumptions.eta.high, 2) });
        rows.push({ input, role: null, value: uniform + medianNote(med?.eta, ''), prov: prov?.eta ?? null });
        break;
      }
      case 'grid': {
        const g = e.grid;
        const range = g.range ?? { low: g.gPerKWh, high: g.gPerKWh };
        rows.push({ input, role: null, value: `${g.country}: ${triangle('gCO2e/kWh', g.gPerKWh, range.low, range.high, med?.gPerKWh)}`, prov: prov?.grid ?? null });
        break;
      }
      case 'embodied':
        rows.push(
          e.embodied
            ? {
                input,
                role: null,
                value: t('energy.prov.value.embodied', { kg: fmt(e.embodied.kgCO2e, 2), years: fmt(e.embodied.lifetimeYears, 1) }),
                prov: prov?.embodied ?? null,
              }
            : { input, role: null, value: t('energy.prov.value.unknown'), prov: null, absent: t('energy.embodied.none') },
        );
        break;
      default: {
        const never: never = input;
        throw new Error(`unknown provenance input ${String(never)}`);
      }
    }
  }
  return rows;
}

/** A source id as a citation: the catalog's text, translated where the text is the app's own. */
function citation(id: string): string {
  if (id === 'grid:user-entered') return t('energy.prov.src.userEntered');
  return sourceText(id) ?? id;
}

function Sources({ ids }: { ids: string[] }) {
  if (ids.length === 0) return null;
  return (
    <ul class="energy-prov-sources">
      {ids.map((id) => (
        <li key={id} data-source={id}>
          {citation(id)}
        </li>
      ))}
    </ul>
  );
}

function Detail({ prov }: { prov: Provenance }) {
  switch (prov.kind) {
    case 'measured':
      return <>{t(`energy.prov.method.${prov.method}`)}</>;
    case 'sourced':
      return (
        <>
          <Sources ids={prov.sources} />
          <span class="small">{prov.year === null ? t('energy.prov.yearUnknown') : t('energy.prov.year', { year: prov.year })}</span>
        </>
      );
    case 'modeled':
      return (
        <>
          {t(`energy.prov.basis.${prov.basis}`)}
          <Sources ids={prov.sources} />
        </>
      );
    default: {
      const never: never = prov;
      throw new Error(`unknown provenance ${JSON.stringify(never)}`);
    }
  }
}

/** The kind as a visible tag, each kind styled apart (colour and border), the word always shown. */
function KindTag({ kind }: { kind: ProvenanceKind | null }) {
  return kind === null ? (
    <span class="energy-prov-kind kind-none">{t('energy.prov.kind.none')}</span>
  ) : (
    <span class={`energy-prov-kind kind-${kind}`}>{t(`energy.prov.kind.${kind}`)}</span>
  );
}

export function ProvenanceTable({ doc, e }: { doc: ResultDocument; e: EnergySection }) {
  const rows = rowsOf(doc, e);
  return (
    <details class="energy-provenance" data-testid="energy-provenance">
      <summary>{t('energy.prov.title')}</summary>
      <div class="table-wrap">
        <table class="energy-prov-table">
          <caption class="small muted">{t('energy.prov.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('energy.prov.col.input')}</th>
              <th scope="col">{t('energy.prov.col.value')}</th>
              <th scope="col">{t('energy.prov.col.kind')}</th>
              <th scope="col">{t('energy.prov.col.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.input}-${row.role ?? 'all'}`} data-input={row.input} data-role={row.role ?? undefined} data-kind={row.prov?.kind ?? 'none'}>
                <th scope="row">
                  {t(`energy.prov.input.${row.input}`)}
                  {row.role ? ` — ${t(`energy.role.${row.role}`)}` : ''}
                </th>
                <td class="num">{row.value}</td>
                <td>
                  <KindTag kind={row.prov?.kind ?? null} />
                </td>
                <td class="small">{row.prov ? <Detail prov={row.prov} /> : row.absent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <TuningNote doc={doc} />
    </details>
  );
}
