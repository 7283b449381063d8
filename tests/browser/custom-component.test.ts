// A Space's own component (templates/custom-component: components/star-rating.ts) in real
// Chromium: served by a server, and built `--static` (the engine in a Web Worker).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../../templates/custom-component/app.js";
import { serveFolders } from "../static/static-server.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, openSpacePage, serveSpace } from "./harness.js";
import { expectOneLit, rateAndSubmit, shownStars } from "./star-rating.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "spacecraft-custom-"));
let browser: TestBrowser;
let space: SpaceServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, app);
  // The first visit renders the page on the server: done here, not inside a page's load deadline.
  expect((await fetch(space.server.url)).status).toBe(200);
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await space?.close();
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

describe("a Space's own component", { timeout: 120_000 }, () => {
  it("renders from its chunk, takes keys and clicks, and its value reaches fn and back", async () => {
    const page = await space.open();
    const assets = await page.loadedAssets();
    expect(assets.filter((path) => path.includes("/assets/custom/star-rating-"))).toHaveLength(1);
    // The chunk imports the page's Lit, not a copy of its own.
    await expectOneLit(page);
    await rateAndSubmit(page);
  });

  it("fills in from an example row like a built-in", async () => {
    const page = await space.open();
    await page.pickExample("Not for me");
    await eventually(() => page.valueOf("Your rating")).toBe(1);
    expect(await shownStars(page, "Your rating")).toBe("1");
  });

  it("works in a static build under a path prefix: the chunk ships in dist and the worker runs the spec", async () => {
    const dir = join(out, "static");
    const cli = join(root, "framework/bin/spacecraft.js");
    await promisify(execFile)(
      process.execPath,
      [cli, "build", "--static", "templates/custom-component/app.ts", "--out", dir],
      { cwd: root },
    );
    // Under a prefix, as a proxy or a Space's subpath serves it: the chunk imports the page's Lit
    // relative to its own URL.
    const server = await serveFolders({ "/spaces/rating/": dir });
    closers.push(server.close);
    const page = await openSpacePage(browser.context, `${server.url}/spaces/rating/`);
    const assets = await page.loadedAssets();
    expect(
      assets.filter((path) => path.startsWith("/spaces/rating/assets/custom/star-rating-")),
    ).toHaveLength(1);
    await expectOneLit(page);
    await rateAndSubmit(page);
  });
});
