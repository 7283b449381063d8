import { ElemType, encodeModel, floatTensor, node, valueInfo } from "../onnx-graph.js";
import type { Vocab } from "../tokenizer-json.js";
import { byteLevelBpeTokenizer, toByteLevel, vocabId } from "../tokenizer-json.js";
import type { BigramWeights } from "./bigram.js";
import { bigramWeights } from "./bigram.js";
import type { TinyModelSpec } from "./model-files.js";
import { jsonFile, onnxFiles } from "./model-files.js";

const EOS = "<|endoftext|>";
// Greedy decoding after any other token follows this story, then stops at EOS.
const STORY = [
  " Once",
  " upon",
  " a",
  " time",
  " there",
  " lived",
  " the",
  " little",
  " cat",
  ".",
  " The",
  " end",
];
const EXTRA_WORDS = [" Hello", " hello", " world", " Tell", " me", " story", " and", " dog"];

/** The text the tiny GPT-2 generates greedily after a token outside its story (then it emits EOS). */
export const GPT2_STORY = STORY.join("");

/** A small role-prefixed chat template for `tiny/gpt2`. */
export const GPT2_CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] + ': ' + message['content'] + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'assistant:' }}{% endif %}";

/** `tiny/gpt2`: cache-less GPT-2 style text generation that greedily tells `GPT2_STORY`. */
export const gpt2Model: TinyModelSpec = { name: "tiny/gpt2", build: buildGpt2Files };

function buildGpt2Files() {
  const tokenizer = byteLevelBpeTokenizer([...STORY.filter((w) => w.startsWith(" ")), ...EXTRA_WORDS], [EOS]);
  const vocabSize = Object.keys(tokenizer.vocab).length;
  const eosId = vocabId(tokenizer.vocab, EOS);
  const chain = [...STORY.map((word) => vocabId(tokenizer.vocab, toByteLevel(word))), eosId];
  const weights = bigramWeights(vocabSize, chain, chain[0] ?? eosId);
  return {
    "config.json": jsonFile(gpt2Config(vocabSize, weights.hidden, eosId)),
    "generation_config.json": jsonFile({ bos_token_id: eosId, eos_token_id: eosId, pad_token_id: eosId }),
    "tokenizer.json": jsonFile(tokenizer.json),
    "tokenizer_config.json": jsonFile(gpt2TokenizerConfig()),
    ...onnxFiles("model", gpt2Graph(tokenizer.vocab, weights)),
  };
}

function gpt2Config(vocabSize: number, hidden: number, eosId: number) {
  return {
    model_type: "gpt2",
    architectures: ["GPT2LMHeadModel"],
    vocab_size: vocabSize,
    n_positions: 256,
    n_ctx: 256,
    n_embd: hidden,
    n_layer: 1,
    n_head: 1,
    bos_token_id: eosId,
    eos_token_id: eosId,
    use_cache: false,
  };
}

function gpt2TokenizerConfig() {
  return {
    tokenizer_class: "GPT2Tokenizer",
    add_bos_token: false,
    add_prefix_space: false,
    bos_token: EOS,
    eos_token: EOS,
    unk_token: EOS,
    pad_token: EOS,
    model_max_length: 256,
    chat_template: GPT2_CHAT_TEMPLATE,
  };
}

// logits = wte[input_ids] · lm_head. Without a KV cache transformers.js feeds only the last token after
// the first step, so the graph must not relate input_ids to attention_mask; it only declares the mask.
function gpt2Graph(vocab: Vocab, weights: BigramWeights): Uint8Array {
  const vocabSize = Object.keys(vocab).length;
  return encodeModel({
    name: "tiny_gpt2_bigram",
    inputs: [
      valueInfo("input_ids", ElemType.int64, ["batch_size", "sequence_length"]),
      valueInfo("attention_mask", ElemType.int64, ["batch_size", "total_sequence_length"]),
    ],
    outputs: [valueInfo("logits", ElemType.float, ["batch_size", "sequence_length", vocabSize])],
    nodes: [
      node("Gather", ["wte", "input_ids"], ["hidden_states"]),
      node("MatMul", ["hidden_states", "lm_head"], ["logits"]),
    ],
    initializers: [
      floatTensor("wte", [vocabSize, weights.hidden], weights.embeddings),
      floatTensor("lm_head", [weights.hidden, vocabSize], weights.lmHead),
    ],
  });
}
