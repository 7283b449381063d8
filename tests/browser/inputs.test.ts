import { afterAll, beforeAll, describe, expect, it } from "vitest";
import kitchenSink from "../fixtures/kitchen-sink.js";
import type { SpacePage, SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, kitchenSink);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

/** One input element of the kitchen sink, how a user edits it, and what the server should receive. */
interface InputCase {
  element: string;
  label: string;
  /** The ARIA role of its labelled control. */
  role: "textbox" | "spinbutton" | "slider" | "checkbox" | "group" | "radiogroup" | "combobox";
  /** Key of the echoed JSON. */
  key: string;
  edit: (page: SpacePage) => Promise<void>;
  expected: unknown;
}

const control = (page: SpacePage, input: InputCase) =>
  page.component(input.label).getByRole(input.role, { name: input.label, exact: true });

const cases: InputCase[] = [
  {
    element: "sc-textbox",
    label: "Text",
    role: "textbox",
    key: "text",
    expected: "hi there",
    edit: async (page) => {
      await page.page.getByRole("textbox", { name: "Text", exact: true }).focus();
      await page.page.keyboard.type("hi there");
      await page.page.keyboard.press("Tab");
    },
  },
  {
    element: "sc-number",
    label: "Count",
    role: "spinbutton",
    key: "number",
    expected: 42,
    edit: async (page) => {
      await page.page.getByRole("spinbutton", { name: "Count", exact: true }).click();
      await page.page.keyboard.press("ControlOrMeta+A");
      await page.page.keyboard.type("42");
      await page.page.keyboard.press("Enter");
    },
  },
  {
    element: "sc-slider",
    label: "Level",
    role: "slider",
    key: "slider",
    expected: 7,
    edit: async (page) => {
      await page.page.getByRole("slider", { name: "Level" }).focus();
      await page.page.keyboard.press("ArrowRight");
      await page.page.keyboard.press("ArrowRight");
    },
  },
  {
    element: "sc-checkbox",
    label: "Loud",
    role: "checkbox",
    key: "checkbox",
    expected: true,
    edit: async (page) => {
      await page.page.getByRole("checkbox", { name: "Loud" }).focus();
      await page.page.keyboard.press("Space");
      await page.page.keyboard.press("Space");
      await page.page.getByText("Loud", { exact: true }).click();
    },
  },
  {
    element: "sc-checkboxgroup",
    label: "Toppings",
    role: "group",
    key: "group",
    expected: ["cheese", "basil"],
    edit: async (page) => {
      await page.page.getByRole("checkbox", { name: "cheese" }).focus();
      await page.page.keyboard.press("Space");
      await page.page.getByText("Basil leaves").click();
    },
  },
  {
    element: "sc-radio",
    label: "Size",
    role: "radiogroup",
    key: "radio",
    expected: "large",
    edit: async (page) => {
      await page.page.getByRole("radio", { name: "small" }).focus();
      await page.page.keyboard.press("ArrowRight");
      await page.page.getByText("large", { exact: true }).click();
    },
  },
  {
    element: "sc-dropdown",
    label: "Model",
    role: "combobox",
    key: "dropdown",
    expected: 3,
    edit: async (page) => {
      await page.page.getByRole("combobox", { name: "Model" }).focus();
      await page.page.keyboard.press("ArrowDown");
      await page.page.keyboard.press("ArrowDown");
    },
  },
  {
    element: "sc-dropdown multiselect",
    label: "Languages",
    role: "combobox",
    key: "multi",
    expected: ["en", "de"],
    edit: async (page) => {
      const add = page.page.getByRole("combobox", { name: "Languages" });
      await add.focus();
      await page.page.keyboard.press("ArrowDown");
      await page.page.keyboard.press("ArrowDown");
      await page.page.keyboard.press("ArrowDown");
      await page.button("Remove fr").click();
    },
  },
  {
    element: "sc-multimodaltextbox",
    label: "Message",
    role: "textbox",
    key: "message",
    expected: { text: "hi\nthere", files: [] },
    edit: async (page) => {
      await page.page.getByRole("textbox", { name: "Message", exact: true }).focus();
      await page.page.keyboard.type("hi");
      await page.page.keyboard.press("Shift+Enter");
      await page.page.keyboard.type("there");
      await page.page.keyboard.press("Tab");
    },
  },
];

describe.each(cases)("$element ($label)", (input) => {
  it("renders its label on a labelled control", async () => {
    const page = await space.open();
    expect(await control(page, input).count()).toBe(1);
    expect(await page.textOf(input.label)).toContain(input.label);
  });

  it("takes keyboard and mouse input and emits input and change with the new value", async () => {
    const page = await space.open();
    const events = await page.recordEvents(input.label);
    await input.edit(page);
    await eventually(() => page.valueOf(input.label)).toEqual(input.expected);
    const last = async (type: string) =>
      (await events()).filter((event) => event.type === type).at(-1)?.value;
    await eventually(() => last("input")).toEqual(input.expected);
    await eventually(() => last("change")).toEqual(input.expected);
  });

  it("round-trips its value through the server", async () => {
    const page = await space.open();
    await input.edit(page);
    await page.button("Submit").click();
    await eventually(
      async () => ((await page.valueOf("Echo")) as Record<string, unknown> | null)?.[input.key],
    ).toEqual(input.expected);
    expect(await page.textOf("Echo")).toContain(
      `"${input.key}": ${JSON.stringify(input.expected).slice(0, 1)}`,
    );
  });

  it("is read-only when not interactive", async () => {
    const page = await space.open();
    const before = await page.valueOf(input.label);
    await page.component(input.label).evaluate((element) => {
      (element as HTMLElement & { interactive: boolean }).interactive = false;
    });
    // Disabled controls refuse clicks; don't wait for them to become enabled.
    page.page.setDefaultTimeout(300);
    await input.edit(page).catch(() => undefined);
    // Reading the value may take longer on a busy machine.
    page.page.setDefaultTimeout(30_000);
    expect(await page.valueOf(input.label)).toEqual(before);
  });
});
