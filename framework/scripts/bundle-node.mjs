// Bundles the compiled package (dist/, from tsc) into dist/node/ for Node: one file per entry of
// package.json's `exports` with a "node" condition, plus the CLI (main.js), and chunks of the code
// they share (esbuild's code splitting, so each module still exists once and the lazy imports
// stay lazy). Node then loads ~27 files at start instead of ~80: `spacecraft start` reaches
// /config ~20 ms sooner (`npm run bench:startup`). Browsers and Vite keep dist/ ("import").
//
// dist/node/ sits as deep in the package as dist/<folder>/ does, so `new URL("../../ui/",
// import.meta.url)` and the like mean the same in both; entry names are flat for that reason.
import { readFileSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const entryPoints = { main: "dist/cli/main.js" };
for (const [subpath, conditions] of Object.entries(manifest.exports)) {
  if (typeof conditions === "string") continue;
  const { node, import: source } = conditions;
  if (!node?.startsWith("./dist/node/") || !source) {
    throw new Error(
      `package.json exports["${subpath}"] needs "node": "./dist/node/<name>.js" before "import".`,
    );
  }
  entryPoints[basename(node, ".js")] = source;
}
rmSync(`${root}dist/node`, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outdir: "dist/node",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: `node${manifest.engines.node.replace(/^>=/, "")}`,
  // Dependencies stay imports, resolved from the package as before.
  packages: "external",
  // Maps through dist/'s own maps to src/, so stack traces name the TypeScript.
  sourcemap: "linked",
  logLevel: "warning",
});
