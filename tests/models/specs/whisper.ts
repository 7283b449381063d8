import { ElemType, encodeModel, floatTensor, node, valueInfo } from "../onnx-graph.js";
import type { Vocab } from "../tokenizer-json.js";
import { byteLevelBpeTokenizer, toByteLevel, vocabId } from "../tokenizer-json.js";
import type { BigramWeights } from "./bigram.js";
import { bigramWeights } from "./bigram.js";
import type { TinyModelSpec } from "./model-files.js";
import { jsonFile, onnxFiles } from "./model-files.js";

const WORDS = [" The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."];
const EOT = "<|endoftext|>";
const SOT = "<|startoftranscript|>";
const NO_TIMESTAMPS = "<|notimestamps|>";
// `<|notimestamps|>` must be the highest id: every id above it counts as a timestamp token.
const SPECIALS = [
  EOT,
  SOT,
  "<|en|>",
  "<|translate|>",
  "<|transcribe|>",
  "<|startoflm|>",
  "<|startofprev|>",
  "<|nocaptions|>",
  NO_TIMESTAMPS,
];
const N_MELS = 80;
const N_FRAMES = 3000;

/** What `tiny/whisper` transcribes, whatever the audio. */
export const WHISPER_TRANSCRIPT = WORDS.join("");

/** `tiny/whisper`: English-only Whisper-style ASR whose decoder always spells `WHISPER_TRANSCRIPT`. */
export const whisperModel: TinyModelSpec = { name: "tiny/whisper", build: buildWhisperFiles };

function buildWhisperFiles() {
  const tokenizer = byteLevelBpeTokenizer(
    WORDS.filter((w) => w.startsWith(" ")),
    SPECIALS,
  );
  const vocab = tokenizer.vocab;
  const vocabSize = Object.keys(vocab).length;
  const eot = vocabId(vocab, EOT);
  const chain = [vocabId(vocab, NO_TIMESTAMPS), ...WORDS.map((w) => vocabId(vocab, toByteLevel(w))), eot];
  const weights = bigramWeights(vocabSize, chain, eot);
  return {
    "config.json": jsonFile(whisperConfig(vocab, weights.hidden)),
    "generation_config.json": jsonFile(whisperGenerationConfig(vocab)),
    "preprocessor_config.json": jsonFile(whisperPreprocessorConfig()),
    "tokenizer.json": jsonFile(tokenizer.json),
    "tokenizer_config.json": jsonFile(whisperTokenizerConfig()),
    ...onnxFiles("encoder_model", whisperEncoderGraph(weights.hidden)),
    ...onnxFiles("decoder_model_merged", whisperDecoderGraph(vocabSize, weights)),
  };
}

function whisperConfig(vocab: Vocab, hidden: number) {
  const eot = vocabId(vocab, EOT);
  return {
    model_type: "whisper",
    architectures: ["WhisperForConditionalGeneration"],
    is_encoder_decoder: true,
    vocab_size: Object.keys(vocab).length,
    d_model: hidden,
    num_mel_bins: N_MELS,
    encoder_layers: 1,
    decoder_layers: 1,
    encoder_attention_heads: 1,
    decoder_attention_heads: 1,
    max_source_positions: 1500,
    max_target_positions: 448,
    decoder_start_token_id: vocabId(vocab, SOT),
    bos_token_id: eot,
    eos_token_id: eot,
    pad_token_id: eot,
    use_cache: false,
  };
}

function whisperGenerationConfig(vocab: Vocab) {
  const eot = vocabId(vocab, EOT);
  return {
    decoder_start_token_id: vocabId(vocab, SOT),
    bos_token_id: eot,
    eos_token_id: eot,
    pad_token_id: eot,
    no_timestamps_token_id: vocabId(vocab, NO_TIMESTAMPS),
    is_multilingual: false,
    begin_suppress_tokens: [vocabId(vocab, "Ġ"), eot],
    suppress_tokens: [],
    max_length: 448,
  };
}

function whisperPreprocessorConfig() {
  return {
    feature_extractor_type: "WhisperFeatureExtractor",
    processor_class: "WhisperProcessor",
    feature_size: N_MELS,
    sampling_rate: 16000,
    hop_length: 160,
    chunk_length: 30,
    n_fft: 400,
    n_samples: 480000,
    nb_max_frames: N_FRAMES,
    padding_side: "right",
    padding_value: 0,
    return_attention_mask: false,
  };
}

function whisperTokenizerConfig() {
  return {
    tokenizer_class: "WhisperTokenizer",
    bos_token: EOT,
    eos_token: EOT,
    unk_token: EOT,
    pad_token: EOT,
    add_prefix_space: false,
    model_max_length: 448,
  };
}

// last_hidden_state [b, 1, hidden] = mean(input_features) · projection
function whisperEncoderGraph(hidden: number): Uint8Array {
  return encodeModel({
    name: "tiny_whisper_encoder",
    inputs: [valueInfo("input_features", ElemType.float, ["batch_size", N_MELS, N_FRAMES])],
    outputs: [valueInfo("last_hidden_state", ElemType.float, ["batch_size", 1, hidden])],
    nodes: [
      node("ReduceMean", ["input_features"], ["feature_mean"], { axes: [1, 2], keepdims: 1 }),
      node("MatMul", ["feature_mean", "projection"], ["last_hidden_state"]),
    ],
    initializers: [floatTensor("projection", [1, hidden], new Float32Array(hidden).fill(1 / hidden))],
  });
}

// logits = embed[input_ids] · proj_out + 0 · mean(encoder_hidden_states): the audio is read but ignored.
function whisperDecoderGraph(vocabSize: number, weights: BigramWeights): Uint8Array {
  return encodeModel({
    name: "tiny_whisper_decoder",
    inputs: [
      valueInfo("input_ids", ElemType.int64, ["batch_size", "decoder_sequence_length"]),
      valueInfo("encoder_hidden_states", ElemType.float, [
        "batch_size",
        "encoder_sequence_length",
        weights.hidden,
      ]),
    ],
    outputs: [valueInfo("logits", ElemType.float, ["batch_size", "decoder_sequence_length", vocabSize])],
    nodes: [
      node("Gather", ["embed_tokens", "input_ids"], ["hidden_states"]),
      node("MatMul", ["hidden_states", "proj_out"], ["token_logits"]),
      node("ReduceMean", ["encoder_hidden_states"], ["audio_mean"], { axes: [1, 2], keepdims: 1 }),
      node("Mul", ["audio_mean", "zero"], ["audio_bias"]),
      node("Add", ["token_logits", "audio_bias"], ["logits"]),
    ],
    initializers: [
      floatTensor("embed_tokens", [vocabSize, weights.hidden], weights.embeddings),
      floatTensor("proj_out", [weights.hidden, vocabSize], weights.lmHead),
      floatTensor("zero", [1], [0]),
    ],
  });
}
