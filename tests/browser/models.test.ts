import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_OUT_DIR, makeTinyModels } from "../models/make-tiny-models.js";
import type { HubStandIn } from "../server/hub-stand-in.js";
import { startHubStandIn } from "../server/hub-stand-in.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, heldPage, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let hub: HubStandIn;
const cache = mkdtempSync(join(tmpdir(), "spacecraft-hf-home-"));
const servers: SpaceServer[] = [];
/** Lets the Hub stand-in serve tiny/slow; until then its model stays loading. */
let releaseSlow: () => void = () => {};

beforeAll(async () => {
  await makeTinyModels(DEFAULT_OUT_DIR);
  hub = await startHubStandIn(DEFAULT_OUT_DIR, {
    "tiny/slow": {
      delayMs: 100,
      from: "tiny/sentiment",
      hold: new Promise<void>((resolve) => {
        releaseSlow = resolve;
      }),
    },
    "tiny/licensed": { from: "tiny/sentiment", license: "apache-2.0" },
    "gated/model": { status: 401 },
  });
  // The tiny models play the Hub: served by the stand-in, cached in a fresh HF_HOME.
  process.env.HF_ENDPOINT = hub.url;
  process.env.HF_HOME = cache;
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await browser?.close();
  await hub?.close();
  rmSync(cache, { recursive: true, force: true });
});

async function serveModel(model: string): Promise<SpaceServer> {
  const server = await serveSpace(browser, sc.Interface.fromPipeline("text-classification", model));
  servers.push(server);
  return server;
}

describe("model status", () => {
  it("shows a model loading with its progress, then hides the note once it is ready", async () => {
    const page = await (await serveModel("tiny/slow")).open();
    const banner = page.page.locator('sc-app [data-banner="model"]');
    await banner.waitFor();
    // The model is held loading: poll, as the banner may show before its text and bar render.
    await eventually(() => banner.textContent()).toContain("Loading model tiny/slow");
    await eventually(() => page.page.getByRole("progressbar", { name: "Loading tiny/slow" }).count()).toBe(1);
    expect(await page.page.locator('sc-app [aria-live="polite"] [data-banner="model"]').count()).toBe(1);
    releaseSlow();
    await eventually(() => banner.count()).toBe(0);

    await page.page.getByLabel("Text", { exact: true }).fill("I love this");
    await page.button("Submit").click();
    await eventually(async () => JSON.stringify(await page.valueOf("Label"))).toContain("POSITIVE");
  });

  it("shows the model's page, licence and size under the demo", async () => {
    const page = await (await serveModel("tiny/licensed")).open();
    const info = page.page.locator('sc-app [part="models"] li');
    await eventually(() => info.count()).toBe(1);
    const text = (await info.textContent())?.replace(/\s+/g, " ") ?? "";
    expect(text).toMatch(/Model tiny\/licensed · Licence: apache-2.0 · [\d.]+ [KM]B on disk/);
    const link = info.getByRole("link", { name: "tiny/licensed" });
    expect(await link.getAttribute("href")).toBe(`${hub.url}/tiny/licensed`);
  });

  it("shows a model's status that reached the page before its scripts ran", async () => {
    const server = await serveModel("tiny/licensed");
    // The page's entry is held until the socket its first script opened has the model's status.
    const { page, release, received } = await heldPage(browser, server.server.url);
    const statuses = () => received.filter((frame) => frame.includes('"type":"model"')).length;
    await eventually(statuses, "the model's status reached the held page").toBe(1);
    release();
    const info = page.locator('sc-app [part="models"] li');
    await eventually(() => info.count()).toBe(1);
    expect(await info.textContent()).toContain("tiny/licensed");
    expect(statuses(), "sent once: the live page shows the one that came early").toBe(1);
    await page.close();
  });

  it("shows why a model failed to load", async () => {
    const page = await (await serveModel("gated/model")).open();
    const banner = page.page.locator('sc-app [data-banner="model"]');
    await eventually(() => banner.textContent()).toContain("is gated or private");
    expect(await banner.getAttribute("class")).toContain("error");
  });
});
