import { describe, expect, it } from "vitest";
import * as sc from "./index.js";
import type { ServerMessage } from "./protocol.js";

/** The tip calculator: tabs, a row of columns, a chained event, State and a `change`. */
export function tipCalculator() {
  return sc.Blocks({ title: "Tip calculator" }, () => {
    const bill = sc.Number({ label: "Bill", value: 40 });
    const percent = sc.Slider({ label: "Tip %", minimum: 0, maximum: 30, step: 1, value: 15 });
    const tip = sc.Number({ label: "Tip" });
    const tips = sc.State<number[]>([]);
    const count = sc.Number({ label: "Tips so far" });
    const note = sc.Markdown({ value: "Tips are **optional**." });
    const go = sc.Button({ value: "Compute" });

    go.click({
      fn: (bill, percent, tips) => {
        const t = (bill * percent) / 100;
        return [t, [...tips, t]];
      },
      inputs: [bill, percent, tips],
      outputs: [tip, tips],
      apiName: "tip",
    }).then({ fn: (tips) => tips.length, inputs: [tips], outputs: [count] });

    percent.change({
      fn: (bill, percent) => (bill * percent) / 100,
      inputs: [bill, percent],
      outputs: [tip],
    });

    return sc.Tabs(
      sc.Tab("Compute", sc.Row(sc.Column(bill, percent, go), sc.Column(tip, count))),
      sc.Tab("About", note),
    );
  });
}

/** Runs one request through the engine and resolves with its last message. */
function run(
  engine: sc.Engine,
  session: string,
  endpoint: string | number,
  data: unknown[],
): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const id = Math.random().toString(36).slice(2);
    const refusal = engine.submit(session, { id, endpoint, data }, (message) => {
      if (message.type === "complete" || message.type === "error" || message.type === "cancelled")
        resolve(message);
    });
    if (refusal) resolve({ type: "error", id, ...refusal });
  });
}

