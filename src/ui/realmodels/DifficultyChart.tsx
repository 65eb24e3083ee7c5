/**
 * Where each model goes wrong: accuracy per kind of sentence (plain, negation, irony, …) for each
 * model, as a grouped bar chart drawn with plain elements like RealCharts (no canvas, so it prints
 * and scales): one bar per model, its height the rate, a whisker for the 95 % Wilson interval and
 * n under it, with a dashed line at 50 % (a coin toss). The chart is an image to assistive
 * technology; the table under it is its text alternative and gives every figure.
 *
 * The figures come from the race's output (per-sentence answers scored against their tags), which
 * stays on the device: a stored document keeps no per-sentence answers, so a result reopened from
 * history says so instead.
 */
import { t } from '../../i18n/index.ts';
import { accuracyText, difficultyText } from '../../i18n/realmodels-task.ts';
import type { RealRaceOutput } from '../../lab/realmodels-api.ts';
import { DIFFICULTIES, type Difficulty } from '../../shared/realmodels/labels.ts';
import type { AccuracyRecord } from '../../shared/realmodels/scoring.ts';
import type { Role } from '../../shared/result.ts';
import { pct } from './format.ts';
import './difficulty.css';

const ROLES: readonly Role[] = ['specialized', 'general'];

export interface DifficultyRow {
  difficulty: Difficulty;
  /** Per model: its accuracy on the sentences of this kind, null when it answered none. */
  byRole: Record<Role, AccuracyRecord | null>;
}

/**
 * The kinds of sentence the race covered, in the task's order, each with both models' accuracy
 * (the WebGPU race: the measured one). A kind no model answered is left out.
 */
export function difficultyRows(race: RealRaceOutput['webgpu']): DifficultyRow[] {
  return DIFFICULTIES.map((difficulty) => ({
    difficulty,
    byRole: { specialized: race.specialized.accuracyByDifficulty[difficulty], general: race.general.accuracyByDifficulty[difficulty] },
  })).filter((r) => ROLES.some((role) => r.byRole[role] !== null));
}

const percent = (x: number): string => `${Math.max(0, Math.min(100, x * 100)).toFixed(2)}%`;

function Bar({ role, a }: { role: Role; a: AccuracyRecord | null }) {
  return (
    <div class={`rm-diff-col role-${role}`} data-role={role}>
      <div class="rm-diff-area">
        {a ? (
          <>
            <div class="rm-diff-bar" style={{ height: percent(a.rate) }} />
            <div class="rm-diff-whisker" style={{ bottom: percent(a.low), height: percent(a.high - a.low) }} />
          </>
        ) : null}
      </div>
      <span class="rm-diff-n small mono">{a ? `n = ${a.n}` : '—'}</span>
    </div>
  );
}

function chartLabel(rows: DifficultyRow[]): string {
  return rows
    .map((r) => {
      const parts = ROLES.flatMap((role) => {
        const a = r.byRole[role];
        return a ? [`${t(`results.role.${role}`)} ${pct(a.rate)} % (${pct(a.low)}–${pct(a.high)} %, n = ${a.n})`] : [];
      });
      return `${difficultyText(r.difficulty)}: ${parts.join(', ')}`;
    })
    .join('; ');
}

export function DifficultyChart({ output }: { output: RealRaceOutput | null }) {
  if (!output) return <p class="small muted" data-testid="rm-difficulty-not-kept">{t('realmodels.difficulty.notKept')}</p>;
  const rows = difficultyRows(output.webgpu);
  if (rows.length === 0) return null;
  return (
    <section class="rm-difficulty" aria-labelledby="rm-diff-h" data-testid="rm-difficulty">
      <h3 id="rm-diff-h">{t('realmodels.difficulty.title')}</h3>
      <figure class="rm-chart" role="img" aria-label={t('realmodels.difficulty.chart', { values: chartLabel(rows) })} aria-describedby="rm-diff-table" data-testid="rm-chart-difficulty">
        <figcaption class="small">{t('realmodels.difficulty.caption')}</figcaption>
        <div class="rm-diff-plot">
          {rows.map((r) => (
            <div class="rm-diff-group" key={r.difficulty} data-difficulty={r.difficulty}>
              <div class="rm-diff-bars">
                {ROLES.map((role) => (
                  <Bar key={role} role={role} a={r.byRole[role]} />
                ))}
              </div>
              <span class="rm-diff-label small">{difficultyText(r.difficulty)}</span>
            </div>
          ))}
        </div>
        <p class="rm-diff-legend small">
          {ROLES.map((role) => (
            <span key={role} class={`role-${role}`}>
              <span class="rm-diff-swatch" /> {t(`results.role.${role}`)}
            </span>
          ))}
          <span>{t('realmodels.difficulty.chance')}</span>
        </p>
      </figure>
      <table class="rm-table" id="rm-diff-table" data-testid="rm-diff-table">
        <caption class="sr-only">{t('realmodels.difficulty.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('realmodels.difficulty.kind')}</th>
            {ROLES.map((role) => (
              <th scope="col" key={role}>
                {t(`results.role.${role}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.difficulty} data-testid={`rm-diff-row-${r.difficulty}`}>
              <th scope="row">{difficultyText(r.difficulty)}</th>
              {ROLES.map((role) => {
                const a = r.byRole[role];
                return (
                  <td key={role} data-role={role}>
                    {a ? accuracyText(a) : t('realmodels.difficulty.none')}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="small muted">{t('realmodels.difficulty.wide')}</p>
    </section>
  );
}
