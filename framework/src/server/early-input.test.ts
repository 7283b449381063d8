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

  it("leaves out an event a step of which takes a value the drawing does not hold, cancels, or runs in the page", () => {
    const space = sc.Blocks({}, () => {
      const text = sc.Textbox({ label: "Text" });
      const size = sc.Dropdown({ label: "Size", choices: ["S", "M"] });
      const kept = sc.State(0);
      const out = sc.Textbox({ label: "Out" });
      const simple = sc.Button({ value: "Simple" });
      const chosen = sc.Button({ value: "Chosen" });
      const clear = sc.Button({ value: "Clear" });
      const run = simple.click({
        fn: (value, count) => `${value}${count}`,
        inputs: [text, kept],
        outputs: [out],
      });
      // A second step on the same click takes the list's choice: the whole click waits.
      chosen.click({ fn: (value) => value, inputs: [text], outputs: [out] });
      chosen.click({ fn: (value) => value ?? "", inputs: [size], outputs: [out] });
      clear.click({ fn: () => "", inputs: [], outputs: [out], cancels: [run] });
      return sc.Column([text, size, out, simple, chosen, clear]);
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
    });
    expect(drawingActs(config, plans), "two of its buttons wait for the live page").toBe(false);
  });
});
