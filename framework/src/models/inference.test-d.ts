// Type tests for inference() and ChatInterface.fromOpenAI: checked by `tsc -b`.
import { expectTypeOf } from "vitest";
import * as sc from "../index.js";

// A remote model is an Interface's model like a pipeline: fn gets its client as ctx.model.
sc.Interface({
  fn: async (text, ctx) => {
    expectTypeOf(ctx.model).toEqualTypeOf<sc.RemoteModel>();
    const result = await ctx.model.client.summarization({ ...ctx.model.args, inputs: text });
    return result.summary_text;
  },
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
  model: sc.inference("summarization", "facebook/bart-large-cnn", { provider: "hf-inference" }),
});

// The handle keeps its task.
expectTypeOf(sc.inference("text-to-image", "black-forest-labs/FLUX.1-schnell")).toEqualTypeOf<
  sc.InferenceHandle<"text-to-image">
>();

// @ts-expect-error not a task Inference Providers run here
sc.inference("text-generation", "gpt2");
// @ts-expect-error a misspelt task
sc.inference("text-clasification", "distilbert/distilbert-base-uncased-finetuned-sst-2-english");
// @ts-expect-error not a provider
sc.inference("chat-completion", "meta-llama/Llama-3.1-8B-Instruct", { provider: "acme" });
// @ts-expect-error not an option (dtype belongs to local pipelines)
sc.inference("chat-completion", "meta-llama/Llama-3.1-8B-Instruct", { dtype: "q4" });
sc.inference("chat-completion", "meta-llama/Llama-3.1-8B-Instruct", { billTo: "my-org", provider: "groq" });

// A chat model from Inference Providers answers a ChatInterface; another task's does not.
sc.ChatInterface({ model: sc.inference("chat-completion", "meta-llama/Llama-3.1-8B-Instruct") });
// @ts-expect-error a summarization model cannot chat
sc.ChatInterface({ model: sc.inference("summarization", "facebook/bart-large-cnn") });

// fromInference takes only the tasks it has recipes for, and Interface options.
sc.fromInference("text-to-image", "black-forest-labs/FLUX.1-schnell", { title: "Draw" });
// @ts-expect-error fill-mask has no remote recipe
sc.fromInference("fill-mask", "google-bert/bert-base-uncased");

// fromOpenAI needs the server's base URL and model; other ChatInterface options pass through.
expectTypeOf(
  sc.ChatInterface.fromOpenAI({ baseURL: "http://127.0.0.1:8080/v1", model: "llama", title: "Local" }),
).toEqualTypeOf<sc.Space>();
// @ts-expect-error the model name is required
sc.ChatInterface.fromOpenAI({ baseURL: "http://127.0.0.1:8080/v1" });
// @ts-expect-error it answers with the server, not an fn
sc.ChatInterface.fromOpenAI({ baseURL: "http://127.0.0.1:8080/v1", model: "llama", fn: () => "hi" });
