import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import detections from "../fixtures/detections.js";
import colours from "../fixtures/image.js";
import type { SpaceServer, TestBrowser, TestFile } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

/** A PNG of one colour. */
async function png(name: string, rgb: [number, number, number], width = 16, height = 12): Promise<TestFile> {
  const [r, g, b] = rgb;
  const buffer = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return { name, mimeType: "image/png", buffer };
}

const root = mkdtempSync(join(tmpdir(), "spacecraft-image-test-"));
let browser: TestBrowser;
let space: SpaceServer;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  writeFileSync(join(root, "red.png"), (await png("red.png", [255, 0, 0])).buffer);
  browser = await launchBrowser({ fakeMedia: true });
  space = await serveSpace(browser, colours, { root });
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await space?.close();
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("image input", () => {
  it("uploads an image picked with the keyboard and shows the label of the result", async () => {
    const page = await space.open();
    const events = await page.recordEvents("Picture");
    await page.page.getByLabel("Picture", { exact: true }).focus();
    const [chooser] = await Promise.all([
      page.page.waitForEvent("filechooser"),
      page.page.keyboard.press("Enter"),
    ]);
    await chooser.setFiles(await png("red.png", [250, 10, 10]));
    const value = await page.uploaded("Picture");
    expect(value).toMatchObject({
      orig_name: "red.png",
      mime_type: "image/png",
      url: `/gradio_api/file=${value.path}`,
      meta: { _type: "gradio.FileData" },
    });
    expect((await events()).map((event) => event.type)).toEqual(["input", "change"]);
    expect(await page.dropZone("Picture").locator("img").getAttribute("alt")).toBe("red.png");

    await page.button("Submit").click();
    await eventually(() => page.textOf("Colour")).toBe("Colour red");
    const echo = page.component("Echo").locator('[part="image"]');
    await eventually(() => echo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
    expect(page.errors).toEqual([]);
  });

  it("takes a dropped image", async () => {
    const page = await space.open();
    await page.dropFile("Picture", await png("blue.png", [0, 0, 255]));
    expect(await page.uploaded("Picture")).toMatchObject({ orig_name: "blue.png" });
    await page.button("Submit").click();
    await eventually(() => page.textOf("Colour")).toBe("Colour blue");
  });

  it("takes a pasted image", async () => {
    const page = await space.open();
    await page.pasteFile("Picture", await png("image.png", [0, 200, 0]));
    expect(await page.uploaded("Picture")).toMatchObject({ orig_name: "image.png" });
    await page.button("Submit").click();
    await eventually(() => page.textOf("Colour")).toBe("Colour green");
  });

  it("takes a photo with the webcam", async () => {
    const page = await space.open();
    await page.component("Picture").getByRole("button", { name: "Webcam" }).click();
    const video = page.component("Picture").locator("video");
    await eventually(() =>
      video.evaluate((element) => (element as HTMLVideoElement).videoWidth),
    ).toBeGreaterThan(0);
    await page.component("Picture").getByRole("button", { name: "Take photo" }).click();
    expect(await page.uploaded("Picture")).toMatchObject({ orig_name: "webcam.png", mime_type: "image/png" });
    expect(await video.count()).toBe(0);
  });

  it("clears the image", async () => {
    const page = await space.open();
    await page.chooseFile("Picture", await png("red.png", [255, 0, 0]));
    await page.uploaded("Picture");
    await page.component("Picture").getByRole("button", { name: "Clear image" }).click();
    await eventually(() => page.valueOf("Picture")).toBeNull();
    await eventually(() => page.dropZone("Picture").locator("img").count()).toBe(0);
  });

  it("shows the server's message when it refuses a file that is not an image", async () => {
    const page = await space.open();
    await page.chooseFile("Picture", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("hello"),
    });
    await eventually(() => page.errorOf("Picture")).toContain("this input accepts image/png");
    expect(await page.errorOf("Picture")).toContain('"notes.txt" is text/plain');
    expect(await page.textOf("Picture")).toContain("this input accepts image/png");
    expect(await page.valueOf("Picture")).toBeNull();
  });

  it("rejects an upload over the limit with the server's message", async () => {
    const small = await serveSpace(browser, colours, { root, maxUploadBytes: 200 });
    cleanups.push(() => small.close());
    const page = await small.open();
    const noise = await sharp(Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 256)), {
      raw: { width: 64, height: 64, channels: 3 },
    })
      .png()
      .toBuffer();
    await page.chooseFile("Picture", { name: "big.png", mimeType: "image/png", buffer: noise });
    await eventually(() => page.errorOf("Picture")).toContain("larger than the");
    expect(await page.valueOf("Picture")).toBeNull();
  });

  it("loads at most 30 KB of gzipped JS and CSS, like a text demo", async () => {
    const page = await space.open();
    await page.component("Picture").locator('[part="dropzone"]').waitFor();
    const assets = await page.loadedAssets();
    expect(assets.some((path) => /image-.*\.js$/.test(path))).toBe(true);
    expect(assets.some((path) => /audio-|marked|purify/.test(path))).toBe(false);
    expect(await page.loadedBytes()).toBeLessThanOrEqual(30 * 1024);
  });

  it("fills the input from an example with a thumbnail", async () => {
    const page = await space.open();
    const thumb = page.page.locator("sc-examples img");
    await eventually(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
    expect(await page.page.locator("sc-examples tbody").textContent()).toContain("red.png");
    await page.pickExample("red.png");
    await eventually(() => page.valueOf("Picture")).toMatchObject({
      orig_name: "red.png",
      mime_type: "image/png",
    });
    const preview = page.dropZone("Picture").locator("img");
    await eventually(() => preview.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
    await page.button("Submit").click();
    await eventually(() => page.textOf("Colour")).toBe("Colour red");
  });
});

