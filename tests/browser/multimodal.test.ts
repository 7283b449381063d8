import sharp from "sharp";
import * as sc from "spacecraft";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SpacePage, SpaceServer, TestBrowser, TestFile } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

/** A solid-colour PNG. */
async function png(name: string, width: number, height: number): Promise<TestFile> {
  const buffer = await sharp({
    create: { width, height, channels: 3, background: { r: 20, g: 120, b: 220 } },
  })
    .png()
    .toBuffer();
  return { name, mimeType: "image/png", buffer };
}

/** A tenth of a second of silence as 16-bit mono WAV at 8 kHz. */
function wav(): Buffer {
  const samples = 800;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples * 2, 40);
  return Buffer.concat([header, Buffer.alloc(samples * 2)]);
}

/** Every message the chat function got, as the server saw it. */
const received: sc.MultimodalValue[] = [];
let replyImage: Buffer;

const chat = sc.ChatInterface({
  title: "Look",
  multimodal: true,
  chatbot: sc.Chatbot({ label: "Chat", height: 300 }),
  fn: (message) => {
    received.push(message);
    if (message.text === "show me") {
      return {
        role: "assistant",
        content: "Here they are.",
        files: [
          { bytes: replyImage, name: "answer.png" },
          { bytes: wav(), name: "answer.wav", mimeType: "audio/wav" },
          { bytes: new TextEncoder().encode("a,b\n1,2\n"), name: "table.csv", mimeType: "text/csv" },
        ],
      };
    }
    return `Got "${message.text}" and ${message.files.length} file(s).`;
  },
});

/** Blocks: a one-image MultimodalTextbox whose `submit` echoes it into a read-only one. */
const blocks = sc.Blocks({ title: "Echo" }, () => {
  const ask = sc.MultimodalTextbox({ label: "Ask", fileTypes: ["image/*"], fileCount: "single" });
  const echo = sc.MultimodalTextbox({ label: "Echo" });
  ask.submit({
    fn: (value) => ({ text: `${value.text}!`, files: value.files }),
    inputs: [ask],
    outputs: [echo],
  });
  return sc.Column(ask, echo);
});

let browser: TestBrowser;
let space: SpaceServer;
let blocksSpace: SpaceServer;

beforeAll(async () => {
  replyImage = (await png("answer.png", 24, 18)).buffer;
  browser = await launchBrowser();
  space = await serveSpace(browser, chat);
  blocksSpace = await serveSpace(browser, blocks, { maxUploadBytes: 20_000 });
});
afterAll(async () => {
  await space?.close();
  await blocksSpace?.close();
  await browser?.close();
});
beforeEach(() => {
  received.length = 0;
});

/** The message box's value. */
function boxValue(page: SpacePage): Promise<sc.MultimodalValue> {
  return page.valueOf("Message") as Promise<sc.MultimodalValue>;
}

