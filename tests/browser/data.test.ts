import { afterAll, beforeAll, describe, expect, it } from "vitest";
import data from "../fixtures/data.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;
let page: SpacePage;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, data);
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: space.server.url });
  // The first request renders the page (then kept): on a busy machine that alone can take seconds.
  await fetch(space.server.url);
  page = await space.open();
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

/** The texts of a Dataframe's cells in the rows drawn, row by row. */
function shownRows(label: string): Promise<string[][]> {
  return page
    .component(label)
    .locator(".body .row")
    .evaluateAll((rows) =>
      rows
        .map((row) => ({
          index: Number(row.getAttribute("aria-rowindex")),
          cells: [...row.querySelectorAll('[role="gridcell"]')].map((cell) => cell.textContent ?? ""),
        }))
        .sort((a, b) => a.index - b.index)
        .map((row) => row.cells),
    );
}

/** Polls `read` until the assertion holds, saying what was awaited when it does not (busy machines: 30 s). */
const until = <T>(read: () => Promise<T> | T, message: string, timeout = 30_000) =>
  expect.poll(read, { timeout, interval: 100, message });

const firstColumn = async (label: string) => (await shownRows(label)).map((row) => row[0]);

/** The value of a Dataframe, as the page holds it. */
const tableOf = (label: string) => page.valueOf(label) as Promise<{ headers: string[]; data: unknown[][] }>;

