import { spawn } from "node:child_process";
import type { PackageManager } from "./package-manager.js";
import { installCommand } from "./package-manager.js";

/** How an install ended, with everything it printed (stdout and stderr, in order). */
export interface InstallResult {
  ok: boolean;
  /** Why it failed: `exit code 1`, or the error that kept it from starting. */
  why?: string;
  output: string;
}

/** The most output kept: the end of it, where a package manager says what went wrong. */
const MAX_OUTPUT_CHARS = 64 * 1024;

/**
 * Runs the package manager's install in `dir` with its output captured, not printed: a spinner
 * can run meanwhile, and the output is shown only if the install fails.
 */
export function runInstall(pm: PackageManager, dir: string, env: NodeJS.ProcessEnv): Promise<InstallResult> {
  const [command = "npm", ...args] = installCommand(pm);
  const quiet = pm.name === "npm" ? ["--no-audit", "--no-fund"] : [];
  return new Promise((resolve) => {
    let output = "";
    let cut = false;
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > MAX_OUTPUT_CHARS) {
        output = output.slice(-MAX_OUTPUT_CHARS);
        cut = true;
      }
    };
    const child = spawn(command, [...args, ...quiet], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const shown = () => (cut ? `…(earlier output cut)\n${output}` : output);
    child.once("error", (error) => resolve({ ok: false, why: error.message, output: shown() }));
    child.once("close", (code, signal) => {
      if (code === 0) resolve({ ok: true, output: shown() });
      else
        resolve({ ok: false, why: signal ? `stopped by ${signal}` : `exit code ${code}`, output: shown() });
    });
  });
}
