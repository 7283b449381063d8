// A Space's own element that extends the built-ins' base class through `spacecraft/element`
// (tests/browser/fixtures/base-rating.ts), in real Chromium: its chunk extends the page's own
// `ScElement`, so label, info, error, `visible` and `interactive` behave as on built-ins.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ScElement } from "spacecraft/element";
import { describe, expect, it } from "vitest";
import { customElementSuite } from "./custom-element-suite.js";
import app from "./fixtures/base-rating.js";
import type { SpacePage } from "./harness.js";
import { eventually } from "./harness.js";
import { expectOneLit } from "./star-rating.js";

const suite = customElementSuite("base-element", app);

/** Whether the element's class extends the same base class as the page's `<sc-button>`. */
const extendsPageBase = (page: SpacePage) =>
  page.page.evaluate(() => {
    const chain = (start: unknown) => {
      const classes: unknown[] = [];
      for (let c = start; c; c = Object.getPrototypeOf(c)) classes.push(c);
      return classes;
    };
    const base = Object.getPrototypeOf(customElements.get("sc-base-rating"));
    return base !== HTMLElement && chain(customElements.get("sc-button")).includes(base);
  });

/** Picks stars, submits, and checks the base's props and drawing on input and output. */
async function pickAndSubmit(page: SpacePage): Promise<void> {
  expect(await extendsPageBase(page), "the element does not extend the page's ScElement").toBe(true);
  await expectOneLit(page);
  const input = page.component("Stars in");
  // The base draws the label and info (its `part`s) and reflects `interactive` on inputs only.
  await expect.poll(() => input.locator('[part="label"]').textContent()).toBe("Stars in");
  expect(await input.locator('[part="info"]').textContent()).toBe("One to three");
  await page.page.getByRole("group", { name: "Stars in" }).getByRole("button", { name: "2" }).click();
  await eventually(() => page.valueOf("Stars in")).toBe(2);
  // The directive (classMap, from the page's Lit) marks the stars picked.
  const picked = page.page.getByRole("group", { name: "Stars in" }).locator("button.on");
  await eventually(() => picked.allTextContents()).toEqual(["1", "2"]);
  await page.button("Submit").click();
  await eventually(() => page.valueOf("Stars out")).toBe(2);
  const output = page.page.getByRole("group", { name: "Stars out" });
  expect(await output.getByRole("button", { name: "3" }).isDisabled(), "an output is read-only").toBe(true);
  // An error message the shell sets is drawn by the base, and `visible` hides the element.
  await input.evaluate((element) => {
    (element as HTMLElement & { error: string }).error = "Pick again";
  });
  await eventually(() => input.getByRole("alert").textContent()).toBe("Pick again");
  expect(await page.page.getByRole("group", { name: "Stars in" }).getAttribute("aria-describedby")).toBe(
    "info error",
  );
  await input.evaluate((element) => {
    (element as HTMLElement & { visible: boolean }).visible = false;
  });
  await eventually(() => input.isHidden()).toBe(true);
  expect(page.errors).toEqual([]);
}

/** The members of a base class: its reactive properties and what its prototype defines. */
function membersOf(base: { elementProperties: Map<PropertyKey, unknown>; prototype: object }): string[] {
  return [...base.elementProperties.keys(), ...Object.getOwnPropertyNames(base.prototype)]
    .map(String)
    .filter((name) => name !== "constructor")
    .sort();
}

describe("a Space's own element on the built-ins' base class", { timeout: 120_000 }, () => {
  it("has, in the page, every member that spacecraft/element (Node, the worker, the types) promises", async () => {
    const page = await suite.space.open();
    const inPage = await page.page.evaluate(() => {
      const base = Object.getPrototypeOf(customElements.get("sc-base-rating")) as {
        elementProperties: Map<PropertyKey, unknown>;
        prototype: object;
      };
      return [...base.elementProperties.keys(), ...Object.getOwnPropertyNames(base.prototype)].map(String);
    });
    // Reading observedAttributes finalizes the class (its reactive properties).
    void ScElement.observedAttributes;
    const promised = membersOf(ScElement);
    expect(promised).toContain("renderLabel");
    expect(promised).toContain("label");
    expect(
      promised.filter((name) => !inPage.includes(name)),
      "missing from the page's ScElement",
    ).toEqual([]);
  });

  it("extends the page's ScElement: label, info, error, visible and interactive as on built-ins", async () => {
    const page = await suite.space.open();
    await pickAndSubmit(page);
  });

  it("does the same in a static build, whose worker runs the file with the Node base class", async () => {
    const dir = await suite.buildStatic("tests/browser/fixtures/base-rating.ts");
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as {
      spacecraft: { customElements: Record<string, string> };
    };
    const chunk = readFileSync(join(dir, config.spacecraft.customElements["base-rating"] ?? ""), "utf8");
    // The base's drawing (its label's class) and the directive are the page's, not in the chunk.
    expect(chunk, "the chunk bundles a base class instead of importing the page's").not.toContain(
      "visually-hidden",
    );
    expect(chunk).toMatch(/from"\.\.\/lit-directives-[\w-]+\.js"/);
    await pickAndSubmit(await suite.openStatic(dir));
  });
});
