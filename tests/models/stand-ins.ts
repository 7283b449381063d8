import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEFAULT_OUT_DIR, makeTinyModels } from "./make-tiny-models.js";

/**
 * The Hub models the templates use, and the tiny model that stands in for each in tests (`tiny/gpt2`
 * has a chat template, so it stands in for the chat models too).
 */
export const TEMPLATE_MODELS: Readonly<Record<string, string>> = {
  "Xenova/distilbert-base-uncased-finetuned-sst-2-english": "tiny/sentiment",
  "Xenova/vit-base-patch16-224": "tiny/vit-colors",
  "onnx-community/whisper-base": "tiny/whisper",
  "onnx-community/Qwen2.5-0.5B-Instruct": "tiny/gpt2",
  "HuggingFaceTB/SmolLM2-135M-Instruct": "tiny/gpt2",
};

/**
 * A folder where each template's model id points at its tiny stand-in, for
 * `SPACECRAFT_MODELS=<folder> HF_HUB_OFFLINE=1`. Returns the folder.
 */
export async function makeModelStandIns(folder: string): Promise<string> {
  const dirs = await makeTinyModels(DEFAULT_OUT_DIR);
  for (const [id, tiny] of Object.entries(TEMPLATE_MODELS)) {
    const link = join(folder, id);
    rmSync(link, { recursive: true, force: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(dirs[tiny] as string, link, "dir");
  }
  return folder;
}
