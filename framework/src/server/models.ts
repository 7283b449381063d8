import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { formatBytes } from "../format.js";
import type { ModelHandle, ModelStatus } from "../models/pipeline.js";

/**
 * Points transformers.js at the Hub and the cache the way Hugging Face tools do:
 * `HF_HUB_OFFLINE=1` never downloads, `HF_ENDPOINT` replaces https://huggingface.co,
 * models are cached in `$HF_HOME/transformers.js` (default `~/.cache/huggingface`),
 * `SPACECRAFT_MODELS` names a folder of local models by id, and `HF_TOKEN` (read by
 * transformers.js itself) opens gated and private models. Ids like `./models/x` are folders.
 */
export async function configureModels(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { env } = await import("@huggingface/transformers");
  env.allowRemoteModels = !["1", "true", "yes"].includes((environment.HF_HUB_OFFLINE ?? "").toLowerCase());
  env.remoteHost = (environment.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/*$/, "/");
  const home = environment.HF_HOME ?? join(homedir(), ".cache", "huggingface");
  env.cacheDir = join(home, "transformers.js");
  // A folder laid out like the Hub (`<dir>/<owner>/<name>/config.json`) is searched first.
  if (environment.SPACECRAFT_MODELS) env.localModelPath = resolve(environment.SPACECRAFT_MODELS);
}

const BAR_WIDTH = 24;

/**
 * Shows model loading in the terminal: a redrawn bar on a TTY, a line per quarter otherwise,
 * then the time it took or what went wrong.
 */
export function reportModelProgress(
  model: ModelHandle,
  stream: NodeJS.WriteStream = process.stderr,
): () => void {
  const started = performance.now();
  let lastQuarter = -1;
  return model.onStatus((status: ModelStatus) => {
    if (status.state === "loading") {
      const fraction = status.progress ?? 0;
      const sizes = status.total ? ` ${formatBytes(status.loaded ?? 0)}/${formatBytes(status.total)}` : "";
      if (stream.isTTY) {
        const filled = Math.round(fraction * BAR_WIDTH);
        const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
        stream.write(`\r${model.model} ${bar} ${Math.round(fraction * 100)}%${sizes}\x1b[K`);
      } else if (Math.floor(fraction * 4) > lastQuarter) {
        lastQuarter = Math.floor(fraction * 4);
        stream.write(`Loading ${model.model}: ${Math.round(fraction * 100)}%${sizes}\n`);
      }
    } else if (status.state === "ready") {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      stream.write(
        `${stream.isTTY ? "\r\x1b[K" : ""}Model ${model.model} (${model.task}) ready in ${seconds} s\n`,
      );
    } else if (status.state === "error") {
      stream.write(
        `${stream.isTTY ? "\r\x1b[K" : ""}Model ${model.model} failed to load: ${status.message}\n`,
      );
    }
  });
}
