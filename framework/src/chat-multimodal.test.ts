import { describe, expect, it } from "vitest";
import * as sc from "./index.js";
import type { ServerMessage } from "./protocol.js";
import { BrowserFileStore } from "./worker/files.js";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9]);
const WAV = new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt tiny");

/** Runs one request through the engine and gives its last message. */
function run(engine: sc.Engine, session: string, endpoint: string | number, data: unknown[]) {
  return new Promise<ServerMessage>((resolve) => {
    const id = Math.random().toString(36).slice(2);
    const refusal = engine.submit(session, { id, endpoint, data }, (message) => {
      if (message.type === "complete" || message.type === "error") resolve(message);
    });
    if (refusal) resolve({ type: "error", id, ...refusal });
  });
}

/** A multimodal chat that describes what it got and answers with an image and a sound. */
function describer(seen: { message: sc.MultimodalValue; history: sc.ChatMessage[] }[]) {
  return sc.ChatInterface({
    multimodal: true,
    fn: (message, history) => {
      seen.push({ message, history });
      const sizes = message.files.map((file) => `${file.orig_name} ${file.size} B`).join(", ");
      return {
        role: "assistant",
        content: `${message.text} [${sizes}]`,
        files: [
          { bytes: PNG, name: "reply.png" },
          { bytes: WAV, name: "reply.wav", mimeType: "audio/wav" },
        ],
      };
    },
    examples: ["Plain text", { text: "With a picture", files: ["https://example.com/cat.png"] }],
  });
}

