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

/**
 * The page every Space serves: `app/index.html` → `dist/app/` (copied into `spacecraft/ui`), and
 * `embed.js`, which other sites' pages load to embed a Space.
 */
export default defineConfig({
  root: "app",
  plugins: [minifyTemplates(), embedScript()],
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
