import { afterAll, beforeAll, describe, expect, it } from "vitest";
import hello from "../../templates/hello/app.js";
import streaming, { gate } from "../fixtures/streaming.js";
import type { TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await browser?.close();
});

describe("status line", () => {
  it("shows progress and streams partial outputs until the job completes", async () => {
    const space = await serveSpace(browser, streaming);
    cleanups.push(() => space.close());
    const page = await space.open();
    await page.page.getByLabel("Words", { exact: true }).fill("one two three");
    await page.button("Submit").click();
    await eventually(() => page.statusText()).toMatch(/^Running…/);

    gate.release();
    await eventually(() => page.valueOf("Echo")).toBe("one");
    expect(await page.statusText()).toMatch(/^Writing 1\/3/);
    expect(await page.status().getByRole("progressbar").getAttribute("aria-label")).toBe("Writing");
    expect(await page.button("Stop").count()).toBe(1);

    gate.release();
    await eventually(() => page.valueOf("Echo")).toBe("one two");
    gate.release();
    await page.waitForStage("complete");
    expect(await page.valueOf("Echo")).toBe("one two three");
    expect(await page.button("Submit").count()).toBe(1);
  });
});

describe("connection", () => {
  it("says when the connection is lost and recovers when the server is back", async () => {
    const first = await serveSpace(browser, hello);
    const page = await first.open();
    const port = first.server.port;
    await first.server.close({ timeoutMs: 100 });
    await eventually(() => page.pageText()).toContain("Lost the connection to the server");

    const second = await serveSpace(browser, hello, { port });
    cleanups.push(() => Promise.all([page.page.close(), second.close()]).then(() => undefined));
    await eventually(() => page.pageText()).not.toContain("Lost the connection");
    await page.page.getByLabel("Text", { exact: true }).fill("ok");
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Result")).toBe("okok");
  });

  it("reloads the page when a dev server comes back", async () => {
    const first = await serveSpace(browser, hello, { dev: true });
    const page = await first.open();
    const port = first.server.port;
    await page.page.evaluate(() => {
      (window as { beforeRestart?: boolean }).beforeRestart = true;
    });
    await first.server.close({ timeoutMs: 100 });
    await eventually(() => page.pageText()).toContain("Lost the connection");

    const second = await serveSpace(browser, hello, { port, dev: true });
    cleanups.push(() => Promise.all([page.page.close(), second.close()]).then(() => undefined));
    await eventually(() =>
      page.page
        .evaluate(() => (window as { beforeRestart?: boolean }).beforeRestart ?? false)
        .catch(() => true),
    ).toBe(false);
  });
});