describe("annotated image and gallery", () => {
  it("draws labelled boxes that scale with the image, a legend, and a gallery with captions", async () => {
    const server = await serveSpace(browser, detections);
    cleanups.push(() => server.close());
    const page = await server.open();
    await page.chooseFile("Photo", await png("photo.png", [0, 0, 255], 1600, 800));
    await page.uploaded("Photo");
    await page.button("Submit").click();
    const boxes = page.component("Detections").locator('[part="box"]');
    await eventually(() => boxes.count()).toBe(2);
    expect(await boxes.allTextContents()).toEqual([
      expect.stringContaining("cat 90%"),
      expect.stringContaining("dog"),
    ]);
    const image = await page.component("Detections").locator('[part="image"]').boundingBox();
    const cat = await boxes.first().boundingBox();
    const dog = await boxes.last().boundingBox();
    if (!image || !cat || !dog) throw new Error("not laid out");
    // Drawn smaller than its 1600 × 800 pixels: the boxes scale with it.
    expect(image.width).toBeLessThan(1600);
    expect(image.height).toBeCloseTo(image.width / 2, 0);
    expect(cat.width).toBeCloseTo(image.width / 2, 0);
    expect(cat.x).toBeCloseTo(image.x, 0);
    expect(dog.x + dog.width).toBeCloseTo(image.x + image.width, 0);
    expect(dog.y + dog.height).toBeCloseTo(image.y + image.height, 0);
    expect(await boxes.first().evaluate((box) => getComputedStyle(box).borderTopColor)).toBe(
      "rgb(255, 0, 0)",
    );
    expect(await page.component("Detections").locator('[part="legend"] li').allTextContents()).toEqual([
      expect.stringContaining("cat"),
      expect.stringContaining("dog"),
    ]);

    const captions = page.component("Copies").locator('[part="caption"]');
    expect(await captions.allTextContents()).toEqual(["first", "second"]);
    const items = page.component("Copies").locator('[part="image"]');
    await eventually(() => items.last().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1600);
    const [first, second] = [await items.first().boundingBox(), await items.last().boundingBox()];
    expect(first && second && second.x > first.x && Math.abs(second.y - first.y) < 1).toBe(true);
    expect(page.errors).toEqual([]);
  });
});
