/**
 * The real-models result: for each model its accuracy with the 95 % interval and n, parse
 * failures, agreement with the WASM reference, time per query, tokens, prefill/decode rates,
 * energy per query and per correct answer, and how its time compares with the synthetic replica;
 * the gap ratios; two charts with this table as their text alternative; accuracy per kind of
 * sentence (DifficultyChart, right after a race only); the general model's raw replies, which stay
 * on this device.
 */
import { fmt, t } from '../../i18n/index.ts';
import { accuracyText, agreementText as agreedText, answerText, noFigureText, parseFailuresText } from '../../i18n/realmodels-task.ts';
import type { RealRaceOutput } from '../../lab/realmodels-api.ts';
import type { ResultDocument, Role } from '../../shared/result.ts';
import { DifficultyChart } from './DifficultyChart.tsx';
import { RealCharts } from './RealCharts.tsx';
import { joulesRange, pct, ratioRange } from './format.ts';
import { realFigures, type RoleFigures } from './figures.ts';

const ROLES: readonly Role[] = ['specialized', 'general'];

function agreementText(f: RoleFigures): string {
  const a = f.w.real.agreement;
  if (a.measured) return `${agreedText(a)}${a.n > 0 ? ` (${pct(a.agree / a.n)} %)` : ''}`;
  return a.reason === 'is-reference' ? t('realmodels.result.agreementIsReference') : t('realmodels.result.agreementNotRun');
}

function syntheticText(f: RoleFigures): string {
  const s = f.synthetic;
  if (s.ratio === null) return t('realmodels.result.noReplica');
  return t('realmodels.result.syntheticValue', { ratio: fmt(s.ratio, 2), real: fmt(s.realMs, 2), replica: fmt(s.replicaMs, 2) });
}

function rates(f: RoleFigures): string {
  const r = f.w.tokensPerSecond;
  if (!r) return '—';
  return t('realmodels.result.ratesValue', { prefill: fmt(r.prefill, 2), decode: fmt(r.decode, 2) });
}

/** One row per figure, one column per model. */
function rows(f: RoleFigures): Array<[string, string, string]> {
  const w = f.w;
  const a = f.accuracy;
  return [
    ['accuracy', t('realmodels.result.accuracy'), accuracyText(a)],
    ['parse', t('realmodels.result.parseFailures'), w.real.answer === 'generation' ? parseFailuresText(w.real.parseFailures, a.n) : t('realmodels.result.notApplicable')],
    ['agreement', t('realmodels.result.agreement'), agreementText(f)],
    ['time', t('realmodels.result.time'), t('realmodels.result.timeValue', { ms: fmt(w.timing.medianMs, 2), p10: fmt(w.timing.p10Ms, 2), p90: fmt(w.timing.p90Ms, 2) })],
    ['tokens', t('realmodels.result.tokens'), t('realmodels.result.tokensValue', { input: fmt(w.real.tokens.inputMedian, 6), output: fmt(w.real.tokens.outputMedian, 6) })],
    ['rates', t('realmodels.result.rates'), rates(f)],
    ['energy', t('realmodels.result.energy'), f.joules ? joulesRange(f.joules) : t('realmodels.result.noEnergy')],
    ['perCorrect', t('realmodels.result.perCorrect'), f.perCorrect === null ? t('realmodels.result.noEnergy') : f.perCorrect.available ? joulesRange(f.perCorrect.joules) : noFigureText(f.perCorrect.reason)],
    ['synthetic', t('realmodels.result.synthetic'), syntheticText(f)],
  ];
}

function Replies({ output }: { output: RealRaceOutput }) {
  const items = output.webgpu.general.items;
  return (
    <details class="rm-replies" data-testid="rm-replies">
      <summary>{t('realmodels.result.replies', { n: items.length })}</summary>
      <p class="small muted">{t('realmodels.result.repliesLocal')}</p>
      <ol class="small">
        {items.map((it) => (
          <li key={it.id}>
            <span class="mono">{it.id}</span> · <strong>{answerText(it.label)}</strong> · <q>{it.raw}</q>
          </li>
        ))}
      </ol>
    </details>
  );
}

export function RealResults({ doc, output }: { doc: ResultDocument; output: RealRaceOutput | null }) {
  const figs = realFigures(doc);
  const present = ROLES.map((r) => figs[r]).filter((f): f is RoleFigures => f !== null);
  if (present.length === 0) return <p class="card">{t('realmodels.result.none')}</p>;
  const table = present.map(rows);
  const rc = figs.ratioPerCorrect;
  return (
    <section class="card rm-results" aria-labelledby="rm-results-h" data-testid="rm-results">
      <h2 id="rm-results-h">{t('realmodels.result.title')}</h2>
      <p class="headline" data-testid="rm-ratio">
        {figs.ratio ? t('realmodels.result.ratio', { ratio: ratioRange(figs.ratio) }) : t('realmodels.result.noEnergy')}
      </p>
      <p data-testid="rm-ratio-correct">
        {rc === null ? null : rc.available ? t('realmodels.result.ratioCorrect', { ratio: ratioRange(rc.ratio) }) : noFigureText(rc.reason)}
      </p>
      <RealCharts figures={present} />
      <table class="rm-table" id="rm-table" data-testid="rm-table">
        <caption class="sr-only">{t('realmodels.result.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('realmodels.result.figure')}</th>
            {present.map((f) => (
              <th scope="col" key={f.role}>
                {t(`results.role.${f.role}`)}
                <br />
                <span class="small mono">
                  {f.w.real.model} · {f.w.real.dtype} · {f.w.real.executionProvider}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(table[0] ?? []).map(([key, label], i) => (
            <tr key={key} data-testid={`rm-row-${key}`}>
              <th scope="row">{label}</th>
              {table.map((r, j) => (
                <td key={present[j]!.role} data-role={present[j]!.role}>
                  {r[i]![2]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="small muted">{t('realmodels.result.envelope')}</p>
      <DifficultyChart output={output} />
      {output ? <Replies output={output} /> : null}
    </section>
  );
}
