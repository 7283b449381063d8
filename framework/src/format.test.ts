import { describe, expect, it } from "vitest";
import { formatBytes } from "./format.js";

describe("formatBytes", () => {
  it("writes bytes in binary units with at most one decimal", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1 KB");
    expect(formatBytes(64 * 1024)).toBe("64 KB");
    expect(formatBytes(3.46 * 1024 ** 2)).toBe("3.5 MB");
    expect(formatBytes(16 * 1024 ** 3)).toBe("16 GB");
    expect(formatBytes(5 * 1024 ** 4)).toBe("5 TB");
  });

  it("moves to the next unit instead of writing 1024 of one", () => {
    expect(formatBytes(1024 ** 2 - 1)).toBe("1 MB");
    expect(formatBytes(1024 ** 3 - 1)).toBe("1 GB");
  });
});
