import * as sc from "spacecraft";

export default sc.Interface({
  title: "Text generation",
  description: "Start a story and watch a small language model continue it, token by token.",
  model: sc.pipeline("text-generation", "onnx-community/Qwen2.5-0.5B-Instruct", { dtype: "q4" }),
  fn: async function* (prompt, maxTokens, { model }) {
    const { TextStreamer } = await import("@huggingface/transformers");
    const tokens: string[] = [];
    let wake: () => void = () => {};
    let done = false;
    const streamer = new TextStreamer(model.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (text: string) => {
        tokens.push(text);
        wake();
      },
    });
    const generation = model(prompt, { max_new_tokens: maxTokens, streamer }).finally(() => {
      done = true;
      wake();
    });
    let text = "";
    while (!done || tokens.length > 0) {
      if (tokens.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      text += tokens.splice(0).join("");
      yield text;
    }
    await generation;
  },
  inputs: [
    sc.Textbox({ label: "Prompt", lines: 3, placeholder: "Once upon a time" }),
    sc.Slider({ label: "Max new tokens", minimum: 8, maximum: 256, step: 8, value: 64 }),
  ],
  outputs: [sc.Textbox({ label: "Continuation", lines: 8 })],
  examples: [["Once upon a time", 64]],
});
