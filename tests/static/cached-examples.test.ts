import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type * as sc from "spacecraft";
import { describe, expect, it } from "vitest";
import { eventually } from "../browser/harness.js";
import { staticSites } from "./static-site.js";

const sites = staticSites("cache");

describe("cacheExamples in a static Space", { timeout: 120_000 }, () => {
  it("computes the examples at build time and shows them at once; a failed one runs in the worker", async () => {
    const { dir, stderr } = await sites.build("tests/static/fixtures/cached-size.ts", "cached-size");
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

    const { view } = await sites.open(dir);
    const { page } = view;
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
    expect(view.errors).toEqual([]);
  });
});