describe("Blocks", () => {
  it("serialises layout, components and one dependency per event", () => {
    const config = tipCalculator().toConfig();
    const byType = (type: string) => config.components.filter((component) => component.type === type);
    expect(byType("tabs")).toHaveLength(1);
    expect(byType("tab").map((tab) => tab.props.label)).toEqual(["Compute", "About"]);
    const state = byType("state")[0];
    expect(state).toMatchObject({ props: {}, skip_api: true });
    const root = config.components.find((component) => component.id === config.layout.id);
    expect(root?.type).toBe("form");
    const [tip, then, change] = config.dependencies;
    expect(tip).toMatchObject({
      api_name: "tip",
      trigger_after: null,
      trigger_mode: "once",
      backend_fn: true,
    });
    expect(then).toMatchObject({
      targets: [[null, "then"]],
      trigger_after: 0,
      trigger_only_on_success: false,
    });
    expect(change).toMatchObject({ trigger_mode: "always_last" });
    expect(change?.targets[0]?.[1]).toBe("change");
    // The output-only Tip is read-only; inputs stay editable.
    const tipBox = config.components.find((component) => component.props.label === "Tip");
    const billBox = config.components.find((component) => component.props.label === "Bill");
    expect(tipBox?.props.interactive).toBe(false);
    expect(billBox?.props.interactive).toBe(true);
    // Default API names: from the function's name, else the trigger and event, made unique.
    expect(config.dependencies.map((dependency) => dependency.api_name)).toEqual([
      "tip",
      "tip_then",
      "tip_change",
    ]);
  });

  it("keeps State per session, from a copy of the initial value, and never sends it", async () => {
    const engine = new sc.Engine(tipCalculator());
    expect(await run(engine, "a", "tip", [40, 15, null])).toMatchObject({
      type: "complete",
      data: [6, null],
    });
    expect(await run(engine, "a", 1, [null])).toMatchObject({ type: "complete", data: [1] });
    await run(engine, "a", "tip", [100, 10, ["forged"]]);
    expect(await run(engine, "a", 1, [null])).toMatchObject({ data: [2] });
    // Another session starts from its own copy.
    expect(await run(engine, "b", 1, [null])).toMatchObject({ data: [0] });
    expect(engine.sessions).toBe(2);
    engine.endSession("a");
    expect(engine.sessions).toBe(1);
    expect(await run(engine, "a", 1, [null])).toMatchObject({ data: [0] });
  });

  it("applies sc.update: props go to the page, new choices are what the session's inputs accept", async () => {
    const space = sc.Blocks({}, () => {
      const size = sc.Dropdown({ label: "Size", choices: ["s", "m"] });
      const refill = sc.Button({ value: "More sizes" });
      const panel = sc.Column(size);
      const hide = sc.Button({ value: "Hide" });
      const echo = sc.Textbox({ label: "Echo" });
      refill.click({
        fn: () => sc.update({ choices: ["l", "xl"], value: "xl" }),
        outputs: [size],
        apiName: "refill",
      });
      hide.click({ fn: () => sc.update({ visible: false }), outputs: [panel], apiName: "hide" });
      size.change({ fn: (value) => String(value), inputs: [size], outputs: [echo], apiName: "echo" });
      return [panel, refill, hide, echo];
    });
    const engine = new sc.Engine(space, { logError: () => {} });
    expect(await run(engine, "a", "echo", ["xl"])).toMatchObject({
      type: "error",
      message: expect.stringContaining('Dropdown "Size"'),
    });
    expect(await run(engine, "a", "refill", [])).toMatchObject({
      type: "complete",
      data: [{ __type__: "update", choices: ["l", "xl"], value: "xl" }],
    });
    expect(await run(engine, "a", "echo", ["xl"])).toMatchObject({ type: "complete", data: ["xl"] });
    expect(await run(engine, "b", "echo", ["xl"])).toMatchObject({ type: "error" });
    expect(await run(engine, "a", "hide", [])).toMatchObject({
      data: [{ __type__: "update", visible: false }],
    });
  });

  it("says which output an update does not fit", async () => {
    const space = sc.Blocks({}, () => {
      const size = sc.Dropdown({ label: "Size", choices: ["s", "m"] });
      const go = sc.Button();
      go.click({ fn: () => sc.update({ choice: ["x"] }), outputs: [size], apiName: "typo" });
      go.click({ fn: () => sc.update({ value: "nope" }), outputs: [size], apiName: "bad" });
      return [size, go];
    });
    const engine = new sc.Engine(space, { logError: () => {} });
    expect(await run(engine, "a", "typo", [])).toMatchObject({
      message: expect.stringContaining(
        'Dropdown "Size" cannot show {"choice":["x"],"__type__":"update"}: sc.update has no prop "choice"',
      ),
    });
    expect(await run(engine, "a", "bad", [])).toMatchObject({
      message: expect.stringContaining("is not one of the choices"),
    });
  });

  it("refuses declaration mistakes with the component's label and what to do", () => {
    expect(() =>
      sc.Blocks({}, () => {
        const text = sc.Textbox({ label: "Name" });
        return sc.Row(text, sc.Column(text));
      }),
    ).toThrow('Textbox "Name" is placed twice in the layout. Place each component once');
    expect(() =>
      sc.Blocks({}, () => {
        const text = sc.Textbox({ label: "Name" });
        const out = sc.Textbox({ label: "Greeting" });
        text.submit({ fn: (name) => `Hi ${name}`, inputs: [text], outputs: [out] });
        return text;
      }),
    ).toThrow(
      'Textbox "Greeting" is an output of the submit event of Textbox "Name" but is not in the layout. Place it',
    );
    expect(() =>
      sc.Blocks({}, () => {
        const a = sc.Button({ value: "A" });
        const b = sc.Button({ value: "B" });
        a.click({ fn: () => "x", apiName: "go" });
        b.click({ fn: () => "y", apiName: "go" });
        return [a, b];
      }),
    ).toThrow(
      'Two events are named "go": the click event of Button and the click event of Button. Give each a different apiName.',
    );
    expect(() => sc.Textbox({ label: "Loose" }).change({ fn: () => "x" })).toThrow(
      'Textbox "Loose".change(…) wires an event, which only works while a Blocks builds',
    );
    expect(() => sc.Blocks({ titel: "x" } as never, () => sc.Textbox())).toThrow(
      'Blocks: unknown option "titel". Did you mean "title"?',
    );
  });

  it("takes a list of children where it takes children", () => {
    const config = sc
      .Blocks({}, () => {
        const boxes = [sc.Textbox({ label: "A" }), sc.Textbox({ label: "B" })];
        return sc.Row({ variant: "panel" }, boxes, sc.Column(boxes.map(() => sc.Number())));
      })
      .toConfig();
    const [row] = config.layout.children ?? [];
    expect(row?.children).toHaveLength(3);
    expect(row?.children?.[2]?.children).toHaveLength(2);
  });

  it("runs an event wired to several triggers with sc.on, and an event that only cancels", () => {
    const space = sc.Blocks({}, () => {
      const text = sc.Textbox({ label: "Text" });
      const go = sc.Button({ value: "Go" });
      const stop = sc.Button({ value: "Stop" });
      const out = sc.Textbox({ label: "Out" });
      const run = sc.on([text.submit, go.click], { fn: (t) => t, inputs: [text], outputs: [out] });
      stop.click({ cancels: [run] });
      return [text, go, stop, out];
    });
    const [run, stop] = space.toConfig().dependencies;
    expect(run?.targets.map(([, event]) => event)).toEqual(["submit", "click"]);
    expect(stop).toMatchObject({ backend_fn: false, cancels: [0] });
  });

  it("makes Interface a Blocks, and TabbedInterface tabs of them", async () => {
    const upper = sc.Interface({
      fn: (t) => t.toUpperCase(),
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    const lower = sc.Interface({
      fn: (t) => t.toLowerCase(),
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      live: true,
    });
    expect(upper.toConfig().dependencies[0]).toMatchObject({ api_name: "predict", trigger_mode: "once" });
    expect(lower.toConfig().dependencies[0]).toMatchObject({ trigger_mode: "always_last" });
    expect(lower.toConfig().components.some((component) => component.type === "button")).toBe(false);
    const both = sc.TabbedInterface([upper, lower], ["Upper", "Lower"]);
    const config = both.toConfig();
    expect(config.dependencies.map((dependency) => dependency.api_name)).toEqual(["predict", "predict_1"]);
    expect(new Set(config.components.map((component) => component.id)).size).toBe(config.components.length);
    const engine = new sc.Engine(both);
    expect(await run(engine, "s", "predict_1", ["AbC"])).toMatchObject({ data: ["abc"] });
  });
});

describe("the page's load event", () => {
  /** A Blocks whose page fills a greeting when it opens, from the name box's initial value. */
  const greeter = () =>
    sc.Blocks({ title: "Greeter" }, (page) => {
      const name = sc.Textbox({ label: "Name", value: "Ada" });
      const greeting = sc.Textbox({ label: "Greeting" });
      page.load({ fn: (name) => `Hello, ${name}!`, inputs: [name], outputs: [greeting] });
      return sc.Column(name, greeting);
    });

  it("names the layout's root as its trigger, as Gradio's demo.load names the Blocks", async () => {
    const space = greeter();
    const config = space.toConfig();
    const [load] = config.dependencies;
    expect(load?.targets).toEqual([[config.layout.id, "load"]]);
    expect(config.components.find((component) => component.id === config.layout.id)?.type).toBe("form");
    expect(load?.api_name).toBe("page_load");
    expect(await run(new sc.Engine(space), "s", "page_load", ["Grace"])).toMatchObject({
      data: ["Hello, Grace!"],
    });
  });

  it("is one trigger among others for sc.on, and chains with .then", () => {
    const config = sc
      .Blocks({}, (page) => {
        const count = sc.Number({ label: "Count" });
        const more = sc.Button({ value: "More" });
        sc.on([page.load, more.click], { fn: (n) => n + 1, inputs: [count], outputs: [count] }).then({
          fn: (n) => n * 2,
          inputs: [count],
          outputs: [count],
        });
        return [count, more];
      })
      .toConfig();
    expect(config.dependencies[0]?.targets).toEqual([
      [config.layout.id, "load"],
      [2, "click"],
    ]);
    expect(config.dependencies[1]).toMatchObject({ targets: [[null, "then"]], trigger_after: 0 });
  });

  it("is the whole page's in a TabbedInterface", () => {
    const config = sc.TabbedInterface([greeter(), greeter()], ["One", "Two"]).toConfig();
    expect(config.dependencies.map((dependency) => dependency.targets)).toEqual([
      [[config.layout.id, "load"]],
      [[config.layout.id, "load"]],
    ]);
    expect(config.components.at(-1)?.id).toBe(config.layout.id);
  });

  it("names the page in its errors, and refuses to be wired once the Blocks is built", () => {
    expect(() =>
      sc.Blocks({}, (page) => {
        const out = sc.Textbox();
        page.load({ fn: (a: string, b: string) => a + b, outputs: [out] } as never);
        return out;
      }),
    ).toThrow(/^the page's load event: fn takes 2 parameters but there are 0 inputs/);
    let kept: sc.Page | undefined;
    sc.Blocks({}, (page) => {
      kept = page;
      return sc.Textbox();
    });
    expect(() => kept?.load({ fn: () => "late" })).toThrow(
      /page\.load\(…\) wires an event, which only works while a Blocks builds/,
    );
  });
});
