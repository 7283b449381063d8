import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One `location` of the proxy: the public prefix, and the server behind it. */
export interface ProxiedApp {
  /** Public path, such as `/demo` (no trailing slash). */
  prefix: string;
  /** The app server's base URL, `http://127.0.0.1:PORT`. */
  upstream: string;
  /**
   * `strip` (default): nginx drops the prefix (`proxy_pass http://app/;`); `keep`: the app gets
   * the whole path (`proxy_pass http://app;`).
   */
  path?: "strip" | "keep";
  /**
   * HTTP version to the app: `1.1` (default; WebSockets need it), or `1.0`, nginx's own default,
   * where responses are not chunked and a buffering nginx holds an event stream's events back
   * until its buffer fills, unless the app says `X-Accel-Buffering: no`.
   */
  httpVersion?: "1.0" | "1.1";
  /** Extra `proxy_set_header` lines' names and values (nginx variables allowed). */
  headers?: Record<string, string>;
}

/** A running nginx in front of the apps. */
export interface Nginx {
  /** `http://127.0.0.1:PORT` of the proxy. */
  readonly url: string;
  /** What nginx wrote to its error log so far (for assertion messages). */
  errors(): Promise<string>;
  close(): Promise<void>;
}

const INSTALL_HINT =
  "nginx is not installed, and the reverse-proxy tests need a real one. Install it with " +
  '"sudo apt-get install -y nginx" (Debian/Ubuntu; .ci/run does it), or set NGINX_PATH to an nginx binary.';

/** The nginx binary: $NGINX_PATH, /usr/sbin/nginx, or one on the PATH; throws how to install it. */
export function nginxBinary(): string {
  const candidates = [process.env.NGINX_PATH, "/usr/sbin/nginx", "/usr/local/sbin/nginx"];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  try {
    return execFileSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" }).trim() || fail();
  } catch {
    return fail();
  }
}

function fail(): never {
  throw new Error(INSTALL_HINT);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The config of a proxy as the README shows it, one `location` per app: HTTP/1.1 with the
 * WebSocket upgrade headers, `X-Forwarded-*` (plus each app's own headers), and `proxy_buffering`
 * left on (nginx's default), so event streams pass at once only when the app says
 * `X-Accel-Buffering: no`. Everything nginx writes stays in `dir`.
 */
function nginxConfig(dir: string, port: number, apps: readonly ProxiedApp[]): string {
  const locations = apps.map((app) => {
    const upstream = app.path === "keep" ? app.upstream : `${app.upstream}/`;
    const extra = Object.entries(app.headers ?? {}).map(
      ([name, value]) => `      proxy_set_header ${name} ${value};`,
    );
    const upgrade =
      app.httpVersion === "1.0"
        ? ""
        : `
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;`;
    return `    location ${app.prefix}/ {
      proxy_pass ${upstream};
      proxy_http_version ${app.httpVersion ?? "1.1"};${upgrade}
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
${extra.join("\n")}
      proxy_buffering on;
      proxy_read_timeout 120s;
      client_max_body_size 50m;
    }`;
  });
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${port};
${locations.join("\n")}
  }
}
`;
}

/**
 * Starts nginx as this user (no root: a free port above 1024, every path in a temp folder) in
 * front of `apps`, and resolves once it answers. Fails, saying how to install it, without nginx.
 */
export async function startNginx(apps: readonly ProxiedApp[]): Promise<Nginx> {
  const binary = nginxBinary();
  const dir = await mkdtemp(join(tmpdir(), "spacecraft-nginx-"));
  let lastProblem = "";
  // The free port could be taken between the probe and nginx's bind: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    await writeFile(join(dir, "nginx.conf"), nginxConfig(dir, port, apps));
    const child = spawn(binary, ["-p", dir, "-e", join(dir, "error.log"), "-c", join(dir, "nginx.conf")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const up = await answers(url, exited);
    if (up) return running(url, dir, child, exited);
    lastProblem = `${stderr}${await readLog(dir)}`;
    child.kill("SIGKILL");
    if (!/Address already in use/i.test(lastProblem)) break;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`nginx did not start: ${lastProblem.trim() || "no message"}`);
}

/** True once `url` answers over HTTP (any status), false if nginx exits or 30 s pass (a busy machine). */
async function answers(url: string, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  while (!gone && Date.now() < deadline) {
    try {
      await fetch(url);
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}

async function readLog(dir: string): Promise<string> {
  return readFile(join(dir, "error.log"), "utf8").catch(() => "");
}

function running(url: string, dir: string, child: ChildProcess, exited: Promise<number | null>): Nginx {
  return {
    url,
    errors: () => readLog(dir),
    async close() {
      if (child.exitCode === null) {
        child.kill("SIGQUIT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
