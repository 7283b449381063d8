// A Space's own component (templates/custom-component: components/star-rating.ts) in real
// Chromium: served by a server, and built `--static` (the engine in a Web Worker).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../../templates/custom-component/app.js";
import { serveFolders } from "../static/static-server.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, openSpacePage, serveSpace } from "./harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "spacecraft-custom-"));
let browser: TestBrowser;
let space: SpaceServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, app);
  // The first visit renders the page on the server: done here, not inside a page's load deadline.
  expect((await fetch(space.server.url)).status).toBe(200);
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await space?.close();
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

/** The `aria-valuenow` of a star rating's slider, as a screen reader hears it. */
const shownStars = (page: SpacePage, label: string) =>
  page.page.getByRole("slider", { name: label }).getAttribute("aria-valuenow");

/** Rates with keys and a click, submits, and checks what `fn` got and what the page shows back. */
async function rateAndSubmit(page: SpacePage): Promise<void> {
  await eventually(() => shownStars(page, "Your rating")).toBe("3");
  const stars = page.page.getByRole("slider", { name: "Your rating" });
  await stars.focus();
  await page.page.keyboard.press("ArrowRight");
  await eventually(() => page.valueOf("Your rating")).toBe(4);
  await page.page.keyboard.press("Home");
  await eventually(() => page.valueOf("Your rating")).toBe(0);
  await page.page.keyboard.press("5");
  await eventually(() => page.valueOf("Your rating")).toBe(5);
  // The mouse: the second star.
  await page.component("Your rating").locator('[data-star="2"]').click();
  await eventually(() => page.valueOf("Your rating")).toBe(2);
  expect(await shownStars(page, "Your rating")).toBe("2");
  await page.page.getByLabel("Review", { exact: true }).fill("Fine");
  await page.button("Submit").click();
  // The summary is made by fn from the value it received; the output rating is fn's (2 + 1).
  await eventually(() => page.valueOf("Summary")).toBe("★★☆☆☆ Fine");
  await eventually(() => page.valueOf("One star kinder")).toBe(3);
  expect(await shownStars(page, "One star kinder")).toBe("3");
  // An output is read-only: keys change nothing.
  await page.page.getByRole("slider", { name: "One star kinder" }).press("ArrowRight");
  expect(await page.valueOf("One star kinder")).toBe(3);
  expect(page.errors).toEqual([]);
}

describe("a Space's own component", { timeout: 120_000 }, () => {
  it("renders from its chunk, takes keys and clicks, and its value reaches fn and back", async () => {
    const page = await space.open();
    const assets = await page.loadedAssets();
    expect(assets.filter((path) => path.includes("/assets/custom/star-rating-"))).toHaveLength(1);
    await rateAndSubmit(page);
  });

  it("fills in from an example row like a built-in", async () => {
    const page = await space.open();
    await page.pickExample("Not for me");
    await eventually(() => page.valueOf("Your rating")).toBe(1);
    expect(await shownStars(page, "Your rating")).toBe("1");
  });

  it("works in a static build: the chunk ships in dist and the worker runs the spec", async () => {
    const dir = join(out, "static");
    const cli = join(root, "framework/bin/spacecraft.js");
    await promisify(execFile)(
      process.execPath,
      [cli, "build", "--static", "templates/custom-component/app.ts", "--out", dir],
      { cwd: root },
    );
    const server = await serveFolders({ "/": dir });
    closers.push(server.close);
    const page = await openSpacePage(browser.context, `${server.url}/`);
    const assets = await page.loadedAssets();
    expect(assets.filter((path) => path.includes("/assets/custom/star-rating-"))).toHaveLength(1);
    await rateAndSubmit(page);
  });
});
