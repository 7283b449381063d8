import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ignore from "ignore";

/** Never uploaded, whatever .gitignore says: dependencies, git data and secrets. */
const ALWAYS_IGNORED = ["node_modules/", ".git/", ".env", ".env.*", "*.pem", ".DS_Store", ".npm/", ".cache/"];

/**
 * The files of a Space folder to upload, as paths relative to it: everything that .gitignore
 * does not exclude, never node_modules, .git or .env files. (`@huggingface/hub` filters nothing.)
 */
export function listSpaceFiles(root: string, extraIgnores: readonly string[] = []): string[] {
  const rules = ignore()
    .add(ALWAYS_IGNORED)
    .add([...extraIgnores]);
  const gitignore = join(root, ".gitignore");
  if (existsSync(gitignore)) rules.add(readFileSync(gitignore, "utf8"));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const absolute = join(dir, entry.name);
      const path = relative(root, absolute).split(sep).join("/");
      if (entry.isDirectory()) {
        if (!rules.ignores(`${path}/`)) walk(absolute);
      } else if (entry.isFile() && !rules.ignores(path)) {
        files.push(path);
      }
    }
  };
  walk(root);
  return files.sort();
}
