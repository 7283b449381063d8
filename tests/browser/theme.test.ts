import type { Space } from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import hello from "../../templates/hello/app.js";
import forcedDark from "../fixtures/forced-dark.js";
import type { SpacePage, TestBrowser } from "./harness.js";
import { launchBrowser, serveSpace } from "./harness.js";

const browsers: TestBrowser[] = [];
const closers: (() => Promise<void>)[] = [];

async function backgroundOf(colorScheme: "light" | "dark", space: Space = hello): Promise<string> {
  const browser = await launchBrowser({ colorScheme });
  browsers.push(browser);
  const served = await serveSpace(browser, space);
  closers.push(() => served.close());
  const page: SpacePage = await served.open();
  return page.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

let light: string;

beforeAll(async () => {
  light = await backgroundOf("light");
});
afterAll(async () => {
  for (const close of closers) await close();
  for (const browser of browsers) await browser.close();
});

describe("theme", () => {
  it("follows a dark system colour scheme", async () => {
    const dark = await backgroundOf("dark");
    expect(dark).not.toBe(light);
    const [r, g, b] = dark.match(/\d+/g)?.map(Number) ?? [];
    expect((r ?? 255) + (g ?? 255) + (b ?? 255)).toBeLessThan(100);
  });

  it("forces the dark theme from the config on a light system", async () => {
    const forced = await backgroundOf("light", forcedDark);
    expect(forced).not.toBe(light);
    expect(forced).toBe(await backgroundOf("dark"));
  });
});
