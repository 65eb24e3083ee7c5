// From model output to an answer: the zero-shot prompt rendered by a chat template, the reply
// parser in both languages, and the classifier's id2label mapping.
import { describe, expect, test } from 'vitest';
import { PROMPT_VERSION, PROMPT_VERSIONS, sentimentMessages } from '../../src/shared/realmodels/prompt.ts';
import { ChatTemplateError, renderChatPrompt } from '../../src/shared/realmodels/chat-template.ts';
import { ClassifierLabelsError, SST2_ID2LABEL, classifierAnswer, labelMapping, parseReply } from '../../src/shared/realmodels/answer.ts';

/** Qwen2.5-Instruct's chat template without its tool-calling branches (same turn markers). */
const QWEN_TEMPLATE = [
  "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}",
  "{%- else %}{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}",
  "{%- for message in messages %}{%- if message.role != 'system' %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endif %}{%- endfor %}",
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}",
].join('');

describe('prompt', () => {
  test('a versioned system + user pair in each language', () => {
    expect(PROMPT_VERSIONS).toContain(PROMPT_VERSION);
    const en = sentimentMessages('  Loved it.  ', 'en');
    expect(en.map((m) => m.role)).toEqual(['system', 'user']);
    expect(en[0]!.content).toMatch(/positive or negative/);
    expect(en[1]!.content).toContain('Review: Loved it.\n');
    const fr = sentimentMessages("J'ai adoré.", 'fr');
    expect(fr[0]!.content).toMatch(/positif ou négatif/);
    expect(fr[1]!.content).toContain("Avis : J'ai adoré.\n");
  });

  test("rendered by the model's chat template, the assistant turn opened", () => {
    const text = renderChatPrompt(QWEN_TEMPLATE, sentimentMessages('Great film.', 'en'));
    expect(text).toBe(
      '<|im_start|>system\nYou are a sentiment classifier. Reply with exactly one word: positive or negative.<|im_end|>\n'
      + '<|im_start|>user\nReview: Great film.\nIs the sentiment of this review positive or negative? Answer with one word.<|im_end|>\n'
      + '<|im_start|>assistant\n',
    );
  });

  test('a template that does not parse is a named error', () => {
    expect(() => renderChatPrompt('{% for m in messages %}', sentimentMessages('x', 'en'))).toThrow(ChatTemplateError);
  });
});

describe('parseReply', () => {
  test.each([
    ['positive', 'positive'],
    ['Positive.', 'positive'],
    ['NEGATIVE', 'negative'],
    ['The sentiment is negative.', 'negative'],
    ['Sentiment: Positive', 'positive'],
    ['  négatif\n', 'negative'],
    ['Négative.', 'negative'],
    ['negatif', 'negative'],
    ['Positif !', 'positive'],
    ['Le sentiment de cet avis est positif.', 'positive'],
    ['**Positive**', 'positive'],
    ['', 'unparseable'],
    ['   ', 'unparseable'],
    ['Neutral', 'unparseable'],
    ['Neutre.', 'unparseable'],
    ['positive or negative', 'unparseable'],
    ['Positive. There is nothing negative about it.', 'unparseable'],
    ['not positive', 'unparseable'],
    ["Ce n'est pas négatif", 'unparseable'],
    ['positively delightful', 'unparseable'],
  ])('%j → %s', (raw, label) => {
    const r = parseReply(raw);
    expect(r.label).toBe(label);
    expect(r.raw).toBe(raw);
  });
});

describe('classifier labels', () => {
  test("SST-2's id2label by default: 0 negative, 1 positive", () => {
    const m = labelMapping();
    expect(m).toEqual(['negative', 'positive']);
    expect(labelMapping(SST2_ID2LABEL)).toEqual(m);
    expect(classifierAnswer([2.1, -1.3], m)).toBe('negative');
    expect(classifierAnswer(new Float32Array([-3, 4]), m)).toBe('positive');
  });

  test("a config's id2label, in any order and case", () => {
    const m = labelMapping({ 0: 'positive', 1: 'Negative' });
    expect(classifierAnswer([1, 0], m)).toBe('positive');
    expect(labelMapping({ 0: 'NEG', 1: 'NEUTRAL', 2: 'POS' })).toEqual(['negative', 'unparseable', 'positive']);
  });

  test('generic or one-sided labels are refused, logits must match', () => {
    expect(() => labelMapping({ 0: 'LABEL_0', 1: 'LABEL_1' })).toThrow(ClassifierLabelsError);
    expect(() => labelMapping({ 0: 'POSITIVE', 1: 'POSITIVE' })).toThrow(ClassifierLabelsError);
    expect(() => labelMapping({ x: 'POSITIVE', 1: 'NEGATIVE' })).toThrow(ClassifierLabelsError);
    expect(() => classifierAnswer([1, 2, 3], labelMapping())).toThrow(ClassifierLabelsError);
    expect(classifierAnswer([NaN, NaN], labelMapping())).toBe('unparseable');
  });
});
