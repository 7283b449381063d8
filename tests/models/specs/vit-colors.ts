import { ElemType, encodeModel, floatTensor, node, valueInfo } from "../onnx-graph.js";
import type { TinyModelSpec } from "./model-files.js";
import { jsonFile, labelMaps, onnxFiles } from "./model-files.js";

const IMAGE_SIZE = 32;
const LABELS = ["red", "green", "blue"] as const;
// After normalisation a pure channel is +1 and the others -1, so the winning logit leads by 2 × 10.
const LOGIT_SCALE = 10;

/** `tiny/vit-colors`: ViT-style image classification of the mean colour into red, green or blue. */
export const vitColorsModel: TinyModelSpec = { name: "tiny/vit-colors", build: buildVitColorsFiles };

function buildVitColorsFiles() {
  return {
    "config.json": jsonFile(vitConfig()),
    "preprocessor_config.json": jsonFile(vitPreprocessorConfig()),
    ...onnxFiles("model", vitGraph()),
  };
}

function vitConfig() {
  return {
    model_type: "vit",
    architectures: ["ViTForImageClassification"],
    image_size: IMAGE_SIZE,
    patch_size: IMAGE_SIZE,
    num_channels: 3,
    hidden_size: 3,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    ...labelMaps(LABELS),
  };
}

function vitPreprocessorConfig() {
  return {
    image_processor_type: "ViTImageProcessor",
    do_resize: true,
    size: { height: IMAGE_SIZE, width: IMAGE_SIZE },
    resample: 2,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
  };
}

// logits = mean over H×W of each channel · (scale · I) + 0
function vitGraph(): Uint8Array {
  return encodeModel({
    name: "tiny_vit_colors",
    inputs: [valueInfo("pixel_values", ElemType.float, ["batch_size", 3, IMAGE_SIZE, IMAGE_SIZE])],
    outputs: [valueInfo("logits", ElemType.float, ["batch_size", LABELS.length])],
    nodes: [
      node("ReduceMean", ["pixel_values"], ["channel_means"], { axes: [2, 3], keepdims: 0 }),
      node("MatMul", ["channel_means", "classifier_weight"], ["scores"]),
      node("Add", ["scores", "classifier_bias"], ["logits"]),
    ],
    initializers: [
      floatTensor("classifier_weight", [3, LABELS.length], scaledIdentity(3, LOGIT_SCALE)),
      floatTensor("classifier_bias", [LABELS.length], [0, 0, 0]),
    ],
  });
}

function scaledIdentity(size: number, scale: number): Float32Array {
  const matrix = new Float32Array(size * size);
  for (let i = 0; i < size; i++) matrix[i * size + i] = scale;
  return matrix;
}
