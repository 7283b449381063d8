import * as sc from "spacecraft";

export default sc.Interface({
  title: "Sentiment",
  description: "Is a sentence positive or negative? A DistilBERT model fine-tuned on SST-2 decides.",
  model: sc.pipeline("text-classification", "Xenova/distilbert-base-uncased-finetuned-sst-2-english"),
  inputs: [sc.Textbox({ label: "Text", placeholder: "Type a sentence", lines: 2 })],
  outputs: [sc.Label({ label: "Sentiment", numTopClasses: 2 })],
  examples: [["I love this!"], ["This is awful."]],
  batch: { maxSize: 16, maxWaitMs: 0 },
});
