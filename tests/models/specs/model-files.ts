/** The files of one model directory: relative path → contents. */
export type ModelFiles = Record<string, string | Uint8Array>;

/** How to build one tiny model: its id (`tiny/sentiment`) and a pure function producing its files. */
export interface TinyModelSpec {
  name: string;
  build: () => ModelFiles;
}

/** Pretty JSON with a trailing newline, as the Hub stores config files. */
export function jsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The same fp32 graph as `onnx/<base>.onnx` (Node default, dtype fp32) and `onnx/<base>_quantized.onnx`
 * (browser default, dtype q8), so the model loads under either default.
 */
export function onnxFiles(base: string, bytes: Uint8Array): ModelFiles {
  return { [`onnx/${base}.onnx`]: bytes, [`onnx/${base}_quantized.onnx`]: bytes };
}

/** `id2label` and `label2id` config entries for labels listed in id order. */
export function labelMaps(labels: readonly string[]): {
  id2label: Record<string, string>;
  label2id: Record<string, number>;
} {
  return {
    id2label: Object.fromEntries(labels.map((label, id) => [String(id), label])),
    label2id: Object.fromEntries(labels.map((label, id) => [label, id])),
  };
}
