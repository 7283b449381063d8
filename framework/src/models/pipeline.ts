import type { AllTasks, PipelineType, ProgressInfo } from "@huggingface/transformers";
import { didYouMean, ModelLoadError } from "../errors.js";

/** Options passed through to transformers.js `pipeline()`. */
export interface PipelineOptions {
  /** Weight precision, e.g. `"fp32"`, `"q8"`, `"q4"` (default: fp32 on a server, q8 in a browser). */
  dtype?: "auto" | "fp32" | "fp16" | "q8" | "int8" | "uint8" | "q4" | "bnb4" | "q4f16";
  /** Where to run, e.g. `"cpu"`, `"wasm"`, `"webgpu"`. */
  device?: "auto" | "cpu" | "wasm" | "webgpu" | "gpu" | "cuda" | "dml" | "webnn";
  /** A branch, tag or commit of the model repo. */
  revision?: string;
}

/** Suffix of the ONNX file transformers.js loads for each dtype (`onnx/model<suffix>.onnx`). */
export const DTYPE_SUFFIX: Readonly<Record<string, string>> = {
  fp32: "",
  auto: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  bnb4: "_bnb4",
  q4f16: "_q4f16",
};

/** Where a model handle stands. */
export interface ModelStatus {
  state: "idle" | "loading" | "ready" | "error";
  /** Fraction of bytes loaded, 0–1, while loading. */
  progress?: number;
  loaded?: number;
  total?: number;
  /** What the user should know: the file being loaded, or what went wrong and what to do. */
  message?: string;
}

/** The loaded transformers.js pipeline of a task. */
export type LoadedPipeline<T extends PipelineType> = AllTasks[T];

/**
 * A lazy, shared handle on a transformers.js pipeline. Loading starts on the first `load()`
 * (the server calls it at start-up); every caller shares one load per (task, model, options).
 */
export class ModelHandle<T extends PipelineType = PipelineType> {
  readonly task: T;
  readonly model: string;
  readonly options: Readonly<PipelineOptions>;
  #status: ModelStatus = { state: "idle" };
  readonly #requirements: ((pipe: unknown) => string | undefined)[] = [];
  #loading: Promise<LoadedPipeline<T>> | undefined;
  readonly #listeners = new Set<(status: ModelStatus) => void>();

  constructor(task: T, model: string, options: PipelineOptions = {}) {
    this.task = task;
    this.model = model;
    this.options = Object.freeze({ ...options });
  }

  /** The current loading state. */
  get status(): ModelStatus {
    return this.#status;
  }

  /** Calls `listener` on every status change; returns a function that stops it. */
  onStatus(listener: (status: ModelStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Adds a check the loaded pipeline must pass (a chat Space needs a chat template): a message
   * from it makes loading fail with that message.
   */
  require(check: (pipe: LoadedPipeline<T>) => string | undefined): this {
    this.#requirements.push(check as (pipe: unknown) => string | undefined);
    return this;
  }

  /**
   * Loads the pipeline once; later calls share the same promise. `defaults` fill options the
   * declaration left out (the browser runtime picks the device this way); loading waits for
   * `ready` first (the server's set-up of transformers.js). Only the first call's arguments count.
   */
  load(defaults: PipelineOptions = {}, ready?: PromiseLike<unknown>): Promise<LoadedPipeline<T>> {
    this.#loading ??= this.#load(defaults, ready);
    return this.#loading;
  }

  async #load(
    defaults: PipelineOptions,
    ready: PromiseLike<unknown> | undefined,
  ): Promise<LoadedPipeline<T>> {
    this.#set({ state: "loading", progress: 0, message: `Loading ${this.model}` });
    let transformers: typeof import("@huggingface/transformers");
    try {
      await ready;
      transformers = await import("@huggingface/transformers");
    } catch (error) {
      const message =
        (error as { code?: unknown })?.code === "ERR_MODULE_NOT_FOUND"
          ? "Models need the @huggingface/transformers package, which is not installed. " +
            "Run: npm install @huggingface/transformers"
          : `${this.model} could not start loading: ${(error as Error)?.message ?? error}. ` +
            "Restart the server once that is fixed.";
      this.#set({ state: "error", message });
      throw new ModelLoadError(message, { cause: error });
    }
    let pipe: LoadedPipeline<T>;
    try {
      pipe = (await transformers.pipeline(this.task, this.model, {
        ...defaults,
        ...this.options,
        progress_callback: (info: ProgressInfo) => this.#onProgress(info),
      })) as LoadedPipeline<T>;
    } catch (error) {
      const explained = new ModelLoadError(explainLoadError(error, this.model), { cause: error });
      this.#set({ state: "error", message: explained.message });
      throw explained;
    }
    for (const check of this.#requirements) {
      const problem = check(pipe);
      if (problem) {
        this.#set({ state: "error", message: problem });
        throw new ModelLoadError(problem);
      }
    }
    this.#set({ state: "ready", progress: 1 });
    return pipe;
  }

  #onProgress(info: ProgressInfo): void {
    if (info.status === "progress_total") {
      const progress = info.total > 0 ? info.loaded / info.total : 0;
      this.#set({
        state: "loading",
        progress,
        loaded: info.loaded,
        total: info.total,
        message: `Loading ${this.model}`,
      });
    } else if (info.status === "initiate") {
      this.#set({ ...this.#status, message: `Loading ${this.model}: ${info.file}` });
    }
  }

  #set(status: ModelStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}

