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
export function startCli(
  app: string,
  env: NodeJS.ProcessEnv = process.env,
  args: readonly string[] = [],
): Promise<StartedCli> {
  const child = spawn(process.execPath, [cli, "start", app, "--port", "0", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app} did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child, output: () => output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${app} exited with ${code}: ${output}`));
    });
  });
}

/** The CLI's entry file, for tests that run other commands. */
export const CLI_PATH = cli;
