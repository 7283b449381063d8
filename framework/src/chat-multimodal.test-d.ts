// Type tests for ChatInterface's `multimodal` and MultimodalTextbox: checked by `tsc -b`.
import { expectTypeOf } from "vitest";
import * as sc from "./index.js";

// With multimodal: true, fn gets { text, files }; the history's messages may carry files.
sc.ChatInterface({
  multimodal: true,
  fn: (message, history) => {
    expectTypeOf(message).toEqualTypeOf<sc.MultimodalValue>();
    expectTypeOf(message.files).toEqualTypeOf<sc.FileData[]>();
    expectTypeOf(history[0]?.files).toEqualTypeOf<sc.FileData[] | undefined>();
    return { role: "assistant", content: message.text, files: [{ bytes: new Uint8Array(), name: "a.png" }] };
  },
  examples: ["text only", { text: "with a file", files: ["./cat.png"] }],
});

// Without it, fn gets a string.
sc.ChatInterface({
  fn: (message) => {
    expectTypeOf(message).toEqualTypeOf<string>();
    return message;
  },
});

// @ts-expect-error a string-taking fn does not fit a multimodal chat
sc.ChatInterface({ multimodal: true, fn: (message: string) => message });

// @ts-expect-error a { text, files }-taking fn does not fit a text chat
sc.ChatInterface({ fn: (message: sc.MultimodalValue) => message.text });

// @ts-expect-error multimodal examples are text or { text, files } only in a multimodal chat
sc.ChatInterface({ fn: (message) => message, examples: [{ text: "hi", files: [] }] });

// A MultimodalTextbox input gives fn { text, files }; as an output it takes text, or text and files.
sc.Interface({
  fn: (message) => {
    expectTypeOf(message).toEqualTypeOf<sc.MultimodalValue>();
    return { text: message.text, files: message.files };
  },
  inputs: [sc.MultimodalTextbox({ fileTypes: ["image/*"] })],
  outputs: [sc.MultimodalTextbox()],
});
sc.Interface({ fn: () => "just text", inputs: [], outputs: [sc.MultimodalTextbox()] });
// @ts-expect-error an output MultimodalTextbox does not take a number
sc.Interface({ fn: () => 3, inputs: [], outputs: [sc.MultimodalTextbox()] });
