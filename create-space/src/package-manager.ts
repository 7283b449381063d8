/** A package manager, as read from `npm_config_user_agent` (`pnpm/9.1.0 npm/? node/v20…`). */
export interface PackageManager {
  name: "npm" | "pnpm" | "yarn" | "bun" | "deno";
  version?: string;
}

/** The package manager that runs create-space (npm when none says so). */
export function detectPackageManager(userAgent = process.env.npm_config_user_agent): PackageManager {
  const [name, version] = (userAgent?.split(" ")[0] ?? "").split("/");
  if (name === "pnpm" || name === "yarn" || name === "bun" || name === "deno") {
    return { name, ...(version ? { version } : {}) };
  }
  return { name: "npm", ...(name === "npm" && version ? { version } : {}) };
}

/** The command that installs a project's dependencies. */
export function installCommand(pm: PackageManager): string[] {
  return pm.name === "yarn" ? ["yarn"] : [pm.name, "install"];
}

/** The command that runs a package.json script. */
export function runCommand(pm: PackageManager, script: string): string[] {
  if (pm.name === "npm") return ["npm", "run", script];
  if (pm.name === "deno") return ["deno", "task", script];
  if (pm.name === "bun") return ["bun", "run", script];
  return [pm.name, script];
}

/** The command that runs create-space itself, at a version, for the one-shot line. */
export function createCommand(pm: PackageManager, version: string): string[] {
  switch (pm.name) {
    case "pnpm":
      return ["pnpm", "dlx", `create-space@${version}`];
    case "yarn":
      return pm.version?.startsWith("1.")
        ? ["yarn", "create", "space"]
        : ["yarn", "dlx", `create-space@${version}`];
    case "bun":
      return ["bunx", `create-space@${version}`];
    case "deno":
      return ["deno", "run", "-A", `npm:create-space@${version}`];
    default:
      return ["npx", `create-space@${version}`];
  }
}

/** Quotes a word for a POSIX shell when it needs it (spaces, quotes, `$`, …). */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Words joined into a command line, each quoted as needed. */
export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}

/** `cd <path>` for the next steps: double-quoted when the path has spaces, as create-vite does. */
export function cdCommand(relativePath: string): string | undefined {
  if (relativePath === "" || relativePath === ".") return undefined;
  return /^[\w@%+=:,./-]+$/.test(relativePath)
    ? `cd ${relativePath}`
    : `cd "${relativePath.replace(/(["$`\\])/g, "\\$1")}"`;
}