const handles = new Map<string, ModelHandle>();

/**
 * Declares a transformers.js pipeline for a Space. The same (task, model, options) gives the
 * same handle, so a model loads once per process however many endpoints use it.
 * @example const model = pipeline("text-classification", "Xenova/distilbert-base-uncased-finetuned-sst-2-english")
 */
export function pipeline<T extends PipelineType>(
  task: T,
  model: string,
  options: PipelineOptions = {},
): ModelHandle<T> {
  const key = JSON.stringify([task, model, Object.entries(options).sort()]);
  let handle = handles.get(key);
  if (!handle) {
    handle = new ModelHandle(task, model, options) as ModelHandle;
    handles.set(key, handle);
  }
  return handle as ModelHandle<T>;
}

/** Popular transformers.js models and their tasks, for `fromModel` and "did you mean" hints. */
export const POPULAR_MODELS: Readonly<Record<string, string>> = {
  "Xenova/distilbert-base-uncased-finetuned-sst-2-english": "text-classification",
  "Xenova/bert-base-multilingual-uncased-sentiment": "text-classification",
  "Xenova/toxic-bert": "text-classification",
  "Xenova/bert-base-NER": "token-classification",
  "Xenova/mobilebert-uncased-mnli": "zero-shot-classification",
  "Xenova/distilgpt2": "text-generation",
  "onnx-community/Qwen2.5-0.5B-Instruct": "text-generation",
  "HuggingFaceTB/SmolLM2-135M-Instruct": "text-generation",
  "Xenova/distilbart-cnn-6-6": "summarization",
  "Xenova/t5-small": "text2text-generation",
  "Xenova/LaMini-Flan-T5-248M": "text2text-generation",
  "Xenova/opus-mt-en-de": "translation",
  "Xenova/nllb-200-distilled-600M": "translation",
  "Xenova/bert-base-uncased": "fill-mask",
  "Xenova/distilbert-base-cased-distilled-squad": "question-answering",
  "Xenova/all-MiniLM-L6-v2": "feature-extraction",
  "Xenova/vit-base-patch16-224": "image-classification",
  "Xenova/detr-resnet-50": "object-detection",
  "Xenova/vit-gpt2-image-captioning": "image-to-text",
  "Xenova/whisper-tiny.en": "automatic-speech-recognition",
  "Xenova/whisper-base": "automatic-speech-recognition",
  "onnx-community/whisper-base": "automatic-speech-recognition",
};

/** Turns a transformers.js loading error into what happened and what to do. */
export function explainLoadError(error: unknown, model: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
  const status = (error as { status?: number }).status;
  const text = `${message} ${cause}`;
  if (/was not found locally|local_files_only/i.test(text)) {
    return (
      `"${model}" is not in the local model cache and downloading is off (HF_HUB_OFFLINE=1). ` +
      "Run once with network access to cache it, or point to a local folder such as ./models/my-model."
    );
  }
  if (status === 401 || status === 403 || /Unauthorized access|Forbidden access/.test(message)) {
    return (
      `"${model}" is gated or private (HTTP ${status ?? (message.includes("Forbidden") ? 403 : 401)}). ` +
      `Accept its terms on https://huggingface.co/${model} and set HF_TOKEN to a token that can read it.`
    );
  }
  if (status === 404 || /Could not locate file/.test(message)) {
    const hint = didYouMean(model, Object.keys(POPULAR_MODELS));
    const valid = /^[\w.-]+\/[\w.-]+$/.test(model);
    return (
      `Model "${model}" was not found on the Hugging Face Hub${valid ? " (or it has no transformers.js ONNX files)" : ""}.` +
      (hint
        ? ` Did you mean "${hint}"?`
        : " Check the id on https://huggingface.co/models?library=transformers.js.")
    );
  }
  if (
    /fetch failed|Failed to fetch|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|NetworkError/i.test(
      text,
    )
  ) {
    return (
      `Cannot reach the Hugging Face Hub to download "${model}". Check the network, ` +
      "or set HF_HUB_OFFLINE=1 to use cached or local models."
    );
  }
  if (/out of memory|bad_alloc|Array buffer allocation failed|Cannot allocate/i.test(text)) {
    return `Not enough memory to load "${model}". Pick a smaller model or a smaller dtype (e.g. dtype: "q8" or "q4").`;
  }
  return `Could not load "${model}": ${message}`;
}
