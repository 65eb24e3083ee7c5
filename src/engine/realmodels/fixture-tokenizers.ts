/**
 * Tokenizer and configuration files for the tiny fixture models, in the Hugging Face formats the
 * real repositories ship (tokenizer.json, tokenizer_config.json, config.json,
 * generation_config.json), so that `@huggingface/tokenizers` and `@huggingface/jinja` read them
 * through the same code as the real files: a BERT WordPiece tokenizer (lower-cased, [CLS] … [SEP])
 * and a Qwen2 byte-level BPE tokenizer with ChatML special tokens and chat template.
 */

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

const WORDPIECE_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = [
  'the', 'a', 'movie', 'film', 'is', 'was', 'not', 'good', 'bad', 'great', 'terrible', 'love', 'hate', 'it', 'i', 'this', 'boring', 'fun',
  'le', 'film', 'est', 'bon', 'mauvais', 'pas', 'super', 'nul', '.', ',', '!', '?', "'",
];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');

/** The WordPiece vocabulary: specials, whole words, then single letters and `##` continuations. */
export function wordPieceVocab(): Record<string, number> {
  const vocab: Record<string, number> = {};
  for (const t of [...WORDPIECE_SPECIALS, ...WORDS, ...LETTERS, ...LETTERS.map((l) => `##${l}`)]) vocab[t] ??= Object.keys(vocab).length;
  return vocab;
}

export function wordPieceTokenizerJson(): object {
  const vocab = wordPieceVocab();
  const id = (t: string): number => vocab[t]!;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: WORDPIECE_SPECIALS.map((t) => special(id(t), t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

export function wordPieceTokenizerConfig(): object {
  return {
    clean_up_tokenization_spaces: true, cls_token: '[CLS]', do_lower_case: true, mask_token: '[MASK]', model_max_length: 512,
    pad_token: '[PAD]', sep_token: '[SEP]', strip_accents: null, tokenize_chinese_chars: true, tokenizer_class: 'DistilBertTokenizer', unk_token: '[UNK]',
  };
}

export const CLASSIFIER_LABELS = ['NEGATIVE', 'POSITIVE'] as const;

export function classifierConfig(hidden: number, vocab: number): object {
  return {
    architectures: ['DistilBertForSequenceClassification'], model_type: 'distilbert', dim: hidden, vocab_size: vocab, max_position_embeddings: 512,
    // The architecture fields DistilBERT's config has (what the synthetic replica is built from); a tiny transformer's.
    n_layers: 1, n_heads: 2, hidden_dim: 2 * hidden,
    id2label: Object.fromEntries(CLASSIFIER_LABELS.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(CLASSIFIER_LABELS.map((l, i) => [l, i])),
  };
}

// ---------------------------------------------------------------------------------------------
// Qwen2: byte-level BPE.

/** GPT-2's reversible map from bytes to printable characters (the ByteLevel pre-tokenizer's alphabet). */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const out: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  return out;
}

/** A few merges so that common pieces become one token (the real vocabulary has 151,643). */
const MERGES: [string, string][] = [
  ['Ġ', 't'], ['h', 'e'], ['Ġt', 'he'], ['i', 'n'], ['o', 's'], ['Ġ', 'p'], ['Ġp', 'os'], ['i', 't'], ['Ġ', 'n'], ['e', 'g'],
  ['Ġn', 'eg'], ['a', 't'], ['i', 'v'], ['iv', 'e'], ['at', 'ive'], ['Ġpos', 'it'], ['Ġposit', 'ive'], ['Ġneg', 'ative'],
];

export const CHAT_SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

export function bpeVocab(): Record<string, number> {
  const vocab: Record<string, number> = {};
  for (const c of bytesToUnicode()) vocab[c] = Object.keys(vocab).length;
  for (const [a, b] of MERGES) vocab[a + b] ??= Object.keys(vocab).length;
  for (const s of CHAT_SPECIALS) vocab[s] = Object.keys(vocab).length;
  return vocab;
}

/** Qwen2's pre-tokenizer split (verbatim from its tokenizer.json). */
const QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

export function bpeTokenizerJson(): object {
  const vocab = bpeVocab();
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: CHAT_SPECIALS.map((s) => special(vocab[s]!, s)),
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [{ type: 'Split', pattern: { Regex: QWEN2_SPLIT }, behavior: 'Isolated', invert: false }, byteLevel],
    },
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false,
      ignore_merges: false, vocab: Object.fromEntries(Object.entries(vocab).filter(([t]) => !(CHAT_SPECIALS as readonly string[]).includes(t))),
      merges: MERGES.map(([a, b]) => `${a} ${b}`),
    },
  };
}

/**
 * Qwen2.5-Instruct's ChatML template without its tool-calling branch (the race sends a system and
 * a user message and asks for the assistant's turn).
 */
export const QWEN_CHAT_TEMPLATE = [
  "{%- if messages[0]['role'] == 'system' %}",
  "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}",
  '{%- else %}',
  "{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}",
  '{%- endif %}',
  '{%- for message in messages %}',
  "{%- if not (message.role == 'system' and loop.first) %}",
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}",
  '{%- endif %}',
  '{%- endfor %}',
  '{%- if add_generation_prompt %}',
  "{{- '<|im_start|>assistant\\n' }}",
  '{%- endif %}',
].join('\n');

export function bpeTokenizerConfig(): object {
  const vocab = bpeVocab();
  return {
    add_prefix_space: false,
    added_tokens_decoder: Object.fromEntries(CHAT_SPECIALS.map((s) => [String(vocab[s]), { content: s, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true }])),
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    bos_token: null, chat_template: QWEN_CHAT_TEMPLATE, clean_up_tokenization_spaces: false, eos_token: '<|im_end|>', errors: 'replace',
    model_max_length: 32768, pad_token: '<|endoftext|>', split_special_tokens: false, tokenizer_class: 'Qwen2Tokenizer', unk_token: null,
  };
}

export function generationConfig(): object {
  const vocab = bpeVocab();
  return { bos_token_id: vocab['<|endoftext|>'], pad_token_id: vocab['<|endoftext|>'], do_sample: true, eos_token_id: [vocab['<|im_end|>'], vocab['<|endoftext|>']] };
}

export function decoderConfig(s: { vocab: number; hidden: number; layers: number; kvHeads: number; headDim: number; ffn: number; maxPositions: number }): object {
  return {
    architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', hidden_size: s.hidden, intermediate_size: s.ffn, num_hidden_layers: s.layers,
    num_attention_heads: s.kvHeads, num_key_value_heads: s.kvHeads, head_dim: s.headDim, vocab_size: s.vocab, max_position_embeddings: s.maxPositions,
    'transformers.js_config': { kv_cache_dtype: { q4f16: 'float16', fp16: 'float16' } },
  };
}
