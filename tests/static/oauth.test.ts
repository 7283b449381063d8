import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, SpacePage } from "../browser/harness.js";
import type { OidcStandIn } from "../server/oidc-stand-in.js";
import { startOidcStandIn } from "../server/oidc-stand-in.js";
import { serveFolders } from "./static-server.js";
import { staticSites } from "./static-site.js";

const sites = staticSites("oauth");
let provider: OidcStandIn;
let site: { url: string; close(): Promise<void> };
let dir: string;

beforeAll(async () => {
  ({ dir } = await sites.build("tests/static/fixtures/greeter-oauth.ts", "greeter"));
  provider = await startOidcStandIn();
  site = await serveFolders({ "/": dir });
}, 180_000);
afterAll(async () => {
  await site?.close();
  await provider?.close();
});

/** Opens the build as the Hub serves a static Space with `hf_oauth: true` (or without it). */
async function open(withOAuth: boolean): Promise<SpacePage> {
  const page = await sites.browser.context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  if (withOAuth) {
    // What the Hub injects into a static Space's page.
    await page.addInitScript(
      ([clientId, providerUrl]) => {
        (window as unknown as { huggingface: unknown }).huggingface = {
          variables: {
            OAUTH_CLIENT_ID: clientId,
            OAUTH_SCOPES: "openid profile inference-api",
            OPENID_PROVIDER_URL: providerUrl,
          },
        };
      },
      [provider.clientId, provider.url],
    );
  }
  await page.goto(`${site.url}/`);
  await page.waitForSelector("sc-app[loaded]");
  return new SpacePage(page, errors);
}

const loginText = (page: Page) =>
  page
    .locator("sc-loginbutton")
    .evaluate((element) => (element.shadowRoot?.textContent ?? "").replace(/\s+/g, " ").trim());

async function greet(view: SpacePage, name: string): Promise<string> {
  await view.page.getByLabel("Name", { exact: true }).fill(name);
  await view.button("Submit").click();
  await view.waitForStage("complete");
  return String(await view.valueOf("Greeting"));
}

describe("LoginButton on a static Space", { timeout: 90_000 }, () => {
  it("signs in in the page with @huggingface/hub and hands the visitor to the worker's fn", async () => {
    const view = await open(true);
    expect(await greet(view, "Bo")).toBe("Hello Bo, from nobody");
    const signIn = view.page.getByRole("button", { name: "Sign in with Hugging Face" });
    await eventually(() => signIn.isEnabled()).toBe(true);
    await Promise.all([view.page.waitForURL(/[?&]code=/), signIn.click()]);
    await view.page.waitForSelector("sc-app[loaded]");
    await eventually(() => loginText(view.page)).toContain("Signed in as @ada");
    // The code and state are gone from the address bar.
    expect(view.page.url()).toBe(`${site.url}/`);
    // A public client: PKCE and no secret.
    const exchange = provider.tokenRequests.at(-1);
    expect(exchange?.authenticated).toBe(false);
    expect(exchange?.body.get("code_verifier")).toBeTruthy();
    expect(await greet(view, "Bo")).toBe("Hello Bo, from @ada (openid profile inference-api)");

    // A reload keeps the tab's sign-in; signing out forgets it.
    await view.page.reload();
    await view.page.waitForSelector("sc-app[loaded]");
    await eventually(() => loginText(view.page)).toContain("Signed in as @ada");
    expect(await greet(view, "Cy")).toBe("Hello Cy, from @ada (openid profile inference-api)");
    await view.page.getByRole("button", { name: "Sign out (ada)" }).click();
    await eventually(() => loginText(view.page)).toContain("Sign in with Hugging Face");
    expect(await greet(view, "Cy")).toBe("Hello Cy, from nobody");
    expect(view.errors).toEqual([]);
    await view.page.close();
  });

  it("says sign-in works once on the Hub with hf_oauth: true, without loading @huggingface/hub", async () => {
    const view = await open(false);
    await eventually(() => loginText(view.page)).toContain(
      "Sign in with Hugging Face works once this static Space is on the Hub with hf_oauth: true",
    );
    expect((await view.loadedAssets()).filter((path) => path.includes("hub-oauth"))).toEqual([]);
    await view.page.close();
  });

  it("keeps @huggingface/hub out of the page's main script", () => {
    const assets = readdirSync(join(dir, "assets"));
    const main = assets.filter((name) => /^index-.*\.js$/.test(name));
    expect(main.length).toBeGreaterThan(0);
    for (const name of main)
      expect(readFileSync(join(dir, "assets", name), "utf8")).not.toContain("openid-configuration");
    expect(assets.some((name) => name.startsWith("hub-oauth"))).toBe(true);
  });
});
