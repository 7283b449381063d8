import type { onnx as Onnx } from "onnx-proto";
import { ElemType, encodeModel, floatTensor, int64Tensor, node, valueInfo } from "../onnx-graph.js";
import { vocabId, wordPieceTokenizer } from "../tokenizer-json.js";
import type { TinyModelSpec } from "./model-files.js";
import { jsonFile, labelMaps, onnxFiles } from "./model-files.js";
import { SENTIMENT_WORDS, sentimentTokenizerConfig } from "./sentiment.js";

const MAX_POSITIONS = 128;

/** The size of a generated DistilBERT. */
interface DistilbertSize {
  /** Width of the hidden states. */
  dim: number;
  /** Transformer layers. */
  layers: number;
  /** Attention heads (each `dim / heads` wide). */
  heads: number;
  /** Width of each layer's feed-forward block. */
  ffn: number;
}

/**
 * `tiny/distilbert`: a real DistilBERT sequence classifier (embeddings, 5 transformer layers with
 * masked multi-head attention, the pre-classifier) with random weights. Its labels mean nothing;
 * it costs what a real model's graph costs per call, so batching can be measured on it.
 */
export const distilbertModel: TinyModelSpec = distilbertSpec("tiny/distilbert", {
  // The size of the Hub's tiny-random test models: a whole DistilBERT, only narrow.
  dim: 32,
  layers: 5,
  heads: 4,
  ffn: 37,
});

/** A DistilBERT classifier of the given size with random weights. */
function distilbertSpec(name: string, size: DistilbertSize): TinyModelSpec {
  return { name, build: () => buildDistilbertFiles(size) };
}

function buildDistilbertFiles({ dim: DIM, layers: LAYERS, heads: HEADS, ffn: FFN }: DistilbertSize) {
  const tokenizer = wordPieceTokenizer(SENTIMENT_WORDS);
  const vocabSize = Object.keys(tokenizer.vocab).length;
  return {
    "config.json": jsonFile({
      model_type: "distilbert",
      architectures: ["DistilBertForSequenceClassification"],
      vocab_size: vocabSize,
      dim: DIM,
      hidden_dim: FFN,
      n_layers: LAYERS,
      n_heads: HEADS,
      max_position_embeddings: MAX_POSITIONS,
      pad_token_id: vocabId(tokenizer.vocab, "[PAD]"),
      problem_type: "single_label_classification",
      ...labelMaps(["NEGATIVE", "POSITIVE"]),
    }),
    "tokenizer.json": jsonFile(tokenizer.json),
    "tokenizer_config.json": jsonFile(sentimentTokenizerConfig()),
    ...onnxFiles("model", distilbertGraph(vocabSize, { dim: DIM, layers: LAYERS, heads: HEADS, ffn: FFN })),
  };
}

