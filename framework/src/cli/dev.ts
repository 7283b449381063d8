import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import type { FSWatcher } from "node:fs";
import { watch } from "node:fs";
import { createServer } from "node:net";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { serverAddresses } from "./network.js";
import type { ShareChoice, Sharing } from "./share.js";
import { startSharing } from "./share.js";

/** What the server that `spacecraft dev` runs sends its parent: files to watch. */
interface WatchMessage {
  type: "spacecraft:watch";
  files: string[];
}

/** What the parent of `spacecraft dev` sends its server: the tunnel's host name, or null for none. */
interface SharedHostMessage {
  type: "spacecraft:shared-host";
  host: string | null;
}

/** `--share` under `spacecraft dev`: the tunnel lives in the parent, so restarts keep its URL. */
export interface DevShare {
  choice: ShareChoice;
  /** The port asked for; 0 is resolved once here, so every child (and the tunnel) uses the same. */
  port: number;
  host: string;
  hasAuth: boolean;
}

/** Gives a child that has not stopped this long after SIGTERM a SIGKILL. */
const KILL_AFTER_MS = 5000;

/**
 * `spacecraft dev`: runs the server in a child process and restarts it when a file it depends on
 * changes: the app, every module it imports and the example files it names, as the child reports
 * them. Other files in the folder (a log, a build) never restart it. One child at a time, and
 * none outlives this process.
 */
