import * as sc from "spacecraft";

export default sc.Interface({
  title: "Repeat",
  description: "Type some text and choose how many times to repeat it. Markdown **works** here.",
  fn: (text, times) => text.repeat(times),
  inputs: [
    sc.Textbox({ label: "Text", placeholder: "Type something" }),
    sc.Slider({ label: "Times", minimum: 1, maximum: 5, step: 1, value: 2 }),
  ],
  outputs: [sc.Textbox({ label: "Result" })],
  examples: [
    ["ha", 3],
    ["echo ", 5],
  ],
  article: "Built with Spacecraft. Edit `app.ts` to change this demo.",
});
