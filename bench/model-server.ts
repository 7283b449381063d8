// A tiny text-classification Space in its own process, for bench/batching.ts:
// `tsx bench/model-server.ts batched|unbatched <modelsDir> <modelId>`. Prints its port once the model is loaded.
import * as sc from "spacecraft";
import { serve } from "spacecraft/server";

const [mode, modelsDir, modelId] = process.argv.slice(2);
if (!modelsDir || !modelId || (mode !== "batched" && mode !== "unbatched")) {
  console.error("Usage: tsx bench/model-server.ts batched|unbatched <modelsDir> <modelId>");
  process.exit(2);
}
process.env.SPACECRAFT_MODELS = modelsDir;
process.env.HF_HUB_OFFLINE = "1";
const model = sc.pipeline("text-classification", modelId);
const space = sc.Interface({
  model,
  inputs: [sc.Textbox()],
  outputs: [sc.Label()],
  ...(mode === "batched"
    ? { batch: { maxSize: 32, maxWaitMs: Number(process.env.BENCH_WAIT_MS ?? 0) } }
    : {}),
});
const server = await serve(space, { port: 0 });
await model.load();
console.log(server.port);
