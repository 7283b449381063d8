import { describe, expect, it } from "vitest";
import * as sc from "../index.js";
import { drawingActs, earlyRuns } from "./early-input.js";

describe("earlyRuns: what the server page's drawing runs itself", () => {
  it("lists a button's click and a text box's submit whose inputs the drawing holds", () => {
    const config = sc
      .Interface({
        fn: (text, times, loud) => (loud ? text.toUpperCase() : text).repeat(times),
        inputs: [
          sc.Textbox({ label: "Text" }),
          sc.Slider({ label: "Times" }),
          sc.Checkbox({ label: "Loud" }),
        ],
        outputs: [sc.Textbox()],
      })
      .toConfig();
    const ids = new Map(config.components.map((component) => [component.props.label, component.id]));
    const button = config.components.find((component) => component.type === "button")?.id;
    const inputs = [
      [ids.get("Text"), "text"],
      [ids.get("Times"), "number"],
      [ids.get("Loud"), "check"],
    ];
    const plans = earlyRuns(config);
    expect(plans).toEqual({
      [`${button}:click`]: [{ endpoint: 0, inputs }],
      [`${ids.get("Text")}:submit`]: [{ endpoint: 0, inputs }],
    });
    expect(drawingActs(config, plans)).toBe(true);
  });

  it("leaves out an event a step of which takes a value the drawing does not hold or runs in the page", () => {
    const space = sc.Blocks({}, () => {
      const text = sc.Textbox({ label: "Text" });
      const size = sc.Dropdown({ label: "Size", choices: ["S", "M"], allowCustomValue: true });
      const kept = sc.State(0);
      const out = sc.Textbox({ label: "Out" });
      const simple = sc.Button({ value: "Simple" });
      const chosen = sc.Button({ value: "Chosen" });
      const stop = sc.Button({ value: "Stop" });
      const clear = sc.Button({ value: "Clear" });
      const run = simple.click({
        fn: (value, count) => `${value}${count}`,
        inputs: [text, kept],
        outputs: [out],
      });
      // A second step on the same click takes a list that accepts any text, which the drawing does not hold: the whole click waits.
      chosen.click({ fn: (value) => value, inputs: [text], outputs: [out] });
      chosen.click({ fn: (value) => String(value), inputs: [size], outputs: [out] });
      // Only cancelling: it runs in the page. A step that also runs on the server lists what it cancels.
      stop.click({ cancels: [run] });
      clear.click({ fn: () => "", inputs: [], outputs: [out], cancels: [run] });
      return sc.Column([text, size, out, simple, chosen, stop, clear]);
    });
    const config = space.toConfig();
    const id = (value: string) => config.components.find((component) => component.props.value === value)?.id;
    const text = config.components.find((component) => component.props.label === "Text")?.id;
    const state = config.components.find((component) => component.type === "state")?.id;
    const plans = earlyRuns(config);
    expect(plans).toEqual({
      [`${id("Simple")}:click`]: [
        {
          endpoint: 0,
          inputs: [
            [text, "text"],
            [state, "state"],
          ],
        },
      ],
      [`${id("Clear")}:click`]: [{ endpoint: 4, inputs: [], cancels: [0] }],
    });
    expect(drawingActs(config, plans), "two of its buttons wait for the live page").toBe(false);
  });

  it("holds choices by their values, and takes an element the visitor cannot change on the drawing as it starts", () => {
    const space = sc.Blocks({}, () => {
      const size = sc.Radio({ label: "Size", choices: ["S", ["Medium", "M"]], value: "M" });
      const toppings = sc.CheckboxGroup({
        label: "Toppings",
        choices: [
          ["Ham", 1],
          ["Olives", 2],
        ],
      });
      const drink = sc.Dropdown({ label: "Drink", choices: ["tea", "coffee"] });
      const sides = sc.Dropdown({ label: "Sides", choices: ["fries"], value: ["fries"], multiselect: true });
      const anything = sc.Dropdown({ label: "Anything", choices: ["a"], allowCustomValue: true });
      const message = sc.MultimodalTextbox({ label: "Message" });
      const picture = sc.Image({ label: "Picture" });
      const settings = sc.JSON({ label: "Settings", value: { depth: 2 } });
      const out = sc.Textbox({ label: "Out" });
      const order = sc.Button({ value: "Order" });
      const custom = sc.Button({ value: "Custom" });
      order.click({
        fn: (...values) => JSON.stringify(values),
        inputs: [size, toppings, drink, sides, message, picture, settings],
        outputs: [out],
      });
      custom.click({ fn: (value) => String(value), inputs: [anything], outputs: [out] });
      return sc.Column([
        size,
        toppings,
        drink,
        sides,
        anything,
        message,
        picture,
        settings,
        out,
        order,
        custom,
      ]);
    });
    const config = space.toConfig();
    const id = (label: string) => config.components.find((component) => component.props.label === label)?.id;
    const button = (value: string) =>
      config.components.find((component) => component.props.value === value)?.id;
    const plans = earlyRuns(config);
    expect(plans[`${button("Order")}:click`]).toEqual([
      {
        endpoint: 0,
        inputs: [
          [id("Size"), "choice", ["S", "M"]],
          [id("Toppings"), "choices", [1, 2]],
          [id("Drink"), "choice", ["tea", "coffee"]],
          [id("Sides"), "fixed", ["fries"]],
          [id("Message"), "multimodal"],
          [id("Picture"), "fixed", null],
          [id("Settings"), "fixed", { depth: 2 }],
        ],
      },
    ]);
    expect(plans[`${id("Message")}:submit`], "the box's Enter has no step").toBeUndefined();
    expect(
      plans[`${button("Custom")}:click`],
      "a list that takes any text waits for the live page",
    ).toBeUndefined();
  });
});
