import type { ChildProcessWithoutNullStreams, SpawnSyncOptions } from "node:child_process";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFrontMatter } from "spacecraft/space-card";
import { run } from "../../create-space/src/create.js";

/** The monorepo root. */
export const root = fileURLToPath(new URL("../../", import.meta.url));
/** The built create-space command. */
export const bin = join(root, "create-space/bin/create-space.js");

/** What a run printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment without the variables that would change create-space's choices. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["HF_ENDPOINT", "HF_TOKEN", "HF_HUB_OFFLINE", "CI", "npm_config_user_agent"])
    delete env[name];
  return { ...env, npm_config_user_agent: "npm/11.0.0 node/v20.20.2 linux x64", ...extra };
}

/** Runs create-space in this process (no terminal), in `cwd`. */
export async function create(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = cleanEnv({ HF_HUB_OFFLINE: "1" }),
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    cwd,
    env,
    isTTY: false,
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** Runs the built `create-space` command as a child process. */
export function createProcess(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * Runs a command to its end and returns its stdout; if it fails, throws an error that says which
 * command, where, how it ended and everything it printed.
 */
export function runChecked(
  command: string,
  args: readonly string[],
  options: SpawnSyncOptions & { cwd: string },
): string {
  const result = spawnSync(command, args, {
    ...options,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status === 0) return String(result.stdout);
  throw new Error(
    describeFailure(`${[command, ...args].join(" ")} in ${options.cwd}`, {
      code: result.status,
      why: result.error?.message ?? (result.signal ? `stopped by ${result.signal}` : undefined),
      stdout: String(result.stdout ?? ""),
      stderr: String(result.stderr ?? ""),
    }),
  );
}

/** Throws, with its output, unless a create-space run succeeded. */
export function expectCreated(what: string, result: RunResult): RunResult {
  if (result.code !== 0) throw new Error(describeFailure(what, result));
  return result;
}

function describeFailure(
  what: string,
  result: { code: number | null; why?: string | undefined; stdout: string; stderr: string },
): string {
  return [
    `${what} failed (${result.why ?? `exit code ${result.code}`}).`,
    `stdout:\n${result.stdout.trim() || "(nothing)"}`,
    `stderr:\n${result.stderr.trim() || "(nothing)"}`,
  ].join("\n");
}

/** A fresh temporary folder, and a function that removes it. */
export function tempDir(prefix = "create-space-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The parsed front matter of a project's README.md. */
export function frontMatterOf(project: string): Record<string, unknown> {
  return readFrontMatter(readFileSync(join(project, "README.md"), "utf8")) as Record<string, unknown>;
}

/** A file of a project, as text. */
export function readProjectFile(project: string, path: string): string {
  return readFileSync(join(project, path), "utf8");
}

/** create-space in a pseudo-terminal (util-linux `script`), answered key by key. */
export class Terminal {
  private readonly child: ChildProcessWithoutNullStreams;
  private raw = "";
  readonly exited: Promise<number>;

  /** `env`: variables to set beside the clean environment (e.g. the npm cache to use). */
  constructor(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
    // A pseudo-terminal made without a terminal has no size: give it one, or clack wraps every character.
    const command = `stty cols 200 rows 50; ${["node", bin, ...args].map((word) => `'${word}'`).join(" ")}`;
    this.child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd,
      env: cleanEnv({ HF_HUB_OFFLINE: "1", TERM: "xterm-256color", ...env }),
    });
    this.child.stdout.on("data", (chunk) => {
      this.raw += chunk;
    });
    this.child.stderr.on("data", (chunk) => {
      this.raw += chunk;
    });
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code ?? 1)));
  }

  /** What the terminal showed, without colours and cursor moves. */
  get text(): string {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is removed.
    return this.raw.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, "");
  }

  /** Waits until the terminal shows `text`, or matches it (30 s deadline, for a busy machine). */
  async waitFor(text: string | RegExp): Promise<void> {
    const deadline = Date.now() + 30_000;
    const shown = () => (typeof text === "string" ? this.text.includes(text) : text.test(this.text));
    while (!shown()) {
      if (Date.now() > deadline)
        throw new Error(`The terminal never showed ${String(text)}. It showed:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Types keys, then waits until the prompt has redrawn. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      const before = this.raw.length;
      this.child.stdin.write(key);
      // Up to 20 s (a busy machine): the loop ends as soon as the prompt draws.
      const deadline = Date.now() + 20_000;
      while (this.raw.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    }
  }
}
