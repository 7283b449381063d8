import type { PipelineType } from "@huggingface/tasks";
import { AnnotatedImage } from "../components/annotatedimage.js";
import type { AudioData } from "../components/audio.js";
import { Audio } from "../components/audio.js";
import type { AnyComponent } from "../components/component.js";
import type { HighlightedSpan } from "../components/highlightedtext.js";
import { HighlightedText } from "../components/highlightedtext.js";
import { Image } from "../components/image.js";
import { JSON as JSONComponent } from "../components/json.js";
import { Label } from "../components/label.js";
import { Textbox } from "../components/textbox.js";
import type { Context } from "../context.js";
import { DeclarationError } from "../errors.js";

/** How a task becomes a demo: its default components and the call that maps inputs to outputs. */
export interface TaskRecipe {
  /** Human name, as on the Hub. */
  name: string;
  inputs: () => AnyComponent[];
  outputs: () => AnyComponent[];
  /**
   * Calls the loaded pipeline with the inputs. A task that streams makes this a generator
   * function, which marks its endpoint as streaming (`types.generator` in the config).
   */
  run: (...args: unknown[]) => unknown;
  /** Calls the pipeline once for a batch: a list per input in, a list of results out. */
  runBatch?: (...args: unknown[]) => Promise<unknown[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: transformers.js pipelines are called dynamically per task
type Pipe = (...args: any[]) => Promise<any>;

const pipeOf = (args: unknown[]): Pipe => (args.at(-1) as Context<Pipe>).model;

const text = (label: string, lines = 3) =>
  Textbox({ label, lines, placeholder: `Type ${label.toLowerCase()}` });

/** A task id: the Hub's (`@huggingface/tasks`), or one transformers.js adds. */
export type TaskId = PipelineType | "text2text-generation";

/** Recipes by task id (ids and names as in `@huggingface/tasks`, checked by a test). */
export const TASKS: Partial<Record<TaskId, TaskRecipe>> = {
  "text-classification": {
    name: "Text Classification",
    inputs: () => [text("Text")],
    outputs: () => [Label({ label: "Label" })],
    run: async (input, ...rest) => (await classifyTexts(classifierOf(rest), [input as string], 5))[0],
    runBatch: (inputs, ...rest) => classifyTexts(classifierOf(rest), inputs as string[], 5),
  },
  "token-classification": {
    name: "Token Classification",
    inputs: () => [text("Text")],
    outputs: () => [HighlightedText({ label: "Entities", showLegend: true })],
    run: async (input, ...rest) => entitySpans(input as string, await pipeOf(rest)(input)),
  },
  "zero-shot-classification": {
    name: "Zero-Shot Classification",
    inputs: () => [
      text("Text"),
      Textbox({ label: "Candidate labels", placeholder: "positive, negative, neutral" }),
    ],
    outputs: () => [Label({ label: "Label" })],
    run: async (input, labels, ...rest) => {
      const candidates = String(labels)
        .split(",")
        .map((label) => label.trim())
        .filter(Boolean);
      const result = (await pipeOf(rest)(input, candidates)) as { labels: string[]; scores: number[] };
      return Object.fromEntries(result.labels.map((label, i) => [label, result.scores[i] ?? 0]));
    },
  },
  "text-generation": {
    name: "Text Generation",
    inputs: () => [text("Prompt")],
    outputs: () => [Textbox({ label: "Generated text", lines: 6 })],
    run: async function* (input, ...rest) {
      yield* streamText(rest.at(-1) as Context<Pipe>, input as string, { max_new_tokens: 128 });
    },
  },
  "text2text-generation": {
    name: "Text2Text Generation",
    inputs: () => [text("Text")],
    outputs: () => [Textbox({ label: "Output", lines: 4 })],
    run: async (input, ...rest) => firstText(await pipeOf(rest)(input, { max_new_tokens: 256 })),
  },
  summarization: {
    name: "Summarization",
    inputs: () => [text("Text", 8)],
    outputs: () => [Textbox({ label: "Summary", lines: 4 })],
    run: async (input, ...rest) => firstText(await pipeOf(rest)(input, { max_new_tokens: 256 })),
  },
  translation: {
    name: "Translation",
    inputs: () => [text("Text")],
    outputs: () => [Textbox({ label: "Translation", lines: 3 })],
    run: async (input, ...rest) => firstText(await pipeOf(rest)(input, { max_new_tokens: 256 })),
  },
  "fill-mask": {
    name: "Fill-Mask",
    inputs: () => [
      Textbox({ label: "Text with a mask token", placeholder: "Paris is the [MASK] of France." }),
    ],
    outputs: () => [Label({ label: "Predictions" })],
    run: async (input, ...rest) => {
      const result = (await pipeOf(rest)(input)) as { token_str: string; score: number }[];
      return result.map((item) => ({ label: item.token_str, score: item.score }));
    },
  },
  "question-answering": {
    name: "Question Answering",
    inputs: () => [Textbox({ label: "Question" }), text("Context", 6)],
    outputs: () => [Textbox({ label: "Answer" })],
    run: async (question, context, ...rest) => {
      const result = (await pipeOf(rest)(question, context)) as { answer: string } | { answer: string }[];
      return Array.isArray(result) ? (result[0]?.answer ?? "") : result.answer;
    },
  },
  "feature-extraction": {
    name: "Feature Extraction",
    inputs: () => [text("Text")],
    outputs: () => [JSONComponent({ label: "Embedding" })],
    run: async (input, ...rest) => {
      const tensor = (await pipeOf(rest)(input, { pooling: "mean", normalize: true })) as {
        tolist(): unknown;
      };
      return tensor.tolist();
    },
  },
  "image-classification": {
    name: "Image Classification",
    inputs: () => [Image({ label: "Image" })],
    outputs: () => [Label({ label: "Label" })],
    run: (image, ...rest) => pipeOf(rest)(image, { top_k: 5 }),
  },
  "object-detection": {
    name: "Object Detection",
    inputs: () => [Image({ label: "Image" })],
    outputs: () => [AnnotatedImage({ label: "Objects" })],
    run: async (image, ...rest) => [image, await pipeOf(rest)(image, { threshold: 0.5, percentage: false })],
  },
  "image-to-text": {
    name: "Image-to-Text",
    inputs: () => [Image({ label: "Image" })],
    outputs: () => [Textbox({ label: "Caption", lines: 2 })],
    run: async (image, ...rest) => firstText(await pipeOf(rest)(image)),
  },
  "automatic-speech-recognition": {
    name: "Automatic Speech Recognition",
    inputs: () => [Audio({ label: "Speech" })],
    outputs: () => [Textbox({ label: "Transcript", lines: 4 })],
    run: async (audio, ...rest) => {
      const result = (await pipeOf(rest)((audio as AudioData).data)) as { text: string } | { text: string }[];
      return (Array.isArray(result) ? (result[0]?.text ?? "") : result.text).trim();
    },
  },
};

/** The recipe of a task, or a clear error listing the supported ones. */
export function taskRecipe(task: string): TaskRecipe {
  const recipe = TASKS[task as TaskId];
  if (!recipe) {
    throw new DeclarationError(
      `The task "${task}" is not supported yet. Supported tasks: ${Object.keys(TASKS).join(", ")}. ` +
        "For another task, write your own fn with ctx.model.",
    );
  }
  return recipe;
}

/** What {@link classifyTexts} needs of a transformers.js text-classification pipeline. */
interface TextClassifier {
  tokenizer: (texts: string[], options: { padding: true; truncation: true }) => unknown;
  model: ((inputs: unknown) => Promise<{ logits: { data: Float32Array; dims: number[] } }>) & {
    config: { problem_type?: string; id2label?: Record<number, string> };
  };
}

const classifierOf = (args: unknown[]) => pipeOf(args) as unknown as TextClassifier;

/**
 * Text classification as the transformers.js pipeline does it (one tokenizer and model call for
 * all texts; softmax, or sigmoid for multi-label models; the `topK` best), with the top-k in
 * JavaScript: the pipeline runs an ONNX TopK session per text, which costs more than the tiny
 * models' whole forward pass and made batching pay per text again.
 */
async function classifyTexts(pipe: TextClassifier, texts: string[], topK: number) {
  const { logits } = await pipe.model(pipe.tokenizer(texts, { padding: true, truncation: true }));
  const { problem_type, id2label } = pipe.model.config;
  const classes = logits.dims[1] ?? 0;
  return texts.map((_, row) => {
    const scores = Array.from(logits.data.subarray(row * classes, (row + 1) * classes));
    const probabilities =
      problem_type === "multi_label_classification"
        ? scores.map((score) => 1 / (1 + Math.exp(-score)))
        : softmax(scores);
    return probabilities
      .map((score, index) => ({ label: id2label?.[index] ?? `LABEL_${index}`, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK);
  });
}

function softmax(values: number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

function firstText(result: unknown): string {
  const first = (Array.isArray(result) ? result[0] : result) as Record<string, unknown> | undefined;
  const value = first?.generated_text ?? first?.summary_text ?? first?.translation_text ?? "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Streams generated text token by token through transformers.js' TextStreamer. */
/**
 * Streams what a text-generation pipeline writes for a prompt or chat messages (the tokenizer's
 * chat template applies), as the text so far; generation stops when `ctx.signal` aborts, so no
 * tokens are computed for a caller who left.
 */
export async function* streamText(
  ctx: Context<Pipe>,
  prompt: string | readonly { role: string; content: string }[],
  options: object,
): AsyncGenerator<string> {
  const { TextStreamer, InterruptableStoppingCriteria } = await import("@huggingface/transformers");
  const stop = new InterruptableStoppingCriteria();
  const interrupt = () => stop.interrupt();
  ctx.signal.addEventListener("abort", interrupt, { once: true });
  const chunks: string[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failure: unknown;
  const tokenizer = (ctx.model as unknown as { tokenizer: ConstructorParameters<typeof TextStreamer>[0] })
    .tokenizer;
  const streamer = new TextStreamer(tokenizer, {
    skip_prompt: true,
    skip_special_tokens: true,
    callback_function: (chunk: string) => {
      chunks.push(chunk);
      wake?.();
    },
  });
  ctx
    .model(prompt, { ...options, streamer, stopping_criteria: [stop] })
    .catch((error: unknown) => {
      failure = error;
    })
    .finally(() => {
      done = true;
      wake?.();
    });
  let output = "";
  for (;;) {
    if (chunks.length > 0) {
      output += chunks.splice(0).join("");
      yield output;
      continue;
    }
    if (done) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  ctx.signal.removeEventListener("abort", interrupt);
  if (failure) throw failure;
  yield output;
}

interface TokenEntity {
  entity?: string;
  entity_group?: string;
  word: string;
  start?: number;
  end?: number;
}

/** Places token-classification entities on the text (transformers.js gives words, not offsets). */
export function entitySpans(input: string, entities: TokenEntity[]): HighlightedSpan[] {
  const spans: HighlightedSpan[] = [];
  let at = 0;
  const lower = input.toLowerCase();
  for (const entity of entities) {
    const word = entity.word.replace(/^##/, "");
    const start = entity.start ?? lower.indexOf(word.toLowerCase(), at);
    if (start < 0) continue;
    const end = entity.end ?? start + word.length;
    if (start > at) spans.push({ token: input.slice(at, start), class_or_confidence: null });
    const label = (entity.entity_group ?? entity.entity ?? "").replace(/^[BI]-/, "");
    const last = spans.at(-1);
    if (last && last.class_or_confidence === label && start === at) last.token += input.slice(start, end);
    else spans.push({ token: input.slice(start, end), class_or_confidence: label || null });
    at = end;
  }
  if (at < input.length) spans.push({ token: input.slice(at), class_or_confidence: null });
  return spans;
}
