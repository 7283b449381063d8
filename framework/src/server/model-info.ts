import type { ModelHandle } from "../models/pipeline.js";
import { DTYPE_SUFFIX } from "../models/pipeline.js";
import type { ModelInfo } from "../protocol.js";

/**
 * What the Hub says of a model at the revision this Space loads (`main` unless pinned): its page,
 * licence and the size of the files this Space downloads. Undefined for local folders, offline,
 * or when the Hub cannot be reached.
 */
export async function readModelInfo(
  model: ModelHandle,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<ModelInfo | undefined> {
  const offline = ["1", "true", "yes"].includes((environment.HF_HUB_OFFLINE ?? "").toLowerCase());
  if (offline || !/^[\w.-]+\/[\w.-]+$/.test(model.model)) return undefined;
  const hubUrl = (environment.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
  const token = environment.HF_TOKEN;
  const credentials = token?.startsWith("hf_") ? { accessToken: token } : {};
  // transformers.js loads `main` unless a revision is pinned; the card and files must be that one's.
  const revision = model.options.revision ?? "main";
  try {
    const { listFiles, modelInfo } = await import("@huggingface/hub");
    const info = await modelInfo({
      name: model.model,
      revision,
      hubUrl,
      additionalFields: ["cardData", "tags"],
      ...credentials,
    });
    const suffix = DTYPE_SUFFIX[model.options.dtype ?? "fp32"] ?? "";
    let sizeBytes = 0;
    // listFiles puts the revision in the URL as it is (modelInfo encodes it): refs/pr/1 must be one segment.
    const files = listFiles({
      repo: model.model,
      revision: encodeURIComponent(revision),
      recursive: true,
      hubUrl,
      ...credentials,
    });
    for await (const file of files) {
      if (file.type !== "file") continue;
      const onnx = /^onnx\/(.+?)(\.onnx|\.onnx_data(_\d+)?)$/.exec(file.path);
      const needed = onnx
        ? onnx[1]?.endsWith(suffix) && !hasOtherSuffix(onnx[1] ?? "", suffix)
        : /\.json$/.test(file.path);
      if (needed) sizeBytes += file.lfs?.size ?? file.size;
    }
    const cardLicense = (info.cardData as { license?: unknown } | undefined)?.license;
    const tagLicense = (info.tags as string[] | undefined)
      ?.find((tag) => tag.startsWith("license:"))
      ?.slice(8);
    const license = typeof cardLicense === "string" ? cardLicense : tagLicense;
    return {
      url: `${hubUrl}/${model.model}${model.options.revision ? `/tree/${encodeURIComponent(revision)}` : ""}`,
      ...(license ? { license } : {}),
      sizeBytes,
      ...(info.gated ? { gated: true } : {}),
    };
  } catch {
    return undefined;
  }
}

/** True when a file name carries a dtype suffix other than the one wanted (e.g. `_fp16` when fp32 is). */
function hasOtherSuffix(name: string, wanted: string): boolean {
  return Object.values(DTYPE_SUFFIX).some(
    (suffix) => suffix !== "" && suffix !== wanted && name.endsWith(suffix),
  );
}
