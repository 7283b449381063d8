import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import sharp from "sharp";
import type * as sc from "spacecraft";
import { describe, expect, it } from "vitest";
import { eventually } from "../browser/harness.js";
import { DEFAULT_OUT_DIR, makeTinyModels } from "../models/make-tiny-models.js";
import { makeWav } from "../models/wav.js";
import type { OpenedSite } from "./static-site.js";
import { staticSites } from "./static-site.js";

const sites = staticSites("page", { setUp: () => makeTinyModels(DEFAULT_OUT_DIR) });

/** Builds an app statically with the real CLI. */
async function build(app: string, name: string, extra: string[] = []): Promise<string> {
  return (await sites.build(app, name, extra)).dir;
}

/** Serves a build from a plain static server and opens it; only 127.0.0.1 may be fetched. */
function open(dir: string, mounts: Record<string, string> = {}): Promise<OpenedSite> {
  return sites.open(dir, { mounts });
}

describe("spacecraft build --static", { timeout: 120_000 }, () => {
  it("runs the hello demo entirely in the page", async () => {
    const dir = await build("templates/hello/app.ts", "hello");
    const { view, external, fetched, console } = await open(dir);
    await view.component("Text").locator("input, textarea").first().fill("ab");
    await view.button("Submit").click();
    await view.waitForStage("complete");
    await eventually(() => view.valueOf("Result")).toBe("abab");
    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
    // The page's first script opens a WebSocket only to a Space that runs on a server.
    expect(console.filter((line) => line.includes("WebSocket"))).toEqual([]);
    // A text demo without a model: page and worker together stay within 30 KB of gzipped JS and
    // CSS (the page is pre-rendered, so its description, article, examples table and theme tokens
    // need no code in the browser), and neither transformers.js nor the ONNX runtime is built in.
    const scripts = [...fetched].filter((path) => /\.(js|css)$/.test(path));
    expect(scripts).toContain("/worker.js");
    const bytes = scripts.reduce((sum, path) => sum + gzipSync(readFileSync(join(dir, path))).length, 0);
    expect(bytes, `${bytes} B gzipped: ${scripts.join(" ")}`).toBeLessThanOrEqual(30 * 1024);
    expect(readdirSync(join(dir, "assets")).filter((name) => name.includes("transformers"))).toEqual([]);
    expect(existsSync(join(dir, "ort"))).toBe(false);
  });

  it("runs a text-classification model in the page's worker", async () => {
    const dir = await build("tests/static/fixtures/sentiment.ts", "sentiment", ["--models-url", "/models/"]);
    const { view, external } = await open(dir, { "/models/": DEFAULT_OUT_DIR });
    await view.component("Text").locator("input, textarea").first().fill("I love this");
    await view.button("Submit").click();
    await view.waitForStage("complete");
    await eventually(
      async () => ((await view.valueOf("Label")) as { label?: string } | undefined)?.label,
    ).toBe("POSITIVE");
    expect(external).toEqual([]);
  });

  it("decodes an image in the worker and shows the result", async () => {
    const dir = await build("tests/static/fixtures/image-echo.ts", "image");
    const { view } = await open(dir);
    const png = await sharp({ create: { width: 7, height: 3, channels: 3, background: "#0f0" } })
      .png()
      .toBuffer();
    await view.component("Picture").locator("input[type=file]").setInputFiles({
      name: "green.png",
      mimeType: "image/png",
      buffer: png,
    });
    await eventually(() => view.valueOf("Picture")).toMatchObject({ orig_name: "green.png" });
    await view.button("Submit").click();
    await view.waitForStage("complete");
    await eventually(() => view.valueOf("Size")).toBe("7x3");
    await eventually(
      async () => ((await view.valueOf("Echo")) as { mime_type?: string } | undefined)?.mime_type,
    ).toBe("image/png");

    // An example file, copied into dist/ by the build, runs like an upload.
    await view.pickExample("blue.png");
    await view.button("Submit").click();
    await eventually(() => view.valueOf("Size")).toBe("5x4");
  });

  it("runs a multimodal chat in the worker: an attached file and an example's reach fn and show", async () => {
    const dir = await build("tests/static/fixtures/multimodal-chat.ts", "multimodal-chat");
    const { view, external } = await open(dir);
    const png = await sharp({ create: { width: 6, height: 2, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    const box = view.component("Message");
    await box
      .locator("input[type=file]")
      .setInputFiles({ name: "red.png", mimeType: "image/png", buffer: png });
    await eventually(async () => ((await view.valueOf("Message")) as sc.MultimodalValue).files.length).toBe(
      1,
    );
    await box.locator("textarea").fill("Look");
    await box.locator("textarea").press("Enter");
    await eventually(() => view.textOf("Chat")).toContain(`Look: red.png ${png.length} B`);
    const loaded = (selector: string) =>
      view
        .component("Chat")
        .locator(selector)
        .evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth));
    await eventually(() => loaded('[part~="user"] img[alt="red.png"]')).toEqual([6]);

    // An example's file, copied into dist/ by the build, reaches fn like an upload.
    await view.pickExample("Describe");
    await eventually(async () => ((await view.valueOf("Message")) as sc.MultimodalValue).text).toBe(
      "Describe",
    );
    await box.locator("textarea").press("Enter");
    await eventually(() => view.textOf("Chat")).toMatch(/Describe: blue\.png \d+ B/);

    // A reply's file, written in the worker, shows in the page.
    await box
      .locator("input[type=file]")
      .setInputFiles({ name: "red.png", mimeType: "image/png", buffer: png });
    await eventually(async () => ((await view.valueOf("Message")) as sc.MultimodalValue).files.length).toBe(
      1,
    );
    await box.locator("textarea").fill("draw");
    await box.locator("textarea").press("Enter");
    await eventually(() => loaded('[part~="assistant"] img[alt="drawn.png"]')).toEqual([6]);
    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it("answers every prediction with why when the engine cannot get ready", async () => {
    const dir = await build("tests/static/fixtures/image-echo.ts", "missing-example");
    rmSync(join(dir, "files"), { recursive: true });
    const { view } = await open(dir);
    const why = "The demo's engine could not get ready: Example file files/0-blue.png is missing (HTTP 404)";
    await eventually(() => view.page.locator('sc-app [data-banner="notice"]').textContent()).toContain(why);
    await view.pickExample("blue.png");
    await view.button("Submit").click();
    await eventually(() => view.statusText()).toContain(why);
  });

  it("decodes and resamples audio in the worker, and plays the result back", async () => {
    const dir = await build("tests/static/fixtures/audio-echo.ts", "audio");
    const { view, external } = await open(dir);
    // Half a second of a 440 Hz tone at 8 kHz: the worker resamples it to 16 kHz.
    const tone = Float32Array.from(
      { length: 4000 },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000),
    );
    await view
      .component("Sound")
      .locator("input[type=file]")
      .setInputFiles({ name: "tone.wav", mimeType: "audio/wav", buffer: Buffer.from(makeWav(tone, 8000)) });
    await eventually(() => view.valueOf("Sound")).toMatchObject({ orig_name: "tone.wav" });
    await view.button("Submit").click();
    await view.waitForStage("complete");
    await eventually(() => view.valueOf("Heard")).toBe("16000 Hz, 8000 samples");
    await eventually(
      async () => ((await view.valueOf("Echo")) as { mime_type?: string } | undefined)?.mime_type,
    ).toBe("audio/wav");
    expect(external).toEqual([]);
  });

  it("streams, reports progress, stops and shows errors in the worker as on a server", async () => {
    const dir = await build("tests/static/fixtures/stream.ts", "stream");
    const { view } = await open(dir);
    const words = view.page.getByLabel("Words", { exact: true });
    await words.fill("one two three");
    // Every value the page shows, so a partial replaced before a poll still counts.
    const shown = await view.recordValues("Echo");
    await view.button("Submit").click();
    await view.waitForStage("complete");
    expect(await view.valueOf("Echo")).toBe("one two three");
    // The final result repeats the last partial.
    expect((await shown()).filter((value, i, all) => value !== all[i - 1])).toEqual([
      "one",
      "one two",
      "one two three",
    ]);

    // 75 words take 30 s: time for a busy machine to see a partial and stop the run before its end.
    const many = Array.from({ length: 75 }, (_, i) => `w${i}`).join(" ");
    await words.fill(many);
    await view.button("Submit").click();
    // A partial is on show: the status says what it is writing; stop it.
    await eventually(async () => String(await view.valueOf("Echo"))).toMatch(/^w0( w\d+)*$/);
    expect(await view.statusText()).toMatch(/Writing/);
    await view.button("Stop").click();
    await eventually(() => view.statusText()).toBe("Stopped.");
    expect(await view.valueOf("Echo")).not.toBe(many);

    await words.fill("fail");
    await view.button("Submit").click();
    await eventually(() => view.statusText()).toContain("No failing in the browser either.");
  });

  it("runs a Blocks app in the worker: tabs, a .then chain and State kept across clicks", async () => {
    const dir = await build("tests/fixtures/tip-calculator.ts", "blocks");
    const { view, external } = await open(dir);
    await view.button("Compute").click();
    // The first run waits for the worker to start: a generous deadline on a busy machine.
    await view.waitForStage("complete");
    await eventually(() => view.valueOf("Tips so far")).toBe(1);
    expect(await view.valueOf("Tip")).toBe(6);
    await view.component("Bill").locator("input").fill("100");
    await view.button("Compute").click();
    await eventually(() => view.valueOf("Tips so far")).toBe(2);
    expect(await view.valueOf("Tip")).toBe(15);

    await view.page.getByRole("tab", { name: "About", exact: true }).click();
    await eventually(() => view.pageText()).toContain("Tips are optional.");
    expect(await view.component("Bill").isVisible()).toBe(false);
    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it("runs the page's load event in the worker when the page opens", async () => {
    const dir = await build("tests/static/fixtures/welcome.ts", "welcome");
    const { view, external } = await open(dir);
    // The worker starts first: a generous deadline on a busy machine.
    await eventually(() => view.valueOf("Greeting")).toBe("Welcome, visitor!");
    expect(await view.valueOf("Menu")).toBe("mint");
    expect(await view.component("Menu").locator("option").allTextContents()).toEqual(["mint", "lemon"]);
    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it("passes a select's event data to fn in the worker", async () => {
    const dir = await build("tests/static/fixtures/pick.ts", "pick");
    const { view, external } = await open(dir);
    await view.component("Colour").getByText("blue").click();
    await eventually(() => view.valueOf("Picked")).toBe("blue (choice 3)");
    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
  });

  it("says so when the engine cannot start, and answers every submit with why", async () => {
    const dir = await build("templates/hello/app.ts", "no-worker");
    rmSync(join(dir, "worker.js"));
    const { view } = await open(dir);
    await eventually(() => view.page.locator('sc-app [data-banner="notice"]').textContent()).toContain(
      "The demo's engine failed to start",
    );
    await view.button("Submit").click();
    await eventually(() => view.statusText()).toContain(
      "The demo's engine failed to start: see the browser console. Reload the page to try again.",
    );
  });

  it("refuses to build an app that imports a Node built-in, naming it", async () => {
    const failure = await build("tests/static/fixtures/uses-fs.ts", "uses-fs").catch(
      (error: { stderr: string }) => error,
    );
    expect(String((failure as { stderr: string }).stderr)).toContain(
      'uses-fs.ts imports "node:fs", a Node built-in that does not exist in a browser.',
    );
  });
});
