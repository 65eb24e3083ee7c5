/**
 * Rendering chat messages with a model's own chat template (tokenizer_config.json's
 * `chat_template`, a Jinja string) through @huggingface/jinja, as transformers does. Kept apart
 * from prompt.ts so that the schema, which reads the prompt versions, does not pull in the
 * template engine.
 */
import { Template } from '@huggingface/jinja';
import type { ChatMessage } from './prompt.ts';

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
