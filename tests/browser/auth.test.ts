import type { Page } from "playwright-core";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import hello from "../../templates/hello/app.js";
import type { TestBrowser } from "./harness.js";
import { eventually, launchBrowser, SpacePage } from "./harness.js";

let browser: TestBrowser;
let server: RunningServer;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await serve(hello, { port: 0, auth: [["ada", "analytical engine"]], logError: () => {} });
});
afterAll(async () => {
  await server?.close({ timeoutMs: 1000 });
  await browser?.close();
});

/** A new tab with a 15 s step deadline that records page errors and console errors (CSP reports too). */
async function newPage(context = browser.context): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${message.text()} at ${message.location().url}`);
  });
  return { page, problems };
}

/** The id of the element that has focus. */
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

describe("password sign-in in a browser", () => {
  it("signs in with the keyboard, uses the demo, and signs out", async () => {
    const { page, problems } = await newPage();
    await page.goto(server.url);
    expect(new URL(page.url()).pathname).toBe("/login");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Sign in to Repeat");
    expect(await page.title()).toBe("Sign in · Repeat");

    // The username field has focus; a wrong password brings the page back with the error announced.
    await eventually(() => focusedId(page)).toBe("username");
    await page.keyboard.type("ada");
    await page.keyboard.press("Tab");
    expect(await focusedId(page)).toBe("password");
    await page.keyboard.type("difference engine");
    const [wrong] = await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    expect(wrong?.status()).toBe(401);
    await expect(page.getByRole("alert").textContent()).resolves.toBe(
      "Incorrect username or password. Check them and try again.",
    );
    expect(await page.getByLabel("Username").inputValue()).toBe("ada");
    await eventually(() => focusedId(page)).toBe("password");

    await page.keyboard.type("analytical engine");
    await Promise.all([page.waitForURL(`${server.url}/`), page.keyboard.press("Enter")]);
    await page.waitForSelector("sc-app[loaded]");
    await page.evaluate(() => (document.querySelector("sc-app") as { ready?: Promise<void> } | null)?.ready);

    const demo = new SpacePage(page, []);
    await page.getByLabel("Text", { exact: true }).click();
    await page.keyboard.type("ab");
    await demo.button("Submit").click();
    await eventually(() => demo.valueOf("Result")).toBe("abab");

    await page.goto(`${server.url}/logout`);
    expect(new URL(page.url()).pathname).toBe("/login");
    const cookies = await browser.context.cookies(server.url);
    expect(cookies.filter((cookie) => cookie.name === "spacecraft-session")).toEqual([]);
    await page.goto(server.url);
    expect(new URL(page.url()).pathname).toBe("/login");
    // The wrong password's 401 is expected; the favicon's 404 is another issue's (the page has none yet).
    expect(problems.filter((problem) => !/status of 401|favicon\.ico/.test(problem))).toEqual([]);
    await page.close();
  });

  it("returns to the page it was going to, with its query", async () => {
    const { page } = await newPage();
    await page.goto(`${server.url}/?text=hi`);
    expect(new URL(page.url()).search).toBe(`?next=${encodeURIComponent("/?text=hi")}`);
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password").fill("analytical engine");
    await Promise.all([
      page.waitForURL(`${server.url}/?text=hi`),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    await page.goto(`${server.url}/logout`);
    await page.close();
  });

  it("follows the system's light and dark colours", async () => {
    const { page, problems } = await newPage();
    await page.goto(`${server.url}/login`);
    const colours = () =>
      page.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
      }));
    expect(await colours()).toEqual({ body: "rgb(248, 250, 252)", text: "rgb(15, 23, 42)" });
    await page.emulateMedia({ colorScheme: "dark" });
    await eventually(colours).toEqual({ body: "rgb(11, 15, 25)", text: "rgb(241, 245, 249)" });
    expect(problems).toEqual([]);
    await page.close();
  });
});
