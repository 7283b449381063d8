import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../framework/bin/spacecraft.js", import.meta.url));

/** A `spacecraft start` process and what it printed. */
export interface StartedCli {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Runs `spacecraft start <app> --port 0` (and `args`) and resolves with its URL once it prints it. */
export async function startCli(
  app: string,
  env: NodeJS.ProcessEnv = process.env,
  args: readonly string[] = [],
): Promise<StartedCli> {
  const child = spawn(process.execPath, [cli, "start", app, "--port", "0", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { child, ...(await waitForUrl(child, app, 30_000)) };
}

/** Waits for a server's "running at <url>" line (`spacecraft start`, `dev`); its URL and output. */
export async function waitForUrl(
  child: ChildProcess,
  what: string,
  timeoutMs: number,
): Promise<{ url: string; output: () => string }> {
  const { match, output } = await waitForOutput(child, what, timeoutMs, /running at (http:\/\/\S+)/);
  return { url: match[1] as string, output };
}

/** What `waitForOutput` found: the match, and all the child printed (so far, whenever asked). */
export interface PrintedOutput {
  match: RegExpExecArray;
  output: () => string;
}

/**
 * Waits until the child's output (stdout and stderr together) matches `ready`; fails saying that
 * `what` did not start within `timeoutMs`, or exited first, with what it printed.
 */
export function waitForOutput(
  child: ChildProcess,
  what: string,
  timeoutMs: number,
  ready: RegExp,
): Promise<PrintedOutput> {
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s: ${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ match, output: () => output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready: ${output}`));
    });
  });
}

/** The CLI's entry file, for tests that run other commands. */
export const CLI_PATH = cli;
