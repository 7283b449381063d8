import { afterAll, beforeAll, describe, expect, it } from "vitest";
import outputs from "../fixtures/outputs.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;
let page: SpacePage;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, outputs);
  page = await space.open();
  await page.button("Submit").click();
  await page.waitForStage("complete");
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("output elements", () => {
  it("label shows the top class as a heading and a bar per class", async () => {
    const label = page.component("Animal");
    expect(await label.locator(".heading").textContent()).toBe("cat");
    const meters = label.getByRole("meter");
    expect(await meters.count()).toBe(3);
    expect(await label.getByRole("meter", { name: "cat" }).getAttribute("aria-valuenow")).toBe("0.8");
    expect(await page.textOf("Animal")).toContain("cat 80.0% dog 15.0% bird 5.0%");
    const width = await label
      .locator(".bar")
      .first()
      .evaluate((bar) => getComputedStyle(bar).width);
    const track = await label
      .locator(".track")
      .first()
      .evaluate((t) => getComputedStyle(t).width);
    expect(Number.parseFloat(width) / Number.parseFloat(track)).toBeCloseTo(0.8, 2);
  });

  it("highlightedtext colours each class and shows a legend", async () => {
    const text = page.component("Entities");
    expect(await page.textOf("Entities")).toContain("Ada lives in London");
    expect(await text.locator("mark").allTextContents()).toEqual(["Ada", "London"]);
    expect(await text.getByRole("list", { name: "Legend" }).getByRole("listitem").allTextContents()).toEqual([
      "PER",
      "LOC",
    ]);
    const colours = await text
      .locator("mark")
      .evaluateAll((marks) => marks.map((mark) => getComputedStyle(mark).backgroundColor));
    expect(colours[0]).not.toBe(colours[1]);
    expect(colours[0]).not.toBe("rgba(0, 0, 0, 0)");
  });

  it("markdown renders headings, emphasis and lists", async () => {
    const notes = page.component("Notes");
    await eventually(() => notes.locator("h1").count()).toBe(1);
    expect(await notes.locator("h1").textContent()).toBe("Report");
    expect(await notes.locator("strong").textContent()).toBe("bold");
    expect(await notes.locator("li").allTextContents()).toEqual(["one", "two"]);
  });

  it("markdown strips script handlers from raw HTML", async () => {
    const notes = page.component("Notes");
    await eventually(() => notes.locator("img").count()).toBe(1);
    expect(await notes.locator("img").getAttribute("onerror")).toBeNull();
    expect(await notes.locator("[onerror]").count()).toBe(0);
    expect(await page.page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
  });

  it("json shows a foldable tree of the value", async () => {
    const raw = page.component("Raw");
    expect(await page.valueOf("Raw")).toEqual({ model: "tiny", scores: [1, 2, 3], nested: { ok: true } });
    const text = await page.textOf("Raw");
    expect(text).toContain('"model": "tiny"');
    expect(text).toContain('"ok": true');
    const nested = raw.locator("details").filter({ hasText: '"nested"' }).last();
    expect(await nested.getAttribute("open")).not.toBeNull();
    await nested.locator("summary").first().click();
    await eventually(() => nested.getAttribute("open")).toBeNull();
  });
});