describe("ChatInterface({ multimodal: true })", () => {
  it("has a MultimodalTextbox for the message, and examples as { text, files }", () => {
    const config = describer([]).toConfig();
    const box = config.components.find((component) => component.type === "multimodaltextbox");
    expect(box?.props).toMatchObject({ label: "Message", submitButton: false });
    const dataset = config.components.find((component) => component.type === "dataset");
    expect(dataset?.props.samples).toEqual([
      [{ text: "Plain text", files: [] }],
      [{ text: "With a picture", files: ["https://example.com/cat.png"] }],
    ]);
  });

  it("gives fn the text and files, shows them in the chat, stores the reply's files and empties the box", async () => {
    const seen: { message: sc.MultimodalValue; history: sc.ChatMessage[] }[] = [];
    const space = describer(seen);
    const files = new BrowserFileStore();
    const engine = new sc.Engine(space, { files });
    const { endpoint } = space.chat as sc.ChatEndpoints;
    const photo = await files.receive(new Blob([PNG]), "photo.png");
    const first = await run(engine, "s", endpoint, [{ text: "look", files: [photo] }, []]);
    expect(first, JSON.stringify(first)).toMatchObject({ type: "complete" });
    expect(seen[0]?.message).toMatchObject({
      text: "look",
      files: [{ path: photo.path, size: PNG.byteLength }],
    });
    // The box emptied with the question; the reply's last step leaves it alone.
    const [chat, box] = (first as unknown as { data: [sc.ChatMessage[], unknown] }).data;
    expect(box).toEqual({ __type__: "update" });
    expect(chat[0]).toMatchObject({ role: "user", content: "look", files: [{ path: photo.path }] });
    expect(chat[1]).toMatchObject({ role: "assistant", content: `look [photo.png ${PNG.byteLength} B]` });
    expect(chat[1]?.files?.map((file) => [file.orig_name, file.mime_type])).toEqual([
      ["reply.png", "image/png"],
      ["reply.wav", "audio/wav"],
    ]);

    // The next turn sends the chat back: its files reach fn in the history.
    const second = await run(engine, "s", endpoint, [{ text: "again", files: [] }, chat]);
    expect(second).toMatchObject({ type: "complete" });
    expect(seen[1]?.history.map((message) => message.files?.length ?? 0)).toEqual([1, 2]);
    expect(seen[1]?.history[1]?.files?.[0]?.path).toBe(chat[1]?.files?.[0]?.path);
  });

  it("answers /chat with the reply message and its stored files", async () => {
    const seen: { message: sc.MultimodalValue; history: sc.ChatMessage[] }[] = [];
    const files = new BrowserFileStore();
    const engine = new sc.Engine(describer(seen), { files });
    const done = await run(engine, "s", "chat", [{ text: "hi", files: [] }, null]);
    expect(done, JSON.stringify(done)).toMatchObject({ type: "complete" });
    const [reply] = (done as unknown as { data: [sc.ChatMessage[]] }).data;
    expect(reply).toMatchObject([{ role: "assistant", content: "hi []" }]);
    expect(files.owns(reply[0]?.files?.[0]?.path ?? "")).toBe(true);
  });

  it("stores a file once while the reply streams, and gives it back in /chat's history as FileData", async () => {
    const histories: sc.ChatMessage[][] = [];
    const space = sc.ChatInterface({
      multimodal: true,
      fn: async function* (_message, history) {
        histories.push(history);
        const picture = { bytes: PNG, name: "drawing.png" };
        let text = "";
        for (const word of ["a", "red", "square"]) {
          text = `${text} ${word}`.trim();
          yield { role: "assistant", content: text, files: [picture] };
        }
      },
    });
    const files = new BrowserFileStore();
    const engine = new sc.Engine(space, { files });
    const { endpoint } = space.chat as sc.ChatEndpoints;
    const partials: unknown[][] = [];
    const done = await new Promise<ServerMessage>((resolve) => {
      engine.submit("s", { id: "1", endpoint, data: [{ text: "draw", files: [] }, []] }, (message) => {
        if (message.type === "partial") partials.push(message.data);
        if (message.type === "complete" || message.type === "error") resolve(message);
      });
    });
    expect(done.type).toBe("complete");
    // The first partial is the question alone.
    const paths = partials.slice(1).map((data) => (data[0] as sc.ChatMessage[])[1]?.files?.[0]?.path);
    expect(paths.length).toBeGreaterThan(1);
    expect(new Set(paths).size).toBe(1);

    await run(engine, "api", "chat", [{ text: "draw", files: [] }, null]);
    await run(engine, "api", "chat", [{ text: "again", files: [] }, null]);
    const file = histories.at(-1)?.[1]?.files?.[0];
    expect(file).toMatchObject({ orig_name: "drawing.png", meta: { _type: "gradio.FileData" } });
    expect(files.owns(file?.path ?? "")).toBe(true);
  });

  it("refuses multimodal without an fn, since a text model cannot read files", () => {
    const model = sc.pipeline("text-generation", "HuggingFaceTB/SmolLM2-135M-Instruct");
    expect(() => sc.ChatInterface({ multimodal: true, model } as never)).toThrow(
      "ChatInterface: `multimodal: true` needs an `fn` that reads the files",
    );
    expect(() => sc.ChatInterface({ multimodal: "yes", fn: () => "" } as never)).toThrow(
      "ChatInterface: `multimodal` must be true or false.",
    );
  });

  it("refuses an empty message and a bad one, naming the message box and the field", async () => {
    const space = describer([]);
    const engine = new sc.Engine(space, { files: new BrowserFileStore() });
    const { endpoint } = space.chat as sc.ChatEndpoints;
    expect(await run(engine, "s", endpoint, [{ text: "  ", files: [] }, []])).toMatchObject({
      type: "error",
      message: 'MultimodalTextbox "Message": is empty: type a message or attach a file first.',
    });
    expect(await run(engine, "s", endpoint, ["just text", []])).toMatchObject({
      type: "error",
      message: expect.stringContaining("must be a message with attachments: { text, files }"),
    });
    expect(await run(engine, "s", endpoint, [{ text: "x", files: ["cat.png"] }, []])).toMatchObject({
      type: "error",
      message: expect.stringContaining("must be a file: upload it first, then send its FileData at files.0"),
    });
    expect(
      await run(engine, "s", endpoint, [
        { text: "x", files: [] },
        [{ role: "user", content: "a", files: "b" }],
      ]),
    ).toMatchObject({
      type: "error",
      message: expect.stringContaining('Chatbot "Chat": `files` must be a list'),
    });
  });
});
