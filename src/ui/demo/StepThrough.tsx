/** Step-through mode: one phase of an answer at a time, with one sentence for the teacher. */
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

export function StepThrough({ steps, index, onMove }: { steps: readonly DemoStep[]; index: number; onMove: (delta: number) => void }) {
  const step = steps[index];
  if (!step) return <p class="step-panel" data-testid="demo-steps">{t('demo.step.waiting')}</p>;
  return (
    <section class={`step-panel role-${step.role}`} data-testid="demo-steps" data-step={index} aria-live="polite">
      <p class="step-count small">
        {t('demo.step.count', { index: index + 1, total: steps.length })} · {t(`results.role.${step.role}`)}
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
