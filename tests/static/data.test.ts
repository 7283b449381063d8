import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBrowser } from "../browser/harness.js";
import { launchBrowser, SpacePage } from "../browser/harness.js";
import { serveFolders } from "./static-server.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");
const out = mkdtempSync(join(tmpdir(), "spacecraft-static-data-"));
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

const until = <T>(read: () => Promise<T> | T, message: string) =>
  expect.poll(read, { timeout: 30_000, interval: 100, message });

describe("Dataframe, Code and plots in a static Space", { timeout: 180_000 }, () => {
  it("edit a table, run fn in the worker, and show its table, plot and code", async () => {
    const dir = join(out, "table-plot");
    await run(
      process.execPath,
      [cli, "build", "--static", "tests/static/fixtures/table-plot.ts", "--out", dir],
      {
        cwd: root,
      },
    );
    const server = await serveFolders({ "/": dir });
    closers.push(server.close);
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    const external: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith("blob:") || url.startsWith("data:"))
        return route.continue();
      external.push(url);
      return route.abort();
    });
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    await page.goto(`${server.url}/`);
    await page.waitForSelector("sc-app[loaded]");
    const view = new SpacePage(page, errors);

    const scores = view.component("Scores");
    await scores.getByRole("gridcell", { name: "Bob", exact: true }).click();
    await page.evaluate(() => navigator.clipboard.writeText("Cy\t9\n"));
    await page.keyboard.press("ControlOrMeta+V");
    await until(() => view.valueOf("Scores"), "the pasted row replaces Bob's").toMatchObject({
      data: [
        ["Ada", 3],
        ["Cy", 9],
      ],
    });
    await view.button("Submit").click();
    await until(() => view.valueOf("Ranked"), "the worker's sorted table").toEqual({
      headers: ["name", "score"],
      data: [
        ["Cy", 9],
        ["Ada", 3],
      ],
      metadata: null,
    });
    await until(
      () => view.component("Chart").evaluate((element) => (element as HTMLElement & { marks: number }).marks),
      "a bar per row",
    ).toBe(2);
    const code = view.component("As JSON");
    await until(() => view.valueOf("As JSON"), "the table as JSON").toBe('[["Cy",9],["Ada",3]]');
    await until(() => code.locator(".cm-line").first().textContent(), "the editor shows it").toBe(
      '[["Cy",9],["Ada",3]]',
    );
    await until(() => code.locator(".cm-line span").count(), "JSON is highlighted").toBeGreaterThan(2);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });
});
