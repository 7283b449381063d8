import { afterAll, beforeAll, describe, expect, it } from "vitest";
import hello from "../../templates/hello/app.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, hello);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("hello demo", () => {
  it("shows the title, description and article", async () => {
    const page = await space.open();
    expect(await page.page.title()).toBe("Repeat");
    await eventually(() => page.pageText()).toContain("Markdown works here.");
    expect(await page.page.locator("sc-app strong").textContent()).toBe("works");
    await eventually(() => page.pageText()).toContain(
      "Built with Spacecraft. Edit app.ts to change this demo.",
    );
    expect(await page.page.locator("sc-app footer code").textContent()).toBe("app.ts");
  });

  it("loads at most 30 KB of gzipped JS and CSS, and no Markdown or media code", async () => {
    const page = await space.open();
    await eventually(() => page.pageText()).toContain("Markdown works here.");
    const assets = await page.loadedAssets();
    expect(assets.some((path) => path.includes("marked"))).toBe(false);
    expect(assets.filter((path) => /upload|image|audio|file|gallery/.test(path))).toEqual([]);
    expect(await page.loadedBytes()).toBeLessThanOrEqual(30 * 1024);
  });

  it("repeats typed text as many times as the slider says", async () => {
    const page = await space.open();
    await page.page.getByLabel("Text", { exact: true }).click();
    await page.page.keyboard.type("ab");
    await page.page.getByRole("slider", { name: "Times" }).focus();
    await page.page.keyboard.press("ArrowRight");
    await eventually(() => page.valueOf("Times")).toBe(3);
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Result")).toBe("ababab");
    expect(await page.textOf("Result")).toContain("ababab");
    expect(page.errors).toEqual([]);
  });

  it("submits with Ctrl+Enter from an input", async () => {
    const page = await space.open();
    await page.page.getByLabel("Text", { exact: true }).fill("x");
    await page.page.getByLabel("Text", { exact: true }).press("Control+Enter");
    await eventually(() => page.valueOf("Result")).toBe("xx");
  });

  it("runs on Enter in the text box, as Gradio's Interface does", async () => {
    const page = await space.open();
    await page.page.getByLabel("Text", { exact: true }).fill("yz");
    await page.page.getByLabel("Text", { exact: true }).press("Enter");
    await eventually(() => page.valueOf("Result")).toBe("yzyz");
    expect(page.errors).toEqual([]);
  });

  it("fills the inputs from a clicked example and clears them", async () => {
    const page = await space.open();
    await page.pickExample("echo");
    await eventually(() => page.valueOf("Text")).toBe("echo ");
    await eventually(() => page.valueOf("Times")).toBe(5);
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Result")).toBe("echo echo echo echo echo ");
    await page.button("Clear").click();
    await eventually(() => page.valueOf("Text")).toBe("");
    await eventually(() => page.valueOf("Times")).toBe(2);
    await eventually(() => page.textOf("Result")).toBe("Result");
  });

  it("picks an example with the keyboard", async () => {
    const page = await space.open();
    await page.page.getByRole("button", { name: /^Example 1:/ }).focus();
    await page.page.keyboard.press("Enter");
    await eventually(() => page.valueOf("Text")).toBe("ha");
    await eventually(() => page.valueOf("Times")).toBe(3);
  });
});

describe("the page", () => {
  it("loads without a failed request: its icon is inline, so no /favicon.ico 404", async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    const failures: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    page.on("requestfailed", (request) => failures.push(`failed ${request.url()}`));
    // The browser's own favicon request reaches no request event; its 404 shows as a console error.
    page.on("console", (message) => {
      if (message.type() === "error") failures.push(`console: ${message.text()}`);
    });
    try {
      await page.goto(space.server.url);
      await page.waitForSelector("sc-app[loaded]");
      await page.waitForLoadState("networkidle");
      expect(failures).toEqual([]);
      const icon = await page.evaluate(() =>
        document.querySelector('link[rel="icon"]')?.getAttribute("href"),
      );
      expect(icon).toMatch(/^data:image\/svg\+xml,/);
    } finally {
      await page.close();
    }
  });
});
