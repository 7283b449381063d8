import { DTYPE_SUFFIX } from "spacecraft";
import { formatBytes } from "spacecraft/format";
import type { ScaffoldSdk } from "spacecraft/space-card";
import { LICENSES } from "spacecraft/space-card";

/** Bytes per parameter, for an estimate before the Hub is asked. */
const BYTES_PER_PARAM: Readonly<Record<string, number>> = {
  fp32: 4,
  fp16: 2,
  q8: 1,
  int8: 1,
  uint8: 1,
  q4: 0.6,
  bnb4: 0.6,
  q4f16: 0.6,
};
/** What a browser tab can reasonably load (a static Space downloads the model into it). */
export const BROWSER_LIMIT_BYTES = 2 * 1024 ** 3;
/** The RAM of the free `cpu-basic` hardware a Docker Space runs on. */
export const CPU_BASIC_RAM_BYTES = 16 * 1024 ** 3;

const NON_COMMERCIAL = [
  /^cc-by-nc/,
  /^fair-noncommercial/,
  /^h-research$/,
  /^intel-research$/,
  /^apple-amlr$/,
  /^deepfloyd-if-license$/,
];
const OWN_TERMS = [/^llama/, /^gemma$/, /^grok2-community$/, /^other$/];

/** The dtype transformers.js picks where the model runs: q8 in the browser (WASM), fp32 on a server. */
export function defaultDtype(sdk: ScaffoldSdk, declared?: string): string {
  return declared ?? (sdk === "static" ? "q8" : "fp32");
}

/** An estimate of the download for `millionParams` at `dtype`, before the Hub is asked. */
export function estimateBytes(millionParams: number, dtype: string): number {
  return millionParams * 1e6 * (BYTES_PER_PARAM[dtype] ?? 4);
}

/** A warning about a licence that limits how a Space may use the model, or undefined. */
export function licenseWarning(id: string, license: string | undefined): string | undefined {
  if (!license) return undefined;
  if (NON_COMMERCIAL.some((rule) => rule.test(license))) {
    return `${id} is licensed ${license}: non-commercial use only. Read it before you ship: https://huggingface.co/${id}`;
  }
  if (OWN_TERMS.some((rule) => rule.test(license))) {
    return `${id} is licensed ${license}, with its own terms (use restrictions, attribution, sometimes limits on commercial use). Read them before you ship: https://huggingface.co/${id}`;
  }
  return undefined;
}

/** What the Hub says of a chosen model, and what it means for the Space. */
export interface ModelReport {
  id: string;
  /** `checked`: the Hub answered; `offline`: it could not be reached; `skipped`: HF_HUB_OFFLINE. */
  status: "checked" | "offline" | "skipped";
  dtype: string;
  /** Licence id from the model card (or its `license:` tag). */
  license?: string;
  gated?: boolean;
  /** Bytes of the files transformers.js downloads for `dtype`. */
  sizeBytes?: number;
  /** The task on the model card. */
  task?: string;
  /** One line for the person scaffolding: size and licence, or why they are unknown. */
  summary: string;
  warnings: string[];
}

/** Options of {@link checkModel}. */
export interface CheckModelOptions {
  id: string;
  sdk: ScaffoldSdk;
  /** The dtype the app declares, if any. */
  dtype?: string;
  /** The template's task, to warn when the model does another. */
  task?: string;
  hubUrl: string;
  /** An `hf_…` token for gated or private models. */
  token?: string;
  /** `HF_HUB_OFFLINE`: do not ask the Hub. */
  offline?: boolean;
  /** Give up on the Hub after this long (default 10 s). */
  timeoutMs?: number;
}

/** The model does not exist on the Hub (a typo, most often): scaffolding stops. */
export class ModelNotFoundError extends Error {
  override name = "ModelNotFoundError";
}

/**
 * Reads a model's card and file list from the Hub: its licence, whether it is gated, and the size
 * of the files transformers.js downloads for the dtype; warns when it will not fit where the Space
 * runs (2 GB in a browser, the 16 GB of `cpu-basic` on a server), when its licence restricts use,
 * and when it has no ONNX weights for the dtype. Never fails when the Hub can't be reached: the
 * report says the check was skipped. Throws {@link ModelNotFoundError} for a model that is not there.
 */
