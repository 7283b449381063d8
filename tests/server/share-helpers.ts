import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, buildConnector } from "undici";
import { CLI_PATH } from "./cli.js";

/** The folder of the stand-in `cloudflared`. */
export const STAND_IN_FOLDER = fileURLToPath(new URL("../fixtures/cloudflared/", import.meta.url));

/** A PATH with the stand-in first (and node, which its `#!/usr/bin/env node` needs). */
export const PATH_WITH_STAND_IN = [STAND_IN_FOLDER, dirname(process.execPath), process.env.PATH].join(
  delimiter,
);

/** A PATH with node and nothing else: no cloudflared. */
export const PATH_WITHOUT_TUNNEL = dirname(process.execPath);

/** A running `spacecraft` process and what it printed, stdout and stderr together. */
export interface CliRun {
  child: ChildProcess;
  output(): string;
  /** Waits until the output matches (30 s), returns the match; fails with the output so far. */
  waitFor(pattern: RegExp, what: string, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Runs `spacecraft <args>` with `env` (NGROK_AUTHTOKEN removed unless given). */
export function runCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  const { NGROK_AUTHTOKEN: _token, ...base } = process.env;
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const wake of [...waiters]) wake();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, what, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(output);
          if (!match) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out waiting for ${what}. Output so far:\n${output}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** One start of the stand-in, as it logs them. */
export interface StandInStart {
  pid: number;
  url: string;
  port: number;
}

/** The starts of the stand-in that logged to `file`, in order. */
export function standInStarts(file: string): StandInStart[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as StandInStart);
}

/** Whether a process with this id is still running. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Polls `read` until it returns something other than undefined; past the deadline, says what it waited for. */
export async function poll<T>(
  what: string,
  read: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The name → port map of the stand-in tunnels, and a fetch dispatcher that connects to
 * `*.trycloudflare.com` at the mapped local port (as Chromium's `--host-resolver-rules` does), so
 * requests keep the tunnel's name in their URL, Host header and Origin.
 */
export function tunnelDispatcher(): { map: Map<string, number>; dispatcher: Agent } {
  const map = new Map<string, number>();
  const connect = buildConnector({});
  const dispatcher = new Agent({
    connect: (options, callback) => {
      const port = map.get(options.hostname);
      connect(
        port === undefined ? options : { ...options, hostname: "127.0.0.1", port: String(port) },
        callback,
      );
    },
  });
  return { map, dispatcher };
}
