import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, create, root, Terminal, tempDir } from "./helpers.js";

const temp = tempDir("create-space-install-");
/** An npm whose `install` prints a warning, as npm does, and succeeds; other commands go to npm. */
const npmStandIn = join(temp.dir, "bin");
/** An empty npm cache: offline, a real npm install fails at once (ENOTCACHED). */
const emptyCache = join(temp.dir, "empty-npm-cache");
const WARNING = "npm warn deprecated stand-in@1.0.0: a warning npm prints";

beforeAll(() => {
  execFileSync("npx", ["tsc", "-b", "create-space"], { cwd: root, stdio: "ignore" });
  mkdirSync(npmStandIn);
  mkdirSync(emptyCache);
  writeFileSync(
    join(npmStandIn, "npm"),
    `#!/bin/sh
if [ "$1" = "install" ]; then
  echo "${WARNING}" >&2
  mkdir -p node_modules
  echo "added 1 package in 1s"
  exit 0
fi
PATH="\${PATH#*${delimiter}}" exec npm "$@"
`,
  );
  chmodSync(join(npmStandIn, "npm"), 0o755);
});
afterAll(() => temp.remove());

const standInEnv = { PATH: `${npmStandIn}${delimiter}${process.env.PATH}` };
const failingEnv = { npm_config_offline: "true", npm_config_cache: emptyCache };
/** Every answer given as a flag, so the terminal asks nothing and goes straight to the install. */
const flags = (name: string) => [
  name,
  "--template",
  "hello",
  "--sdk",
  "static",
  "--title",
  name,
  "--emoji",
  "🚀",
  "--no-git",
];

/** Waits for the terminal to close; fails with what it showed if it takes longer than 120 s (npm on a busy machine). */
async function exitCode(terminal: Terminal): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`create-space did not exit. It showed:\n${terminal.text}`)),
      120_000,
    );
  });
  try {
    return await Promise.race([terminal.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("installing a created project", () => {
  it("keeps npm's warnings out of a terminal when the install succeeds", async () => {
    const terminal = new Terminal(flags("quiet-install"), temp.dir, standInEnv);
    const code = await exitCode(terminal);
    expect(code, terminal.text).toBe(0);
    expect(terminal.text).toContain("Installed dependencies with npm");
    expect(terminal.text).not.toContain(WARNING);
    expect(terminal.text).not.toContain("added 1 package");
    expect(existsSync(join(temp.dir, "quiet-install/node_modules"))).toBe(true);
  }, 180_000);

  it("shows npm's output in a terminal when the install fails, and what to do next", async () => {
    const terminal = new Terminal(flags("failed-install"), temp.dir, failingEnv);
    const code = await exitCode(terminal);
    expect(code, terminal.text).toBe(1);
    expect(terminal.text).toContain("Installing dependencies with npm failed (exit code 1)");
    expect(terminal.text).toContain("npm said:");
    expect(terminal.text).toContain("npm error code ENOTCACHED");
    expect(terminal.text).toContain('then run "npm install" in failed-install.');
  }, 180_000);

  it("prints nothing of npm's without a terminal when the install succeeds, all of it when it fails", async () => {
    const quiet = await create(
      flags("plain-quiet"),
      temp.dir,
      cleanEnv({ HF_HUB_OFFLINE: "1", ...standInEnv }),
    );
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toContain("Installing dependencies with npm…");
    expect(`${quiet.stdout}${quiet.stderr}`).not.toContain(WARNING);

    const failed = await create(
      flags("plain-failed"),
      temp.dir,
      cleanEnv({ HF_HUB_OFFLINE: "1", ...failingEnv }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).not.toContain("npm error");
    expect(failed.stderr).toContain("npm said:\n");
    expect(failed.stderr).toContain("npm error code ENOTCACHED");
    expect(failed.stderr).toMatch(
      /Error: installing with npm failed \(exit code 1\); its output is above\. .*then run "npm install" in plain-failed\.\n$/,
    );
  }, 180_000);
});
