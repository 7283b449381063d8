import { afterAll, beforeAll, describe, expect, it } from "vitest";
import errors from "../fixtures/errors.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, errors);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("errors", () => {
  it("shows the message of a SpaceError thrown by fn in the output status", async () => {
    const page = await space.open();
    await page.page.getByLabel("Word", { exact: true }).fill("fail");
    await page.button("Submit").click();
    await eventually(() => page.statusText()).toBe("That input is not allowed. Try another word.");
    expect(await page.status().getByRole("alert").count()).toBe(1);
    expect(await page.errorOf("Word")).toBe("");
  });

  it("shows the server's complaint about a value on that input, and clears it on edit", async () => {
    const page = await space.open();
    await page.page.getByLabel("Word", { exact: true }).fill("ok");
    const amount = page.page.getByLabel("Amount", { exact: true });
    await amount.click();
    await page.page.keyboard.press("ControlOrMeta+A");
    await page.page.keyboard.type("12");
    await page.button("Submit").click();
    await eventually(() => page.errorOf("Amount")).toBe('Number "Amount": must be at most 10.');
    expect(await page.textOf("Amount")).toContain("must be at most 10");
    expect(await amount.getAttribute("aria-invalid")).toBe("true");
    expect(await page.statusText()).toBe("");

    await amount.press("ControlOrMeta+A");
    await amount.press("1");
    await eventually(() => page.errorOf("Amount")).toBe("");
    await page.button("Submit").click();
    await eventually(() => page.valueOf("Result")).toBe("ok × 1");
  });
});
