import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import * as sc from "spacecraft";
import { afterAll, describe, expect, it } from "vitest";
import themed from "../fixtures/themed.js";
import { serveFolders } from "../static/static-server.js";
import type { TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

// A Space's theme object, `css` and `head` in the page: server-rendered, so in the first paint,
// under the page's Content-Security-Policy, and in a static build.

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function browser(options: Parameters<typeof launchBrowser>[0] = {}): Promise<TestBrowser> {
  const launched = await launchBrowser(options);
  closers.push(() => launched.close());
  return launched;
}

/** Serves `space` and loads its page in `on` without waiting for any script. */
async function load(on: TestBrowser, space: sc.Space, query = ""): Promise<{ page: Page; url: string }> {
  const served = await serveSpace(on, space);
  closers.push(() => served.close());
  const page = await on.context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(served.server.url + query);
  return { page, url: served.server.url };
}

const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)).join(", ")})`;
const soft = (mode: "light" | "dark", name: string) => sc.themes.soft[mode][`--sc-color-${name}`] as string;
const backgroundOf = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
/** The primary button's background, drawn by the server (declarative shadow DOM) or live. */
const primaryOf = (page: Page) =>
  page
    .locator("sc-button")
    .filter({ hasText: "Submit" })
    .evaluate(
      (button) => getComputedStyle(button.shadowRoot?.querySelector("button") as Element).backgroundColor,
    );

describe("a Space's theme", () => {
  it("is in the server-rendered page's first paint, light and dark (no script runs)", async () => {
    for (const mode of ["light", "dark"] as const) {
      const { page } = await load(await browser({ colorScheme: mode, javaScriptEnabled: false }), themed);
      expect(await backgroundOf(page), `${mode} background`).toBe(rgb(soft(mode, "background")));
      expect(await primaryOf(page), `${mode} primary button`).toBe(rgb(soft(mode, "primary")));
    }
  }, 120_000);

  it("keeps the theme when the mode is forced, by the Space or by <sc-app theme>", async () => {
    const light = await browser({ colorScheme: "light" });
    const forced = await load(
      light,
      sc.Blocks({ theme: sc.themes.soft, mode: "dark" }, () =>
        sc.Button({ value: "Submit", variant: "primary" }),
      ),
    );
    expect(await backgroundOf(forced.page)).toBe(rgb(soft("dark", "background")));
    // The app's own `theme` (what embeds set) gives it a `scheme`: the Space's dark colours, not the base ones.
    const asked = await load(light, themed);
    await asked.page.waitForSelector("sc-app[loaded]");
    await asked.page.evaluate(() => document.querySelector("sc-app")?.setAttribute("theme", "dark"));
    await eventually(() =>
      asked.page.evaluate(() => document.querySelector("sc-app")?.getAttribute("scheme")),
    ).toBe("dark");
    expect(await primaryOf(asked.page)).toBe(rgb(soft("dark", "primary")));
    expect(await backgroundOf(asked.page)).toBe(rgb(soft("dark", "background")));
  }, 120_000);

  it("runs the Space's head and css under the page's Content-Security-Policy", async () => {
    const on = await browser();
    const refused: string[] = [];
    const served = await serveSpace(on, themed);
    closers.push(() => served.close());
    const page = await on.context.newPage();
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    const response = await page.goto(served.server.url);
    const policy = response?.headers()["content-security-policy"] ?? "";
    const scripts = /script-src ([^;]*)/.exec(policy)?.[1] ?? "";
    expect(scripts, "the head's inline script is allowed by its hash").toMatch(/'sha256-[A-Za-z0-9+/=]+'/);
    expect(scripts, "never unsafe-inline for scripts").not.toContain("unsafe-inline");
    await page.waitForSelector("sc-app[loaded]");
    expect(await page.evaluate(() => document.documentElement.dataset.headRan)).toBe("yes");
    expect(await page.locator('meta[name="x-themed"]').count()).toBe(1);
    expect(await page.evaluate(() => getComputedStyle(document.body).outlineColor)).toBe("rgb(1, 2, 3)");
    expect(refused, "nothing the page loads is refused").toEqual([]);
  }, 120_000);

  it("is in a static build's page", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const out = mkdtempSync(join(tmpdir(), "spacecraft-themed-"));
    closers.push(async () => rmSync(out, { recursive: true, force: true }));
    await promisify(execFile)(
      process.execPath,
      [
        join(root, "framework/bin/spacecraft.js"),
        "build",
        "--static",
        "tests/fixtures/themed.ts",
        "--out",
        out,
      ],
      { cwd: root },
    );
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toContain(`--sc-color-primary:${soft("light", "primary")};`);
    expect(html).toContain('<meta name="x-themed" content="yes">');
    const server = await serveFolders({ "/": out });
    closers.push(server.close);
    const page = await (await browser({ colorScheme: "dark" })).context.newPage();
    await page.goto(server.url);
    await page.waitForSelector("sc-app[loaded]", { timeout: 30_000 });
    expect(await backgroundOf(page)).toBe(rgb(soft("dark", "background")));
    expect(await page.evaluate(() => document.documentElement.dataset.headRan)).toBe("yes");
  }, 120_000);
});
