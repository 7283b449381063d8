import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Nginx } from "../server/nginx.js";
import { startNginx } from "../server/nginx.js";
import space from "../server/proxy-space.js";
import type { TestBrowser } from "./harness.js";
import { eventually, launchBrowser, openSpacePage } from "./harness.js";

/**
 * The page through a real nginx that serves it under `/demo/` (prefix stripped, the app told it
 * with `rootPath`) and, signed in with a password, under `/locked/` (prefix kept).
 */
let browser: TestBrowser;
let demo: RunningServer;
let locked: RunningServer;
let proxy: Nginx;

beforeAll(async () => {
  browser = await launchBrowser();
  [demo, locked] = await Promise.all([
    serve(space, { port: 0, rootPath: "/demo", trustProxy: ["loopback"], logError: () => {} }),
    serve(space, { port: 0, rootPath: "/locked", auth: [["ada", "lovelace"]], logError: () => {} }),
  ]);
  proxy = await startNginx([
    { prefix: "/demo", upstream: demo.url, headers: { "X-Forwarded-Host": "$http_host" } },
    { prefix: "/locked", upstream: locked.url, path: "keep", headers: { Host: "$http_host" } },
  ]);
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all([demo, locked].map((server) => server?.close({ timeoutMs: 100 })));
  await browser?.close();
});

describe("a page behind nginx at /demo/", () => {
  it("loads its code through the proxy and predicts over the WebSocket", async () => {
    const view = await openSpacePage(browser.context, `${proxy.url}/demo/`);
    const assets = await view.loadedAssets();
    expect(assets.length, "the page loaded no code").toBeGreaterThan(0);
    const requests = await view.page.evaluate(() =>
      performance.getEntriesByType("resource").map((entry) => entry.name),
    );
    expect(requests.filter((url) => !url.startsWith(`${proxy.url}/demo/`))).toEqual([]);
    await view.page.getByLabel("Name", { exact: true }).fill("nginx");
    await view.button("Greet").click();
    await eventually(() => view.valueOf("Greeting")).toBe("Hello, nginx!");
    expect(view.errors).toEqual([]);
  });

  it("uploads a file and links the returned one under the path", async () => {
    const view = await openSpacePage(browser.context, `${proxy.url}/demo/`);
    const bytes = Buffer.from("a page's upload through nginx");
    await view.chooseFile("Document", { name: "notes.txt", mimeType: "text/plain", buffer: bytes });
    await view.uploaded("Document");
    await view.button("Describe").click();
    await eventually(() => view.valueOf("About")).toBe(`notes.txt: ${bytes.length} bytes`);
    const link = view.component("Copy").locator("a[href]").first();
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(new RegExp(`^${proxy.url.replace(/[.]/g, "\\.")}/demo/gradio_api/file=`));
    const download = await view.page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(download).toBe(bytes.toString());
  });

  it("shows the API page with the public URL in its snippets", async () => {
    const view = await openSpacePage(browser.context, `${proxy.url}/demo/`);
    await view.page.getByRole("button", { name: "Use via API" }).click();
    const dialog = view.page.getByRole("dialog", { name: "Use via API" });
    await dialog.waitFor();
    await view.page
      .locator("sc-api-page")
      .evaluate((element) => (element as { loaded?: Promise<void> }).loaded);
    expect(await dialog.getByRole("heading", { level: 3 }).allTextContents()).toEqual([
      "/greet",
      "/describe",
      "/stream",
    ]);
    const snippet =
      (await view.page.locator('sc-api-page [data-endpoint="/greet"] [part="snippet"]').textContent()) ?? "";
    expect(snippet).toContain(`${proxy.url}/demo`);
  });
});

describe("password sign-in behind nginx at /locked/", () => {
  it("sends the visitor to the sign-in page under the path and back to the page", async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${proxy.url}/locked/`);
    expect(new URL(page.url()).pathname).toBe("/locked/login");
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password").fill("lovelace");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForSelector("sc-app[loaded]");
    expect(new URL(page.url()).pathname).toBe("/locked/");
    await page.getByLabel("Name", { exact: true }).fill("Ada");
    await page.getByRole("button", { name: "Greet" }).click();
    await expect
      .poll(
        () =>
          page
            .locator('sc-app [label="Greeting"]')
            .evaluate((element) => (element as { value?: unknown }).value),
        {
          timeout: 20_000,
        },
      )
      .toBe("Hello, Ada!");
    await page.close();
  });
});
