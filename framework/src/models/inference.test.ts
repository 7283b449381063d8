import { describe, expect, it } from "vitest";
import { ChatInterface } from "../chat.js";
import { Textbox } from "../components/textbox.js";
import { fromInference, Interface } from "../interface.js";
import { INFERENCE_TASKS, inference } from "./inference.js";
import { TASKS } from "./tasks.js";

describe("inference()", () => {
  it("refuses a task, an option or a combination it cannot run, saying what to use", () => {
    expect(() => inference("fill-mask" as never, "org/model")).toThrow(
      /inference\("fill-mask", "org\/model"\): the task "fill-mask" is not supported\. Supported tasks: text-classification, .*chat-completion\./,
    );
    expect(() => inference("summarization", "org/model", { dtype: "q4" } as never)).toThrow(
      'inference("summarization", "org/model"): unknown option "dtype". Options: provider, endpointUrl, billTo.',
    );
    expect(() =>
      inference("summarization", "org/model", { provider: "together", endpointUrl: "http://127.0.0.1:1" }),
    ).toThrow(/give either `provider` or `endpointUrl`, not both/);
    expect(() => inference("summarization", "org/model", { endpointUrl: "127.0.0.1:8080" })).toThrow(
      /`endpointUrl` must be an http\(s\) URL/,
    );
    expect(() => inference("summarization", "  ")).toThrow(/give a model id/);
  });

  it("is ready at once and lists no model to load at start-up", () => {
    const model = inference("summarization", "org/model");
    expect(model.status).toEqual({ state: "ready" });
    const space = Interface({ inputs: [Textbox()], outputs: [Textbox()], model });
    expect(space.models).toEqual([]);
    expect(space.toConfig().models).toEqual([]);
  });

  it("gives each task the local recipe's components (bytes for a remote image input)", () => {
    for (const task of ["text-classification", "summarization", "automatic-speech-recognition"] as const) {
      expect(INFERENCE_TASKS[task].outputs().map((c) => c.type)).toEqual(
        TASKS[task]?.outputs().map((c) => c.type),
      );
    }
    const config = fromInference("image-classification", "org/model").toConfig();
    expect(config.components.find((c) => c.type === "image")?.props).toMatchObject({ type: "bytes" });
    const image = fromInference("text-to-image", "org/model").toConfig();
    expect(image.components.filter((c) => c.type === "image")).toHaveLength(1);
  });

  it("answers a ChatInterface only as a chat-completion model", () => {
    expect(() => ChatInterface({ model: inference("chat-completion", "org/chat") })).not.toThrow();
    expect(() => ChatInterface({ model: inference("summarization", "org/model") as never })).toThrow(
      /inference\("chat-completion", id\)/,
    );
  });
});

describe("ChatInterface.fromOpenAI", () => {
  it("refuses a base URL that is not http(s) and a missing model", () => {
    expect(() => ChatInterface.fromOpenAI({ baseURL: "api.openai.com/v1", model: "m" })).toThrow(
      /`baseURL` must be an http\(s\) URL/,
    );
    expect(() => ChatInterface.fromOpenAI({ baseURL: "http://127.0.0.1:1/v1", model: "" })).toThrow(
      /give the `model` name/,
    );
  });
});
