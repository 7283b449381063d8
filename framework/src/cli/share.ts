import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { terminalQrCode } from "./network.js";

/** The tunnel services `--share` can use. */
export type ShareProvider = "cloudflared" | "ngrok";

/** What `--share` asks for: a provider, or `auto` (cloudflared on the PATH, else ngrok with a token). */
export type ShareChoice = ShareProvider | "auto";

/** A running tunnel to the local server. */
interface Tunnel {
  readonly url: string;
  /** Settles with what happened when the tunnel stops on its own (never for ngrok's, which reconnects). */
  readonly ended: Promise<string>;
  close(): void;
}

/** Options of {@link startSharing}. */
export interface SharingOptions {
  choice: ShareChoice;
  /** The local port the tunnel forwards to. */
  port: number;
  /** The address the server listens on (a wildcard bind is reached at 127.0.0.1). */
  host: string;
  /** The server's own URL, for the messages that say it still serves locally. */
  localUrl: string;
  /** Whether sign-in is on (else the warning suggests `--auth`). */
  hasAuth: boolean;
  /** Called with each new public URL, and with `undefined` once sharing has stopped. */
  onUrl(url: string | undefined): void;
}

/** Sharing under way: {@link Sharing.stop} closes the tunnel (the process exit does too). */
export interface Sharing {
  stop(): void;
}

/** How long cloudflared may take to print its URL. */
const CLOUDFLARED_DEADLINE_MS = 30_000;

/** A quick tunnel's URL; `api.trycloudflare.com` (which its errors name) is where tunnels are asked for. */
const CLOUDFLARED_URL = /https:\/\/(?!api\.)[a-z0-9-]+\.trycloudflare\.com/;

const HOW_TO_GET_A_TUNNEL =
  "  Install cloudflared (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/),\n" +
  "  or set NGROK_AUTHTOKEN (https://dashboard.ngrok.com/get-started/your-authtoken) and run npm install @ngrok/ngrok.";

/** Every tunnel process this one started, killed when it exits: none outlives the server. */
const tunnelProcesses = new Set<ChildProcess>();
let exitHookSet = false;

/** Parses the value of `--share` (`auto` for a bare `--share`). */
export function parseShareChoice(value: string): ShareChoice | undefined {
  return value === "auto" || value === "cloudflared" || value === "ngrok" ? value : undefined;
}

/**
 * Shares the server through a tunnel, prints its public URL with a QR code, how long it lives and
 * who can use it, and keeps it up: a tunnel that dies is started once more; after a second death
 * (or when no provider is there) the server just goes on serving locally. Never throws.
 */
export function startSharing(options: SharingOptions): Sharing {
  let current: Tunnel | undefined;
  let stopped = false;
  const provider = pickProvider(options.choice);
  const local = `The demo is served locally only, at ${options.localUrl}.`;
  const run = async (provider: ShareProvider) => {
    const target = `http://${tunnelTarget(options.host)}:${options.port}`;
    let restarted = false;
    for (;;) {
      let tunnel: Tunnel;
      try {
        tunnel = await (provider === "cloudflared" ? openCloudflared(target) : openNgrok(options.port));
      } catch (error) {
        options.onUrl(undefined);
        const reason = error instanceof Error ? error.message : String(error);
        return console.log(`Spacecraft: could not share through ${provider}: ${reason}\n  ${local}`);
      }
      if (stopped) return tunnel.close();
      current = tunnel;
      options.onUrl(tunnel.url);
      console.log(await publicUrlLines(tunnel.url, provider, options.hasAuth, restarted));
      const ended = await tunnel.ended;
      current = undefined;
      if (stopped) return;
      if (restarted) {
        options.onUrl(undefined);
        return console.log(
          `Spacecraft: the ${provider} tunnel stopped again (${ended}). Sharing has stopped.\n  ${local}`,
        );
      }
      restarted = true;
      console.log(
        `Spacecraft: the ${provider} tunnel stopped (${ended}). Starting it once more; its URL will change.`,
      );
    }
  };
  if (typeof provider === "string") void run(provider);
  else console.log(`Spacecraft: ${provider.problem}\n  ${local}`);
  return {
    stop() {
      stopped = true;
      current?.close();
      current = undefined;
    },
  };
}

/** What `--share` will use, or why it cannot share and how to fix it. */
function pickProvider(choice: ShareChoice): ShareProvider | { problem: string } {
  const cloudflared = onPath("cloudflared");
  const token = Boolean(process.env.NGROK_AUTHTOKEN);
  if (choice === "cloudflared" && !cloudflared) {
    return {
      problem:
        "--share=cloudflared needs cloudflared on the PATH. Install it: https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/",
    };
  }
  if (choice === "ngrok" && !token) {
    return {
      problem:
        "--share=ngrok needs an ngrok authtoken: copy yours from https://dashboard.ngrok.com/get-started/your-authtoken and set NGROK_AUTHTOKEN.",
    };
  }
  if (choice !== "auto") return choice;
  if (cloudflared) return "cloudflared";
  if (token) return "ngrok";
  return { problem: `--share found no tunnel to share through.\n${HOW_TO_GET_A_TUNNEL}` };
}

