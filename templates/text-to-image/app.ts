import * as sc from "spacecraft";

export default sc.Interface({
  title: "Text to image",
  description: "Describe a picture: FLUX.1 [schnell], run by Hugging Face Inference Providers, draws it.",
  // The Space's HF_TOKEN secret pays for it (or `billTo`); pick the provider with `provider`.
  model: sc.inference("text-to-image", "black-forest-labs/FLUX.1-schnell"),
  inputs: [
    sc.Textbox({ label: "Prompt", lines: 3, placeholder: "An astronaut riding a horse, watercolour" }),
  ],
  outputs: [sc.Image({ label: "Image" })],
  examples: [["A lighthouse on a cliff at sunset, oil painting"]],
});
