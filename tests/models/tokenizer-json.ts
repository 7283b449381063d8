/** A token id table, as stored in `tokenizer.json` (`model.vocab`). */
export type Vocab = Record<string, number>;

/** A `tokenizer.json` document plus the vocabulary it was built from. */
export interface BuiltTokenizer {
  json: Record<string, unknown>;
  vocab: Vocab;
}

/** The special tokens of a BERT-style WordPiece vocabulary, in id order. */
export const WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

const PUNCTUATION = [..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"];
const ALPHANUMERIC = [..."abcdefghijklmnopqrstuvwxyz0123456789"];

/**
 * An uncased BERT WordPiece tokenizer: specials, punctuation, single characters, `##` continuations and
 * the given whole words, so any lowercase ASCII text can be encoded.
 */
export function wordPieceTokenizer(words: readonly string[]): BuiltTokenizer {
  const tokens = [
    ...WORDPIECE_SPECIALS,
    ...PUNCTUATION,
    ...ALPHANUMERIC,
    ...ALPHANUMERIC.map((c) => `##${c}`),
    ...words,
  ];
  const vocab = indexTokens(tokens);
  const id = (token: string) => vocabId(vocab, token);
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: WORDPIECE_SPECIALS.map((content) => addedToken(id(content), content, false)),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)],
      pair: [
        special("[CLS]", 0),
        sequence("A", 0),
        special("[SEP]", 0),
        sequence("B", 1),
        special("[SEP]", 1),
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [id("[CLS]")], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [id("[SEP]")], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  return { json, vocab };
}

/**
 * A GPT-2 style byte-level BPE tokenizer: the 256 byte tokens (GPT-2 ids), prefix merges that make each
 * of `words` one token (write a leading space as " "), then `specials` as added special tokens.
 */
export function byteLevelBpeTokenizer(words: readonly string[], specials: readonly string[]): BuiltTokenizer {
  const byteTokens = [...BYTE_TO_UNICODE.values()];
  const merges = prefixMerges(words.map(toByteLevel));
  const mergedTokens = merges.map(([left, right]) => left + right);
  const vocab = indexTokens([...byteTokens, ...mergedTokens, ...specials]);
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => addedToken(vocabId(vocab, content), content, true)),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: merges.map(([left, right]) => `${left} ${right}`),
    },
  };
  return { json, vocab };
}

/** Maps text to GPT-2's byte-level alphabet (a space becomes "Ġ"). */
export function toByteLevel(text: string): string {
  return [...new TextEncoder().encode(text)].map((byte) => BYTE_TO_UNICODE.get(byte) ?? "").join("");
}

/** The id of `token` in `vocab`, or an error naming the missing token. */
export function vocabId(vocab: Vocab, token: string): number {
  const id = vocab[token];
  if (id === undefined) throw new Error(`Token "${token}" is not in the tiny vocabulary.`);
  return id;
}

/** GPT-2's `bytes_to_unicode()`: printable bytes map to themselves, the rest to U+0100 onwards, in id order. */
const BYTE_TO_UNICODE: ReadonlyMap<number, string> = buildByteToUnicode();

function buildByteToUnicode(): Map<number, string> {
  const printable = [...range(0x21, 0x7e), ...range(0xa1, 0xac), ...range(0xae, 0xff)];
  const map = new Map<number, string>(printable.map((b) => [b, String.fromCharCode(b)]));
  let next = 256;
  for (const byte of range(0, 255)) {
    if (!map.has(byte)) map.set(byte, String.fromCharCode(next++));
  }
  return map;
}

// Merges grow each word from its first character. When every word starts with a space ("Ġ"), no merge
// can fire inside a pre-token except the one extending its current prefix, so each word becomes one token.
function prefixMerges(words: readonly string[]): [string, string][] {
  const merges: [string, string][] = [];
  const seen = new Set<string>();
  for (const word of words) {
    const chars = [...word];
    let prefix = chars[0] ?? "";
    for (const char of chars.slice(1)) {
      const key = `${prefix} ${char}`;
      if (!seen.has(key)) {
        seen.add(key);
        merges.push([prefix, char]);
      }
      prefix += char;
    }
  }
  return merges;
}

function indexTokens(tokens: readonly string[]): Vocab {
  const vocab: Vocab = {};
  for (const token of tokens) {
    if (!(token in vocab)) vocab[token] = Object.keys(vocab).length;
  }
  return vocab;
}

function addedToken(id: number, content: string, normalized: boolean) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized, special: true };
}

function special(id: string, typeId: number) {
  return { SpecialToken: { id, type_id: typeId } };
}

function sequence(id: "A" | "B", typeId: number) {
  return { Sequence: { id, type_id: typeId } };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
