import { afterAll, beforeAll, describe, expect, it } from "vitest";
import files from "../fixtures/files.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, files);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("file input and output", () => {
  it("shows an uploaded file's name and size, and offers the result as a download", async () => {
    const page = await space.open();
    await page.chooseFile("Document", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("hello world"),
    });
    expect(await page.uploaded("Document")).toMatchObject({ orig_name: "notes.txt", size: 11 });
    expect(await page.textOf("Document")).toContain("notes.txt 11 B");

    await page.button("Submit").click();
    await eventually(() => page.valueOf("About")).toBe("notes.txt: 11 bytes");
    const link = page.component("Copy").locator('[part="download"]');
    expect(await link.textContent()).toBe("notes.txt");
    expect(await link.getAttribute("download")).toBe("notes.txt");
    const href = (await link.getAttribute("href")) ?? "";
    expect(new URL(href).pathname).toMatch(/^\/gradio_api\/file=[0-9a-f]+\/notes\.txt$/);
    expect(await (await fetch(href)).text()).toBe("hello world");
  });

  it("renders file names with HTML in them as text", async () => {
    const page = await space.open();
    const name = '<img src=x onerror="window.__pwned=1">.txt';
    await page.dropFile("Document", { name, mimeType: "text/plain", buffer: Buffer.from("x") });
    expect(await page.uploaded("Document")).toMatchObject({ orig_name: name });
    expect(await page.textOf("Document")).toContain(name);
    await page.button("Submit").click();
    const link = page.component("Copy").locator('[part="download"]');
    await eventually(() => link.textContent()).toBe(name);
    for (const label of ["Document", "Copy"]) {
      expect(await page.component(label).locator("img").count()).toBe(0);
    }
    expect(await page.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("shows upload progress while a file uploads, and a submit waits for it", async () => {
    const page = await space.open();
    const network = await page.page.context().newCDPSession(page.page);
    await network.send("Network.enable");
    // A slow link (128 KB/s up) so the upload takes a couple of seconds.
    await network.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 128 * 1024,
    });
    const document = page.component("Document");
    await page.chooseFile("Document", {
      name: "big.bin",
      mimeType: "application/octet-stream",
      buffer: Buffer.alloc(384 * 1024, 1),
    });
    const bar = document.getByRole("progressbar", { name: "Upload" });
    await eventually(() => bar.evaluate((element) => (element as HTMLProgressElement).value)).toBeGreaterThan(
      0,
    );
    expect(await document.getAttribute("uploading")).toBe("");
    expect(await document.getByRole("status").textContent()).toMatch(/Uploading "big\.bin"… \d+%/);
    // Submitting mid-upload sends the file once it is there.
    await page.button("Submit").click();
    expect(await page.uploaded("Document")).toMatchObject({ orig_name: "big.bin", size: 384 * 1024 });
    await eventually(() => bar.count()).toBe(0);
    await eventually(() => page.valueOf("About")).toBe(`big.bin: ${384 * 1024} bytes`);
    await network.detach();
  });
});
