import { describe, expect, it } from "vitest";
import { hfOAuthFromEnv, safeTarget } from "./oauth.js";

describe("safeTarget", () => {
  it("keeps a path and query of this Space", () => {
    expect(safeTarget("/")).toBe("/");
    expect(safeTarget("/demo?tab=2&q=a%20b")).toBe("/demo?tab=2&q=a%20b");
    expect(safeTarget("/a/../b")).toBe("/b");
    expect(safeTarget("/page#part")).toBe("/page");
  });

  it.each([
    "//evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https://evil.example",
    "HTTPS://evil.example/",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "evil.example",
    "",
  ])("sends %j to /", (target) => {
    expect(safeTarget(target)).toBe("/");
  });

  it("never yields a target that leaves the Space", () => {
    for (const target of [
      "/.//evil.example",
      "/%2F%2Fevil.example",
      "/..//evil.example",
      "/./\\evil.example",
    ]) {
      const kept = safeTarget(target);
      expect(new URL(kept, "https://space.hf.space").origin).toBe("https://space.hf.space");
      expect(kept.startsWith("//")).toBe(false);
    }
  });

  it("sends anything but a string to /", () => {
    expect(safeTarget(undefined)).toBe("/");
    expect(safeTarget(["/a", "/b"])).toBe("/");
  });
});

describe("hfOAuthFromEnv", () => {
  it("is off without the Space's OAuth variables: nothing is mocked", () => {
    expect(hfOAuthFromEnv({})).toBeUndefined();
    expect(hfOAuthFromEnv({ HF_TOKEN: "hf_server_token", SPACE_ID: "a/b" })).toBeUndefined();
  });

  it("says which variable is missing and how to set them", () => {
    expect(() =>
      hfOAuthFromEnv({ OAUTH_CLIENT_ID: "id", OPENID_PROVIDER_URL: "https://huggingface.co" }),
    ).toThrow(/OAUTH_CLIENT_SECRET is not set\. On a Space, add `hf_oauth: true`/);
    expect(() =>
      hfOAuthFromEnv({
        OAUTH_CLIENT_ID: "id",
        OAUTH_CLIENT_SECRET: "s",
        OPENID_PROVIDER_URL: "huggingface.co",
      }),
    ).toThrow(/OPENID_PROVIDER_URL must be a URL/);
  });

  it("turns on with all three", () => {
    const oauth = hfOAuthFromEnv({
      OAUTH_CLIENT_ID: "id",
      OAUTH_CLIENT_SECRET: "secret",
      OPENID_PROVIDER_URL: "https://huggingface.co",
      OAUTH_SCOPES: "openid profile inference-api",
      SPACE_HOST: "owner-name.hf.space",
    });
    expect(oauth?.callerOf({ headers: {} } as never)).toEqual({});
    oauth?.close();
  });
});
