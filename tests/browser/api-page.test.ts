import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client, handle_file } from "@gradio/client";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import hello from "../../templates/hello/app.js";
import { serveFolders } from "../static/static-server.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;
let origin: string;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, hello);
  origin = new URL(space.server.url).origin;
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

/** The "Use via API" dialog of a page. */
function dialog(page: Page): Locator {
  return page.getByRole("dialog", { name: "Use via API" });
}

/** Opens "Use via API" the way a keyboard user does, and waits for the endpoints to load. */
async function openApiPage(view: SpacePage): Promise<Locator> {
  await view.page.getByRole("button", { name: "Use via API" }).focus();
  await view.page.keyboard.press("Enter");
  await dialog(view.page).waitFor();
  await view.page
    .locator("sc-api-page")
    .evaluate((element) => (element as { loaded?: Promise<void> }).loaded);
  return dialog(view.page);
}

/** The code shown for the selected client of `/predict`. */
function snippet(page: Page): Promise<string> {
  return page
    .locator('sc-api-page [data-endpoint="/predict"] [part="snippet"]')
    .textContent()
    .then((text) => text ?? "");
}

/** The tab of a client (JavaScript, Python, curl, Spacecraft client). */
function tab(page: Page, name: string): Locator {
  return dialog(page).getByRole("tab", { name, exact: true });
}

/** The text of each cell of a parameter's row. */
function parameterRow(page: Page, name: string): Promise<string[]> {
  return page.locator(`sc-api-page [data-parameter="${name}"]`).locator("th, td").allTextContents();
}

