import { describe, expect, it } from "vitest";
import * as sc from "../index.js";
import { validate } from "./component.js";

const valid = (component: sc.AnyComponent, value: unknown) => validate(component.schema, value).success;

describe("component specs", () => {
  it("fill defaults and keep declared props", () => {
    const box = sc.Textbox({ label: "Prompt", lines: 3 });
    expect(box.type).toBe("textbox");
    expect(box.props).toMatchObject({ label: "Prompt", lines: 3, value: "", placeholder: "" });
    expect(sc.Slider({ minimum: 2 }).props.value).toBe(2);
    expect(sc.Radio({ choices: ["a", "b"] }).props.value).toBe("a");
    expect(sc.Dropdown({ choices: ["a"], multiselect: true }).props.value).toEqual([]);
  });

  it("carry their display name and what the API says about their value", () => {
    expect(sc.Textbox().displayName).toBe("Textbox");
    expect(sc.CheckboxGroup({ choices: ["a"] }).displayName).toBe("CheckboxGroup");
    expect(sc.AnnotatedImage().displayName).toBe("AnnotatedImage");
    expect(sc.Textbox().api).toEqual({ pythonType: "str", description: "" });
    expect(sc.Number({ precision: 0 }).api.pythonType).toBe("int");
    expect(sc.Radio({ choices: [["One", 1], "b"] }).api.pythonType).toBe('Literal[1, "b"]');
    expect(sc.Dropdown({ choices: ["a"], multiselect: true }).api.pythonType).toBe('list[Literal["a"]]');
    expect(sc.Image().api.example).toMatchObject({
      orig_name: "bus.png",
      meta: { _type: "gradio.FileData" },
    });
    expect(() => sc.JSON({ colour: 1 } as never)).toThrow(/^JSON: unknown prop "colour"/);
  });

  it("refuse unknown props with a did-you-mean hint", () => {
    expect(() => sc.Slider({ maximun: 3 } as never)).toThrow(
      /Slider: unknown prop "maximun". Did you mean "maximum"\?/,
    );
  });

  it("refuse props that contradict each other or a default that breaks the schema", () => {
    expect(() => sc.Slider({ minimum: 5, maximum: 1 })).toThrow("`minimum` must be smaller than `maximum`");
    expect(() => sc.Slider({ label: "Times", maximum: 5, value: 9 })).toThrow(
      'Slider "Times": the default value is invalid: must be at most 5',
    );
    expect(() => sc.Radio({ choices: [] })).toThrow("needs a non-empty `choices` array");
    expect(() => sc.CheckboxGroup({ choices: ["a", "a"] })).toThrow("duplicate choices");
  });

  it("validate wire values against their props", () => {
    expect(valid(sc.Textbox(), "hi")).toBe(true);
    expect(valid(sc.Textbox(), 3)).toBe(false);
    expect(valid(sc.Textbox({ maxLength: 2 }), "abc")).toBe(false);
    expect(valid(sc.Number({ minimum: 0 }), -1)).toBe(false);
    expect(valid(sc.Number(), Number.NaN)).toBe(false);
    expect(valid(sc.Slider({ maximum: 5 }), 5)).toBe(true);
    expect(valid(sc.Checkbox(), "true")).toBe(false);
    expect(valid(sc.CheckboxGroup({ choices: ["a", "b"] }), ["b", "a"])).toBe(true);
    expect(valid(sc.CheckboxGroup({ choices: ["a", "b"] }), ["a", "a"])).toBe(false);
    expect(valid(sc.Radio({ choices: [["One", 1]] }), 1)).toBe(true);
    expect(valid(sc.Radio({ choices: [["One", 1]] }), "One")).toBe(false);
    expect(valid(sc.Dropdown({ choices: ["a"] }), "z")).toBe(false);
    expect(valid(sc.Dropdown({ choices: ["a"], allowCustomValue: true }), "z")).toBe(true);
    expect(valid(sc.Dropdown({ choices: ["a", "b"], multiselect: true, maxChoices: 1 }), ["a", "b"])).toBe(
      false,
    );
    expect(valid(sc.JSON(), { a: [1, null] })).toBe(true);
    expect(valid(sc.JSON(), undefined)).toBe(false);
    expect(valid(sc.JSON(), [new Date()])).toBe(false);
    expect(valid(sc.JSON(), { x: Number.POSITIVE_INFINITY })).toBe(false);
    // JSON never reaches the page as null for Infinity, from any component.
    expect(valid(sc.Label(), { confidences: [{ label: "cat", confidence: Number.POSITIVE_INFINITY }] })).toBe(
      false,
    );
    expect(valid(sc.HighlightedText(), [{ token: "a", class_or_confidence: Number.NaN }])).toBe(false);
    expect(valid(sc.Image(), { path: "x", size: 1e300, meta: { _type: "gradio.FileData" } })).toBe(false);
  });

  it("keep every key of a JSON value, as it was", () => {
    const value = { constructor: "c", prototype: "p", nested: [{ a: 1 }] };
    const result = validate(sc.JSON().schema, value);
    expect(result).toEqual({ success: true, data: value });
  });

  it("name the problem in error messages", () => {
    const result = validate(sc.Slider({ maximum: 5 }).schema, 7);
    expect(result.success || result.error).toBe("must be at most 5");
    const choice = validate(sc.Radio({ choices: ["a", "b"] }).schema, "c");
    expect(choice.success || choice.error).toBe('"c" is not one of the choices ("a", "b")');
    const nested = validate(sc.Label().schema, { confidences: [{ label: "a", confidence: "high" }] });
    expect(nested.success || nested.error).toMatch(/number.* at confidences\.0\.confidence$/);
    const missing = validate(sc.File().schema, { meta: { _type: "gradio.FileData" } });
    expect(missing.success || missing.error).toBe("`path` is missing");
    const notAFile = validate(sc.File().schema, "notes.txt");
    expect(notAFile.success || notAFile.error).toBe(
      "must be a file: upload it first, then send its FileData",
    );
  });

  it("round numbers to the declared precision for fn", () => {
    expect(sc.Number({ precision: 0 }).preprocess(2.6)).toBe(3);
    expect(sc.Number({ precision: 2 }).preprocess(1.23456)).toBe(1.23);
    expect(sc.Number().preprocess(1.23456)).toBe(1.23456);
  });

  it("turn classifier output into a Gradio label, best first, cut to numTopClasses", () => {
    const label = sc.Label({ numTopClasses: 2 });
    expect(
      label.postprocess([
        { label: "neg", score: 0.1 },
        { label: "pos", score: 0.7 },
        { label: "mid", score: 0.2 },
      ]),
    ).toEqual({
      label: "pos",
      confidences: [
        { label: "pos", confidence: 0.7 },
        { label: "mid", confidence: 0.2 },
      ],
    });
    expect(label.postprocess({ cat: 0.3, dog: 0.6 })).toMatchObject({ label: "dog" });
    expect(label.postprocess("cat")).toEqual({ label: "cat" });
  });

  it("turn entities and pairs into highlighted spans", () => {
    const text = sc.HighlightedText();
    expect(
      text.postprocess({ text: "Ada met Bob", entities: [{ entity: "PER", start: 8, end: 11 }] }),
    ).toEqual([
      { token: "Ada met ", class_or_confidence: null },
      { token: "Bob", class_or_confidence: "PER" },
    ]);
    expect(
      sc.HighlightedText({ combineAdjacent: true }).postprocess([
        ["a", "X"],
        ["b", "X"],
        ["c", null],
      ]),
    ).toEqual([
      { token: "ab", class_or_confidence: "X" },
      { token: "c", class_or_confidence: null },
    ]);
  });

  it("make any JSON-serialisable result JSON, typed arrays included", () => {
    expect(sc.JSON().postprocess({ v: new Float32Array([0.5, 1]), n: 1n, skip: undefined })).toEqual({
      v: [0.5, 1],
      n: "1",
    });
  });
});
