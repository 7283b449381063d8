import { describe, expect, it } from "vitest";
import * as sc from "./index.js";

const repeat = () =>
  sc.Interface({
    title: "Repeat",
    fn: (text, times) => text.repeat(times),
    inputs: [sc.Textbox({ label: "Text" }), sc.Slider({ label: "Times", minimum: 1, maximum: 5, value: 2 })],
    outputs: [sc.Textbox({ label: "Result" })],
    examples: [["ha", 3]],
  });

describe("Interface", () => {
  it("serialises to a Gradio-compatible config", () => {
    const config = repeat().toConfig();
    expect(config).toMatchObject({
      protocol: "sse_v3",
      api_prefix: "/gradio_api",
      title: "Repeat",
      mode: "interface",
    });
    const [dependency] = config.dependencies;
    expect(dependency).toMatchObject({ id: 0, api_name: "predict", queue: true, concurrency_limit: 1 });
    const byId = new Map(config.components.map((c) => [c.id, c]));
    expect(dependency?.inputs.map((id) => byId.get(id)?.type)).toEqual(["textbox", "slider"]);
    expect(dependency?.outputs.map((id) => byId.get(id)?.props.label)).toEqual(["Result"]);
    // Submit, or Enter in the text box (as Gradio's Interface: every input that has `submit`).
    expect(dependency?.targets.map(([id, event]) => [byId.get(id as number)?.type, event])).toEqual([
      ["button", "click"],
      ["textbox", "submit"],
    ]);
    const dataset = config.components.find((c) => c.type === "dataset");
    expect(dataset?.props).toMatchObject({ samples: [["ha", 3]], components: dependency?.inputs });
  });

  it("lays out every component it declares", () => {
    const config = repeat().toConfig();
    const seen: number[] = [];
    const walk = (node: sc.LayoutNode) => {
      seen.push(node.id);
      node.children?.forEach(walk);
    };
    walk(config.layout);
    expect(seen.sort((a, b) => a - b)).toEqual(config.components.map((c) => c.id).sort((a, b) => a - b));
  });

  it("refuses example rows of the wrong arity or type", () => {
    const declare = (examples: unknown) => () =>
      sc.Interface({
        fn: (text: string, times: number) => text.repeat(times),
        inputs: [sc.Textbox(), sc.Slider({ maximum: 5 })],
        outputs: [sc.Textbox()],
        examples: examples as never,
      });
    expect(declare([["ha"]])).toThrow("examples[0] has 1 value(s) but there are 2 inputs");
    expect(declare([["ha", 9]])).toThrow("examples[0][1] for Slider must be at most 5 (got 9)");
  });

  it("refuses an fn whose arity does not match the inputs", () => {
    const declare = (fn: (...args: never[]) => unknown) => () =>
      sc.Interface({ fn: fn as never, inputs: [sc.Textbox(), sc.Textbox()], outputs: [sc.Textbox()] });
    expect(declare((a: string) => a)).toThrow("fn takes 1 parameter but 2 inputs are declared");
    expect(declare((a: string, b: string, c: unknown, d: string) => a + b + c + d)).toThrow(
      "fn takes 4 parameters but there are 2 inputs (plus the context)",
    );
    expect(declare((...all: string[]) => all.join())).not.toThrow();
  });

  it("refuses unknown options and non-components with a hint", () => {
    expect(() =>
      sc.Interface({ fn: () => "", inputs: [], outputs: [sc.Textbox()], titel: "x" } as never),
    ).toThrow('unknown option "titel". Did you mean "title"?');
    expect(() =>
      sc.Interface({ fn: () => "", inputs: [sc.Textbox as never], outputs: [sc.Textbox()] }),
    ).toThrow("inputs[0] is the function Textbox, not a component. Call it: Textbox().");
    expect(() =>
      sc.Interface({ fn: () => "", inputs: [], outputs: [sc.Textbox()], concurrencyLimit: 0 }),
    ).toThrow("`concurrencyLimit` must be a whole number ≥ 1, or null for no limit.");
  });

  it("marks generator functions as streaming endpoints", () => {
    const space = sc.Interface({
      fn: async function* (text) {
        yield text;
      },
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
    });
    expect(space.toConfig().dependencies[0]?.types.generator).toBe(true);
  });

  it("marks a streaming task's endpoint as streaming, and only that one", () => {
    const generation = sc.Interface.fromPipeline("text-generation", "tiny/generator");
    expect(generation.endpoints[0]?.generator).toBe(true);
    expect(generation.toConfig().dependencies[0]?.types.generator).toBe(true);
    const classification = sc.Interface.fromPipeline("text-classification", "tiny/sentiment");
    expect(classification.toConfig().dependencies[0]?.types.generator).toBe(false);
  });

  it("refuses to batch a task that streams", () => {
    expect(() =>
      sc.Interface({
        model: sc.pipeline("text-generation", "tiny/generator"),
        inputs: [sc.Textbox()],
        outputs: [sc.Textbox()],
        batch: { maxSize: 4, maxWaitMs: 10 },
      }),
    ).toThrow("Interface: the text-generation task streams, so it cannot be batched; remove `batch`.");
  });
});