export async function checkModel(options: CheckModelOptions): Promise<ModelReport> {
  const { id, sdk } = options;
  const dtype = defaultDtype(sdk, options.dtype);
  if (options.offline) {
    return {
      id,
      status: "skipped",
      dtype,
      summary: `Model ${id}: not checked (HF_HUB_OFFLINE is set).`,
      warnings: [],
    };
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timedFetch: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const credentials = options.token?.startsWith("hf_") ? { accessToken: options.token } : {};
  const common = { hubUrl: options.hubUrl, fetch: timedFetch, ...credentials };
  const hub = await import("@huggingface/hub");
  let info: Awaited<ReturnType<typeof hub.modelInfo<"cardData" | "tags">>>;
  try {
    info = await hub.modelInfo({ name: id, additionalFields: ["cardData", "tags"], ...common });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) {
      throw new ModelNotFoundError(
        `--model: "${id}" was not found on ${options.hubUrl} (HTTP 404). Check the id on https://huggingface.co/models?library=transformers.js.`,
      );
    }
    if (status === 401 || status === 403) {
      return {
        id,
        status: "checked",
        dtype,
        gated: true,
        summary: `Model ${id}: private or gated (HTTP ${status}); size and licence unknown.`,
        warnings: [gatedWarning(id, sdk, options.token !== undefined)],
      };
    }
    const reason = status ? `HTTP ${status}` : describeFetchError(error);
    return {
      id,
      status: "offline",
      dtype,
      summary: `Model ${id}: could not reach ${options.hubUrl} (${reason}), so its size and licence were not checked.`,
      warnings: [],
    };
  }

  const cardLicense = (info.cardData as { license?: unknown } | undefined)?.license;
  const tagLicense = (info.tags as string[] | undefined)?.find((tag) => tag.startsWith("license:"))?.slice(8);
  const license = typeof cardLicense === "string" ? cardLicense : tagLicense;
  const gated = Boolean(info.gated);
  const task = info.task ?? undefined;

  const files: { path: string; size: number }[] = [];
  try {
    for await (const file of hub.listFiles({
      repo: { type: "model", name: id },
      recursive: true,
      ...common,
    })) {
      if (file.type === "file") files.push({ path: file.path, size: file.lfs?.size ?? file.size });
    }
  } catch {
    // The card was read; a failing file list only leaves the size unknown.
  }
  const weights = selectWeights(files, dtype);
  const sizeBytes = files.length > 0 ? weights.reduce((sum, file) => sum + file.size, 0) : undefined;

  const warnings: string[] = [];
  if (files.length > 0 && !files.some((file) => /^onnx\/.+\.onnx$/.test(file.path))) {
    warnings.push(
      `${id} has no ONNX weights (onnx/*.onnx), so transformers.js can't run it. Pick a model converted for it, e.g. from onnx-community or Xenova.`,
    );
  } else if (files.length > 0 && !weights.some((file) => file.path.endsWith(".onnx"))) {
    const available = availableDtypes(files);
    warnings.push(
      `${id} has no ${dtype} weights (onnx/*${DTYPE_SUFFIX[dtype] ?? ""}.onnx). Set dtype in app.ts to one it has: ${available.join(", ") || "none found"}.`,
    );
  }
  if (sizeBytes !== undefined) {
    if (sdk === "static" && sizeBytes > BROWSER_LIMIT_BYTES) {
      warnings.push(
        `${id} is ${formatBytes(sizeBytes)} (${dtype}): too big for a browser tab (keep a static Space under ${formatBytes(BROWSER_LIMIT_BYTES)}). Pick a smaller model or dtype, or run it on a server with --sdk docker.`,
      );
    }
    if (sdk === "docker" && sizeBytes > CPU_BASIC_RAM_BYTES) {
      warnings.push(
        `${id} is ${formatBytes(sizeBytes)} (${dtype}): more than the ${formatBytes(CPU_BASIC_RAM_BYTES)} of RAM of the free cpu-basic hardware. Pick a smaller model or dtype, or paid hardware.`,
      );
    }
  }
  const restricted = licenseWarning(id, license);
  if (restricted) warnings.push(restricted);
  if (gated) warnings.push(gatedWarning(id, sdk, options.token !== undefined));
  if (options.task && task && task !== options.task) {
    warnings.push(
      `${id} is a ${task} model, but this template runs ${options.task}. Pick a ${options.task} model.`,
    );
  }
  const size = sizeBytes === undefined ? "size unknown" : `${formatBytes(sizeBytes)} to download (${dtype})`;
  return {
    id,
    status: "checked",
    dtype,
    ...(license ? { license } : {}),
    gated,
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
    ...(task ? { task } : {}),
    summary: `Model ${id}: ${size}, licence ${license ?? "not stated"}${gated ? ", gated" : ""}.`,
    warnings,
  };
}

/** The licence a Space takes from its model: a Hub licence id other than `other` and `unknown`. */
export function spaceLicenseFromModel(license: string | undefined): string | undefined {
  return license && LICENSES.includes(license) && license !== "other" && license !== "unknown"
    ? license
    : undefined;
}

function gatedWarning(id: string, sdk: ScaffoldSdk, hasToken: boolean): string {
  return sdk === "static"
    ? `${id} is gated: a visitor's browser can't download it without a token. Pick an open model, or use --sdk docker and set HF_TOKEN as a Space secret.`
    : `${id} is gated: accept its terms on https://huggingface.co/${id}, then set HF_TOKEN${hasToken ? "" : " (here and as a Space secret)"} so the server can download it.`;
}

/** The files transformers.js downloads for `dtype`: the JSON configs at the top and the ONNX weights. */
function selectWeights(files: { path: string; size: number }[], dtype: string) {
  const suffix = DTYPE_SUFFIX[dtype] ?? "";
  const stems = new Map<string, { path: string; size: number }[]>();
  const configs = files.filter((file) => /^[^/]+\.json$/.test(file.path));
  for (const file of files) {
    const match = /^onnx\/([^/]+?)\.onnx(_data(_\d+)?)?$/.exec(file.path);
    const name = match?.[1];
    if (!name?.endsWith(suffix)) continue;
    const stem = name.slice(0, name.length - suffix.length);
    if (Object.values(DTYPE_SUFFIX).some((other) => other !== "" && stem.endsWith(other))) continue;
    stems.set(stem, [...(stems.get(stem) ?? []), file]);
  }
  // Encoder-decoder models ship a merged decoder beside the two it replaces; only it is loaded.
  if (stems.has("decoder_model_merged")) {
    stems.delete("decoder_model");
    stems.delete("decoder_with_past_model");
  }
  return [...configs, ...[...stems.values()].flat()];
}

function availableDtypes(files: { path: string }[]): string[] {
  return Object.entries(DTYPE_SUFFIX)
    .filter(([dtype]) => dtype !== "auto")
    .filter(([dtype]) =>
      selectWeights(files as { path: string; size: number }[], dtype).some((f) => f.path.endsWith(".onnx")),
    )
    .map(([dtype]) => dtype);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((error as { name?: string }).name === "TimeoutError") return "timed out";
  return error instanceof Error ? error.message : String(error);
}
