import { describe, expect, it } from "vitest";
import { staticSites } from "./static-site.js";

// A browser in New York, so a time read in the browser's zone instead of Tokyo's shows.
const sites = staticSites("cell-zone", { browser: { timezoneId: "America/New_York" } });

const until = <T>(read: () => Promise<T> | T, message: string) =>
  expect.poll(read, { timeout: 30_000, interval: 100, message });

describe("a Dataframe's select and a DateTime's zone in a static Space", { timeout: 180_000 }, () => {
  it("gives the worker's fn the picked cell as [row, column], and reads times in the DateTime's zone", async () => {
    const { dir } = await sites.build("tests/static/fixtures/cell-and-zone.ts", "cell-and-zone");
    const { view, external } = await sites.open(dir);

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