/** Dispatches a paste or a drop of `file` on `target` inside the message box, as the browser does. */
async function dispatchFile(page: SpacePage, part: string, kind: "paste" | "drop", file: TestFile) {
  await page
    .component("Message")
    .locator(`[part="${part}"]`)
    .evaluate(
      (target, { kind, name, mimeType, bytes }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
        if (kind === "paste") {
          const init = { bubbles: true, composed: true, cancelable: true, clipboardData: transfer };
          target.dispatchEvent(new ClipboardEvent("paste", init));
          return;
        }
        for (const type of ["dragenter", "dragover", "drop"]) {
          const init = { bubbles: true, composed: true, cancelable: true, dataTransfer: transfer };
          target.dispatchEvent(new DragEvent(type, init));
        }
      },
      { kind, name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
    );
}

/** Whether every image in a locator's elements has loaded with real pixels. */
function imagesLoaded(page: SpacePage, selector: string): Promise<boolean[]> {
  return page
    .component("Chat")
    .locator(selector)
    .evaluateAll((images) =>
      images.map(
        (image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0,
      ),
    );
}

describe("MultimodalTextbox in a multimodal ChatInterface", () => {
  it("takes text, a picked, a pasted and a dropped file, removes a chip, and sends on Enter", async () => {
    const page = await space.open();
    const photo = await png("photo.png", 32, 20);
    const box = page.component("Message").locator("textarea");
    await box.fill("What is");
    // Shift+Enter makes a new line; it does not send.
    await box.press("Shift+Enter");
    await box.pressSequentially("in these?");
    expect((await boxValue(page)).text).toBe("What is\nin these?");
    expect(received).toEqual([]);

    const [chooser] = await Promise.all([
      page.page.waitForEvent("filechooser"),
      page.page.getByRole("button", { name: "Attach files" }).click(),
    ]);
    expect(chooser.isMultiple()).toBe(true);
    // Several picked at once are attached in the order picked, though the larger one uploads longer.
    const big = { name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(300_000, 7) };
    await chooser.setFiles([big, photo]);
    await eventually(async () => (await boxValue(page)).files.map((file) => file.orig_name)).toEqual([
      "big.bin",
      "photo.png",
    ]);

    await dispatchFile(page, "control", "paste", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("pasted notes"),
    });
    await dispatchFile(page, "box", "drop", {
      name: "data.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("x,y\n"),
    });
    await eventually(async () => (await boxValue(page)).files.map((file) => file.orig_name).sort()).toEqual([
      "big.bin",
      "data.csv",
      "notes.txt",
      "photo.png",
    ]);
    // Pasting a file leaves the text as it was.
    expect((await boxValue(page)).text).toBe("What is\nin these?");
    // The image's chip shows a thumbnail named by its file; the others show their names.
    await eventually(() =>
      page
        .component("Message")
        .locator('[part="chip"] img[alt="photo.png"]')
        .evaluate((image) => {
          const img = image as HTMLImageElement;
          return img.complete && img.naturalWidth > 0;
        }),
    ).toBe(true);

    await page.page.getByRole("button", { name: "Remove notes.txt" }).click();
    await eventually(async () => (await boxValue(page)).files.map((file) => file.orig_name).sort()).toEqual([
      "big.bin",
      "data.csv",
      "photo.png",
    ]);

    await box.press("Enter");
    await eventually(() => received.length).toBe(1);
    const [message] = received;
    expect(message?.text).toBe("What is\nin these?");
    // Sizes and types come from the server's store (the bytes it received), not from the page.
    const byName = new Map(message?.files.map((file) => [file.orig_name, file]));
    expect(byName.get("photo.png")).toMatchObject({ size: photo.buffer.length, mime_type: "image/png" });
    expect(byName.get("data.csv")).toMatchObject({ size: 4 });
    expect(byName.get("big.bin")).toMatchObject({ size: 300_000 });
    // The bytes the server holds for the picture are the ones picked.
    const stored = await fetch(new URL(byName.get("photo.png")?.url ?? "", space.server.url));
    expect(Buffer.from(await stored.arrayBuffer()).equals(photo.buffer)).toBe(true);
    expect([...byName.keys()].sort()).toEqual(["big.bin", "data.csv", "photo.png"]);

    // The visitor's message shows its picture, loaded, and the other file as a link.
    await eventually(() => imagesLoaded(page, '[part~="user"] img[alt="photo.png"]')).toEqual([true]);
    await expect
      .poll(() => page.component("Chat").locator('[part~="user"] a[download="data.csv"]').count())
      .toBe(1);
    await eventually(() => page.textOf("Chat")).toContain('Got "What is in these?" and 3 file(s).');
    // The box is empty again, chips and all.
    await eventually(() => boxValue(page)).toEqual({ text: "", files: [] });
    expect(await page.component("Message").locator('[part="chip"]').count()).toBe(0);
    expect(page.errors).toEqual([]);
  });

  it("refuses an empty message, naming the box", async () => {
    const page = await space.open();
    await page.component("Message").locator("textarea").press("Enter");
    await eventually(() => page.errorOf("Message")).toMatch(/empty: type a message or attach a file/);
    expect(received).toEqual([]);
  });

  it("sends a file alone, and shows a reply's image, audio and file", async () => {
    const page = await space.open();
    const [chooser] = await Promise.all([
      page.page.waitForEvent("filechooser"),
      page.page.getByRole("button", { name: "Attach files" }).click(),
    ]);
    await chooser.setFiles(await png("only.png", 8, 8));
    await eventually(async () => (await boxValue(page)).files.length).toBe(1);
    await page.button("Send").click();
    await eventually(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({ text: "", files: [{ orig_name: "only.png" }] });
    await eventually(() => imagesLoaded(page, '[part~="user"] img[alt="only.png"]')).toEqual([true]);

    const box = page.component("Message").locator("textarea");
    await box.fill("show me");
    await box.press("Enter");
    await eventually(() => imagesLoaded(page, '[part~="assistant"] img[alt="answer.png"]')).toEqual([true]);
    const audio = page.component("Chat").locator('[part~="assistant"] audio[controls]');
    // The audio's metadata loads: the server serves it as audio the browser can play.
    await eventually(() =>
      audio.evaluate((element) => (element as HTMLAudioElement).readyState),
    ).toBeGreaterThan(0);
    const link = page.component("Chat").locator('[part~="assistant"] a[download="table.csv"]');
    expect(await link.textContent()).toMatch(/table\.csv\s*8 B/);
    const status = await link.evaluate(async (a) => (await fetch((a as HTMLAnchorElement).href)).status);
    expect(status).toBe(200);
    expect(page.errors).toEqual([]);
  });
});

describe("MultimodalTextbox in Blocks", () => {
  it("refuses a file type it does not accept and one over the upload limit, keeps one file, submits, and shows an output", async () => {
    const page = await blocksSpace.open();
    const pick = async (file: TestFile) => {
      const [chooser] = await Promise.all([
        page.page.waitForEvent("filechooser"),
        page.component("Ask").getByRole("button", { name: "Attach a file" }).click(),
      ]);
      expect(chooser.isMultiple()).toBe(false);
      await chooser.setFiles(file);
    };
    await pick({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not an image") });
    await eventually(() => page.errorOf("Ask")).toMatch(/notes\.txt.*image\/\*/);
    expect((await page.valueOf("Ask")) as sc.MultimodalValue).toMatchObject({ files: [] });
    // The server's upload limit (20 kB here) holds, with its message.
    await pick({
      name: "huge.png",
      mimeType: "image/png",
      buffer: Buffer.concat([(await png("huge.png", 4, 4)).buffer, Buffer.alloc(30_000, 1)]),
    });
    await eventually(() => page.errorOf("Ask")).toContain("larger than the");
    expect((await page.valueOf("Ask")) as sc.MultimodalValue).toMatchObject({ files: [] });

    await pick(await png("first.png", 4, 4));
    await eventually(async () => ((await page.valueOf("Ask")) as sc.MultimodalValue).files.length).toBe(1);
    expect(await page.errorOf("Ask")).toBe("");
    // With fileCount "single", a second file replaces the first.
    await pick(await png("second.png", 10, 5));
    await eventually(async () =>
      ((await page.valueOf("Ask")) as sc.MultimodalValue).files.map((file) => file.orig_name),
    ).toEqual(["second.png"]);

    const box = page.component("Ask").locator("textarea");
    await box.fill("a picture");
    await box.press("Enter");
    await eventually(async () => ((await page.valueOf("Echo")) as sc.MultimodalValue | null)?.text).toBe(
      "a picture!",
    );
    // The output is read-only: its text and its image, loaded, and no box to type in.
    const echo = page.component("Echo");
    expect(await echo.locator("textarea").count()).toBe(0);
    await eventually(() => page.textOf("Echo")).toContain("a picture!");
    await eventually(() =>
      echo.locator('img[alt="second.png"]').evaluate((image) => (image as HTMLImageElement).naturalWidth),
    ).toBe(10);
    expect(page.errors).toEqual([]);
  });
});
