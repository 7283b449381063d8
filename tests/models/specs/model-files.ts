/** The files of one model directory: relative path → contents. */
export type ModelFiles = Record<string, string | Uint8Array>;

/** How to build one tiny model: its id (`tiny/sentiment`) and a pure function producing its files. */
export interface TinyModelSpec {
  name: string;
  build: () => ModelFiles;
}

const LINE_WIDTH = 110;

/**
 * JSON laid out as the repo's formatter (Biome, line width 110) would: objects expanded, arrays of
 * primitives on one line when they fit. Generated files then pass `biome check` unchanged.
 */
export function jsonFile(value: unknown): string {
  return `${formatJson(value, "", 0)}\n`;
}

// `prefixWidth` is what precedes the value on its line (indent and key); the trailing comma counts too.
function formatJson(value: unknown, indent: string, prefixWidth: number, suffix = ""): string {
  if (Array.isArray(value)) return formatArray(value, indent, prefixWidth, suffix);
  if (value !== null && typeof value === "object") return formatObject(value, indent);
  return JSON.stringify(value);
}

function formatArray(items: unknown[], indent: string, prefixWidth: number, suffix: string): string {
  if (items.length === 0) return "[]";
  const inline = `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;
  const primitives = items.every((item) => item === null || typeof item !== "object");
  if (primitives && prefixWidth + inline.length + suffix.length <= LINE_WIDTH) return inline;
  const inner = `${indent}  `;
  const lines = items.map((item, i) => {
    const comma = i < items.length - 1 ? "," : "";
    return `${inner}${formatJson(item, inner, inner.length, comma)}${comma}`;
  });
  return `[\n${lines.join("\n")}\n${indent}]`;
}

function formatObject(object: object, indent: string): string {
  const entries = Object.entries(object);
  if (entries.length === 0) return "{}";
  const inner = `${indent}  `;
  const lines = entries.map(([key, item], i) => {
    const comma = i < entries.length - 1 ? "," : "";
    const head = `${inner}${JSON.stringify(key)}: `;
    return `${head}${formatJson(item, inner, head.length, comma)}${comma}`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/**
 * The same fp32 graph as `onnx/<base>.onnx` (Node default, dtype fp32), `onnx/<base>_q4.onnx` and `onnx/<base>_quantized.onnx`
 * (browser default, dtype q8), so the model loads under either default.
 */
export function onnxFiles(base: string, bytes: Uint8Array): ModelFiles {
  return {
    [`onnx/${base}.onnx`]: bytes,
    [`onnx/${base}_quantized.onnx`]: bytes,
    [`onnx/${base}_q4.onnx`]: bytes,
  };
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
