// A Space's own component (templates/custom-component: components/star-rating.ts) in real
// Chromium: served by a server, and built `--static` (the engine in a Web Worker).
import { describe, expect, it } from "vitest";
import app from "../../templates/custom-component/app.js";
import { customElementSuite } from "./custom-element-suite.js";
import { eventually } from "./harness.js";
import { expectOneLit, rateAndSubmit, shownStars } from "./star-rating.js";

const suite = customElementSuite("custom", app);

describe("a Space's own component", { timeout: 120_000 }, () => {
  it("renders from its chunk, takes keys and clicks, and its value reaches fn and back", async () => {
    const page = await suite.space.open();
    const assets = await page.loadedAssets();
    expect(assets.filter((path) => path.includes("/assets/custom/star-rating-"))).toHaveLength(1);
    // The chunk imports the page's Lit, not a copy of its own.
    await expectOneLit(page);
    await rateAndSubmit(page);
  });

  it("fills in from an example row like a built-in", async () => {
    const page = await suite.space.open();
    await page.pickExample("Not for me");
    await eventually(() => page.valueOf("Your rating")).toBe(1);
    expect(await shownStars(page, "Your rating")).toBe("1");
  });

  it("works in a static build under a path prefix: the chunk ships in dist and the worker runs the spec", async () => {
    const dir = await suite.buildStatic("templates/custom-component/app.ts");
    // Under a prefix, as a proxy or a Space's subpath serves it: the chunk imports the page's Lit
    // relative to its own URL.
    const page = await suite.openStatic(dir, "/spaces/rating/");
    const assets = await page.loadedAssets();
    expect(
      assets.filter((path) => path.startsWith("/spaces/rating/assets/custom/star-rating-")),
    ).toHaveLength(1);
    await expectOneLit(page);
    await rateAndSubmit(page);
  });
});
