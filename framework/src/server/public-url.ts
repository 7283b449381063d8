import type { IncomingMessage } from "node:http";
import type { Request } from "express";
import { DeclarationError } from "../errors.js";

/**
 * Where visitors reach the server when it is not at the root of its host: `rootPath` as given to
 * `serve` (`/demo`, or a whole URL such as `https://example.com/demo`), split and normalised.
 */
export interface RootPath {
  /** The path prefix, without a trailing slash: `/demo`, or `""` at the root. */
  readonly path: string;
  /** The origin when `rootPath` was a whole URL (then headers never change it), else undefined. */
  readonly origin?: string;
}

/** One or more path segments of letters, digits and `-._~!$&'()*+,;=:@%`, never `.` or `..`. */
const PATH_PATTERN = /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)+$/;

/**
 * Checks and normalises a root path (`serve`'s `rootPath`, `--root-path`, `SPACECRAFT_ROOT_PATH`):
 * a path such as `/demo` (a leading slash is added, a trailing one dropped), or an http(s) URL
 * whose path is the prefix. `where` names the source in the error.
 */
export function parseRootPath(value: string, where: string): RootPath {
  const text = value.trim();
  const fail = (why: string) =>
    new DeclarationError(
      `${where}: "${value}" is not a root path (${why}). Give the path the proxy serves the app under, such as "/demo", or a whole URL such as "https://example.com/demo".`,
    );
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw fail("not a valid URL");
    }
    if (url.search || url.hash || url.username || url.password)
      throw fail("a URL with a query, fragment or credentials");
    return { origin: url.origin, path: checkedPath(url.pathname, fail) };
  }
  if (text.includes("://")) throw fail("only http and https URLs");
  return { path: checkedPath(text.startsWith("/") ? text : `/${text}`, fail) };
}

function checkedPath(raw: string, fail: (why: string) => Error): string {
  const path = raw.replace(/\/+$/, "");
  if (path === "") return "";
  if (!PATH_PATTERN.test(path)) throw fail("only letters, digits and -._~!$&'()*+,;=:@% between slashes");
  if (path.split("/").some((segment) => segment === "." || segment === ".."))
    throw fail("no . or .. segments");
  return path;
}

/** A prefix a proxy states in `X-Forwarded-Prefix`: undefined when absent, null when malformed. */
export function forwardedPrefix(request: IncomingMessage): string | undefined | null {
  const header = request.headers["x-forwarded-prefix"];
  if (header === undefined) return undefined;
  const first = String(header).split(",")[0]?.trim() ?? "";
  const path = first.replace(/\/+$/, "");
  if (path === "") return "";
  return path.startsWith("/") &&
    PATH_PATTERN.test(path) &&
    !path.split("/").some((segment) => segment === "." || segment === "..")
    ? path
    : null;
}

/** Whether the peer that sent `request` is a trusted proxy (Express's `trust proxy`). */
export function fromTrustedProxy(request: Request): boolean {
  const trust = request.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  return trust(request.socket.remoteAddress, 0);
}

/** How an app finds its public URL: its root path, and whether X-Forwarded-Host/-Prefix count. */
interface PublicUrlRules {
  readonly rootPath: RootPath;
  /** True when `trustProxy` was given: a trusted proxy's X-Forwarded-Host and -Prefix count. */
  readonly forwarded: boolean;
}

const rules = new WeakMap<object, PublicUrlRules>();

/** Tells {@link publicRoot} how an Express app is reached (set once by `serve`). */
export function setPublicUrlRules(app: object, rootPath: RootPath, forwarded: boolean): void {
  rules.set(app, { rootPath, forwarded });
}

/**
 * The host the visitor asked for: a trusted proxy's `X-Forwarded-Host` when `trustProxy` was
 * given (Express's `request.host`), else the Host header. `serve` checks both against its hosts.
 */
export function publicHost(request: Request): string | undefined {
  return rules.get(request.app)?.forwarded ? request.host : request.get("host");
}

/**
 * The path prefix visitors use for this request: a trusted proxy's `X-Forwarded-Prefix` when it
 * sends one (and `trustProxy` was given), else the server's root path; `""` at the root. The
 * server refused a malformed prefix before any route ran.
 */
export function publicPrefix(request: Request): string {
  const app = rules.get(request.app);
  if (app?.forwarded && app.rootPath.origin === undefined && fromTrustedProxy(request)) {
    const stated = forwardedPrefix(request);
    if (typeof stated === "string") return stated;
  }
  return app?.rootPath.path ?? "";
}

/**
 * The public URL of the app's root for this request, without a trailing slash
 * (`https://example.com/demo`): the root path's origin when it was a whole URL; else the scheme
 * (`X-Forwarded-Proto` only from a trusted proxy, as Express reads it), {@link publicHost} and
 * {@link publicPrefix}. Absolute URLs the server writes (Gradio's file URLs, MCP's, the OAuth
 * `redirect_uri`) start with it.
 */
export function publicRoot(request: Request): string {
  const rootPath = rules.get(request.app)?.rootPath;
  if (rootPath?.origin !== undefined) return `${rootPath.origin}${rootPath.path}`;
  const protocol = request.protocol === "https" ? "https" : "http";
  return `${protocol}://${publicHost(request) ?? "localhost"}${publicPrefix(request)}`;
}

/**
 * The header every event stream sends, so a buffering proxy (nginx's `proxy_buffering on`, the
 * default) passes each event on as it comes instead of holding them until the response ends.
 */
export const UNBUFFERED = { "X-Accel-Buffering": "no" } as const;
