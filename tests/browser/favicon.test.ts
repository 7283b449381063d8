import { afterAll, beforeAll, describe, expect, it } from "vitest";
import hello from "../../templates/hello/app.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, hello);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("the page", () => {
  it("loads without a failed request: its icon is inline, so no /favicon.ico 404", async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    const failures: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    page.on("requestfailed", (request) => failures.push(`failed ${request.url()}`));
    // The browser's own favicon request reaches no request event; its 404 shows as a console error.
    page.on("console", (message) => {
      if (message.type() === "error") failures.push(`console: ${message.text()}`);
    });
    try {
      await page.goto(space.server.url);
      await page.waitForSelector("sc-app[loaded]");
      await page.waitForLoadState("networkidle");
      expect(failures).toEqual([]);
      const icon = await page.evaluate(() =>
        document.querySelector('link[rel="icon"]')?.getAttribute("href"),
      );
      expect(icon).toMatch(/^data:image\/svg\+xml,/);
    } finally {
      await page.close();
    }
  });
});