describe("Use via API", () => {
  it("loads the API page's code only when it is opened", async () => {
    const view = await space.open();
    expect((await view.loadedAssets()).some((path) => path.includes("api-page"))).toBe(false);
    await openApiPage(view);
    expect((await view.loadedAssets()).some((path) => path.includes("api-page"))).toBe(true);
  });

  it("opens from the footer with the keyboard and lists the endpoint's parameters and returns", async () => {
    const view = await space.open();
    const api = await openApiPage(view);
    expect(await api.getByRole("heading", { level: 3 }).allTextContents()).toEqual(["/predict"]);
    expect((await parameterRow(view.page, "text")).map((cell) => cell.trim())).toEqual([
      "text",
      "Textbox",
      "string",
      '""',
    ]);
    expect((await parameterRow(view.page, "times")).map((cell) => cell.trim())).toEqual([
      "times",
      "Slider",
      "number (1 – 5)",
      "2",
    ]);
    const returns = await view.page.locator("sc-api-page table.returns tbody tr").allTextContents();
    expect(returns.map((row) => row.replace(/\s+/g, " ").trim())).toEqual(["Result Textbox string"]);
    expect(view.errors).toEqual([]);
  });

  it("switches clients with the arrow keys and fills each snippet with the URL and example values", async () => {
    const view = await space.open();
    const page = view.page;
    await openApiPage(view);
    await tab(page, "JavaScript").focus();
    const js = await snippet(page);
    expect(js).toContain(`Client.connect("${origin}")`);
    // The first example row (["ha", 3]) gives the values.
    expect(js).toContain('text: "ha"');
    expect(js).toContain("times: 3");

    await page.keyboard.press("ArrowRight");
    await eventually(() => tab(page, "Python").getAttribute("aria-selected")).toBe("true");
    await eventually(() => tab(page, "Python").evaluate((el) => el.matches(":focus"))).toBe(true);
    const python = await snippet(page);
    expect(python).toContain(`Client("${origin}")`);
    expect(python).toContain('text="ha"');
    expect(python).toContain("times=3");
    expect(python).toContain('api_name="/predict"');

    await page.keyboard.press("ArrowRight");
    await eventually(() => tab(page, "curl").getAttribute("aria-selected")).toBe("true");
    const curl = await snippet(page);
    expect(curl).toContain(`${origin}/gradio_api/call/predict`);
    expect(curl).toContain(`'{"data": ["ha", 3]}'`);

    await page.keyboard.press("ArrowRight");
    await eventually(() => tab(page, "Spacecraft client").getAttribute("aria-selected")).toBe("true");
    const own = await snippet(page);
    expect(own).toContain(`connect("${origin}")`);
    expect(own).toContain('space.predict("/predict", ["ha", 3])');
    expect(own).toContain('space.submit("/predict", ["ha", 3])');

    await page.keyboard.press("ArrowRight");
    await eventually(() => tab(page, "JavaScript").getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("End");
    await eventually(() => tab(page, "Spacecraft client").getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Home");
    await eventually(() => tab(page, "JavaScript").getAttribute("aria-selected")).toBe("true");
    expect(await dialog(page).getByRole("tab", { selected: true }).count()).toBe(1);
  });

  it("copies the snippet to the clipboard and says so", async () => {
    const view = await space.open();
    const page = view.page;
    await openApiPage(view);
    await tab(page, "Python").click();
    // The copy button copies the snippet of its last render: wait for the Python one.
    await eventually(() => tab(page, "Python").getAttribute("aria-selected")).toBe("true");
    const copy = dialog(page).getByRole("button", { name: "Copy", exact: true });
    await copy.focus();
    await page.keyboard.press("Enter");
    await eventually(() => page.locator('sc-api-page [part="copy"]').textContent()).toContain("Copied");
    await eventually(() => page.locator("sc-api-page [role=status]").last().textContent()).toContain(
      "Copied",
    );
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toBe(await snippet(page));
    expect(clipboard).toContain("from gradio_client import Client");
  });

  it("closes with Escape and gives focus back to the link", async () => {
    const view = await space.open();
    const page = view.page;
    await openApiPage(view);
    await tab(page, "curl").focus();
    await page.keyboard.press("Escape");
    await eventually(() => dialog(page).isVisible()).toBe(false);
    // Lit reflects `open` in its next update, after the dialog's close event.
    await eventually(() => page.locator("sc-api-page").getAttribute("open")).toBeNull();
    await eventually(() =>
      page.getByRole("button", { name: "Use via API" }).evaluate((el) => el.matches(":focus")),
    ).toBe(true);
    await page.keyboard.press("Enter");
    await dialog(page).waitFor();
  });

  it("shows a JavaScript snippet that runs as written with @gradio/client", async () => {
    const view = await space.open();
    await openApiPage(view);
    const code = (await snippet(view.page)).replace(/^import .*$/m, "");
    const logged: unknown[] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    const run = new AsyncFunction("Client", "handle_file", "console", code);
    await run(Client, handle_file, { log: (value: unknown) => logged.push(value) });
    expect(logged).toEqual([["hahaha"]]);
  });

  it("shows a curl snippet whose URL and payload work with plain fetch", async () => {
    const view = await space.open();
    await openApiPage(view);
    await tab(view.page, "curl").click();
    await eventually(() => tab(view.page, "curl").getAttribute("aria-selected")).toBe("true");
    const curl = await snippet(view.page);
    const post = curl.match(/-X POST (\S+)/)?.[1] ?? "";
    const body = curl.match(/-d '([^']*)'/)?.[1] ?? "";
    const get = curl.match(/curl -N (\S+)\/\$EVENT_ID/)?.[1] ?? "";
    expect(post).toBe(`${origin}/gradio_api/call/predict`);
    expect(get).toBe(post);

    const started = await fetch(post, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(started.status).toBe(200);
    // The snippet's awk takes the 4th '"'-separated field of the answer: the event id.
    const eventId = (await started.text()).split('"')[3];
    expect(eventId).toMatch(/^\w+$/);
    const events = await (await fetch(`${get}/${eventId}`)).text();
    expect(events).toContain("event: complete");
    expect(events).toContain('data: ["hahaha"]');
  });

  it("follows the theme: the dialog is dark on a dark system", async () => {
    const dark = await launchBrowser({ colorScheme: "dark" });
    const served = await serveSpace(dark, hello);
    try {
      const view = await served.open();
      const api = await openApiPage(view);
      const background = await api.evaluate((element) => getComputedStyle(element).backgroundColor);
      const [r = 255, g = 255, b = 255] = background.match(/\d+/g)?.map(Number) ?? [];
      expect(r + g + b).toBeLessThan(100);
      const lightView = await space.open();
      const light = await (await openApiPage(lightView)).evaluate(
        (element) => getComputedStyle(element).backgroundColor,
      );
      expect(light).not.toBe(background);
    } finally {
      await served.close();
      await dark.close();
    }
  });
});

describe("Use via API in a static Space", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const out = mkdtempSync(join(tmpdir(), "spacecraft-api-static-"));
  let server: { url: string; close(): Promise<void> } | undefined;
  afterAll(async () => {
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it("says the demo runs in the browser and has no API", async () => {
    const cli = join(root, "framework/bin/spacecraft.js");
    await promisify(execFile)(
      process.execPath,
      [cli, "build", "--static", "templates/hello/app.ts", "--out", out],
      { cwd: root },
    );
    server = await serveFolders({ "/": out });
    const page = await browser.context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${server.url}/`);
    await page.waitForSelector("sc-app[loaded]");
    await page.getByRole("button", { name: "Use via API" }).focus();
    await page.keyboard.press("Enter");
    await dialog(page).waitFor();
    expect(await dialog(page).textContent()).toContain(
      "This demo runs in your browser; it has no API. Deploy it with a server (sdk: docker) to call it from code.",
    );
    expect(await dialog(page).getByRole("tab").count()).toBe(0);
    expect(requested.filter((path) => path.includes("gradio_api"))).toEqual([]);
    await page.keyboard.press("Escape");
    await eventually(() => dialog(page).isVisible()).toBe(false);
    await page.close();
  }, 120_000);
});
