// `create-space --template custom-component` end to end: created and installed, type-checked,
// served by `spacecraft dev` in Chromium (the star rating takes input, and an edit of its file
// reloads the page with the change), and built `--static` with its chunk.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { join } from "node:path";
import { validateFrontMatter } from "spacecraft/space-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBrowser } from "../browser/harness.js";
import { eventually, launchBrowser, openSpacePage } from "../browser/harness.js";
import { waitForUrl } from "../server/cli.js";
import {
  cleanEnv,
  createProcess,
  expectCreated,
  frontMatterOf,
  root,
  runChecked,
  tempDir,
} from "./helpers.js";

const temp = tempDir("create-space-custom-");
const project = join(temp.dir, "rating");
const children: ChildProcess[] = [];
let browser: TestBrowser;

beforeAll(async () => {
  runChecked("npx", ["tsc", "-b", "create-space"], { cwd: root });
  const result = await createProcess(
    ["rating", "--template", "custom-component", "--no-git"],
    temp.dir,
    cleanEnv({ HF_HUB_OFFLINE: "1", npm_config_prefer_offline: "true" }),
  );
  expectCreated("create-space rating --template custom-component", result);
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await browser?.close();
  temp.remove();
}, 120_000);

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `npx spacecraft dev app.ts --port N` in the project; resolves with its URL. A fixed port: each
 * restarted server takes the same one, so the page reconnects to it (and reloads).
 */
async function dev(): Promise<string> {
  const port = await freePort();
  const child = spawn("npx", ["spacecraft", "dev", "app.ts", "--port", String(port)], {
    cwd: project,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  return (await waitForUrl(child, "spacecraft dev", 60_000)).url;
}

describe("create-space --template custom-component", { timeout: 180_000 }, () => {
  it("creates a project with the component file and lit, which type-checks", () => {
    expect(existsSync(join(project, "components/star-rating.ts"))).toBe(true);
    const { dependencies } = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    expect(dependencies.lit).toBeDefined();
    expect(existsSync(join(project, "node_modules/lit/package.json"))).toBe(true);
    expect(validateFrontMatter(frontMatterOf(project))).toEqual([]);
    runChecked("npm", ["run", "typecheck"], { cwd: project, env: cleanEnv() });
  });

  it("serves the star rating under spacecraft dev, and an edit of its file reloads the page", async () => {
    const url = await dev();
    const page = await openSpacePage(browser.context, url, { timeout: 30_000 });
    const stars = page.page.getByRole("slider", { name: "Your rating" });
    await stars.focus();
    await page.page.keyboard.press("ArrowLeft");
    await eventually(() => page.valueOf("Your rating")).toBe(2);
    await page.button("Submit").click();
    await eventually(() => page.valueOf("One star kinder")).toBe(3);
    const starText = () =>
      page.component("Your rating").evaluate((element) => element.shadowRoot?.textContent ?? "");
    expect(await starText()).toContain("★");
    // A mark that only this load of the page has: gone once the page reloads.
    await page.page.evaluate(() => Object.assign(window, { beforeEdit: true }));
    const file = join(project, "components/star-rating.ts");
    const source = readFileSync(file, "utf8");
    expect(source, "the element draws its stars as ★").toContain(">★</span>");
    writeFileSync(file, source.replaceAll(">★</span>", ">✪</span>"));
    await expect
      .poll(() => page.page.evaluate(() => "beforeEdit" in window).catch(() => true), {
        timeout: 60_000,
        message: "the page reloads after the component's file changed",
      })
      .toBe(false);
    await page.page.waitForSelector("sc-app[loaded]");
    await expect
      .poll(() => starText().catch(() => ""), { timeout: 30_000, message: "the reloaded page draws ✪" })
      .toContain("✪");
    expect(page.errors).toEqual([]);
    await page.page.close();
  });

  it("builds a static page with npm run build, the component's chunk in dist", () => {
    runChecked("npm", ["run", "build"], { cwd: project, env: cleanEnv() });
    const config = JSON.parse(readFileSync(join(project, "dist/config.json"), "utf8"));
    const path = config.spacecraft.customElements["star-rating"] as string;
    expect(path).toMatch(/^assets\/custom\/star-rating-[0-9a-f]{8}\.js$/);
    expect(readdirSync(join(project, "dist/assets/custom"))).toEqual([path.slice("assets/custom/".length)]);
    expect(readFileSync(join(project, "dist/index.html"), "utf8")).toContain(`src="./${path}"`);
  });
});
