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
    // No preload helper: an element's shared chunks (e.g. `live`) load when it imports them. The
    // helper and its dependency lists cost ~0.4 KB gzipped of the 30 KB a text demo may load.
    modulePreload: false,
  },
});