/** The graph as an opset-13 export writes it: LayerNorm and GELU spelled out in primitive ops. */
function distilbertGraph(
  vocabSize: number,
  { dim: DIM, layers: LAYERS, heads: HEADS, ffn: FFN }: DistilbertSize,
): Uint8Array {
  const random = seededRandom(7);
  const weights: Onnx.ITensorProto[] = [];
  const nodes: Onnx.INodeProto[] = [];
  const param = (name: string, dims: number[], fill?: number) => {
    const size = dims.reduce((a, b) => a * b, 1);
    weights.push(
      floatTensor(
        name,
        dims,
        Array.from({ length: size }, () => fill ?? (random() - 0.5) * 0.4),
      ),
    );
    return name;
  };
  const op = (type: string, inputs: string[], output: string, attributes = {}) => {
    nodes.push(node(type, inputs, [output], attributes));
    return output;
  };
  const dense = (input: string, name: string, from: number, to: number) =>
    op(
      "Add",
      [op("MatMul", [input, param(`${name}.weight`, [from, to])], `${name}.mm`), param(`${name}.bias`, [to])],
      name,
    );
  const layerNorm = (input: string, name: string) => {
    const mean = op("ReduceMean", [input], `${name}.mean`, { axes: [-1] });
    const centred = op("Sub", [input, mean], `${name}.centred`);
    const variance = op("ReduceMean", [op("Mul", [centred, centred], `${name}.sq`)], `${name}.var`, {
      axes: [-1],
    });
    const std = op("Sqrt", [op("Add", [variance, "eps"], `${name}.var_eps`)], `${name}.std`);
    const normed = op("Div", [centred, std], `${name}.normed`);
    return op(
      "Add",
      [
        op("Mul", [normed, param(`${name}.weight`, [DIM], 1)], `${name}.scaled`),
        param(`${name}.bias`, [DIM], 0),
      ],
      name,
    );
  };

  // Embeddings: words plus positions 0…S-1.
  const seqLength = op("Gather", [op("Shape", ["input_ids"], "ids_shape"), "index_1"], "seq_length", {
    axis: 0,
  });
  const positions = op("Range", ["zero", seqLength, "one_int"], "positions");
  const embedded = op(
    "Add",
    [
      op("Gather", [param("word_embeddings", [vocabSize, DIM]), "input_ids"], "words"),
      op("Gather", [param("position_embeddings", [MAX_POSITIONS, DIM]), positions], "places"),
    ],
    "embedded",
  );
  let hidden = layerNorm(embedded, "embeddings.norm");

  // Padding gets -10000 before the softmax: [B, 1, 1, S].
  const mask = op(
    "Unsqueeze",
    [op("Cast", ["attention_mask"], "mask_float", { to: ElemType.float }), "axes_1_2"],
    "mask_4d",
  );
  const maskBias = op("Mul", [op("Sub", ["one", mask], "mask_inverted"), "minus_big"], "mask_bias");

  for (let l = 0; l < LAYERS; l++) {
    const p = `layer.${l}`;
    const heads = (input: string, name: string, perm: number[]) =>
      op("Transpose", [op("Reshape", [input, "heads_shape"], `${name}.split`)], name, { perm });
    const q = heads(dense(hidden, `${p}.q`, DIM, DIM), `${p}.qh`, [0, 2, 1, 3]);
    const k = heads(dense(hidden, `${p}.k`, DIM, DIM), `${p}.kh`, [0, 2, 3, 1]);
    const v = heads(dense(hidden, `${p}.v`, DIM, DIM), `${p}.vh`, [0, 2, 1, 3]);
    const scores = op(
      "Add",
      [op("Mul", [op("MatMul", [q, k], `${p}.qk`), "head_scale"], `${p}.scaled`), maskBias],
      `${p}.scores`,
    );
    const attended = op("MatMul", [op("Softmax", [scores], `${p}.probs`, { axis: -1 }), v], `${p}.attended`);
    const merged = op(
      "Reshape",
      [op("Transpose", [attended], `${p}.merged_t`, { perm: [0, 2, 1, 3] }), "merged_shape"],
      `${p}.merged`,
    );
    const attention = layerNorm(
      op("Add", [dense(merged, `${p}.out`, DIM, DIM), hidden], `${p}.res1`),
      `${p}.sa_norm`,
    );
    const up = dense(attention, `${p}.ffn1`, DIM, FFN);
    const erf = op("Erf", [op("Div", [up, "sqrt2"], `${p}.ffn_div`)], `${p}.ffn_erf`);
    const gelu = op(
      "Mul",
      [op("Mul", [up, op("Add", [erf, "one"], `${p}.ffn_1p`)], `${p}.ffn_m`), "half"],
      `${p}.gelu`,
    );
    hidden = layerNorm(
      op("Add", [dense(gelu, `${p}.ffn2`, FFN, DIM), attention], `${p}.res2`),
      `${p}.out_norm`,
    );
  }

  // The [CLS] token → pre-classifier → ReLU → logits.
  const cls = op("Gather", [hidden, "index_0"], "cls", { axis: 1 });
  const pre = op("Relu", [dense(cls, "pre_classifier", DIM, DIM)], "pre_relu");
  op(
    "Add",
    [
      op("MatMul", [pre, param("classifier.weight", [DIM, 2])], "classifier.mm"),
      param("classifier.bias", [2]),
    ],
    "logits",
  );

  return encodeModel({
    name: "tiny_distilbert",
    inputs: [
      valueInfo("input_ids", ElemType.int64, ["batch_size", "sequence_length"]),
      valueInfo("attention_mask", ElemType.int64, ["batch_size", "sequence_length"]),
    ],
    outputs: [valueInfo("logits", ElemType.float, ["batch_size", 2])],
    nodes,
    initializers: [
      ...weights,
      floatTensor("eps", [], [1e-12]),
      floatTensor("one", [], [1]),
      floatTensor("half", [], [0.5]),
      floatTensor("sqrt2", [], [Math.SQRT2]),
      floatTensor("minus_big", [], [-10000]),
      floatTensor("head_scale", [], [1 / Math.sqrt(DIM / HEADS)]),
      int64Tensor("zero", [], [0]),
      int64Tensor("one_int", [], [1]),
      int64Tensor("index_0", [], [0]),
      int64Tensor("index_1", [], [1]),
      int64Tensor("axes_1_2", [2], [1, 2]),
      int64Tensor("heads_shape", [4], [0, 0, HEADS, DIM / HEADS]),
      int64Tensor("merged_shape", [3], [0, 0, DIM]),
    ],
  });
}

/** A small deterministic generator (mulberry32), so the model files are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
