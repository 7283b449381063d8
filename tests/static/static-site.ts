// What the static-Space suites share: builds with the real `spacecraft build --static` CLI, a plain
// static server per build and one Chromium per file, opened so that nothing outside 127.0.0.1 is
// fetched. `staticSites()` registers its own `beforeAll`/`afterAll`, so call it at the top of a file.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Request } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { TestBrowser } from "../browser/harness.js";
import { launchBrowser, SpacePage } from "../browser/harness.js";
import { serveFolders } from "./static-server.js";

const run = promisify(execFile);
/** The repository's root: apps are named relative to it. */
export const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");

/** A static build opened in a page of the file's Chromium. */
export interface OpenedSite {
  view: SpacePage;
  /** The site's origin, `http://127.0.0.1:PORT`. */
  url: string;
  /** URLs outside 127.0.0.1 the page (or its worker) tried to fetch; each was refused. */
  external: string[];
  /** Paths the page and its worker fetched from the site. */
  fetched: Set<string>;
  /** The page's console lines (the worker's reach it too). */
  console: string[];
}

/** Builds and opens static Spaces; see the file's header. */
export interface StaticSites {
  /** The file's scratch folder (removed after its tests); builds go in it. */
  readonly dir: string;
  /** The Chromium of this test file (launched in `beforeAll`). */
  readonly browser: TestBrowser;
  /** Builds `app` (relative to the repository) into a folder of its own and gives its path. */
  build(app: string, name: string, extra?: string[]): Promise<{ dir: string; stderr: string }>;
  /** Serves `dir` (plus `mounts`, URL prefix → folder) and opens it once `<sc-app>` has loaded. */
  open(dir: string, options?: { mounts?: Record<string, string>; clipboard?: boolean }): Promise<OpenedSite>;
}

/**
 * Sets up the file's browser (launched with `browser`'s options), build folder and servers,
 * closed after its tests; `setUp` runs first (models to make, say).
 */
export function staticSites(
  prefix: string,
  {
    setUp,
    browser: launch,
  }: { setUp?: () => Promise<unknown>; browser?: Parameters<typeof launchBrowser>[0] } = {},
): StaticSites {
  const out = mkdtempSync(join(tmpdir(), `spacecraft-static-${prefix}-`));
  const closers: (() => Promise<unknown>)[] = [];
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    await setUp?.();
    browser = await launchBrowser(launch);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });
  const theBrowser = (): TestBrowser => {
    if (!browser) throw new Error("The browser is launched in beforeAll: use it inside a test.");
    return browser;
  };
  return {
    dir: out,
    get browser() {
      return theBrowser();
    },
    async build(app, name, extra = []) {
      const dir = join(out, name);
      const { stderr } = await run(
        process.execPath,
        [cli, "build", "--static", app, "--out", dir, ...extra],
        {
          cwd: root,
        },
      );
      return { dir, stderr };
    },
    async open(dir, { mounts = {}, clipboard = false } = {}) {
      const { context } = theBrowser();
      const server = await serveFolders({ "/": dir, ...mounts });
      closers.push(server.close);
      if (clipboard)
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
      // The context sees the worker's requests too.
      const fetched = new Set<string>();
      const record = (request: Request) => {
        if (request.url().startsWith(server.url)) fetched.add(new URL(request.url()).pathname);
      };
      context.on("request", record);
      closers.push(async () => void context.off("request", record));
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on("filechooser", () => {});
      closers.push(() => page.close());
      const external: string[] = [];
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(server.url) || url.startsWith("blob:") || url.startsWith("data:"))
          return route.continue();
        external.push(url);
        return route.abort();
      });
      const errors: Error[] = [];
      const console: string[] = [];
      page.on("pageerror", (error) => errors.push(error));
      page.on("console", (message) => console.push(message.text()));
      await page.goto(`${server.url}/`);
      await page.waitForSelector("sc-app[loaded]");
      return { view: new SpacePage(page, errors), url: server.url, external, fetched, console };
    },
  };
}
