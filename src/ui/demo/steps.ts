/**
 * The recap of step-through mode, after the race: the phases of one answer of each model, each
 * with its measured share of the answer time (during the race the engine holds live after each
 * phase, StepThrough.tsx's LiveStep; it cannot time a phase while holding, so the times come from
 * here). The classifier's single pass is its whole answer; the chat model's prefill and each decode
 * step come from its per-phase throughput (tokensPerSecond, measured with GPU timestamps). Where
 * that was not measured the share is null and the view says so, never a guess.
 */
import type { Role, Workload } from '../../shared/result.ts';

export type DemoStep =
  | { kind: 'encode'; role: Role; tokens: number | null; ms: number | null; share: number | null }
  | { kind: 'prefill'; role: Role; tokens: number | null; ms: number | null; share: number | null }
  | { kind: 'decode'; role: Role; index: number; total: number; ms: number | null; share: number | null };

function num(config: Record<string, unknown>, key: string): number | null {
  const v = config[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

function share(ms: number | null, totalMs: number): number | null {
  return ms !== null && totalMs > 0 ? Math.min(1, ms / totalMs) : null;
}

/** The steps of one model's answer, in the order the GPU runs them. */
export function stepsOf(w: Workload): DemoStep[] {
  const role: Role = w.role ?? 'general';
  const total = w.timing.medianMs;
  if (w.config['family'] !== 'decoder') {
    // An encoder classifies in one pass: the whole answer time is that pass.
    return [{ kind: 'encode', role, tokens: num(w.config, 'inputTokens'), ms: total > 0 ? total : null, share: total > 0 ? 1 : null }];
  }
  const prompt = num(w.config, 'promptTokens');
  const output = num(w.config, 'outputTokens') ?? 1;
  const pre = w.tokensPerSecond?.prefill ?? null;
  const dec = w.tokensPerSecond?.decode ?? null;
  const prefillMs = prompt !== null && pre !== null && pre > 0 ? (prompt / pre) * 1000 : null;
  const decodeMs = dec !== null && dec > 0 ? 1000 / dec : null;
  // Prefill reads the prompt and yields the first word; each decode step yields one more.
  const decodes = Math.max(0, Math.round(output) - 1);
  return [
    { kind: 'prefill', role, tokens: prompt, ms: prefillMs, share: share(prefillMs, total) },
    ...Array.from({ length: decodes }, (_, i): DemoStep => ({ kind: 'decode', role, index: i + 2, total: Math.round(output), ms: decodeMs, share: share(decodeMs, total) })),
  ];
}

/** The whole story: the classifier's pass first (the short one), then the chat model's phases. */
export function demoSteps(workloads: readonly Workload[]): DemoStep[] {
  const model = (role: Role) => workloads.find((w) => w.kind === 'model' && w.role === role);
  const spec = model('specialized');
  const gen = model('general');
  return [...(spec ? stepsOf(spec) : []), ...(gen ? stepsOf(gen) : [])];
}
