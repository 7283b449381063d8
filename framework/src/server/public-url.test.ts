import type { IncomingMessage } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forwardedPrefix, parseRootPath } from "./public-url.js";

describe("parseRootPath", () => {
  it("normalises a path: a leading slash added, trailing ones dropped, the root as empty", () => {
    expect(parseRootPath("/demo", "test")).toEqual({ path: "/demo" });
    expect(parseRootPath("demo/", "test")).toEqual({ path: "/demo" });
    expect(parseRootPath(" /a/b// ", "test")).toEqual({ path: "/a/b" });
    expect(parseRootPath("/", "test")).toEqual({ path: "" });
    expect(parseRootPath("", "test")).toEqual({ path: "" });
  });

  it("splits a whole URL into its origin and path", () => {
    expect(parseRootPath("https://Example.com/demo/", "test")).toEqual({
      origin: "https://example.com",
      path: "/demo",
    });
    expect(parseRootPath("http://127.0.0.1:8080", "test")).toEqual({
      origin: "http://127.0.0.1:8080",
      path: "",
    });
  });

  it("refuses what is not a path, naming where it came from and what to give", () => {
    for (const value of [
      "/a/../b",
      "//evil.example",
      "/a b",
      "/a\\b",
      "ftp://x/y",
      "https://x/y?q=1",
      "/./a",
    ]) {
      expect(() => parseRootPath(value, "--root-path"), value).toThrow(
        /^--root-path: ".*" is not a root path \(.+\)\. Give the path the proxy serves the app under/,
      );
    }
  });
});

describe("forwardedPrefix", () => {
  const request = (prefix?: string) =>
    ({ headers: prefix === undefined ? {} : { "x-forwarded-prefix": prefix } }) as IncomingMessage;

  it("reads the first path of X-Forwarded-Prefix, without its trailing slash", () => {
    expect(forwardedPrefix(request())).toBeUndefined();
    expect(forwardedPrefix(request("/demo/"))).toBe("/demo");
    expect(forwardedPrefix(request("/outer, /inner"))).toBe("/outer");
    expect(forwardedPrefix(request("/"))).toBe("");
  });

  it("gives null for a prefix that is not a path (another site, a climb, a relative path)", () => {
    for (const value of ["//evil.example", "https://evil.example", "/a/../b", "demo", "/a b"]) {
      expect(forwardedPrefix(request(value)), value).toBeNull();
    }
  });
});

describe("any prefix a proxy or a user states", () => {
  // Characters that make paths escape: slashes, dots, backslashes, schemes, spaces, encodings.
  const tricky = fc.string({
    unit: fc.constantFrom(
      "/",
      "\\",
      ".",
      ":",
      "@",
      "%",
      "2",
      "e",
      "a",
      " ",
      "\t",
      "?",
      "#",
      "h",
      "t",
      "p",
      "s",
    ),
    maxLength: 24,
  });
  const text = fc.oneof(tricky, fc.string({ maxLength: 24 }));

  it("stays a path of the same site, without climbing, when it is accepted at all", () => {
    const base = "http://app.example";
    const staysHome = (path: string) => {
      expect(path === "" || (path.startsWith("/") && !path.startsWith("//")), JSON.stringify(path)).toBe(
        true,
      );
      expect(path.split("/")).not.toContain("..");
      const url = new URL(`${path}/gradio_api/file=x`, base);
      expect(url.origin).toBe(base);
      expect(url.pathname.endsWith("/gradio_api/file=x")).toBe(true);
    };
    fc.assert(
      fc.property(text, (value) => {
        const prefix = forwardedPrefix({
          headers: { "x-forwarded-prefix": value },
        } as unknown as IncomingMessage);
        if (typeof prefix === "string") staysHome(prefix);
        let parsed: ReturnType<typeof parseRootPath> | undefined;
        try {
          parsed = parseRootPath(value, "test");
        } catch (error) {
          expect(String(error)).toContain("is not a root path");
        }
        if (parsed && parsed.origin === undefined) staysHome(parsed.path);
      }),
      { numRuns: 2000 },
    );
  });
});
