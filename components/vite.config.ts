import { defineConfig } from "vite";

/** Library build: `dist/index.js` with Lit, Markdown and the framework left to the consumer. */
export default defineConfig({
  build: {
    target: "es2022",
    outDir: "dist",
    sourcemap: true,
    // `tsc -b` writes dist/types; don't wipe it.
    emptyOutDir: false,
    lib: { entry: { index: "src/index.ts" }, formats: ["es"], fileName: (_format, name) => `${name}.js` },
    rolldownOptions: {
      external: [/^lit(\/.*)?$/, /^@lit\//, /^spacecraft(\/.*)?$/, "marked", "dompurify", "@huggingface/hub"],
      // The shell loads elements lazily; the library exports them all, so those imports stay static here.
      checks: { ineffectiveDynamicImport: false },
      // Stable names: dist is not emptied (types live there), so hashed chunks would pile up.
      output: { chunkFileNames: "chunks/[name].js" },
    },
  },
});
