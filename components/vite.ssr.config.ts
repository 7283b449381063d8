import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { minifyTemplates } from "./vite.app.config.js";

/**
 * The page's server rendering (`src/app/ssr.ts`) for Node: `dist/ssr/page.js`, copied with the
 * page into `spacecraft/ui/ssr/`. Lit and `@lit-labs/ssr` are bundled in (one copy, with the DOM
 * shim), so `spacecraft` needs neither; what only the browser loads (`spacecraft`'s transports,
 * `marked`, `@huggingface/hub`) stays an import that never runs here, and DOMPurify, which the
 * HTML element imports, is a stand-in (`src/app/ssr-dompurify.ts`): `spacecraft` lacks it.
 */
export default defineConfig({
  // Templates squeezed as in the page's build, so the server draws what the browser will.
  plugins: [minifyTemplates()],
  resolve: { alias: { dompurify: fileURLToPath(new URL("src/app/ssr-dompurify.ts", import.meta.url)) } },
  ssr: { noExternal: true, external: ["marked", "@huggingface/hub"] },
  build: {
    ssr: "src/app/ssr.ts",
    target: "node20",
    outDir: "dist/ssr",
    emptyOutDir: true,
    rolldownOptions: {
      external: [/^spacecraft(\/.*)?$/, "marked", "@huggingface/hub", /^node:/, /^@codemirror\//, "chart.js"],
      output: { entryFileNames: "page.js" },
      checks: { ineffectiveDynamicImport: false },
    },
  },
});
