// A Blocks page of 100 components for `npm run bench:page`: ten sections of seven inputs, a button
// and two outputs, in rows of columns across five tabs (two sections in accordions), with their
// events wired (click with a .then step, change, input, submit, select).
import * as sc from "spacecraft";

const SECTIONS = 10;

/** One summary line from a section's inputs. */
function summarise(
  text: string,
  amount: number | null,
  level: number,
  on: boolean,
  size: string | null,
  shape: string | null,
  extras: readonly string[],
): string {
  return `${text} × ${amount ?? 0} at ${level}${on ? ", on" : ""}, ${size}, ${shape}, ${extras.join("+")}`;
}

/** A section's second output, filled by a `.then` step from the summary; four kinds in turn. */
function detail(i: number, summary: sc.Textbox, clicked: sc.Event) {
  const label = `Detail ${i}`;
  switch (i % 4) {
    case 0: {
      const json = sc.JSON({ label });
      clicked.then({
        fn: (text) => ({ summary: text, words: text.split(" ").length }),
        inputs: [summary],
        outputs: [json],
      });
      return json;
    }
    case 1: {
      const shown = sc.Label({ label });
      clicked.then({
        fn: (text) => ({ long: Math.min(1, text.length / 80), short: 0.2 }),
        inputs: [summary],
        outputs: [shown],
      });
      return shown;
    }
    case 2: {
      const spans = sc.HighlightedText({ label });
      clicked.then({
        fn: (text) =>
          text
            .split(" ")
            .map((word): [string, string | null] => [`${word} `, /\d/.test(word) ? "number" : null]),
        inputs: [summary],
        outputs: [spans],
      });
      return spans;
    }
    default: {
      const note = sc.Markdown({ label, value: "Nothing computed yet." });
      clicked.then({ fn: (text) => `**Summary:** ${text}`, inputs: [summary], outputs: [note] });
      return note;
    }
  }
}

/** Ten components: seven inputs, a button and two outputs, laid out as a row of two columns. */
function section(i: number): sc.Block {
  const text = sc.Textbox({ label: `Text ${i}`, placeholder: "Type something" });
  const amount = sc.Number({ label: `Amount ${i}`, value: i });
  const level = sc.Slider({ label: `Level ${i}`, minimum: 0, maximum: 10, step: 1, value: 5 });
  const on = sc.Checkbox({ label: `On ${i}` });
  const size = sc.Dropdown({ label: `Size ${i}`, choices: ["small", "medium", "large"], value: "medium" });
  const shape = sc.Radio({ label: `Shape ${i}`, choices: ["circle", "square"], value: "circle" });
  const extras = sc.CheckboxGroup({ label: `Extras ${i}`, choices: ["red", "green", "blue"] });
  const run = sc.Button({ value: `Run ${i}`, variant: "primary" });
  const summary = sc.Textbox({ label: `Summary ${i}` });
  const inputs = [text, amount, level, on, size, shape, extras] as const;

  const clicked = run.click({ fn: summarise, inputs, outputs: [summary] });
  const out = detail(i, summary, clicked);
  text.change({ fn: (value) => value.toUpperCase(), inputs: [text], outputs: [summary] });
  text.submit({ fn: summarise, inputs, outputs: [summary] });
  level.change({
    fn: (value, amount) => `${value * (amount ?? 0)}`,
    inputs: [level, amount],
    outputs: [summary],
  });
  on.input({ fn: (value) => (value ? "on" : "off"), inputs: [on], outputs: [summary] });
  sc.on([size.select, shape.select], { fn: summarise, inputs, outputs: [summary] });

  return sc.Row(sc.Column({ scale: 2 }, ...inputs), sc.Column({ scale: 1 }, run, summary, out));
}

/** The page: five tabs of two sections each; the last tab's sections sit in accordions. */
export default sc.Blocks({ title: "Blocks of 100 components" }, () => {
  const sections = Array.from({ length: SECTIONS }, (_, i) => section(i + 1));
  const tabs = Array.from({ length: SECTIONS / 2 }, (_, t) => {
    const [first, second] = [sections[2 * t], sections[2 * t + 1]] as [sc.Block, sc.Block];
    return t === SECTIONS / 2 - 1
      ? sc.Tab(
          `Tab ${t + 1}`,
          sc.Accordion("First", { open: true }, first),
          sc.Accordion("Second", { open: false }, second),
        )
      : sc.Tab(`Tab ${t + 1}`, first, sc.Group(second));
  });
  return sc.Tabs(...(tabs as [sc.Block, ...sc.Block[]]));
});
