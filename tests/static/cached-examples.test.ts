import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBrowser } from "../browser/harness.js";
import { eventually, launchBrowser, SpacePage } from "../browser/harness.js";
import { serveFolders } from "./static-server.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");
const out = mkdtempSync(join(tmpdir(), "spacecraft-static-cache-"));
let browser: TestBrowser;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

describe("cacheExamples in a static Space", { timeout: 120_000 }, () => {
  it("computes the examples at build time and shows them at once; a failed one runs in the worker", async () => {
    const dir = join(out, "cached-size");
    const { stderr } = await run(
      process.execPath,
      [cli, "build", "--static", "tests/static/fixtures/cached-size.ts", "--out", dir],
      { cwd: root },
    );
    expect(stderr, "the build reports the example that failed").toMatch(
      /Example 2 of "Examples" could not be cached/,
    );
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as sc.SpaceConfig;
    const table = config.components.find((component) => component.type === "dataset")?.id;
    const cachedFile = join(dir, "gradio_api", "cached_examples", String(table), "0.json");
    const cached = JSON.parse(readFileSync(cachedFile, "utf8")) as { data: [string, sc.FileData] };
    expect(cached.data[0], "computed by the build").toBe("5x4 (cached, build)");
    expect(cached.data[1].url, "the image is a file of the build").toMatch(/^files\/cached-/);
    expect(existsSync(join(dir, cached.data[1].url as string))).toBe(true);
    expect(existsSync(join(dir, "gradio_api", "cached_examples", String(table), "1.json"))).toBe(false);

    const server = await serveFolders({ "/": dir });
    closers.push(server.close);
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await page.goto(`${server.url}/`);
    await page.waitForSelector("sc-app[loaded]");
    const view = new SpacePage(page, errors);
    expect(await page.locator("sc-examples tbody").textContent(), "labels are shown").toContain(
      "Cached blue",
    );
    await view.pickExample("Cached blue");
    await eventually(() => view.valueOf("Size")).toBe("5x4 (cached, build)");
    const echo = (await view.valueOf("Echo")) as sc.FileData;
    expect(echo.url).toBe(cached.data[1].url);
    await eventually(() =>
      page
        .locator("sc-app [label=Echo] img")
        .evaluate((image) => (image as HTMLImageElement).naturalWidth)
        .catch(() => 0),
    ).toBe(5);
    await view.pickExample("Blue at click");
    await eventually(() => view.valueOf("Size")).toBe("5x4 (fails at build, worker)");
    expect(errors).toEqual([]);
  });
});
