import { ElemType, encodeModel, floatTensor, int64Tensor, node, valueInfo } from "../onnx-graph.js";
import type { Vocab } from "../tokenizer-json.js";
import { vocabId, wordPieceTokenizer } from "../tokenizer-json.js";
import type { TinyModelSpec } from "./model-files.js";
import { jsonFile, labelMaps, onnxFiles } from "./model-files.js";

const HIDDEN = 8;
// Logit gap per unit of mean sentiment; "i love this" has mean 1/5 over [CLS] i love this [SEP] → gap 6.
const LOGIT_SCALE = 15;

// Words that push the mean embedding towards POSITIVE and NEGATIVE, and words without sentiment.
const POSITIVE_WORDS = words(
  "love loved like liked great good excellent amazing wonderful happy best fantastic awesome " +
    "enjoy enjoyed beautiful nice perfect brilliant fun",
);

const NEGATIVE_WORDS = words(
  "terrible bad awful hate hated worst boring horrible poor sad disappointing ugly waste " +
    "broken dislike annoying dull angry worse fail",
);

const NEUTRAL_WORDS = words(
  "i you we they he she it this that these is are was were be the a an and or but of to in on " +
    "for with at by from movie film book food music day time place service product story game " +
    "really very so too quite just not no yes all some my your our have has had do did does " +
    "will would can could what how why there hello world today again about more most much one " +
    "two three people",
);

/** `tiny/sentiment`: DistilBERT-style text classification whose masked-mean embedding carries sentiment. */
export const sentimentModel: TinyModelSpec = { name: "tiny/sentiment", build: buildSentimentFiles };

/** Every word the sentiment tokenizer knows (besides its special tokens). */
export const SENTIMENT_WORDS = [...POSITIVE_WORDS, ...NEGATIVE_WORDS, ...NEUTRAL_WORDS];

function buildSentimentFiles() {
  const tokenizer = wordPieceTokenizer(SENTIMENT_WORDS);
  const vocabSize = Object.keys(tokenizer.vocab).length;
  return {
    "config.json": jsonFile(sentimentConfig(vocabSize, tokenizer.vocab)),
    "tokenizer.json": jsonFile(tokenizer.json),
    "tokenizer_config.json": jsonFile(sentimentTokenizerConfig()),
    ...onnxFiles("model", sentimentGraph(tokenizer.vocab)),
  };
}

function sentimentConfig(vocabSize: number, vocab: Vocab) {
  return {
    model_type: "distilbert",
    architectures: ["DistilBertForSequenceClassification"],
    vocab_size: vocabSize,
    dim: HIDDEN,
    hidden_dim: HIDDEN * 4,
    n_layers: 1,
    n_heads: 1,
    max_position_embeddings: 128,
    pad_token_id: vocabId(vocab, "[PAD]"),
    problem_type: "single_label_classification",
    ...labelMaps(["NEGATIVE", "POSITIVE"]),
  };
}

/** A DistilBERT uncased WordPiece tokenizer config. */
export function sentimentTokenizerConfig() {
  return {
    tokenizer_class: "DistilBertTokenizer",
    do_lower_case: true,
    model_max_length: 128,
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    pad_token: "[PAD]",
    unk_token: "[UNK]",
    mask_token: "[MASK]",
  };
}

// Masked mean of word embeddings, then a linear classifier:
// logits = ((Σ_s emb[ids] · mask) / max(Σ_s mask, 1)) · W + b
function sentimentGraph(vocab: Vocab): Uint8Array {
  return encodeModel({
    name: "tiny_distilbert_sentiment",
    inputs: [
      valueInfo("input_ids", ElemType.int64, ["batch_size", "sequence_length"]),
      valueInfo("attention_mask", ElemType.int64, ["batch_size", "sequence_length"]),
    ],
    outputs: [valueInfo("logits", ElemType.float, ["batch_size", 2])],
    nodes: [
      node("Gather", ["word_embeddings", "input_ids"], ["embedded"]),
      node("Cast", ["attention_mask"], ["mask_float"], { to: ElemType.float }),
      node("Unsqueeze", ["mask_float", "axis_2"], ["mask_3d"]),
      node("Mul", ["embedded", "mask_3d"], ["masked"]),
      node("ReduceSum", ["masked", "axis_1"], ["summed"], { keepdims: 0 }),
      node("ReduceSum", ["mask_3d", "axis_1"], ["token_count"], { keepdims: 0 }),
      node("Max", ["token_count", "one"], ["safe_count"]),
      node("Div", ["summed", "safe_count"], ["pooled"]),
      node("MatMul", ["pooled", "classifier_weight"], ["scores"]),
      node("Add", ["scores", "classifier_bias"], ["logits"]),
    ],
    initializers: [
      floatTensor("word_embeddings", [Object.keys(vocab).length, HIDDEN], sentimentEmbeddings(vocab)),
      floatTensor("classifier_weight", [HIDDEN, 2], classifierWeights()),
      floatTensor("classifier_bias", [2], [0, 0]),
      floatTensor("one", [1], [1]),
      int64Tensor("axis_1", [1], [1]),
      int64Tensor("axis_2", [1], [2]),
    ],
  });
}

// Feature 0 is positivity, feature 1 negativity; the other features stay zero.
function sentimentEmbeddings(vocab: Vocab): Float32Array {
  const weights = new Float32Array(Object.keys(vocab).length * HIDDEN);
  for (const word of POSITIVE_WORDS) weights[vocabId(vocab, word) * HIDDEN] = 1;
  for (const word of NEGATIVE_WORDS) weights[vocabId(vocab, word) * HIDDEN + 1] = 1;
  return weights;
}

// Column 0 is NEGATIVE, column 1 POSITIVE.
function classifierWeights(): Float32Array {
  const weights = new Float32Array(HIDDEN * 2);
  weights.set([-LOGIT_SCALE, LOGIT_SCALE], 0);
  weights.set([LOGIT_SCALE, -LOGIT_SCALE], 2);
  return weights;
}

function words(list: string): string[] {
  return list.split(" ");
}
