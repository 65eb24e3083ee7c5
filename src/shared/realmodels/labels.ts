/** The task's labels and difficulty tags (no validators: scoring and the page's energy code read them). */
export const GOLD_LABELS = ['positive', 'negative'] as const;
export type GoldLabel = (typeof GOLD_LABELS)[number];

/**
 * What makes a review hard, one tag per item: `plain` (says what it means), `negation` (the
 * sentiment goes through "not", "never", "ne … pas"), `irony` (says the opposite of what it
 * means), `mixed` (praise and complaint; the label is the overall verdict), `comparison` (judged
 * against something else), `slang` (informal words, abbreviations, emoji-free texting style).
 */
export const DIFFICULTIES = ['plain', 'negation', 'irony', 'mixed', 'comparison', 'slang'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
