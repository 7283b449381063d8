// The Space with a model `npm run bench:startup` starts: a tiny generated text classifier
// (`tests/models/make-tiny-models.ts`), loaded from `SPACECRAFT_MODELS` as a Space loads a Hub model.
import * as sc from "spacecraft";

export default sc.Interface({
  title: "Start-up bench, with a model",
  model: sc.pipeline("text-classification", "tiny/sentiment"),
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Label({ label: "Sentiment" })],
});
