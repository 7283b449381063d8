// The Space the client benches call (`npm run bench`, `bench:api`, `bench:memory`): three inputs,
// two outputs, a trivial fn.
import * as sc from "spacecraft";

export default sc.Interface({
  title: "Clients bench",
  fn: (text, times, loud) => {
    const said = loud ? text.toUpperCase() : text;
    return [said, said.length * times];
  },
  inputs: [
    sc.Textbox({ label: "Text" }),
    sc.Number({ label: "Times", value: 1 }),
    sc.Checkbox({ label: "Loud" }),
  ],
  outputs: [sc.Textbox({ label: "Said" }), sc.Number({ label: "Length" })],
});

/** The inputs every bench sends, by position. */
export const INPUTS: [string, number, boolean] = ["hello", 3, true];
