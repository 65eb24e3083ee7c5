/**
 * The fixed zero-shot prompt the general model answers, in English and French. It is versioned:
 * accuracy (and token counts, hence time and energy) depends on every word of it, so any change
 * to the wording is a new `PROMPT_VERSION`, recorded in each real-model workload.
 *
 * The messages are rendered by the model's own chat template (tokenizer_config.json's
 * `chat_template`, a Jinja string) with @huggingface/jinja, as transformers does, so the model
 * sees the turn markers it was tuned on.
 */
import { Template } from '@huggingface/jinja';
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

export interface ChatTemplateOptions {
  /** Special tokens some templates print (Qwen2.5's does not use them). */
  bosToken?: string;
  eosToken?: string;
}

/** Thrown when a chat template does not parse or fails to render. */
export class ChatTemplateError extends Error {
  override name = 'ChatTemplateError';
}

/**
 * The prompt text a model is fed: `messages` rendered by its chat template, with the generation
 * prompt appended (the assistant turn opened, so the next tokens are the reply).
 */
export function renderChatPrompt(chatTemplate: string, messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
  let template: Template;
  try {
    template = new Template(chatTemplate);
  } catch (e) {
    throw new ChatTemplateError(`the chat template does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return template.render({
      messages,
      add_generation_prompt: true,
      bos_token: options.bosToken ?? '',
      eos_token: options.eosToken ?? '',
    });
  } catch (e) {
    throw new ChatTemplateError(`the chat template failed to render: ${e instanceof Error ? e.message : String(e)}`);
  }
}
