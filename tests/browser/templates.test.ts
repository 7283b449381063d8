import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Space } from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeModelStandIns } from "../models/stand-ins.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";
import { submitRedImage, submitSpeech } from "./template-pages.js";

const models = mkdtempSync(join(tmpdir(), "spacecraft-models-"));
let browser: TestBrowser;
const servers: SpaceServer[] = [];

beforeAll(async () => {
  // The templates' Hub models, played offline by tiny generated stand-ins.
  await makeModelStandIns(models);
  process.env.SPACECRAFT_MODELS = models;
  process.env.HF_HUB_OFFLINE = "1";
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await browser?.close();
  rmSync(models, { recursive: true, force: true });
});

/** Imported after the environment is set, as `spacecraft start` would. */
const templates = {
  "image-classification": () => import("../../templates/image-classification/app.js"),
  "speech-recognition": () => import("../../templates/speech-recognition/app.js"),
};

async function serveTemplate(name: keyof typeof templates): Promise<SpaceServer> {
  const space: Space = (await templates[name]()).default;
  const server = await serveSpace(browser, space);
  servers.push(server);
  return server;
}

describe("model templates in the page", () => {
  it("image-classification names the colour of an uploaded picture", async () => {
    const page = await (await serveTemplate("image-classification")).open();
    await submitRedImage(page);
    await eventually(async () => ((await page.valueOf("Classes")) as { label?: string } | null)?.label).toBe(
      "red",
    );
    expect(await page.textOf("Classes")).toMatch(/^Classes red/);
  });

  it("speech-recognition transcribes an uploaded WAV", async () => {
    const page = await (await serveTemplate("speech-recognition")).open();
    await submitSpeech(page);
    await eventually(() => page.valueOf("Transcript")).toBe("The quick brown fox jumps over the lazy dog.");
  });
});
