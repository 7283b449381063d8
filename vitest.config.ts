import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["framework/src/**/*.test.ts", "components/src/**/*.test.ts", "tests/**/*.test.ts"],
    // Generous: CI may share the machine with other work, and a test's steps have deadlines of
    // their own that name what did not happen.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
