// The Space `npm run bench:startup` starts: three inputs, two outputs, no model.
import * as sc from "spacecraft";

export default sc.Interface({
  title: "Start-up bench",
  fn: (text, times, loud) => {
    const said = text.repeat(times);
    return [loud ? said.toUpperCase() : said, said.length];
  },
  inputs: [
    sc.Textbox({ label: "Text" }),
    sc.Slider({ label: "Times", minimum: 1, maximum: 5, step: 1 }),
    sc.Checkbox({ label: "Loud" }),
  ],
  outputs: [sc.Textbox({ label: "Said" }), sc.Number({ label: "Length" })],
});