describe("Dataframe", () => {
  it("sorts by a header click: ascending, descending, then the value's order", async () => {
    const table = page.component("Table");
    const header = table.getByRole("columnheader", { name: "name" });
    expect(await firstColumn("Table"), "rows start in the value's order").toEqual(["Cy", "Ada", "Bob"]);
    await header.getByRole("button").click();
    await eventually(() => firstColumn("Table")).toEqual(["Ada", "Bob", "Cy"]);
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    await header.getByRole("button").click();
    await eventually(() => firstColumn("Table")).toEqual(["Cy", "Bob", "Ada"]);
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    await header.getByRole("button").click();
    await eventually(() => firstColumn("Table")).toEqual(["Cy", "Ada", "Bob"]);
    expect((await tableOf("Table")).data, "sorting shows rows in order; the value keeps its own").toEqual([
      ["Cy", 2],
      ["Ada", 3],
      ["Bob", 1],
    ]);
  });

  it("sorts numbers by value with the keyboard (Enter, then Space on the header)", async () => {
    const button = page.component("Table").getByRole("columnheader", { name: "score" }).getByRole("button");
    await button.focus();
    await page.page.keyboard.press("Enter");
    await eventually(() => firstColumn("Table")).toEqual(["Bob", "Cy", "Ada"]);
    await page.page.keyboard.press("Space");
    await eventually(() => firstColumn("Table")).toEqual(["Ada", "Cy", "Bob"]);
    await page.page.keyboard.press("Enter");
    await eventually(() => firstColumn("Table")).toEqual(["Cy", "Ada", "Bob"]);
  });

  it("edits a cell and the server sees the edit", async () => {
    const table = page.component("Table");
    await table.getByRole("gridcell", { name: "1", exact: true }).dblclick();
    const editor = table.locator("input.editor");
    await editor.fill("10");
    await editor.press("Enter");
    await eventually(() => tableOf("Table").then((t) => t.data[2])).toEqual(["Bob", 10]);
    await page.button("Sum").click();
    await until(() => page.valueOf("Total"), "2 + 3 + 10").toBe(15);
    await eventually(() => tableOf("Echo").then((t) => t.data)).toEqual([
      ["Cy", 2],
      ["Ada", 3],
      ["Bob", 10],
    ]);
    expect(await firstColumn("Echo")).toEqual(["Cy", "Ada", "Bob"]);
  });

  it("edits with the keyboard: arrows to a cell, Enter to edit, Escape to cancel", async () => {
    const table = page.component("Table");
    await table.getByRole("gridcell", { name: "Cy", exact: true }).click();
    await page.page.keyboard.press("ArrowDown");
    await page.page.keyboard.press("Enter");
    await table.locator("input.editor").fill("Zed");
    await page.page.keyboard.press("Escape");
    await eventually(() => firstColumn("Table")).toEqual(["Cy", "Ada", "Bob"]);
    await page.page.keyboard.press("Enter");
    await table.locator("input.editor").fill("Ava");
    await page.page.keyboard.press("Enter");
    await eventually(() => tableOf("Table").then((t) => t.data[1])).toEqual(["Ava", 3]);
  });

  it("pastes a TSV range from the clipboard at the active cell, growing the table", async () => {
    const table = page.component("Table");
    await page.page.evaluate(() => navigator.clipboard.writeText("Dee\t7\nEve\t8\n"));
    await table.getByRole("gridcell", { name: "Bob", exact: true }).click();
    await page.page.keyboard.press("ControlOrMeta+V");
    await eventually(() => tableOf("Table").then((t) => t.data)).toEqual([
      ["Cy", 2],
      ["Ava", 3],
      ["Dee", 7],
      ["Eve", 8],
    ]);
    expect(await page.errorOf("Table")).toBe("");
  });

  it("refuses a pasted range with ragged rows, naming the row", async () => {
    const table = page.component("Table");
    const before = await tableOf("Table");
    await page.page.evaluate(() => navigator.clipboard.writeText("a\t1\nb\t2\nc\n"));
    await table.getByRole("gridcell", { name: "Cy", exact: true }).click();
    await page.page.keyboard.press("ControlOrMeta+V");
    await eventually(() => page.errorOf("Table")).toBe(
      "Paste refused: row 3 of the pasted range has 1 cell but the table has 2 columns; give every row the same number of cells.",
    );
    expect(await tableOf("Table"), "nothing of a refused paste is written").toEqual(before);
  });

  it("exports CSV and imports it back", async () => {
    const table = page.component("Table");
    const [download] = await Promise.all([
      page.page.waitForEvent("download"),
      table.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const path = await download.path();
    const { readFile } = await import("node:fs/promises");
    const csv = await readFile(path, "utf8");
    expect(csv).toBe("name,score\r\nCy,2\r\nAva,3\r\nDee,7\r\nEve,8");
    await table.locator('input[type="file"]').setInputFiles({
      name: "people.csv",
      mimeType: "text/csv",
      buffer: Buffer.from('name,score\n"Lovelace, Ada",36\nBob,\n'),
    });
    await eventually(() => tableOf("Table")).toEqual({
      headers: ["name", "score"],
      data: [
        ["Lovelace, Ada", 36],
        ["Bob", null],
      ],
      metadata: null,
    });
    await table.locator('input[type="file"]').setInputFiles({
      name: "bad.tsv",
      mimeType: "text/tab-separated-values",
      buffer: Buffer.from("name\tscore\nAda\t1\nBob\n"),
    });
    await eventually(() => page.errorOf("Table")).toBe(
      "bad.tsv was not imported: Row 3 has 1 cell but the table has 2 columns; give every row the same number of cells.",
    );
  });

  it("scrolls 100,000 rows to the end with few rows in the DOM", { timeout: 120_000 }, async () => {
    await page.button("Make rows").click();
    await until(
      () =>
        page
          .component("Big")
          .evaluate((element) => (element as HTMLElement & { value: { data: unknown[] } }).value.data.length),
      "the server's 100,000 rows arrive",
      60_000,
    ).toBe(100_000);
    const big = page.component("Big");
    const domRows = () => big.locator(".body .row").count();
    expect(await domRows(), "only the rows in view (and a few either side) are drawn").toBeLessThan(60);
    await big.locator(".grid").evaluate((grid) => {
      grid.scrollTop = grid.scrollHeight;
    });
    await until(async () => (await firstColumn("Big")).at(-1), "the last row is drawn at the end").toBe(
      "99999",
    );
    const last = big.getByRole("gridcell", { name: "row 99999", exact: true });
    expect(await last.isVisible(), "the last row is in view").toBe(true);
    expect(await domRows()).toBeLessThan(60);
    await big.getByRole("gridcell", { name: "row 99999", exact: true }).click();
    await page.page.keyboard.press("ControlOrMeta+Home");
    await until(() => firstColumn("Big").then((rows) => rows[0]), "Ctrl+Home goes back to the top").toBe("0");
    expect(await domRows()).toBeLessThan(60);
  });
});

describe("Code", () => {
  it("highlights the code and takes edits that reach the server", async () => {
    const source = page.component("Source");
    await source.locator(".cm-editor").waitFor({ state: "attached" });
    const keyword = source.locator(".cm-line span", { hasText: /^def$/ });
    await until(() => keyword.count(), "`def` is highlighted as a keyword").toBeGreaterThan(0);
    const colours = await source
      .locator(".cm-line")
      .first()
      .evaluate((line) => {
        const span = [...line.querySelectorAll("span")].find((s) => s.textContent === "def");
        return [span ? getComputedStyle(span).color : "", getComputedStyle(line).color];
      });
    expect(colours[0], "the keyword has its own colour").not.toBe(colours[1]);
    await source.locator(".cm-content").click();
    await page.page.keyboard.press("ControlOrMeta+End");
    await page.page.keyboard.type(" + 1");
    await eventually(() => page.valueOf("Source")).toBe("def greet(name):\n    return name + 1");
    await page.button("Shout code").click();
    const expected = "// 36 characters\nDEF GREET(NAME):\n    RETURN NAME + 1";
    await eventually(() => page.valueOf("Shouted")).toBe(expected);
    const shouted = page.component("Shouted");
    await eventually(() =>
      shouted
        .locator(".cm-content")
        .evaluate((content) =>
          [...content.querySelectorAll(".cm-line")].map((line) => line.textContent).join("\n"),
        ),
    ).toBe(expected);
    expect(
      await shouted.locator(".cm-content").getAttribute("contenteditable"),
      "an output is read-only",
    ).toBe("false");
    await eventually(() => shouted.locator(".cm-line span", { hasText: "// 36 characters" }).count()).toBe(1);
  });

  it("loads CodeMirror as a chunk of its own, and only the languages shown", async () => {
    const assets = await page.loadedAssets();
    expect(
      assets.filter((path) => /\/editor-[\w-]+\.js$/.test(path)),
      "the editor's chunk",
    ).toHaveLength(1);
    const sources = await page.page.evaluate(async (paths) => {
      const texts = await Promise.all(paths.map((path) => fetch(path).then((response) => response.text())));
      // Each language's chunk names its language (minified: name:`sql`).
      return texts.map((text) => ({
        sql: /name:[`"]sql[`"]/.test(text),
        python: /name:[`"]python[`"]/.test(text),
      }));
    }, assets);
    expect(
      sources.some((source) => source.python),
      "Python's support is loaded",
    ).toBe(true);
    expect(
      sources.some((source) => source.sql),
      "SQL's is not: no editor shows SQL",
    ).toBe(false);
  });
});

describe("plots", () => {
  const marks = (label: string) =>
    page.component(label).evaluate((element) => (element as HTMLElement & { marks: number }).marks);

  it("draw a server result with a mark per row, and update with the next one", async () => {
    expect(await marks("Bars"), "nothing drawn before a value").toBe(0);
    const chartLoaded = async () =>
      (await page.loadedAssets()).some((path) => /\/chart-[\w-]+\.js$/.test(path));
    expect(await chartLoaded(), "Chart.js waits for the first value").toBe(false);
    await page.button("Plot").click();
    await eventually(() => marks("Bars")).toBe(5);
    await eventually(() => marks("Lines")).toBe(5);
    await eventually(() => marks("Points")).toBe(5);
    const painted = await page
      .component("Bars")
      .locator("canvas")
      .evaluate((canvas: HTMLCanvasElement) => {
        const context = canvas.getContext("2d");
        const pixels = context?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        let coloured = 0;
        // The first series' blue (#3b82f6).
        for (let i = 0; i < pixels.length; i += 4)
          if (pixels[i] === 0x3b && pixels[i + 1] === 0x82 && pixels[i + 2] === 0xf6) coloured++;
        return coloured;
      });
    expect(painted, "the bars are painted in the first series' colour").toBeGreaterThan(100);
    expect(await chartLoaded(), "Chart.js is a chunk of its own").toBe(true);
    await page.setValue("Plot rows", 3);
    await page.button("Plot").click();
    await eventually(() => marks("Bars")).toBe(3);
    await eventually(() => marks("Points")).toBe(3);
    expect(await marks("Lines")).toBe(3);
  });

  it("are inputs too: the plot's table goes back to the server", async () => {
    await page.button("Count points").click();
    await eventually(() => page.valueOf("Points given")).toBe(3);
  });

  it("the page had no uncaught errors", () => {
    expect(page.errors).toEqual([]);
  });
});
