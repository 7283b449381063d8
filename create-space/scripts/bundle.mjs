// Bundles what create-space takes from the monorepo into the package, for `npm pack`/`publish`:
// the templates (templates/<name>/, the single source, copied as they are) and the spacecraft
// tarball with its manifest (vendor/). `--clean` removes them again (postpack).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const monorepo = join(root, "..");
const templates = join(root, "templates");
const vendor = join(root, "vendor");

rmSync(templates, { recursive: true, force: true });
rmSync(vendor, { recursive: true, force: true });
if (!process.argv.includes("--clean")) {
  for (const name of readdirSync(join(monorepo, "templates"))) {
    mkdirSync(join(templates, name), { recursive: true });
    for (const file of readdirSync(join(monorepo, "templates", name))) {
      if (["node_modules", "dist", ".cache"].includes(file)) continue;
      cpSync(join(monorepo, "templates", name, file), join(templates, name, file), { recursive: true });
    }
  }
  const framework = join(monorepo, "framework");
  mkdirSync(vendor, { recursive: true });
  execFileSync("npm", ["pack", "--pack-destination", vendor, "--ignore-scripts", "--loglevel", "error"], {
    cwd: framework,
    stdio: ["ignore", "ignore", "inherit"],
    shell: process.platform === "win32",
  });
  const manifest = JSON.parse(readFileSync(join(framework, "package.json"), "utf8"));
  const { name, version, peerDependencies } = manifest;
  writeFileSync(
    join(vendor, "spacecraft-package.json"),
    `${JSON.stringify({ name, version, peerDependencies }, null, 2)}\n`,
  );
  console.log(`create-space: bundled ${readdirSync(templates).length} templates and spacecraft ${version}.`);
}
