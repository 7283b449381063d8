import { defineConfig } from "vite";

/** The page every Space serves: `app/index.html` → `dist/app/` (copied into `spacecraft/ui`). */
export default defineConfig({
  root: "app",
  base: "./",
  build: {
    target: "es2022",
    outDir: "../dist/app",
    emptyOutDir: true,
    reportCompressedSize: true,
    // Every browser that runs the page (ES2022) supports <link rel="modulepreload">.
    modulePreload: { polyfill: false },
  },
});
