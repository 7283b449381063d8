import { describe, expect, it } from "vitest";
import { explainLoadError, pipeline } from "./pipeline.js";

describe("pipeline()", () => {
  it("shares one handle per (task, model, options)", () => {
    const a = pipeline("text-classification", "org/model", { dtype: "q8" });
    expect(pipeline("text-classification", "org/model", { dtype: "q8" })).toBe(a);
    expect(pipeline("text-classification", "org/model", { dtype: "fp32" })).not.toBe(a);
    expect(pipeline("token-classification", "org/model", { dtype: "q8" })).not.toBe(a);
    expect(a.status).toEqual({ state: "idle" });
  });

  it("waits for what it is told to before loading, and says so when that failed", async () => {
    const handle = pipeline("text-classification", "org/waits");
    const statuses: string[] = [];
    handle.onStatus((status) => statuses.push(`${status.state}: ${status.message}`));
    const loading = handle.load({}, Promise.reject(new Error("the cache folder is read-only")));
    // Later callers share the first load, whatever they pass.
    expect(handle.load()).toBe(loading);
    await expect(loading).rejects.toThrow(
      "org/waits could not start loading: the cache folder is read-only. Restart the server once that is fixed.",
    );
    expect(statuses).toEqual([
      "loading: Loading org/waits",
      "error: org/waits could not start loading: the cache folder is read-only. Restart the server once that is fixed.",
    ]);
  });
});

describe("explainLoadError", () => {
  const explain = (error: unknown, model = "org/model") => explainLoadError(error, model);

  it("says what to do when the Hub cannot be reached", () => {
    const error = new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND huggingface.co") });
    expect(explain(error)).toBe(
      'Cannot reach the Hugging Face Hub to download "org/model". Check the network, or set HF_HUB_OFFLINE=1 to use cached or local models.',
    );
  });

  it("points at HF_TOKEN for gated and private models", () => {
    const error = Object.assign(
      new Error('Forbidden access to file: "https://huggingface.co/org/model/config.json".'),
      {
        status: 403,
      },
    );
    expect(explain(error)).toContain("is gated or private (HTTP 403)");
    expect(explain(error)).toContain("set HF_TOKEN");
  });

  it("suggests a close popular model id when a model is not found", () => {
    const error = Object.assign(new Error('Could not locate file: "…/config.json".'), { status: 404 });
    expect(explain(error, "Xenova/whisper-bse")).toContain('Did you mean "Xenova/whisper-base"?');
    expect(explain(error, "nobody/nothing-like-it")).toContain(
      "huggingface.co/models?library=transformers.js",
    );
  });

  it("explains running out of memory", () => {
    expect(explain(new Error("std::bad_alloc"))).toBe(
      'Not enough memory to load "org/model". Pick a smaller model or a smaller dtype (e.g. dtype: "q8" or "q4").',
    );
    expect(explain(new RangeError("Array buffer allocation failed"))).toContain("Not enough memory");
  });

  it("says offline mode is on when a model is not cached", () => {
    const error = new Error(
      '`local_files_only=true` or `env.allowRemoteModels=false` and file was not found locally at "x".',
    );
    expect(explain(error)).toContain("downloading is off (HF_HUB_OFFLINE=1)");
  });
});
