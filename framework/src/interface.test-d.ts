// Type tests: checked by `tsc -b` (npm run typecheck). A line marked @ts-expect-error fails the
// build if it stops being an error, so each one proves the types refuse a wrong declaration.
import { expectTypeOf } from "vitest";
import * as sc from "./index.js";

sc.Interface({
  fn: (text, times, ctx) => {
    expectTypeOf(text).toEqualTypeOf<string>();
    expectTypeOf(times).toEqualTypeOf<number>();
    expectTypeOf(ctx).toEqualTypeOf<sc.Context<undefined, undefined>>();
    expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
    return text.repeat(times);
  },
  inputs: [sc.Textbox({ label: "Text" }), sc.Slider({ minimum: 1, maximum: 5, step: 1, value: 2 })],
  outputs: [sc.Textbox({ label: "Result" })],
  examples: [["ha", 3]],
});

// Every input kind flows into fn with its value type; choices become literal unions.
sc.Interface({
  fn: (flag, picked, color, size, sizes, custom, amount) => {
    expectTypeOf(flag).toEqualTypeOf<boolean>();
    expectTypeOf(picked).toEqualTypeOf<("a" | "b")[]>();
    expectTypeOf(color).toEqualTypeOf<"red" | "blue">();
    expectTypeOf(size).toEqualTypeOf<"s" | "m">();
    expectTypeOf(sizes).toEqualTypeOf<(1 | 2)[]>();
    expectTypeOf(custom).toEqualTypeOf<string>();
    expectTypeOf(amount).toEqualTypeOf<number>();
    return { flag, picked };
  },
  inputs: [
    sc.Checkbox(),
    sc.CheckboxGroup({ choices: ["a", "b"] }),
    sc.Radio({
      choices: [
        ["Red", "red"],
        ["Blue", "blue"],
      ],
    }),
    sc.Dropdown({ choices: ["s", "m"] }),
    sc.Dropdown({ choices: [1, 2], multiselect: true }),
    sc.Dropdown({ choices: ["x"], allowCustomValue: true }),
    sc.Number(),
  ],
  outputs: [sc.JSON()],
});

// Several outputs: fn returns a tuple; outputs accept what models return.
sc.Interface({
  fn: async (text) => [text.length > 3 ? "long" : "short", [{ label: "pos", score: 0.9 }]] as const,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox(), sc.Label()],
});

// Streaming: an async generator yields partial outputs.
sc.Interface({
  fn: async function* (text) {
    for (const word of text.split(" ")) yield word;
  },
  inputs: [sc.Textbox()],
  outputs: [sc.Markdown()],
});

sc.Interface({
  // @ts-expect-error fn returns a number where the Textbox output needs a string
  fn: (text: string) => text.length,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
});

sc.Interface({
  // @ts-expect-error the second parameter is a Slider's number, not a string
  fn: (text: string, times: string) => text + times,
  inputs: [sc.Textbox(), sc.Slider()],
  outputs: [sc.Textbox()],
});

sc.Interface({
  // @ts-expect-error one output expects a plain value, not a tuple
  fn: (text) => [text, text] as const,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
});

sc.Interface({
  // @ts-expect-error two outputs need a tuple of two
  fn: (text) => text,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox(), sc.Textbox()],
});

sc.Interface({
  // @ts-expect-error fn takes more parameters than inputs + context
  fn: (a: string, b: number, ctx: sc.Context, extra: string) => a + b + ctx.session + extra,
  inputs: [sc.Textbox(), sc.Number()],
  outputs: [sc.Textbox()],
});

sc.Interface({
  fn: (text, times) => text.repeat(times),
  inputs: [sc.Textbox(), sc.Slider()],
  outputs: [sc.Textbox()],
  // @ts-expect-error an example row must give a number for the slider
  examples: [["ha", "three"]],
});

sc.Interface({
  fn: (choice) => choice,
  inputs: [sc.Radio({ choices: ["a", "b"] })],
  outputs: [sc.Textbox()],
  // @ts-expect-error "c" is not one of the choices
  examples: [["c"]],
});

// @ts-expect-error unknown prop
sc.Textbox({ lable: "Text" });

// A Space without a model gives fn `ctx.model: undefined`.
sc.Interface({
  fn: (text, ctx) => {
    expectTypeOf(ctx.model).toEqualTypeOf<undefined>();
    return text;
  },
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
});

// ctx.model is the task's pipeline, and its output fits the Label (the README's example).
sc.Interface({
  model: sc.pipeline("text-classification", "Xenova/distilbert-base-uncased-finetuned-sst-2-english"),
  fn: async (text, { model }) => {
    expectTypeOf(model).toEqualTypeOf<sc.LoadedPipeline<"text-classification">>();
    return model(text, { top_k: 2 });
  },
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Label()],
});

// With a model, fn may be left out; with batch, fn takes and returns lists.
sc.Interface({
  model: sc.pipeline("text-classification", "x/y"),
  inputs: [sc.Textbox()],
  outputs: [sc.Label()],
});
sc.Interface({
  batch: { maxSize: 8, maxWaitMs: 0 },
  fn: (texts) => {
    expectTypeOf(texts).toEqualTypeOf<string[]>();
    return texts.map((text) => text.length);
  },
  inputs: [sc.Textbox()],
  outputs: [sc.Number()],
});
sc.Interface({
  batch: { maxSize: 8, maxWaitMs: 0 },
  // @ts-expect-error a batched fn returns a list, not one value
  fn: (texts: string[]) => texts.length,
  inputs: [sc.Textbox()],
  outputs: [sc.Number()],
});

// Media inputs: a RawImage by default; audio samples.
sc.Interface({
  fn: (image, audio) => {
    expectTypeOf(image.width).toEqualTypeOf<number>();
    expectTypeOf(audio).toEqualTypeOf<sc.AudioData>();
    return image;
  },
  inputs: [sc.Image(), sc.Audio()],
  outputs: [sc.Image()],
  examples: [["./cat.png", "./hello.wav"]],
});

// Flagging: three modes, reasons as strings.
sc.Interface({
  fn: (text) => text,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
  flagging: "manual",
  flaggingOptions: ["Wrong", "Offensive"],
  flaggingDir: "flagged",
});
sc.Interface({
  fn: (text) => text,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
  // @ts-expect-error not a flagging mode
  flagging: "sometimes",
});
