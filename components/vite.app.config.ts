import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { defineConfig } from "vite";

type Node = { type?: string; start: number; end: number; [key: string]: unknown };

/** Calls `visit` on every node of an ESTree AST. */
function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) for (const child of node) walk(child, visit);
  else if (node && typeof node === "object") {
    if (typeof (node as Node).type === "string") visit(node as Node);
    for (const value of Object.values(node)) if (value && typeof value === "object") walk(value, visit);
  }
}

/** The static text of a `css` template without comments and needless whitespace. */
function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/ ?([{};,>]) ?/g, "$1")
    .replace(/: /g, ":");
}

/**
 * Squeezes the whitespace out of the `html` and `css` templates of the elements, which Vite
 * leaves as written: in `html`, a run of whitespace with a line break becomes one space (the
 * same to HTML outside `<pre>`, which no template writes whitespace into); in `css`, comments
 * and whitespace around `{};,>` and after colons go. Interpolations stay as they are.
 */
export function minifyTemplates(): Plugin {
  return {
    name: "spacecraft:minify-templates",
    enforce: "post",
    transform(code, id) {
      if (!/\/components\/src\/.*\.ts$/.test(id) || !/(html|css)`/.test(code)) return null;
      const edits: { start: number; end: number; text: string }[] = [];
      walk(this.parse(code), (node) => {
        const tag = (node.tag as Node | undefined)?.name;
        if (node.type !== "TaggedTemplateExpression" || (tag !== "html" && tag !== "css")) return;
        for (const quasi of (node.quasi as { quasis: Node[] }).quasis) {
          const raw = code.slice(quasi.start, quasi.end);
          const text = tag === "css" ? minifyCss(raw) : raw.replace(/\s*\n\s*/g, " ");
          if (text !== raw) edits.push({ start: quasi.start, end: quasi.end, text });
        }
      });
      if (edits.length === 0) return null;
      let out = code;
      for (const edit of edits.sort((a, b) => b.start - a.start)) {
        out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      }
      return { code: out, map: null };
    },
  };
}

/**
 * Writes `embed.js` beside the page: it imports the page's entry chunk, so another site's page
 * that loads `https://SPACE/embed.js` gets `<sc-app>` and every chunk from the Space's origin
 * (imports resolve against the importing module), and `src/embed-frames.ts`, which sizes the
 * page's plain iframes of a Space. Not an entry importing the app: that would split the page's
 * one entry chunk into several.
 */
function embedScript(): Plugin {
  let frames = "";
  return {
    name: "spacecraft:embed-script",
    buildStart() {
      frames = this.emitFile({
        type: "chunk",
        id: fileURLToPath(new URL("src/embed-frames.ts", import.meta.url)),
        name: "embed-frames",
      });
    },
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find(
        (chunk) => chunk.type === "chunk" && chunk.isEntry && chunk.facadeModuleId?.endsWith(".html"),
      );
      if (!entry) throw new Error("spacecraft:embed-script: the page's build has no entry chunk.");
      this.emitFile({
        type: "asset",
        fileName: "embed.js",
        source:
          '// Embeds a Spacecraft Space in another site\'s page: <sc-app src="https://SPACE/"></sc-app>\n' +
          `import "./${entry.fileName}";\nimport "./${this.getFileName(frames)}";\n`,
      });
    },
  };
}

/** The name, in the page, of the object that holds the entry's exports (see `classicEntry`). */
const ENTRY_GLOBAL = "__spacecraft";

/**
 * Makes the page's entry a classic script, `assets/page-[hash].js`, run by `<script defer>`, and
 * its module, `assets/index-[hash].js`, a stand-in that re-exports what the script put in
 * `globalThis.__spacecraft` (loading the script first where no page ran it, as in `embed.js`: with
 * CORS, since a script of another site loaded without it cannot `import()` relative to itself).
 *
 * Why: Chromium keeps V8's code cache of a classic script and, on a visit again, runs its compiled
 * functions from the cache; a module script it compiles from source on every load (measured on
 * Chromium 156: the entry's compile and first calls took ~18 ms more as a module than as a script,
 * `bench/page-weight.ts`). The other chunks stay modules: they import the stand-in, so every one
 * shares the script's one Lit and one `<sc-app>`. The script runs in order with the module scripts
 * the page lists after it (both wait for the document's parse, in document order).
 */
function classicEntry(): Plugin {
  return {
    name: "spacecraft:classic-entry",
    enforce: "post",
    // After Vite's own (which fills in the dynamic imports' preload lists).
    generateBundle: {
      order: "post",
      handler(_options, bundle) {
        const entry = Object.values(bundle).find(
          (chunk) => chunk.type === "chunk" && chunk.isEntry && chunk.facadeModuleId?.endsWith(".html"),
        );
        const page = bundle["index.html"];
        if (entry?.type !== "chunk" || page?.type !== "asset")
          throw new Error("spacecraft:classic-entry: the page's build has no entry chunk or no index.html.");
        if (
          entry.imports.length > 0 ||
          entry.code.includes(ENTRY_GLOBAL) ||
          /__VITE_|\$meta/.test(entry.code)
        )
          throw new Error(
            `spacecraft:classic-entry: ${entry.fileName} imports other chunks, or names ${ENTRY_GLOBAL}, $meta or a Vite placeholder.`,
          );
        // Its `export { local as name, … }` becomes the object the function returns, `import.meta`
        // the script's own (`url` is where it was loaded from, as a module's is).
        const edits: { start: number; end: number; text: string }[] = [];
        const exported: string[] = [];
        walk(this.parse(entry.code), (node) => {
          if (node.type === "MetaProperty") edits.push({ start: node.start, end: node.end, text: "$meta" });
          if (node.type === "ExportNamedDeclaration") {
            const specifiers = node.specifiers as { local: { name: string }; exported: { name: string } }[];
            if (node.declaration || node.source)
              throw new Error(
                `spacecraft:classic-entry: ${entry.fileName} has an export it cannot carry over.`,
              );
            exported.push(...specifiers.map((specifier) => specifier.exported.name));
            const pairs = specifiers.map((specifier) => `${specifier.exported.name}:${specifier.local.name}`);
            edits.push({ start: node.start, end: node.end, text: `return{${pairs.join(",")}};` });
          }
        });
        let code = entry.code;
        for (const edit of edits.sort((a, b) => b.start - a.start))
          code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
        if (exported.includes("$entry"))
          throw new Error("spacecraft:classic-entry: the entry exports the name $entry.");
        const script = this.getFileName(
          this.emitFile({
            type: "asset",
            name: "page.js",
            // Run once, however many times a page loads it.
            source: `globalThis.${ENTRY_GLOBAL}??=($meta=>{"use strict";${code}\n})({url:document.currentScript.src});\n`,
          }),
        );
        const file = script.slice(script.lastIndexOf("/") + 1);
        entry.code =
          `const $entry=globalThis.${ENTRY_GLOBAL}??await new Promise((ok,fail)=>{const e=document.createElement("script");` +
          `e.crossOrigin="anonymous";e.src=new URL("./${file}",import.meta.url).href;e.onload=()=>ok(globalThis.${ENTRY_GLOBAL});` +
          `e.onerror=()=>fail(new Error("Could not load "+e.src+": reload the page to try again."));document.head.append(e)});` +
          `export const{${exported.join(",")}}=$entry;\n`;
        const tag = new RegExp(
          `<script type="module" crossorigin src="\\./${entry.fileName.replace(/[.$]/g, "\\$&")}"></script>`,
        );
        const html = String(page.source);
        if (!tag.test(html))
          throw new Error(
            `spacecraft:classic-entry: index.html does not load ${entry.fileName} as expected.`,
          );
        // The stand-in is preloaded: the first module script imports it, and would wait for its fetch.
        page.source = html.replace(
          tag,
          `<script defer src="./${script}"></script><link rel="modulepreload" href="./${entry.fileName}" />`,
        );
      },
    },
  };
}

/**
 * The page every Space serves: `app/index.html` → `dist/app/` (copied into `spacecraft/ui`), and
 * `embed.js`, which other sites' pages load to embed a Space.
 */
export default defineConfig({
  root: "app",
  plugins: [minifyTemplates(), embedScript(), classicEntry()],
  base: "./",
  build: {
    target: "es2022",
    outDir: "../dist/app",
    emptyOutDir: true,
    reportCompressedSize: true,
    // No preload helper: an element's shared chunks (e.g. `live`) load when it imports them. The
    // helper and its dependency lists cost ~0.4 KB gzipped of the 30 KB a text demo may load.
    modulePreload: false,
    // `.vite/manifest.json`: the server-rendered page names the chunks its config needs
    // (`<link rel="modulepreload">`, `server/page.ts`), so they load beside the entry.
    manifest: true,
  },
});