export async function watchAndRestart(app: string, argv: string[], share?: DevShare): Promise<void> {
  const cli = fileURLToPath(new URL("./main.js", import.meta.url));
  const children = new Set<ChildProcess>();
  let relaunch = false;
  let stopping = false;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  let launches = 0;
  let sharedHost: string | null = null;
  let sharing: Sharing | undefined;
  const port = share && share.port === 0 ? await freePort(share.host) : share?.port;
  const childArgv = port === undefined ? argv : [...argv, "--port", String(port)];

  const launch = () => {
    relaunch = false;
    const child = spawn(process.execPath, [cli, ...childArgv], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: {
        ...process.env,
        SPACECRAFT_DEV_CHILD: "1",
        ...(launches++ > 0 ? { SPACECRAFT_DEV_RESTARTED: "1" } : {}),
        ...(sharedHost ? { SPACECRAFT_SHARED_HOST: sharedHost } : {}),
      },
    });
    children.add(child);
    child.on("message", (message) => {
      if (isWatchMessage(message)) watcher.add(message.files);
    });
    child.on("error", (error) => console.error(`Spacecraft: could not start the server: ${error.message}`));
    child.once("exit", () => {
      children.delete(child);
      if (children.size === 0 && relaunch && !stopping) launch();
    });
  };
  const terminate = (child: ChildProcess) => {
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS).unref();
  };
  // Launches when every child has exited, so two servers never run at once.
  const restart = (file: string) => {
    console.log(`Spacecraft: ${relative(process.cwd(), file)} changed, restarting.`);
    if (children.size === 0) return launch();
    if (relaunch) return;
    relaunch = true;
    for (const child of children) terminate(child);
  };
  const watcher = new DependencyWatcher((file) => {
    if (stopping) return;
    clearTimeout(restartTimer);
    restartTimer = setTimeout(() => restart(file), 100);
  });
  watcher.add([resolve(app)]);

  const stop = () => {
    if (stopping) {
      for (const child of children) child.kill("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    sharing?.stop();
    clearTimeout(restartTimer);
    watcher.close();
    if (children.size === 0) process.exit(0);
    for (const child of children) {
      terminate(child);
      child.once("exit", () => {
        if (children.size === 0) process.exit(0);
      });
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Last resort (an exception here): the children would hold the port. They also exit when the IPC
  // channel closes, which covers SIGKILL.
  process.on("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
  launch();
  sharing =
    share && port !== undefined
      ? startSharing({
          choice: share.choice,
          port,
          host: share.host,
          localUrl: serverAddresses(share.host, port).local,
          hasAuth: share.hasAuth,
          onUrl: (url) => {
            sharedHost = url === undefined ? null : new URL(url).hostname;
            const message: SharedHostMessage = { type: "spacecraft:shared-host", host: sharedHost };
            for (const child of children) if (child.connected) child.send(message, undefined, {}, () => {});
          },
        })
      : undefined;
}

/** A port free on `host` now (for `--port 0`, chosen once so restarts keep it). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * In the server that `spacecraft dev` runs: follows the host name of the parent's tunnel (from
 * the environment at launch, then as the parent says), so the server answers to it. Elsewhere
 * `undefined`. `stop` stops listening, for a server that failed to start.
 */
export function followSharedHost():
  | { apply(server: { allowHost(name: string): () => void }): void; stop(): void }
  | undefined {
  if (!process.env.SPACECRAFT_DEV_CHILD || !process.send) return undefined;
  let host = process.env.SPACECRAFT_SHARED_HOST || null;
  let server: { allowHost(name: string): () => void } | undefined;
  let disallow: (() => void) | undefined;
  const update = () => {
    disallow?.();
    disallow = server && host ? server.allowHost(host) : undefined;
  };
  const onMessage = (message: unknown) => {
    if (!isSharedHostMessage(message)) return;
    host = message.host;
    update();
  };
  process.on("message", onMessage);
  return {
    apply(running) {
      server = running;
      update();
    },
    stop() {
      process.off("message", onMessage);
    },
  };
}

function isSharedHostMessage(message: unknown): message is SharedHostMessage {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as SharedHostMessage).type === "spacecraft:shared-host" &&
    (typeof (message as SharedHostMessage).host === "string" || (message as SharedHostMessage).host === null)
  );
}

/**
 * In the server that `spacecraft dev` runs: exits when the parent goes, and returns a function
 * that tells the parent which files to watch (modules outside `node_modules` and outside
 * Spacecraft itself; `file:` URLs or paths). Elsewhere `undefined`.
 */
export function devWatchReporter(): ((files: Iterable<string>) => void) | undefined {
  if (!process.env.SPACECRAFT_DEV_CHILD || !process.send) return undefined;
  if (!joinedParent) {
    joinedParent = true;
    process.on("disconnect", () => process.exit(0));
    // Listening for "disconnect" holds the channel open; a server that failed to start must still exit.
    process.channel?.unref();
  }
  return (files) => {
    const paths = [...files].flatMap((file) => {
      const path = file.startsWith("file:") ? fileURLToPath(file) : file;
      return isAbsolutePath(path) && isAppFile(path) ? [path] : [];
    });
    if (paths.length === 0 || !process.connected) return;
    const message: WatchMessage = { type: "spacecraft:watch", files: paths };
    // A callback keeps a send on a closing channel from throwing.
    process.send?.(message, undefined, {}, () => {});
  };
}

let joinedParent = false;

/** The folder of this package (`dist/cli/` is two levels down): its own files are not the app's. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

function isAppFile(path: string): boolean {
  return !path.split(sep).includes("node_modules") && !path.startsWith(PACKAGE_ROOT);
}

function isAbsolutePath(path: string): boolean {
  return resolve(path) === path;
}

function isWatchMessage(message: unknown): message is WatchMessage {
  return (
    typeof message === "object" &&
    message !== null &&
    (message as WatchMessage).type === "spacecraft:watch" &&
    Array.isArray((message as WatchMessage).files) &&
    (message as WatchMessage).files.every((file) => typeof file === "string")
  );
}

/**
 * Watches a set of files through their folders, so editors that save by replacing the file are
 * seen too, and calls `onChange` with the path of a watched file that changed.
 */
class DependencyWatcher {
  readonly #folders = new Map<string, { watcher: FSWatcher; names: Set<string> }>();
  readonly #onChange: (file: string) => void;

  constructor(onChange: (file: string) => void) {
    this.#onChange = onChange;
  }

  add(files: Iterable<string>): void {
    for (const file of files) {
      const folder = dirname(file);
      let entry = this.#folders.get(folder);
      if (!entry) {
        const names = new Set<string>();
        let watcher: FSWatcher;
        try {
          watcher = watch(folder, (_event, name) => {
            if (name && names.has(name.toString())) this.#onChange(join(folder, name.toString()));
          });
        } catch {
          continue; // The folder is gone; the next start reports what exists.
        }
        watcher.on("error", () => {
          watcher.close();
          this.#folders.delete(folder);
        });
        entry = { watcher, names };
        this.#folders.set(folder, entry);
      }
      entry.names.add(basename(file));
    }
  }

  close(): void {
    for (const { watcher } of this.#folders.values()) watcher.close();
    this.#folders.clear();
  }
}
