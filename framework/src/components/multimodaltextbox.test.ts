import { describe, expect, it } from "vitest";
import * as sc from "../index.js";
import type { ServerMessage } from "../protocol.js";
import { validate } from "../schema.js";
import { BrowserFileStore } from "../worker/files.js";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const PDF = new TextEncoder().encode("%PDF-1.4 tiny");

/** Runs one request through the engine and gives its last message. */
function run(engine: sc.Engine, data: unknown[], endpoint: string | number = "predict") {
  return new Promise<ServerMessage>((resolve) => {
    const id = Math.random().toString(36).slice(2);
    const refusal = engine.submit("s", { id, endpoint, data }, (message) => {
      if (message.type === "complete" || message.type === "error") resolve(message);
    });
    if (refusal) resolve({ type: "error", id, ...refusal });
  });
}

describe("MultimodalTextbox", () => {
  it("validates { text, files }, naming the field that is wrong", () => {
    const box = sc.MultimodalTextbox({ label: "Ask" });
    const file = { path: "a/cat.png", meta: { _type: "gradio.FileData" as const } };
    expect(validate(box.schema, { text: "hi", files: [file] })).toMatchObject({ success: true });
    // `files` may be left out (Gradio's clients send text only), and becomes [].
    expect(validate(box.schema, { text: "hi" })).toEqual({ success: true, data: { text: "hi", files: [] } });
    expect(validate(box.schema, { files: [] })).toMatchObject({ error: "`text` is missing" });
    expect(validate(box.schema, { text: 3 })).toMatchObject({
      error: expect.stringContaining("`text` must be text"),
    });
    expect(validate(box.schema, { text: "hi", files: "cat.png" })).toMatchObject({
      error: expect.stringContaining("`files` must be a list of files"),
    });
    expect(validate(box.schema, "hi")).toMatchObject({
      error: expect.stringContaining("must be a message with attachments: { text, files }"),
    });
    const single = sc.MultimodalTextbox({ fileCount: "single" });
    expect(validate(single.schema, { text: "", files: [file, file] })).toMatchObject({
      error: expect.stringContaining("`files` takes one file"),
    });
  });

  it("refuses bad props with the prop named", () => {
    expect(() => sc.MultimodalTextbox({ fileCount: "many" as never })).toThrow(
      'MultimodalTextbox: `fileCount` must be "single" or "multiple"',
    );
    expect(() => sc.MultimodalTextbox({ fileType: ["image/*"] } as never)).toThrow(
      'MultimodalTextbox: unknown prop "fileType". Did you mean "fileTypes"?',
    );
    expect(() => sc.MultimodalTextbox({ maxFiles: 0 })).toThrow("`maxFiles` must be a whole number ≥ 1");
  });

  it("gives fn the uploaded files as FileData, checks their types, and stores files it returns", async () => {
    const files = new BrowserFileStore();
    const seen: sc.MultimodalValue[] = [];
    const space = sc.Interface({
      fn: (message) => {
        seen.push(message);
        return { text: message.text.toUpperCase(), files: [{ bytes: PNG, name: "out.png" }] };
      },
      inputs: [sc.MultimodalTextbox({ label: "Ask", fileTypes: ["image/*"] })],
      outputs: [sc.MultimodalTextbox({ label: "Answer" })],
    });
    const engine = new sc.Engine(space, { files });
    const image = await files.receive(new Blob([PNG]), "cat.png");
    const done = await run(engine, [{ text: "what is this", files: [image] }]);
    expect(done, JSON.stringify(done)).toMatchObject({ type: "complete" });
    expect(seen[0]?.text).toBe("what is this");
    expect(seen[0]?.files[0]).toMatchObject({
      path: image.path,
      size: PNG.byteLength,
      mime_type: "image/png",
    });
    const [answer] = (done as unknown as { data: [sc.MultimodalValue] }).data;
    expect(answer.text).toBe("WHAT IS THIS");
    expect(answer.files[0]).toMatchObject({
      orig_name: "out.png",
      mime_type: "image/png",
      size: PNG.byteLength,
    });
    expect(files.owns(answer.files[0]?.path ?? "")).toBe(true);

    const pdf = await files.receive(new Blob([PDF]), "notes.pdf");
    expect(await run(engine, [{ text: "and this", files: [pdf] }])).toMatchObject({
      type: "error",
      message: expect.stringContaining(
        'a application/pdf file ("notes.pdf") is not accepted here (accepted: image/*)',
      ),
    });
    const unknown = { path: "elsewhere/x.png", meta: { _type: "gradio.FileData" } };
    expect(await run(engine, [{ text: "x", files: [unknown] }])).toMatchObject({
      type: "error",
      message: expect.stringContaining("unknown file; upload it first"),
    });
  });

  it("shows a string fn returns as text without files", async () => {
    const space = sc.Interface({
      fn: (text) => `echo ${text}`,
      inputs: [sc.Textbox()],
      outputs: [sc.MultimodalTextbox()],
    });
    expect(await run(new sc.Engine(space), ["hi"])).toMatchObject({
      type: "complete",
      data: [{ text: "echo hi", files: [] }],
    });
  });
});
