import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["framework/src/**/*.test.ts", "components/src/**/*.test.ts", "tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
