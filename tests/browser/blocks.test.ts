import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

/** Waits `ms`, or until the run is cancelled. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The tip calculator, with more blocks and events around it. */
const app = sc.Blocks({ title: "Tip calculator" }, () => {
  const bill = sc.Number({ label: "Bill", value: 40 });
  const percent = sc.Slider({ label: "Tip %", minimum: 0, maximum: 30, step: 1, value: 15 });
  const tip = sc.Number({ label: "Tip" });
  const tips = sc.State<number[]>([]);
  const count = sc.Number({ label: "Tips so far" });
  const note = sc.Markdown({ value: "Tips are **optional**." });
  const go = sc.Button({ value: "Compute", variant: "primary" });

  const name = sc.Textbox({ label: "Name" });
  const greeting = sc.Textbox({ label: "Greeting" });
  const submitted = sc.Textbox({ label: "Submitted" });
  const secret = sc.Textbox({ label: "Secret", value: "kept" });
  const flavour = sc.Dropdown({ label: "Flavour", choices: ["vanilla"], value: "vanilla" });
  const change = sc.Button({ value: "Change the menu" });

  const slowResult = sc.Textbox({ label: "Slow result" });
  const slow = sc.Button({ value: "Start slow job" });
  const stop = sc.Button({ value: "Cancel slow job", variant: "stop" });

  go.click({
    fn: async (bill, percent, tips, ctx) => {
      // Long enough that a chained step run too early would see the State without this tip.
      await pause(300, ctx.signal);
      const t = ((bill ?? 0) * percent) / 100;
      return [t, [...tips, t]];
    },
    inputs: [bill, percent, tips],
    outputs: [tip, tips],
    apiName: "tip",
  }).then({ fn: (tips) => tips.length, inputs: [tips], outputs: [count] });

  percent.change({
    fn: (bill, percent) => ((bill ?? 0) * percent) / 100,
    inputs: [bill, percent],
    outputs: [tip],
  });
  name.change({ fn: (name) => `Hello, ${name}!`, inputs: [name], outputs: [greeting] });
  name.submit({ fn: (name) => name.toUpperCase(), inputs: [name], outputs: [submitted] });
  change.click({
    fn: () =>
      [sc.update({ visible: false }), sc.update({ choices: ["mint", "lemon"], value: "mint" })] as const,
    outputs: [secret, flavour],
  });
  const slowJob = slow.click({
    fn: async (ctx) => {
      await pause(30_000, ctx.signal);
      return ctx.signal.aborted ? "cancelled too late" : "finished";
    },
    outputs: [slowResult],
  });
  stop.click({ cancels: [slowJob] });

  return sc.Tabs(
    sc.Tab(
      "Compute",
      sc.Row(sc.Column({ scale: 2 }, bill, percent, go), sc.Column({ scale: 1 }, tip, count)),
      sc.Accordion("More", { open: false }, name, greeting, submitted),
    ),
    sc.Tab("Menu", secret, flavour, change),
    sc.Tab("Slow", slow, stop, slowResult),
    sc.Tab("About", note),
  );
});

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, app);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

/** The tab of the page named `name`. */
function tab(page: SpacePage, name: string) {
  return page.page.getByRole("tab", { name, exact: true });
}

/** Whether the element of the component labelled `label` is shown (itself and its blocks). */
function shown(page: SpacePage, label: string): Promise<boolean> {
  return page.component(label).isVisible();
}

