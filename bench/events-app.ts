// The page of `npm run bench:events`: one function behind a Textbox's `change` and a Button's
// `click`, each with its own input and output so that neither run disturbs the other's.
import * as sc from "spacecraft";

/** The function both events run. */
const shout = (text: string) => text.toUpperCase();

export default sc.Blocks({ title: "change vs click" }, () => {
  const typed = sc.Textbox({ label: "Typed" });
  const typedResult = sc.Textbox({ label: "Typed result" });
  const clicked = sc.Textbox({ label: "Clicked" });
  const run = sc.Button({ value: "Run" });
  const clickedResult = sc.Textbox({ label: "Clicked result" });
  typed.change({ fn: shout, inputs: [typed], outputs: [typedResult] });
  run.click({ fn: shout, inputs: [clicked], outputs: [clickedResult] });
  return sc.Row(sc.Column(typed, typedResult), sc.Column(clicked, run, clickedResult));
});
