import { describe, expect, it } from "vitest";
import { staticSites } from "./static-site.js";

const sites = staticSites("data");

const until = <T>(read: () => Promise<T> | T, message: string) =>
  expect.poll(read, { timeout: 30_000, interval: 100, message });

describe("Dataframe, Code and plots in a static Space", { timeout: 180_000 }, () => {
  it("edit a table, run fn in the worker, and show its table, plot and code", async () => {
    const { dir } = await sites.build("tests/static/fixtures/table-plot.ts", "table-plot");
    const { view, external } = await sites.open(dir, { clipboard: true });
    const { page } = view;

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
    expect(view.errors).toEqual([]);
  });
});
