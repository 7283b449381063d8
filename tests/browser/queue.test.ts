import { afterAll, beforeAll, describe, expect, it } from "vitest";
import slow from "../fixtures/slow.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, slow);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("queue and cancellation", () => {
  it("shows the place in the queue while another page's job runs, and Stop cancels", async () => {
    const first = await space.open();
    const second = await space.open();
    // Both runs last until stopped, however long a busy machine takes to get there (the default
    // 30 s could run out between the first page's Submit and the second page's queue place).
    await first.setValue("Seconds", 600);
    await second.setValue("Seconds", 600);

    await first.button("Submit").click();
    await eventually(() => first.statusText()).toMatch(/^Running…\s*\d+\.\d s$/);
    expect(await first.button("Stop").count()).toBe(1);

    await second.button("Submit").click();
    await eventually(() => second.statusText()).toBe("In queue: 1 of 1");

    await first.button("Stop").click();
    await eventually(() => first.statusText()).toBe("Stopped.");
    expect(await first.button("Submit").count()).toBe(1);

    await eventually(() => second.statusText()).toMatch(/^Running…/);
    await second.button("Stop").click();
    await eventually(() => second.statusText()).toBe("Stopped.");
  });

  it("runs again after a stop, to completion", async () => {
    const page = await space.open();
    await page.setValue("Seconds", 0);
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Result")).toBe("slept 0 s");
    expect(await page.statusText()).toMatch(/^Done in \d+\.\d s$/);
  });
});