/** The address a tunnel reaches the server at. */
function tunnelTarget(host: string): string {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "0.0.0.0" || bare === "::" || bare === "") return "127.0.0.1";
  return bare.includes(":") ? `[${bare}]` : bare;
}

async function publicUrlLines(
  url: string,
  provider: ShareProvider,
  hasAuth: boolean,
  restarted: boolean,
): Promise<string> {
  const lines = [`Spacecraft: shared at ${url} (through ${provider})`, "", await terminalQrCode(url)];
  if (restarted) return lines.join("\n");
  lines.push(
    provider === "cloudflared"
      ? "  The link lives as long as this process runs (a Cloudflare quick tunnel: no uptime guarantee, at most 200 requests at once)."
      : "  The link lives as long as this process runs (an ngrok tunnel).",
    hasAuth
      ? "  Anyone with the link can reach the sign-in page."
      : "  Anyone with the link can use this demo. To require sign-in, pass --auth user:password.",
  );
  if (provider === "cloudflared") {
    lines.push(
      "  Cloudflare says quick tunnels do not support Server-Sent Events. The page works (over its WebSocket),",
      "  but @gradio/client reads results from an event stream: expect each result only once the run is over",
      "  (no queue, progress or streamed output on the way), or none. To share the Gradio API, use --share=ngrok.",
    );
  }
  return lines.join("\n");
}

/** Starts `cloudflared tunnel --url <target>` and reads its URL from what it logs. */
function openCloudflared(target: string): Promise<Tunnel> {
  const child = spawn("cloudflared", ["tunnel", "--url", target], {
    // cloudflared logs on stderr; stdout is read too (and drained) in case a wrapper prints there.
    stdio: ["ignore", "pipe", "pipe"],
  });
  keepUntilExit(child);
  const log: string[] = [];
  const ended = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      tunnelProcesses.delete(child);
      resolve(signal ? `killed by ${signal}` : `cloudflared exited with code ${code}`);
    });
  });
  return new Promise<Tunnel>((resolve, reject) => {
    const lastLines = () => (log.length > 0 ? `\n  cloudflared said:\n    ${log.join("\n    ")}` : "");
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill("SIGTERM");
      reject(new Error(`${message}${lastLines()}`));
    };
    const timer = setTimeout(
      () => fail(`cloudflared printed no trycloudflare.com URL within ${CLOUDFLARED_DEADLINE_MS / 1000} s.`),
      CLOUDFLARED_DEADLINE_MS,
    );
    child.on("error", (error) => fail(`cannot run cloudflared (${error.message}).`));
    const read = (stream: NodeJS.ReadableStream | null) => {
      let buffered = "";
      stream?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (line.trim() === "") continue;
          log.push(line.trim());
          if (log.length > 8) log.shift();
          const url = CLOUDFLARED_URL.exec(line)?.[0];
          if (url === undefined) continue;
          clearTimeout(timer);
          resolve({ url, ended, close: () => child.kill("SIGTERM") });
        }
      });
    };
    read(child.stderr);
    read(child.stdout);
    void ended.then((reason) => fail(`${reason} before it printed its URL.`));
  });
}

/** The part of `@ngrok/ngrok` this uses (an optional peer: it ships a native binary per platform). */
interface NgrokModule {
  forward(options: { addr: number; authtoken_from_env: boolean }): Promise<{
    url(): string | null;
    close(): Promise<void>;
  }>;
}

/** Forwards an ngrok endpoint to the port, through `@ngrok/ngrok` (reads NGROK_AUTHTOKEN). */
async function openNgrok(port: number): Promise<Tunnel> {
  const name = "@ngrok/ngrok";
  let ngrok: NgrokModule;
  try {
    ngrok = (await import(name)) as NgrokModule;
  } catch {
    throw new Error(
      "the @ngrok/ngrok package is not installed. Run npm install @ngrok/ngrok, then start again.",
    );
  }
  const listener = await ngrok.forward({ addr: port, authtoken_from_env: true });
  const url = listener.url();
  if (!url) {
    await listener.close();
    throw new Error("ngrok gave no URL for the tunnel.");
  }
  return { url, ended: new Promise(() => {}), close: () => void listener.close().catch(() => {}) };
}

function keepUntilExit(child: ChildProcess): void {
  tunnelProcesses.add(child);
  if (exitHookSet) return;
  exitHookSet = true;
  process.on("exit", () => {
    for (const tunnel of tunnelProcesses) tunnel.kill("SIGTERM");
  });
}

/** Whether an executable of this name is in a folder of the PATH. */
function onPath(name: string): boolean {
  const names = process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (folder === "") continue;
    for (const file of names) {
      try {
        accessSync(join(folder, file), constants.X_OK);
        return true;
      } catch {}
    }
  }
  return false;
}
