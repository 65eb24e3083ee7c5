/**
 * The fixed zero-shot prompt the general model answers, in English and French. It is versioned:
 * accuracy (and token counts, hence time and energy) depends on every word of it, so any change
 * to the wording is a new `PROMPT_VERSION`, recorded in each real-model workload.
 *
 * The messages are rendered by the model's own chat template (chat-template.ts), so the model
 * sees the turn markers it was tuned on. This module stays free of the template engine: the
 * schema (realmodels-result.ts) reads its version list on the server.
 */
import type { TaskLanguage } from './task-set.ts';

/** Prompt versions, past and present (the result document keeps one of these). */
export const PROMPT_VERSIONS = ['sentiment-zs-1'] as const;
export type PromptVersion = (typeof PROMPT_VERSIONS)[number];
export const PROMPT_VERSION: PromptVersion = 'sentiment-zs-1';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const SYSTEM: Record<TaskLanguage, string> = {
  en: 'You are a sentiment classifier. Reply with exactly one word: positive or negative.',
  fr: 'Tu es un classifieur de sentiment. Réponds par un seul mot : positif ou négatif.',
};

const USER: Record<TaskLanguage, (review: string) => string> = {
  en: (review) => `Review: ${review}\nIs the sentiment of this review positive or negative? Answer with one word.`,
  fr: (review) => `Avis : ${review}\nLe sentiment de cet avis est-il positif ou négatif ? Réponds par un seul mot.`,
};

/** The chat messages for one review: a system turn with the instruction, a user turn with the review. */
export function sentimentMessages(review: string, language: TaskLanguage): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM[language] },
    { role: 'user', content: USER[language](review.trim()) },
  ];
}