describe("Blocks", () => {
  it("renders tabs that arrow keys switch, keeping hidden panels' values", async () => {
    const page = await space.open();
    expect(await page.page.getByRole("tablist").count()).toBe(1);
    expect(await tab(page, "Compute").getAttribute("aria-selected")).toBe("true");
    expect(await tab(page, "Menu").getAttribute("tabindex")).toBe("-1");
    const controls = await tab(page, "Compute").getAttribute("aria-controls");
    expect(await page.page.locator(`sc-app [id="${controls}"]`).getAttribute("role")).toBe("tabpanel");
    expect(await shown(page, "Bill")).toBe(true);
    expect(await shown(page, "Secret")).toBe(false);

    await page.component("Bill").locator("input").fill("80");
    await tab(page, "Compute").focus();
    await page.page.keyboard.press("ArrowRight");
    await eventually(() => tab(page, "Menu").getAttribute("aria-selected")).toBe("true");
    await eventually(() =>
      page.page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent?.trim()),
    ).toBe("Menu");
    expect(await shown(page, "Secret")).toBe(true);
    expect(await shown(page, "Bill")).toBe(false);

    await page.page.keyboard.press("End");
    await eventually(() => tab(page, "About").getAttribute("aria-selected")).toBe("true");
    await eventually(() => page.pageText()).toContain("Tips are optional.");
    await page.page.keyboard.press("ArrowRight");
    await eventually(() => tab(page, "Compute").getAttribute("aria-selected")).toBe("true");
    await page.page.keyboard.press("ArrowLeft");
    await eventually(() => tab(page, "About").getAttribute("aria-selected")).toBe("true");
    await page.page.keyboard.press("Home");
    await eventually(() => tab(page, "Compute").getAttribute("aria-selected")).toBe("true");
    expect(await tab(page, "About").getAttribute("tabindex")).toBe("-1");
    expect(await page.valueOf("Bill")).toBe(80);
    expect(page.errors).toEqual([]);
  });

  it("lays out a row of columns by scale, and opens an accordion with the keyboard", async () => {
    const page = await space.open();
    const left = await page.component("Bill").boundingBox();
    const right = await page.component("Tip").boundingBox();
    if (!left || !right) throw new Error("Bill and Tip should be on the page");
    expect(right.x).toBeGreaterThan(left.x + left.width);
    expect(Math.abs(right.y - left.y)).toBeLessThan(40);
    expect(left.width / right.width).toBeGreaterThan(1.7);
    expect(left.width / right.width).toBeLessThan(2.3);

    expect(await shown(page, "Name")).toBe(false);
    await page.page.getByText("More", { exact: true }).focus();
    await page.page.keyboard.press("Enter");
    await eventually(() => shown(page, "Name")).toBe(true);
  });

  it("runs a click, then its .then step, which sees the State the click left", async () => {
    const page = await space.open();
    await page.button("Compute").click();
    await eventually(() => page.valueOf("Tips so far")).toBe(1);
    expect(await page.valueOf("Tip")).toBe(6);
    await page.button("Compute").click();
    await eventually(() => page.valueOf("Tips so far")).toBe(2);
  });

  it("keeps State per browser tab: another context starts from the initial value", async () => {
    const first = await space.open();
    await first.button("Compute").click();
    await eventually(() => first.valueOf("Tips so far")).toBe(1);
    await first.button("Compute").click();
    await eventually(() => first.valueOf("Tips so far")).toBe(2);

    const other = await launchBrowser();
    try {
      const page = await other.context.newPage();
      await page.goto(space.server.url);
      await page.waitForSelector("sc-app[loaded]");
      const compute = page.getByRole("button", { name: "Compute", exact: true });
      await compute.click();
      const tipsSoFar = page.locator('sc-app [label="Tips so far"]');
      await eventually(() =>
        tipsSoFar.evaluate((element) => (element as HTMLElement & { value: unknown }).value),
      ).toBe(1);
    } finally {
      await other.close();
    }
    await first.button("Compute").click();
    await eventually(() => first.valueOf("Tips so far")).toBe(3);
    // A second Chromium starts here: on a loaded machine that alone can take half a minute.
  }, 120_000);

  it("fires change when a slider is dragged with the mouse", async () => {
    const page = await space.open();
    const range = page.component("Tip %").locator('input[type="range"]');
    const box = await range.boundingBox();
    if (!box) throw new Error("the slider should be on the page");
    await page.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.page.mouse.down();
    await page.page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await page.page.mouse.up();
    const percent = (await page.valueOf("Tip %")) as number;
    expect(percent).toBeGreaterThan(25);
    await eventually(() => page.valueOf("Tip")).toBe((40 * percent) / 100);
  });

  it("fires change on typing, and submit on Enter", async () => {
    const page = await space.open();
    await page.page.getByText("More", { exact: true }).click();
    await page.component("Name").locator("input").focus();
    await page.page.keyboard.type("Ada");
    await eventually(() => page.valueOf("Greeting")).toBe("Hello, Ada!");
    expect(await page.valueOf("Submitted")).toBe("");
    await page.page.keyboard.press("Enter");
    await eventually(() => page.valueOf("Submitted")).toBe("ADA");
  });

  it("hides a component and refills a dropdown's choices from sc.update", async () => {
    const page = await space.open();
    await tab(page, "Menu").click();
    await eventually(() => shown(page, "Secret")).toBe(true);
    await page.button("Change the menu").click();
    await eventually(() => page.component("Secret").getAttribute("hidden")).toBe("");
    expect(await shown(page, "Secret")).toBe(false);
    expect(await page.valueOf("Secret")).toBe("kept");
    await eventually(() => page.valueOf("Flavour")).toBe("mint");
    const options = page.component("Flavour").locator("option");
    expect(await options.allTextContents()).toEqual(["mint", "lemon"]);
  });

  it("stops a running job from another event's cancels", async () => {
    const page = await space.open();
    await tab(page, "Slow").click();
    // The status line above the job's output.
    const status = page.page.locator('sc-app sc-status:has(+ [label="Slow result"])');
    await page.button("Start slow job").click();
    await eventually(() => status.getAttribute("stage")).toBe("generating");
    await page.button("Cancel slow job").click();
    await eventually(() => status.getAttribute("stage")).toBe("cancelled");
    expect(await page.valueOf("Slow result")).toBe("");
  });
});

