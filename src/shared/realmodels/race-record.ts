/**
 * A real-model run as the result document stores it: the fields of the `real` block the race
 * determines. Here, below the engine, so that the page (src/lab/realmodels-session.ts) builds the
 * document without running engine code; src/engine/realmodels/race.ts re-exports it.
 */
import type { AgreementReason, AnswerKind, ExecutionProvider, RealModelRecord } from './record.ts';
import type { TokenSummary } from './scoring.ts';

/** What a model run (race.ts `ModelRun`) holds that the record needs. */
export interface RunForRecord {
  executionProvider: ExecutionProvider;
  answer: AnswerKind;
  tokens: TokenSummary;
  accuracy: { correct: number; n: number; low: number; high: number };
  parseFailures: number;
  agreement: ({ measured: true; agree: number; n: number }) | { measured: false; reason: AgreementReason };
}

/** The fields of the document's `real` block that the race determines (the caller adds model, revision, hash, dtype, prompt and task set). */
export type RaceRecordFields = Pick<RealModelRecord, 'executionProvider' | 'answer' | 'tokens' | 'accuracy' | 'parseFailures' | 'agreement'>;

/** A model run as the document stores it: no item ids, no replies, no disagreement list (ids and free text stay local). */
export function raceRecordFields(run: RunForRecord): RaceRecordFields {
  const { correct, n, low, high } = run.accuracy;
  const a = run.agreement;
  return {
    executionProvider: run.executionProvider,
    answer: run.answer,
    tokens: run.tokens,
    accuracy: { correct, n, low, high },
    parseFailures: run.parseFailures,
    agreement: a.measured ? { measured: true, agree: a.agree, n: a.n } : { measured: false, reason: a.reason },
  };
}
