// Driving the star rating of templates/custom-component in a page: shared by the browser test of
// custom components and the deploy test that opens what `spacecraft deploy` uploaded.
import { expect } from "vitest";
import type { SpacePage } from "./harness.js";
import { eventually } from "./harness.js";

/** The `aria-valuenow` of a star rating's slider, as a screen reader hears it. */
export const shownStars = (page: SpacePage, label: string) =>
  page.page.getByRole("slider", { name: label }).getAttribute("aria-valuenow");

/** Rates with keys and a click, submits, and checks what `fn` got and what the page shows back. */
export async function rateAndSubmit(page: SpacePage): Promise<void> {
  await eventually(() => shownStars(page, "Your rating")).toBe("3");
  const stars = page.page.getByRole("slider", { name: "Your rating" });
  await stars.focus();
  await page.page.keyboard.press("ArrowRight");
  await eventually(() => page.valueOf("Your rating")).toBe(4);
  await page.page.keyboard.press("Home");
  await eventually(() => page.valueOf("Your rating")).toBe(0);
  await page.page.keyboard.press("5");
  await eventually(() => page.valueOf("Your rating")).toBe(5);
  // The mouse: the second star.
  await page.component("Your rating").locator('[data-star="2"]').click();
  await eventually(() => page.valueOf("Your rating")).toBe(2);
  expect(await shownStars(page, "Your rating")).toBe("2");
  await page.page.getByLabel("Review", { exact: true }).fill("Fine");
  await page.button("Submit").click();
  // The summary is made by fn from the value it received; the output rating is fn's (2 + 1).
  await eventually(() => page.valueOf("Summary")).toBe("★★☆☆☆ Fine");
  await eventually(() => page.valueOf("One star kinder")).toBe(3);
  expect(await shownStars(page, "One star kinder")).toBe("3");
  // An output is read-only: keys change nothing.
  await page.page.getByRole("slider", { name: "One star kinder" }).press("ArrowRight");
  expect(await page.valueOf("One star kinder")).toBe(3);
  expect(page.errors).toEqual([]);
}

/**
 * Checks that the page runs one Lit: each Lit package records its version in a global list when
 * it loads, so a custom chunk with its own Lit makes each list two long. And that the page loaded
 * the build's module of its Lit for the chunk (`assets/lit-….js`).
 */
export async function expectOneLit(page: SpacePage): Promise<void> {
  const versions = await page.page.evaluate(() => {
    const lists = globalThis as unknown as Record<string, unknown[] | undefined>;
    return ["litElementVersions", "litHtmlVersions", "reactiveElementVersions"].map(
      (name) => `${name}: ${lists[name]?.length ?? 0}`,
    );
  });
  expect(versions, "a second Lit ran in the page").toEqual([
    "litElementVersions: 1",
    "litHtmlVersions: 1",
    "reactiveElementVersions: 1",
  ]);
  const assets = await page.loadedAssets();
  expect(
    assets.filter((path) => /\/assets\/lit-(?!directives-)[\w-]+\.js$/.test(path)),
    `the page's Lit module for custom elements was not loaded: ${assets.join(", ")}`,
  ).toHaveLength(1);
}
