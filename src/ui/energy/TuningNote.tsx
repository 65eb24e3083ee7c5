/**
 * One line under the provenance table: which kernels the run's figures came from, tuned on this
 * GPU, reused from the cache of an earlier autotune, or the defaults and why
 * (`environment.tuning`, src/shared/tuning.ts). Documents from before tuning show nothing.
 * Loaded on demand (ProvenanceTable), with its strings.
 */
import './tuning-strings.ts';
import { fmt, t, tp } from '../../i18n/index.ts';
import type { ResultDocument } from '../../shared/result.ts';
import type { TuningRecord } from '../../shared/tuning.ts';

/** What the tuning changed from the defaults, and whether the budget cut the timings short. */
function choices(r: TuningRecord): string {
  const parts: string[] = [];
  const split = Object.keys(r.tuning.gemmSplitK).length;
  if (split > 0) parts.push(tp('model.tuning.splitK', split));
  if (r.tuning.gemvReduction === 'subgroup') parts.push(t('model.tuning.subgroupGemv'));
  const timed = r.trials.filter((x) => x.medianMs !== null).length;
  // "Fastest" only when something was timed; a budget that timed nothing says so.
  if (parts.length === 0) parts.push(timed === 0 ? t('model.tuning.noneTimed') : t('model.tuning.defaultsWon'));
  // A candidate refused for its output is not one the budget cut short: say which happened.
  const refused = r.trials.filter((x) => x.untimed === 'wrong-output').length;
  if (refused > 0) parts.push(tp('model.tuning.refused', refused));
  // Only the budget's cuts (and records from before the reasons were kept) are "left untimed (time budget)".
  const cut = r.trials.filter((x) => x.medianMs === null && (x.untimed === 'budget' || x.untimed === undefined)).length;
  if (timed > 0 && cut > 0) parts.push(t('model.tuning.untimed'));
  if (r.trials.some((x) => x.untimed === 'unusable')) parts.push(t('model.tuning.unusable'));
  return parts.join(', ');
}

export function tuningSummary(r: TuningRecord): string {
  switch (r.source) {
    case 'autotune':
      return t('model.tuning.autotune', { seconds: fmt((r.tuneMs ?? 0) / 1000, 1), choices: choices(r) });
    case 'cache':
      return t('model.tuning.cache', { choices: choices(r) });
    case 'default':
      switch (r.reason) {
        case 'disabled':
          return t('model.tuning.disabled');
        case 'no-candidates':
          return t('model.tuning.noCandidates');
        case 'no-timestamps':
          return t('model.tuning.noTimestamps');
        case 'failed':
        case undefined:
          return t('model.tuning.failed');
      }
  }
}

export function TuningNote({ doc }: { doc: ResultDocument }) {
  const r = doc.environment.tuning;
  if (!r) return null;
  return (
    <p class="small muted" data-testid="kernel-tuning" data-source={r.source}>
      {tuningSummary(r)}
    </p>
  );
}
