import { describe, expect, it } from "vitest";
import {
  apiInfo,
  apiTools,
  callable,
  dataFromArguments,
  listedEndpoints,
  withoutStateSlots,
  withStateSlots,
} from "./api-info.js";
import type { AnyComponent } from "./components/component.js";
import { defineComponent } from "./components/component.js";
import * as sc from "./index.js";
import { v } from "./schema.js";
import type { Endpoint } from "./space.js";

/** A State spec as Blocks makes it: type `state`, any value, never on the wire. */
const state = () => defineComponent("state", {}, { defaults: {}, schema: () => v.unknown() }) as AnyComponent;

let nextIndex = 0;
function endpoint(apiName: string, parts: Partial<Endpoint> = {}): Endpoint {
  const inputs = parts.inputs ?? [];
  const outputs = parts.outputs ?? [];
  return {
    index: nextIndex++,
    apiName,
    inputs,
    outputs,
    inputIds: inputs.map((_, i) => i),
    outputIds: outputs.map((_, i) => 100 + i),
    fn: () => undefined,
    concurrencyLimit: 1,
    maxQueueSize: null,
    generator: false,
    targets: [],
    visibility: "public",
    backendFn: true,
    ...parts,
  } as Endpoint;
}

const bill = sc.Number({ label: "Bill", value: 40 });
const percent = sc.Slider({ label: "Tip %", minimum: 0, maximum: 30, value: 15 });
const note = sc.Textbox({ label: "Note" });
const tip = sc.Number({ label: "Tip" });
const tips = state();
const tipEndpoint = endpoint("tip", {
  inputs: [bill, tips, percent, note],
  outputs: [tip, tips],
  examples: [[12, null, 10, "thanks"]],
});

describe("apiInfo", () => {
  it("lists each public event that runs a function under /<apiName>", () => {
    const endpoints = [
      tipEndpoint,
      endpoint("hidden", { visibility: "undocumented" }),
      endpoint("secret", { visibility: "private" }),
      endpoint("stop", { backendFn: false }),
    ];
    expect(Object.keys(apiInfo(endpoints).named_endpoints)).toEqual(["/tip"]);
    expect(apiInfo(endpoints).unnamed_endpoints).toEqual({});
    expect(listedEndpoints(endpoints).map((e) => e.apiName)).toEqual(["tip"]);
    expect(endpoints.map(callable)).toEqual([true, true, false, false]);
  });

  it("leaves State out of the parameters and returns, and describes the rest", () => {
    const info = apiInfo([tipEndpoint]).named_endpoints["/tip"];
    expect(info?.parameters).toEqual([
      {
        label: "Bill",
        parameter_name: "bill",
        parameter_has_default: true,
        parameter_default: 40,
        type: { type: "number" },
        python_type: { type: "float", description: "" },
        component: "Number",
        example_input: 12,
      },
      expect.objectContaining({
        parameter_name: "tip",
        component: "Slider",
        type: { type: "number", minimum: 0, maximum: 30 },
        example_input: 10,
      }),
      expect.objectContaining({ parameter_name: "note", example_input: "thanks" }),
    ]);
    expect(info?.returns).toEqual([
      {
        label: "Tip",
        type: { type: "number" },
        python_type: { type: "float", description: "" },
        component: "Number",
      },
    ]);
    expect(info?.api_visibility).toBe("public");
  });

  it("shows a file input a public sample file, not the path of its example on the server", () => {
    const caption = endpoint("caption", {
      inputs: [sc.Image({ label: "Photo" })],
      outputs: [sc.Textbox()],
      examples: [["examples/cat.png"]],
    });
    const [photo] = apiInfo([caption]).named_endpoints["/caption"]?.parameters ?? [];
    expect(photo?.example_input).toMatchObject({
      url: expect.stringMatching(/^https:\/\/.+\/bus\.png$/),
      meta: { _type: "gradio.FileData" },
    });
    expect(photo?.python_type).toEqual({ type: "filepath", description: "" });
    expect(photo?.parameter_has_default).toBe(false);
  });
});

describe("State slots", () => {
  it("puts null in the State slots when a caller sends only the listed parameters", () => {
    expect(withStateSlots(tipEndpoint, [40, 15, "hi"])).toEqual([40, null, 15, "hi"]);
  });

  it("keeps data that already has a value in each slot (as @gradio/client sends it)", () => {
    expect(withStateSlots(tipEndpoint, [40, null, 15, "hi"])).toEqual([40, null, 15, "hi"]);
  });

  it("leaves data of another length for the engine to refuse", () => {
    expect(withStateSlots(tipEndpoint, [40])).toEqual([40]);
  });

  it("drops State from the outputs a caller sees", () => {
    expect(withoutStateSlots(tipEndpoint, [6, null])).toEqual([6]);
  });
});

describe("apiTools", () => {
  it("makes one tool per listed event with its non-State inputs as arguments", () => {
    const tools = apiTools("Tips", [tipEndpoint, endpoint("secret", { visibility: "private" })]);
    expect(tools).toHaveLength(1);
    expect(tools[0]).toEqual({
      name: "tip",
      description: 'Tips: Number "Bill", Slider "Tip %", Textbox "Note" → Number "Tip"',
      inputSchema: {
        type: "object",
        properties: {
          bill: { type: "number", description: 'Number "Bill"' },
          tip: { type: "number", minimum: 0, maximum: 30, description: 'Slider "Tip %"' },
          note: { type: "string", description: 'Textbox "Note"' },
        },
        required: [],
      },
    });
    const [caption] = apiTools("x", [endpoint("caption", { inputs: [sc.Image({ label: "Photo" }), note] })]);
    expect(caption?.inputSchema.required).toEqual(["photo"]);
  });

  it("turns a tool's arguments into the endpoint's data, with defaults and null for State", () => {
    expect(dataFromArguments(tipEndpoint, { bill: 10, note: "ok" })).toEqual([10, null, 15, "ok"]);
  });
});
