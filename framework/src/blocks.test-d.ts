// Type tests for Blocks: checked by `tsc -b`. Each @ts-expect-error fails the build if the line
// it marks stops being an error.
import { expectTypeOf } from "vitest";
import type { SpaceClient } from "./client/connect.js";
import * as sc from "./index.js";

// The example as written is `tests/fixtures/tip-calculator.ts` (type-checked too). Here:
// fn's parameters come from `inputs`, its result is checked against `outputs` (a tuple for two),
// State<number[]> flows in as number[], and mistakes are compile errors.
sc.Blocks({ title: "Tip calculator" }, () => {
  const bill = sc.Number({ label: "Bill", value: 40 });
  const percent = sc.Slider({ label: "Tip %", minimum: 0, maximum: 30, step: 1, value: 15 });
  const tip = sc.Number({ label: "Tip" });
  const tips = sc.State<number[]>([]);
  const count = sc.Number({ label: "Tips so far" });
  const note = sc.Markdown({ value: "Tips are **optional**." });
  const go = sc.Button({ value: "Compute" });

  go.click({
    fn: (bill, percent, tips) => {
      expectTypeOf(bill).toEqualTypeOf<number>();
      expectTypeOf(tips).toEqualTypeOf<number[]>();
      const t = (bill * percent) / 100;
      return [t, [...tips, t]];
    },
    inputs: [bill, percent, tips],
    outputs: [tip, tips],
    apiName: "tip",
  }).then({ fn: (tips) => tips.length, inputs: [tips], outputs: [count] });

  percent.change({ fn: (bill, percent) => (bill * percent) / 100, inputs: [bill, percent], outputs: [tip] });

  // A wrong return type for the output is a compile error.
  // @ts-expect-error a Number output cannot take a string
  go.click({ fn: (bill) => `${bill}`, inputs: [bill], outputs: [tip] });
  // Too many parameters for the inputs is a compile error too.
  go.click({
    // @ts-expect-error two inputs, three parameters (plus ctx)
    fn: (a: number, b: number, c: number, d: number) => a + b + c + d,
    inputs: [bill, percent],
    outputs: [tip],
  });
  // An update may stand for any output; a layout block takes only updates. (A function with no
  // parameters is typed before its outputs are known: `as const` makes its list a tuple.)
  const panel = sc.Column(note);
  go.click({ fn: () => [sc.update({ visible: false }), 3] as const, outputs: [panel, count] });
  // @ts-expect-error a Column has no value to set
  go.click({ fn: () => "hello", outputs: [panel] });
  // Components without the event have no method for it.
  // @ts-expect-error a Markdown cannot be clicked
  note.click;
  // A single component may stand for a list of one.
  sc.on([bill.submit, go.click], { fn: (value) => value * 2, inputs: bill, outputs: tip });

  return sc.Tabs(
    sc.Tab("Compute", sc.Row(sc.Column(bill, percent, go), sc.Column(tip, count))),
    sc.Tab("About", panel),
  );
});

// The typed client is typed per endpoint by its API name.
const upper = sc.Interface({
  fn: (text, times) => text.toUpperCase().repeat(times),
  inputs: [sc.Textbox(), sc.Slider({ minimum: 1, maximum: 3 })],
  outputs: [sc.Textbox()],
  apiName: "upper",
});
const length = sc.Interface({ fn: (text) => text.length, inputs: [sc.Textbox()], outputs: [sc.Number()] });
const both = sc.TabbedInterface([upper, length], ["Upper", "Length"]);
declare const client: SpaceClient<NonNullable<(typeof both)["~api"]>>;
expectTypeOf(client.predict("/upper", ["a", 2])).resolves.toEqualTypeOf<[string]>();
expectTypeOf(client.predict("predict", ["abc"])).resolves.toEqualTypeOf<[number]>();
// @ts-expect-error "/upper" takes a number of times second
client.predict("/upper", ["a", "b"]);
// @ts-expect-error no such endpoint
client.predict("/lower", ["a"]);

// The page's load event: typed as a component's events are; it carries no data.
sc.Blocks({}, (page) => {
  const name = sc.Textbox({ label: "Name" });
  const count = sc.Number({ label: "Visits" });
  page.load({
    fn: (name, ctx) => {
      expectTypeOf(name).toEqualTypeOf<string>();
      expectTypeOf(ctx.event).toEqualTypeOf<undefined>();
      return name.length;
    },
    inputs: [name],
    outputs: [count],
  });
  // @ts-expect-error a Number output cannot take a string
  page.load({ fn: (name) => name, inputs: [name], outputs: [count] });
  sc.on([page.load, name.submit], { fn: (name) => name.length, inputs: [name], outputs: [count] });
  return [name, count];
});
