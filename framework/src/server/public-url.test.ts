import type { IncomingMessage } from "node:http";
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