/** Two Interfaces in tabs: a live one (no Submit button) and one with Submit and examples. */
const tabbed = sc.TabbedInterface(
  [
    sc.Interface({
      fn: (text) => text.toUpperCase(),
      inputs: [sc.Textbox({ label: "Shout this" })],
      outputs: [sc.Textbox({ label: "Shouted" })],
      live: true,
    }),
    sc.Interface({
      fn: (text) => text.length,
      inputs: [sc.Textbox({ label: "Count this" })],
      outputs: [sc.Number({ label: "Letters" })],
      examples: [["four"]],
    }),
  ],
  ["Shout", "Count"],
);

describe("TabbedInterface", () => {
  let server: SpaceServer;
  beforeAll(async () => {
    server = await serveSpace(browser, tabbed);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("runs a live Interface as the user types, and another with its Submit button in the next tab", async () => {
    const page = await server.open();
    expect(await page.button("Submit").isVisible()).toBe(false);
    await page.component("Shout this").locator("input").focus();
    await page.page.keyboard.type("hey");
    await eventually(() => page.valueOf("Shouted")).toBe("HEY");

    await tab(page, "Count").click();
    await page.pickExample("four");
    expect(await page.valueOf("Letters")).toBe(0);
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Letters")).toBe(4);
    expect(page.errors).toEqual([]);
  });
});

describe("the page's load event", () => {
  let visits = 0;
  /** Greets each visit by its number, and fills the menu from the server, when the page opens. */
  const welcome = sc.Blocks({ title: "Welcome" }, (page) => {
    const name = sc.Textbox({ label: "Name", value: "visitor" });
    const greeting = sc.Textbox({ label: "Greeting" });
    const menu = sc.Dropdown({ label: "Menu", choices: ["(loading)"] });
    page.load({
      fn: (name) => {
        visits++;
        return [
          `Welcome, ${name} ${visits}!`,
          sc.update({ choices: ["mint", "lemon"], value: "mint" }),
        ] as const;
      },
      inputs: [name],
      outputs: [greeting, menu],
    });
    return [name, greeting, menu];
  });
  let server: SpaceServer;
  beforeAll(async () => {
    server = await serveSpace(browser, welcome);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("runs once each time a visitor opens the page, with the inputs' initial values", async () => {
    const first = await server.open();
    await eventually(() => first.valueOf("Greeting")).toBe("Welcome, visitor 1!");
    expect(await first.valueOf("Menu")).toBe("mint");
    expect(await first.component("Menu").locator("option").allTextContents()).toEqual(["mint", "lemon"]);

    const second = await server.open();
    await eventually(() => second.valueOf("Greeting")).toBe("Welcome, visitor 2!");
    expect(visits, "one run per page opened").toBe(2);
    expect(await first.valueOf("Greeting"), "the first page's own run").toBe("Welcome, visitor 1!");
    expect([...first.errors, ...second.errors]).toEqual([]);
  });
});
