import { describe, expect, it } from "vitest";
import { withIsolationHeaders } from "./headers.js";

describe("withIsolationHeaders", () => {
  it("adds COOP/COEP custom_headers to a Space README's front matter", () => {
    const readme = "---\ntitle: Demo\nsdk: static\napp_file: dist/index.html\n---\n\n# Demo\n";
    expect(withIsolationHeaders(readme)).toBe(
      "---\ntitle: Demo\nsdk: static\napp_file: dist/index.html\ncustom_headers:\n" +
        "  cross-origin-embedder-policy: require-corp\n  cross-origin-opener-policy: same-origin\n---\n\n# Demo\n",
    );
  });

  it("leaves a README alone when it already sets custom_headers or has no front matter", () => {
    expect(withIsolationHeaders("---\ncustom_headers:\n  x: y\n---\n")).toBeUndefined();
    expect(withIsolationHeaders("# Just a README\n")).toBeUndefined();
  });
});
