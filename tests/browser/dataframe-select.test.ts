import { Client } from "@gradio/client";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

/** Polls `read` with a generous deadline; `message` says what was waited for. */
const poll = <T>(read: () => Promise<T>, message: string) =>
  expect.poll(read, { timeout: 20_000, interval: 50, message });

/** What the select function saw as `ctx.event`, in order. */
const seen: sc.DataframeSelectData[] = [];

const rows: sc.Cell[][] = [
  ["Ada", 36],
  ["Bob", 12],
  ["Cy", 50],
];

const app = sc.Blocks({ title: "Table select" }, () => {
  const table = sc.Dataframe({
    label: "Scores",
    headers: ["name", "score"],
    datatype: ["str", "number"],
    value: rows,
    interactive: false,
  });
  const picked = sc.Textbox({ label: "Picked" });
  table.select({
    fn: (value, ctx) => {
      seen.push(ctx.event);
      const [row, column] = ctx.event.index;
      return `[${row}, ${column}] ${String(value.data[row]?.[column])} = ${String(ctx.event.value)}`;
    },
    inputs: [table],
    outputs: [picked],
    apiName: "picked_cell",
  });
  return sc.Column(table, picked);
});

let browser: TestBrowser;
let space: SpaceServer;
beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, app);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("Dataframe select", () => {
  it("gives fn the clicked cell as [row, column] in the table's own order, sorted or not", async () => {
    seen.length = 0;
    const page = await space.open();
    const cell = (text: string) =>
      page.component("Scores").getByRole("gridcell", { name: text, exact: true });
    await cell("12").click();
    await poll(() => page.textOf("Picked"), "the click on Bob's score ran select").toContain(
      "[1, 1] 12 = 12",
    );
    expect(seen.at(-1)).toEqual({
      index: [1, 1],
      value: 12,
      row_value: ["Bob", 12],
      col_value: [36, 12, 50],
      selected: true,
    });

    // Sorted by score descending, Cy is shown first but is still row 2 of the value.
    await page.component("Scores").getByRole("button", { name: "score" }).click();
    await page.component("Scores").getByRole("button", { name: "score" }).click();
    await eventually(() => page.component("Scores").getByRole("gridcell").first().textContent()).toBe("Cy");
    await cell("Cy").click();
    await poll(() => page.textOf("Picked"), "the click on Cy ran select").toContain("[2, 0] Cy = Cy");
    expect(seen.at(-1)).toMatchObject({ index: [2, 0], value: "Cy", row_value: ["Cy", 50] });
    expect(page.errors).toEqual([]);
  });

  it("gives fn the cell focused with the keyboard when Enter is pressed", async () => {
    seen.length = 0;
    const page = await space.open();
    const grid = page.component("Scores").getByRole("grid");
    await page.component("Scores").getByRole("gridcell", { name: "Ada", exact: true }).focus();
    await grid.press("ArrowDown");
    await grid.press("ArrowRight");
    await eventually(() =>
      page.component("Scores").locator('[role="gridcell"][aria-selected="true"]').textContent(),
    ).toBe("12");
    expect(seen, "moving the focus selects nothing").toEqual([]);
    await grid.press("Enter");
    await poll(() => page.textOf("Picked"), "Enter on Bob's score ran select").toContain("[1, 1] 12 = 12");
    expect(seen).toEqual([
      { index: [1, 1], value: 12, row_value: ["Bob", 12], col_value: [36, 12, 50], selected: true },
    ]);
  });

  it("takes the same shape from @gradio/client's event_data, and refuses a malformed cell index", async () => {
    seen.length = 0;
    const client = await Client.connect(space.server.url);
    const value = { headers: ["name", "score"], data: rows, metadata: null };
    const data = { index: [2, 1], value: 50, row_value: ["Cy", 50], col_value: [36, 12, 50], selected: true };
    const job = client.submit("/picked_cell", [value], data);
    let result: unknown;
    for await (const message of job) {
      if (message.type === "data") result = message.data;
      if (message.type === "status" && message.stage !== "pending") break;
    }
    expect(result).toEqual(["[2, 1] 50 = 50"]);
    expect(seen).toEqual([data]);

    for (const [index, problem] of [
      [[2], "a table cell's `index` must be [row, column]"],
      [[2, -1], "`index` must be ≥ 0"],
      [[2, 1, 0], "a table cell's `index` must be [row, column]"],
      // An item's number is another component's select: a table's names a cell.
      [2, "a table cell's `index` must be [row, column]"],
    ] as const) {
      const bad = await fetch(`${space.server.url}/gradio_api/run/picked_cell`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ data: [value], event_data: { index, value: 50 } }),
      });
      expect(bad.status, `index ${JSON.stringify(index)} is refused`).toBe(422);
      expect(((await bad.json()) as { error: string }).error).toContain(problem);
    }
    expect(seen).toHaveLength(1);
  });
});
