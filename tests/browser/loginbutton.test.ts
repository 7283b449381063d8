import type { Page } from "playwright-core";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSpace } from "../server/oauth-space.js";
import type { OidcStandIn } from "../server/oidc-stand-in.js";
import { startOidcStandIn } from "../server/oidc-stand-in.js";
import type { TestBrowser } from "./harness.js";
import { eventually, launchBrowser, SpacePage } from "./harness.js";

const space = sc.Interface({
  title: "Greeter",
  fn: (name: string, ctx) => `Hello ${name}, from ${ctx.user ? `@${ctx.user.username}` : "nobody"}`,
  inputs: [sc.Textbox({ label: "Name" })],
  outputs: [sc.Textbox({ label: "Greeting" })],
  loginButton: sc.LoginButton({ logoutValue: "Sign out @{}" }),
});

/** A 1×1 PNG for the avatar, served in place of the provider's CDN. */
const avatarPng = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

let browser: TestBrowser;
let provider: OidcStandIn;
let server: RunningServer;
let plain: RunningServer;

beforeAll(async () => {
  browser = await launchBrowser();
  await browser.context.route("https://cdn.example/**", (route) =>
    route.fulfill({ status: 200, contentType: "image/png", body: avatarPng }),
  );
  provider = await startOidcStandIn();
  server = await startSpace(space, provider);
  plain = await startSpace(space);
});
afterAll(async () => {
  await server?.close({ timeoutMs: 1000 });
  await plain?.close({ timeoutMs: 1000 });
  await provider?.close();
  await browser?.close();
});

/** Opens a page with a 15 s step deadline, recording its errors. */
async function open(url: string): Promise<SpacePage> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(url);
  await page.waitForSelector("sc-app[loaded]");
  return new SpacePage(page, errors);
}

/** The sign-in element of a page (or frame). */
const loginButton = (page: Pick<Page, "locator">) => page.locator("sc-loginbutton");

/** Shown text of the sign-in element. */
const loginText = (page: Pick<Page, "locator">) =>
  loginButton(page).evaluate((element) =>
    (element.shadowRoot?.textContent ?? "").replace(/\s+/g, " ").trim(),
  );

/** Resolves when the page has loaded `url` anew (a navigation committed), not when it is already there. */
function navigatedTo(page: Page, url: string): Promise<unknown> {
  return page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame() && frame.url() === url);
}

async function greet(view: SpacePage, name: string): Promise<string> {
  await view.page.getByLabel("Name", { exact: true }).fill(name);
  await view.button("Submit").click();
  await view.waitForStage("complete");
  return String(await view.valueOf("Greeting"));
}

describe("LoginButton in a browser", { timeout: 90_000 }, () => {
  it("signs in through the provider, shows the visitor, passes them to fn, and signs out", async () => {
    const view = await open(`${server.url}/?tab=2`);
    const signIn = view.page.getByRole("button", { name: "Sign in with Hugging Face" });
    await eventually(() => signIn.isEnabled()).toBe(true);
    expect(await greet(view, "Bo")).toBe("Hello Bo, from nobody");

    await Promise.all([navigatedTo(view.page, `${server.url}/?tab=2`), signIn.click()]);
    await view.page.waitForSelector("sc-app[loaded]");
    await eventually(() => loginText(view.page)).toContain("Signed in as @ada");
    const avatar = loginButton(view.page).locator('[part="avatar"]');
    expect(await avatar.getAttribute("src")).toBe("https://cdn.example/ada.png");
    await eventually(() => avatar.evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBe(1);
    expect(await greet(view, "Bo")).toBe("Hello Bo, from @ada");

    await Promise.all([
      navigatedTo(view.page, `${server.url}/?tab=2`),
      view.page.getByRole("button", { name: "Sign out @ada" }).click(),
    ]);
    await view.page.waitForSelector("sc-app[loaded]");
    await eventually(() =>
      view.page.getByRole("button", { name: "Sign in with Hugging Face" }).isEnabled(),
    ).toBe(true);
    expect(await greet(view, "Bo")).toBe("Hello Bo, from nobody");
    expect(view.errors).toEqual([]);
    await view.page.close();
  });

  it("opens the sign-in in a new tab inside an iframe, and the frame shows the visitor on return", async () => {
    // A page of the Space that frames the Space, as huggingface.co does.
    const outer = await open(server.url);
    await outer.page.evaluate((src) => {
      document.body.replaceChildren();
      const frame = document.createElement("iframe");
      frame.src = src;
      frame.style.width = "800px";
      frame.style.height = "600px";
      document.body.append(frame);
    }, `${server.url}/`);
    const frame = outer.page.frameLocator("iframe");
    const signIn = frame.getByRole("button", { name: "Sign in with Hugging Face" });
    await eventually(() => signIn.isEnabled()).toBe(true);
    const [tab] = await Promise.all([browser.context.waitForEvent("page"), signIn.click()]);
    await tab.waitForURL(`${server.url}/`);
    await tab.waitForSelector("sc-app[loaded]");
    await eventually(() => loginText(tab)).toContain("Signed in as @ada");
    await eventually(() => loginText(frame)).toContain("Finish signing in in the new tab");
    // Back in the frame's tab: it checks again and reloads with the new session.
    await tab.close();
    await outer.page.bringToFront();
    await frame
      .locator("sc-loginbutton")
      .evaluate(() => window.dispatchEvent(new Event("focus")))
      // A real focus event may have reloaded the frame already.
      .catch(() => {});
    await eventually(() => loginText(frame)).toContain("Signed in as @ada");
    await outer.page.close();
  });

  it("says how to turn sign-in on when the server has no OAuth variables", async () => {
    const view = await open(plain.url);
    await eventually(() => loginText(view.page)).toContain(
      "Sign in with Hugging Face works on a Space with hf_oauth: true in its README",
    );
    expect(await view.page.getByRole("button", { name: "Sign in with Hugging Face" }).isDisabled()).toBe(
      true,
    );
    expect(await loginText(view.page)).toContain("OAUTH_CLIENT_ID");
    await view.page.close();
  });
});
