import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBrowser } from "../browser/harness.js";
import { launchBrowser, openSpacePage } from "../browser/harness.js";
import { serveFolders } from "./static-server.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");
const out = mkdtempSync(join(tmpdir(), "spacecraft-static-cell-zone-"));
let browser: TestBrowser;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  // A browser in New York, so a time read in the browser's zone instead of Tokyo's shows.
  browser = await launchBrowser({ timezoneId: "America/New_York" });
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

const until = <T>(read: () => Promise<T> | T, message: string) =>
  expect.poll(read, { timeout: 30_000, interval: 100, message });

describe("a Dataframe's select and a DateTime's zone in a static Space", { timeout: 180_000 }, () => {
  it("gives the worker's fn the picked cell as [row, column], and reads times in the DateTime's zone", async () => {
    const dir = join(out, "cell-and-zone");
    await run(
      process.execPath,
      [cli, "build", "--static", "tests/static/fixtures/cell-and-zone.ts", "--out", dir],
      {
        cwd: root,
      },
    );
    const server = await serveFolders({ "/": dir });
    closers.push(server.close);
    const external: string[] = [];
    const view = await openSpacePage(browser.context, `${server.url}/`, {
      timeout: 30_000,
      prepare: (page) =>
        page.route("**/*", (route) => {
          const url = route.request().url();
          if (url.startsWith(server.url) || url.startsWith("blob:") || url.startsWith("data:"))
            return route.continue();
          external.push(url);
          return route.abort();
        }),
    });

    await view.component("Scores").getByRole("gridcell", { name: "12", exact: true }).click();
    await until(() => view.valueOf("Picked"), "the worker's fn got the cell").toBe("[1, 1] 12; row Bob 12");

    const field = view.component("Meeting").locator('[part="control"]');
    await field.fill("2024-05-01 09:00:00");
    await field.press("Enter");
    await until(() => view.valueOf("Seconds"), "the worker read 09:00 as Tokyo's").toBe(
      String(Date.UTC(2024, 4, 1) / 1000),
    );
    expect(await view.valueOf("Paris")).toBe("2024-05-01 02:00:00");
    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
