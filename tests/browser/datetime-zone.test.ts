import { Client } from "@gradio/client";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { launchBrowser, serveSpace } from "./harness.js";

/** Polls `read` with a generous deadline; `message` says what was waited for. */
const poll = <T>(read: () => Promise<T>, message: string) =>
  expect.poll(read, { timeout: 20_000, interval: 50, message });

/** A Space whose times are Tokyo's, seen from a browser in New York. */
const app = sc.Interface({
  fn: (seconds: number) => [String(seconds), seconds, seconds] as const,
  inputs: [sc.DateTime({ label: "Meeting", timezone: "Asia/Tokyo" })],
  outputs: [
    sc.Textbox({ label: "Seconds" }),
    sc.DateTime({ label: "Tokyo", timezone: "Asia/Tokyo" }),
    sc.DateTime({ label: "Paris", timezone: "Europe/Paris" }),
  ],
  apiName: "meeting",
});

let browser: TestBrowser;
let space: SpaceServer;
beforeAll(async () => {
  browser = await launchBrowser({ timezoneId: "America/New_York" });
  space = await serveSpace(browser, app);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("DateTime with a time zone", () => {
  it("reads typed text as the zone's time, not the browser's, and shows outputs in their zones", async () => {
    const page = await space.open();
    expect(await page.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(
      "America/New_York",
    );
    const meeting = page.component("Meeting");
    expect(await meeting.locator('[part="zone"]').textContent()).toBe("Asia/Tokyo");
    await meeting.locator('[part="control"]').fill("2024-05-01 09:00:00");
    await meeting.locator('[part="control"]').press("Enter");
    await poll(() => meeting.locator('[part="local"]').textContent(), "the time in the visitor's zone").toBe(
      "Your time: 2024-04-30 20:00:00 (America/New_York)",
    );
    await page.button("Submit").click();
    await poll(() => page.valueOf("Seconds"), "fn got the instant of 09:00 in Tokyo").toBe(
      String(Date.UTC(2024, 4, 1) / 1000),
    );
    expect(await page.valueOf("Tokyo")).toBe("2024-05-01 09:00:00");
    expect(await page.valueOf("Paris")).toBe("2024-05-01 02:00:00");
    expect(await page.component("Paris").locator('[part="zone"]').textContent()).toBe("Europe/Paris");
    expect(await page.component("Paris").locator('[part="local"]').textContent()).toBe(
      "Your time: 2024-04-30 20:00:00 (America/New_York)",
    );
    expect(page.errors).toEqual([]);
  });

  it("takes the picker's time as the zone's", async () => {
    const page = await space.open();
    await page.component("Meeting").locator('[part="picker"]').fill("2024-01-15T12:30:00");
    await poll(() => page.valueOf("Meeting"), "the picked time in the field").toBe("2024-01-15 12:30:00");
    await page.button("Submit").click();
    await poll(() => page.valueOf("Seconds"), "fn got 12:30 in Tokyo").toBe(
      String(Date.UTC(2024, 0, 15, 3, 30) / 1000),
    );
    expect(await page.valueOf("Paris")).toBe("2024-01-15 04:30:00");
  });

  it("fills in the time now as the zone's clock shows it", async () => {
    const page = await space.open();
    const before = Math.floor(Date.now() / 1000);
    await page.component("Meeting").getByRole("button", { name: "Now" }).click();
    const shown = (await page.valueOf("Meeting")) as string;
    const after = Math.ceil(Date.now() / 1000);
    const tokyo = (seconds: number) =>
      new Date((seconds + 9 * 3600) * 1000).toISOString().slice(0, 19).replace("T", " ");
    expect(shown >= tokyo(before) && shown <= tokyo(after), `${shown} is Tokyo's time now`).toBe(true);
    await page.button("Submit").click();
    await poll(
      async () => Number(await page.valueOf("Seconds")),
      "fn got the instant now",
    ).toBeGreaterThanOrEqual(before);
    expect(Number(await page.valueOf("Seconds"))).toBeLessThanOrEqual(after);
    expect(await page.valueOf("Tokyo")).toBe(shown);
  });

  it("keeps Gradio's wire shape for @gradio/client: the zone's wall-clock text in and out", async () => {
    const client = await Client.connect(space.server.url);
    const { data } = await client.predict("/meeting", ["2024-05-01 09:00:00"]);
    expect(data).toEqual([String(Date.UTC(2024, 4, 1) / 1000), "2024-05-01 09:00:00", "2024-05-01 02:00:00"]);
  });
});
