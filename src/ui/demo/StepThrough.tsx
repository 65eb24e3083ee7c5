/**
 * Step-through mode, for the teacher to comment on each phase of an answer:
 *  - LiveStep, during the race: the engine holds after each phase it has just run (the
 *    classifier's single pass; the chat model's prefill, then each decode step) until "next"
 *    (Space, →, or the button), so the sentence on screen is about the phase the GPU just did;
 *  - StepThrough, after the race: a recap of the same phases with their measured share of the
 *    answer time (see steps.ts), reached with ← from the result.
 */
import type { Progress } from '../../lab/api.ts';
import { fmt, t } from '../../i18n/index.ts';
import type { DemoStep } from './steps.ts';

function sentence(s: DemoStep): string {
  switch (s.kind) {
    case 'encode':
      return t('demo.step.encode', { tokens: s.tokens ?? '?' });
    case 'prefill':
      return t('demo.step.prefill', { tokens: s.tokens ?? '?' });
    case 'decode':
      return t('demo.step.decode', { index: s.index, total: s.total });
    default: {
      const never: never = s;
      return String(never);
    }
  }
}

type Held = Extract<Progress, { type: 'held' }>;

/** The phase the engine just ran, as a step of the story (no time yet: it is measured afterwards). */
function heldAsStep(h: Held): DemoStep {
  const role = h.role ?? 'general';
  switch (h.phase) {
    case 'encode':
      return { kind: 'encode', role, tokens: h.tokens, ms: null, share: null };
    case 'prefill':
      return { kind: 'prefill', role, tokens: h.tokens, ms: null, share: null };
    case 'decode':
      return { kind: 'decode', role, index: h.token?.index ?? h.step, total: h.token?.total ?? h.steps, ms: null, share: null };
    default: {
      const never: never = h.phase;
      throw new Error(`unknown phase ${String(never)}`);
    }
  }
}

/** During the race: the phase the GPU just ran and now waits after, or that it is busy. */
export function LiveStep({ held, onNext }: { held: Held | null; onNext: () => void }) {
  if (!held) {
    return (
      <section class="step-panel" data-testid="demo-steps" data-held="false">
        <p class="step-sentence">{t('classroom.step.working')}</p>
      </section>
    );
  }
  const step = heldAsStep(held);
  return (
    <section class={`step-panel role-${step.role}`} data-testid="demo-steps" data-held="true" data-phase={held.phase}>
      <p class="step-count small">
        {t('demo.step.count', { index: held.step, total: held.steps })} · {t(`results.role.${step.role}`)}
      </p>
      <p class="step-sentence" data-testid="step-sentence">
        {sentence(step)}
      </p>
      <div class="row">
        <p class="small">{t('classroom.step.held')}</p>
        <button class="primary" onClick={onNext} data-testid="step-next">
          {t('classroom.step.next')}
        </button>
      </div>
    </section>
  );
}

export function StepThrough({ steps, index, onMove }: { steps: readonly DemoStep[]; index: number; onMove: (delta: number) => void }) {
  const step = steps[index];
  if (!step) return null;
  return (
    <section class={`step-panel role-${step.role}`} data-testid="demo-steps" data-step={index}>
      <p class="step-count small">
        {t('classroom.step.recap')} · {t('demo.step.count', { index: index + 1, total: steps.length })} · {t(`results.role.${step.role}`)}
      </p>
      <p class="step-sentence" data-testid="step-sentence">
        {sentence(step)}
      </p>
      <p class="small">
        {step.ms !== null && step.share !== null
          ? t('demo.step.share', { ms: fmt(step.ms, 2), pct: fmt(step.share * 100, 1) })
          : t('demo.step.noShare')}
      </p>
      <div class="row">
        <button onClick={() => onMove(-1)} disabled={index === 0}>
          {t('demo.step.previous')}
        </button>
        <button onClick={() => onMove(1)} data-testid="step-next">
          {index === steps.length - 1 ? t('demo.step.result') : t('demo.step.next')}
        </button>
      </div>
    </section>
  );
}
