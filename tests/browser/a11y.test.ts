import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { Space } from "spacecraft";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { a11yBlocks } from "../fixtures/a11y-blocks.js";
import { makeModelStandIns } from "../models/stand-ins.js";
import type { SpacePage, TestBrowser } from "./harness.js";
import { launchBrowser, openSpacePage, serveSpace } from "./harness.js";

// axe-core in the page: every template and a Blocks page of many elements, in light and dark,
// with no serious or critical violation. No rule is turned off.

const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const models = mkdtempSync(join(tmpdir(), "spacecraft-models-"));
const browsers = {} as Record<"light" | "dark", TestBrowser>;

beforeAll(async () => {
  // The templates' Hub models, played offline by tiny generated stand-ins.
  await makeModelStandIns(models);
  process.env.SPACECRAFT_MODELS = models;
  process.env.HF_HUB_OFFLINE = "1";
  browsers.light = await launchBrowser({ colorScheme: "light", bypassCSP: true });
  browsers.dark = await launchBrowser({ colorScheme: "dark", bypassCSP: true });
}, 120_000);
afterAll(async () => {
  await browsers.light?.close();
  await browsers.dark?.close();
  rmSync(models, { recursive: true, force: true });
});

/** axe's serious and critical violations on the page as it is now, one line each with where. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeScript });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
            .slice(0, 4)
            .map((node) => `${JSON.stringify(node.target)} ${node.failureSummary?.replace(/\s+/g, " ")}`)
            .join(" | ")}`,
      );
  });
}

/**
 * Serves `space`, opens it in the light and the dark browser, checks each (and again after
 * `then`), and fails with every violation found in both.
 */
async function check(space: Space, then?: (page: SpacePage) => Promise<void>): Promise<void> {
  const found: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    const served = await serveSpace(browsers[scheme], space);
    let page: SpacePage | undefined;
    try {
      // A busy machine may take a while to start a template's models and draw the page.
      page = await openSpacePage(browsers[scheme].context, served.server.url, { timeout: 60_000 });
      const mode = space.toConfig().theme;
      const colorScheme = await page.page.evaluate(
        () => getComputedStyle(document.documentElement).colorScheme,
      );
      expect(colorScheme, "the page takes the browser's colour scheme, or its mode's").toContain(
        mode === "system" ? scheme : mode,
      );
      found.push(...(await violations(page.page)).map((line) => `${scheme}: ${line}`));
      if (then) {
        await then(page);
        found.push(...(await violations(page.page)).map((line) => `${scheme}, afterwards: ${line}`));
      }
    } finally {
      await page?.page.close();
      await served.close();
    }
  }
  expect(found, `${space.title}: axe's serious and critical violations`).toEqual([]);
}

/** Each template, imported after the environment is set, as `spacecraft start` would. */
const templates: Record<string, () => Promise<{ default: Space }>> = {
  hello: () => import("../../templates/hello/app.js"),
  sentiment: () => import("../../templates/sentiment/app.js"),
  "image-classification": () => import("../../templates/image-classification/app.js"),
  "speech-recognition": () => import("../../templates/speech-recognition/app.js"),
  "text-generation": () => import("../../templates/text-generation/app.js"),
  chatbot: () => import("../../templates/chatbot/app.js"),
  "chat-inference": () => import("../../templates/chat-inference/app.js"),
  "text-to-image": () => import("../../templates/text-to-image/app.js"),
};

describe("accessibility (axe-core)", () => {
  for (const [name, load] of Object.entries(templates)) {
    it(`template ${name} has no serious or critical violations, light and dark`, async () => {
      await check((await load()).default);
    }, 120_000);
  }

  it("hello with its answer shown has none either", async () => {
    const hello = (await templates.hello?.())?.default as Space;
    await check(hello, async (page) => {
      await page.setValue("Text", "ab");
      await page.button("Submit").click();
      await expect.poll(() => page.valueOf("Result"), { timeout: 20_000 }).toBe("abab");
    });
  }, 120_000);

  for (const [name, theme] of Object.entries(sc.themes)) {
    it(`a Blocks page of many elements in the ${name} theme has none, light and dark`, async () => {
      await check(a11yBlocks({ theme }), async (page) => {
        await page.page.getByRole("tab", { name: "Outputs" }).click();
        await expect.poll(() => page.page.getByText("London").isVisible(), { timeout: 20_000 }).toBe(true);
      });
    }, 120_000);
  }

  it("a page forced dark by its mode has none in a light browser", async () => {
    await check(a11yBlocks({ theme: sc.themes.soft, mode: "dark" }));
  }, 120_000);
});
