import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import busboy from "busboy";
import { serialize } from "cookie";
import type { Request, RequestHandler, Response } from "express";
import express from "express";
import { ipKeyGenerator } from "express-rate-limit";
import { publicPrefix } from "./public-url.js";

/** A username and its password. */
export type AuthPair = readonly [username: string, password: string];

/** Pairs, one pair, or a check. */
export type AuthOption =
  | AuthPair
  | readonly AuthPair[]
  | ((username: string, password: string) => boolean | Promise<boolean>);

/** Options of {@link passwordAuth}. */
export interface PasswordAuthOptions {
  /** The Space's title, shown on the login page. */
  title?: string;
  /** The login page's colours: the system's (default), or always light or dark. */
  theme?: "system" | "light" | "dark";
  /** How long a session lasts after signing in (default 7 days). */
  sessionTtlMs?: number;
  /** How long a session lasts without a request (default 24 hours). */
  idleTtlMs?: number;
  /** Most sessions kept; past it the oldest is forgotten (default 10,000). */
  maxSessions?: number;
  /** Failed sign-ins allowed per client address, and per username, in each window (default 10). */
  maxFailures?: number;
  /** The window of {@link maxFailures} (default 10 minutes). */
  failureWindowMs?: number;
  /** Where an auth check that throws is logged (default `console.error`). */
  logError?: (message: string, error: unknown) => void;
  /** The clock, in milliseconds (default `Date.now`; tests pass their own). */
  now?: () => number;
}

/** Password sign-in for a server: the login routes, a gate for everything else, and the session lookup. */
export interface PasswordAuth {
  /** GET /login (the page), POST /login, GET /logout. Mount before everything else. */
  readonly router: express.Router;
  /** Express middleware that refuses everything not signed in (except the login routes): HTML navigations redirect to /login?next=<path>, other requests get 401 JSON. */
  readonly gate: RequestHandler;
  /** The signed-in username of a request (its session cookie, or Basic credentials the gate checked), or undefined. Synchronous; works on WebSocket upgrades. */
  userOf(request: IncomingMessage): string | undefined;
  /** Forget every session (on shutdown) and stop timers. */
  close(): void;
}

/** Name of the session cookie. */
export const SESSION_COOKIE = "spacecraft-session";

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_BODY_BYTES = 64 * 1024;
const MAX_FIELD_CHARS = 4096;
/** Most clients (addresses and usernames) the failure counter tracks at once. */
const MAX_TRACKED_KEYS = 10_000;
const SWEEP_INTERVAL_MS = 60_000;
/** Paths open to everyone besides the login routes. */
const OPEN_PATHS = new Set(["/login", "/logout", "/favicon.ico"]);

/**
 * Parses `user:pass` items (the CLI's repeated `--auth`, or `SPACECRAFT_AUTH` split on commas).
 * The password is everything after the first colon; blank items are skipped.
 * @throws Error naming the bad item (by position and username, never showing a password).
 * @example
 * parseAuthPairs(["alice:s3cret", "bob:pa:ss"]) // [["alice", "s3cret"], ["bob", "pa:ss"]]
 */
export function parseAuthPairs(texts: readonly string[]): AuthPair[] {
  const pairs: AuthPair[] = [];
  const seen = new Set<string>();
  texts.forEach((raw, index) => {
    const text = raw.trim();
    if (text === "") return;
    const item = `Auth item ${index + 1}`;
    const colon = text.indexOf(":");
    if (colon === -1) {
      throw new Error(`${item} has no ":". Write each as user:password, e.g. --auth alice:s3cret.`);
    }
    const username = text.slice(0, colon);
    const password = text.slice(colon + 1);
    if (username === "") throw new Error(`${item} has an empty username. Write it as user:password.`);
    if (password === "") {
      throw new Error(`${item} ("${username}:") has an empty password. Write it as ${username}:password.`);
    }
    if (seen.has(username)) {
      throw new Error(`${item}: the user "${username}" is given twice. Give each user one password.`);
    }
    seen.add(username);
    pairs.push([username, password]);
  });
  if (pairs.length === 0) {
    throw new Error("No user:password pairs were given. Write them as --auth alice:s3cret (one per user).");
  }
  return pairs;
}

/**
 * A local path (and query and fragment) from an untrusted `next` value, or `/`. Anything that
 * could leave the site (`//evil.com`, `\\evil.com`, `https://evil`, `/\evil`, `/.//evil`, control
 * characters) becomes `/` (the open-redirect class of CVE-2026-28415).
 * @example
 * safeNextPath("/?text=hi") // "/?text=hi"
 * safeNextPath("//evil.com") // "/"
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2048) return "/";
  // Browsers drop tabs and newlines inside URLs, and read a backslash as a slash.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\u0000-\u001f\u007f\\]/.test(next) || next.startsWith("//")) return "/";
  const base = "http://spacecraft.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can leave `//host` behind ("/.//evil.com" → "//evil.com").
  if (!path.startsWith("/") || path.startsWith("//") || /^\/(login|logout)(\/|\?|#|$)/i.test(path))
    return "/";
  return path;
}

/**
 * Password sign-in: a login page, session cookies, and a gate for every other route.
 * Mount `router` first, then `gate`, then the rest of the app; check `userOf` on WebSocket upgrades.
 * @example
 * const auth = passwordAuth([["alice", "s3cret"]], { title: "My Space" })
 * app.use(auth.router, auth.gate)
 * server.on("upgrade", (request, socket) => { if (!auth.userOf(request)) socket.destroy() })
 */
export function passwordAuth(auth: AuthOption, options: PasswordAuthOptions = {}): PasswordAuth {
  const verify = credentialCheck(auth);
  const now = options.now ?? Date.now;
  const logError =
    options.logError ??
    ((message: string, error: unknown) =>
      error === undefined ? console.error(message) : console.error(message, error));
  const page = { title: options.title ?? "Spacecraft", theme: options.theme ?? "system" };
  const sessions = new SessionStore({
    ttlMs: options.sessionTtlMs ?? 7 * DAY_MS,
    idleMs: options.idleTtlMs ?? DAY_MS,
    max: options.maxSessions ?? 10_000,
    now,
  });
  const failures = new FailureLimiter({
    limit: options.maxFailures ?? 10,
    windowMs: options.failureWindowMs ?? 10 * 60 * 1000,
    maxKeys: MAX_TRACKED_KEYS,
    now,
  });
  const sweep = setInterval(() => {
    sessions.sweep();
    failures.sweep();
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  /** Requests the gate let in on `Authorization: Basic` credentials, and as whom. */
  const basicUsers = new WeakMap<IncomingMessage, string>();
  const userOf = (request: IncomingMessage): string | undefined => {
    const basic = basicUsers.get(request);
    if (basic !== undefined) return basic;
    for (const token of cookieValues(request.headers.cookie, SESSION_COOKIE)) {
      const user = sessions.userOf(token);
      if (user !== undefined) return user;
    }
    return undefined;
  };

  /**
   * Checks one sign-in attempt under the rate limit: the attempt counts as a failure until it
   * succeeds, so parallel guesses cannot slip past the limit.
   */
  const attempt = async (request: IncomingMessage, username: string, password: string): Promise<Outcome> => {
    const address = clientKey(request);
    const keys = [`ip:${address}`, `user:${sha256(username).toString("base64url")}`];
    const wait = failures.retryAfter(keys);
    if (wait !== undefined) return { kind: "limited", retryAfter: wait };
    failures.hit(keys);
    let ok: boolean;
    try {
      ok = await verify(username, password);
    } catch (error) {
      logError("[spacecraft] The sign-in check (the auth option) threw; answered 500.", error);
      return { kind: "broken" };
    }
    if (!ok) {
      const closedFor = failures.retryAfter(keys);
      if (closedFor !== undefined && failures.reachedNow(keys)) {
        logError(
          `[spacecraft] Too many failed sign-ins from ${address} or as ${JSON.stringify(username.slice(0, 64))}: ` +
            `refusing them for ${closedFor} s.`,
          undefined,
        );
      }
      return { kind: "wrong" };
    }
    failures.refund(keys);
    return { kind: "ok", username };
  };

  const router = express.Router();

  router.get("/login", (request, response) => {
    const next = safeNextPath(request.query.next);
    if (userOf(request) !== undefined) {
      noStore(response).redirect(302, `${publicPrefix(request)}${next}`);
      return;
    }
    sendPage(response, 200, { ...page, next });
  });

  router.post("/login", async (request, response) => {
    noStore(response);
    const fromPage = wantsHtml(request) && !isJson(request);
    let fields: Record<string, unknown>;
    try {
      fields = await readFields(request);
    } catch (error) {
      const { status, message, close } =
        error instanceof HttpError ? error : new HttpError(400, String(error));
      if (close) response.setHeader("Connection", "close");
      if (fromPage)
        sendPage(response, status, { ...page, next: safeNextPath(request.query.next), error: message });
      else sendJson(response, status, message, message);
      return;
    }
    const next = safeNextPath(fields.next ?? request.query.next);
    const { username, password } = fields;
    const problem = fieldProblem("username", username) ?? fieldProblem("password", password);
    if (problem !== undefined || typeof username !== "string" || typeof password !== "string") {
      const message = problem ?? "Send the fields username and password.";
      if (fromPage) {
        const shown = typeof username === "string" ? username : undefined;
        sendPage(response, 400, { ...page, next, username: shown, error: message });
      } else sendJson(response, 400, message, message);
      return;
    }
    const outcome = await attempt(request, username, password);
    switch (outcome.kind) {
      case "ok": {
        for (const old of cookieValues(request.headers.cookie, SESSION_COOKIE)) sessions.delete(old);
        const token = sessions.create(outcome.username);
        response.append(
          "Set-Cookie",
          serialize(SESSION_COOKIE, token, {
            ...cookieAttributes(request),
            maxAge: Math.floor((options.sessionTtlMs ?? 7 * DAY_MS) / 1000),
          }),
        );
        if (fromPage) response.redirect(303, `${publicPrefix(request)}${next}`);
        else response.status(200).json({ success: true });
        return;
      }
      case "wrong": {
        const message = "Incorrect username or password. Check them and try again.";
        if (fromPage) sendPage(response, 401, { ...page, next, username, error: message });
        else response.status(401).json({ error: message, detail: "Incorrect credentials." });
        return;
      }
      case "limited": {
        response.setHeader("Retry-After", String(outcome.retryAfter));
        const message = tooManyMessage(outcome.retryAfter);
        if (fromPage) sendPage(response, 429, { ...page, next, username, error: message });
        else sendJson(response, 429, message, message);
        return;
      }
      case "broken": {
        const message =
          "The sign-in check of this Space failed, so nobody can sign in right now. " +
          "Its owner can find the error in the server log.";
        if (fromPage) sendPage(response, 500, { ...page, next, username, error: message });
        else sendJson(response, 500, message, message);
        return;
      }
    }
  });

  const logout = (request: Request, response: Response) => {
    for (const token of cookieValues(request.headers.cookie, SESSION_COOKIE)) sessions.delete(token);
    response.append("Set-Cookie", serialize(SESSION_COOKIE, "", { ...cookieAttributes(request), maxAge: 0 }));
    noStore(response).redirect(request.method === "GET" ? 302 : 303, `${publicPrefix(request)}/login`);
  };
  router.get("/logout", logout);
  router.post("/logout", logout);

  const gate: RequestHandler = (request, response, next) => {
    // Preflights carry no credentials; the request that follows them is checked.
    if (request.method === "OPTIONS" || OPEN_PATHS.has(request.path)) return next();
    if (userOf(request) !== undefined) return next();
    const basic = basicCredentials(request.headers.authorization);
    if (basic === undefined) return refuse(request, response);
    attempt(request, basic.username, basic.password).then(
      (outcome) => {
        if (outcome.kind === "ok") {
          basicUsers.set(request, outcome.username);
          return next();
        }
        noStore(response);
        if (outcome.kind === "limited") {
          response.setHeader("Retry-After", String(outcome.retryAfter));
          const message = tooManyMessage(outcome.retryAfter);
          sendJson(response, 429, message, message);
        } else if (outcome.kind === "wrong") {
          const message = "Incorrect username or password in the Authorization header.";
          response.status(401).json({
            error: message,
            detail: { error: "Incorrect credentials.", auth_message: message },
          });
        } else {
          const message =
            "The sign-in check of this Space failed. Its owner can find the error in the server log.";
          sendJson(response, 500, message, message);
        }
      },
      (error: unknown) => next(error),
    );
  };

  return {
    router,
    gate,
    userOf,
    close() {
      clearInterval(sweep);
      sessions.clear();
      failures.clear();
    },
  };
}

type Outcome =
  | { kind: "ok"; username: string }
  | { kind: "wrong" }
  | { kind: "limited"; retryAfter: number }
  | { kind: "broken" };

/**
 * The check behind an {@link AuthOption}. Pairs are compared in constant time: SHA-256 digests
 * through `timingSafeEqual`, every pair checked, no early exit.
 */
function credentialCheck(auth: AuthOption): (username: string, password: string) => Promise<boolean> {
  if (typeof auth === "function")
    return async (username, password) => (await auth(username, password)) === true;
  const pairs = isPairList(auth) ? auth : [auth as AuthPair];
  if (pairs.length === 0) throw new TypeError("auth has no user:password pairs. Give at least one.");
  const digests = pairs.map((pair, index) => {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
      throw new TypeError(`auth pair ${index + 1} is not [username, password] (two strings).`);
    }
    if (pair[0] === "" || pair[1] === "") {
      throw new TypeError(`auth pair ${index + 1} has an empty ${pair[0] === "" ? "username" : "password"}.`);
    }
    return { username: sha256(pair[0]), password: sha256(pair[1]) };
  });
  return async (username, password) => {
    const user = sha256(username);
    const pass = sha256(password);
    let matched = 0;
    for (const digest of digests) {
      matched |=
        Number(timingSafeEqual(user, digest.username)) & Number(timingSafeEqual(pass, digest.password));
    }
    return matched === 1;
  };
}

function isPairList(auth: AuthPair | readonly AuthPair[]): auth is readonly AuthPair[] {
  return auth.length === 0 || Array.isArray(auth[0]);
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Sessions in memory under the SHA-256 of their token; bounded, expiring after a total and an idle time. */
class SessionStore {
  readonly #sessions = new Map<string, { username: string; created: number; lastSeen: number }>();
  readonly #options: { ttlMs: number; idleMs: number; max: number; now: () => number };

  constructor(options: { ttlMs: number; idleMs: number; max: number; now: () => number }) {
    this.#options = options;
  }

  /** A new session for `username`; returns its token (for the cookie). */
  create(username: string): string {
    const token = randomBytes(32).toString("base64url");
    const time = this.#options.now();
    while (this.#sessions.size >= this.#options.max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    this.#sessions.set(key(token), { username, created: time, lastSeen: time });
    return token;
  }

  /** The username of a live session (and marks it used), or undefined. */
  userOf(token: string): string | undefined {
    if (token.length > 128) return undefined;
    const id = key(token);
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const time = this.#options.now();
    if (this.#expired(session, time)) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeen = time;
    return session.username;
  }

  delete(token: string): void {
    this.#sessions.delete(key(token));
  }

  /** Drops expired sessions. */
  sweep(): void {
    const time = this.#options.now();
    for (const [id, session] of this.#sessions) if (this.#expired(session, time)) this.#sessions.delete(id);
  }

  clear(): void {
    this.#sessions.clear();
  }

  #expired(session: { created: number; lastSeen: number }, time: number): boolean {
    return time - session.created >= this.#options.ttlMs || time - session.lastSeen >= this.#options.idleMs;
  }
}

function key(token: string): string {
  return sha256(token).toString("base64url");
}

/** Counts failures per key in fixed windows; tracks at most `maxKeys` keys (the oldest go first). */
class FailureLimiter {
  readonly #entries = new Map<string, { count: number; resetAt: number }>();
  readonly #options: { limit: number; windowMs: number; maxKeys: number; now: () => number };

  constructor(options: { limit: number; windowMs: number; maxKeys: number; now: () => number }) {
    this.#options = options;
  }

  /** Seconds until the first of `keys` that is over the limit may try again, or undefined. */
  retryAfter(keys: readonly string[]): number | undefined {
    const time = this.#options.now();
    let wait: number | undefined;
    for (const name of keys) {
      const entry = this.#entries.get(name);
      if (!entry || entry.resetAt <= time || entry.count < this.#options.limit) continue;
      const seconds = Math.max(1, Math.ceil((entry.resetAt - time) / 1000));
      wait = Math.max(wait ?? 0, seconds);
    }
    return wait;
  }

  hit(keys: readonly string[]): void {
    const time = this.#options.now();
    for (const name of keys) {
      const entry = this.#entries.get(name);
      if (entry && entry.resetAt > time) {
        entry.count += 1;
        continue;
      }
      this.#entries.delete(name);
      while (this.#entries.size >= this.#options.maxKeys) {
        const oldest = this.#entries.keys().next().value;
        if (oldest === undefined) break;
        this.#entries.delete(oldest);
      }
      this.#entries.set(name, { count: 1, resetAt: time + this.#options.windowMs });
    }
  }

  /** True when one of `keys` has exactly reached the limit (the failure that closed it). */
  reachedNow(keys: readonly string[]): boolean {
    return keys.some((name) => this.#entries.get(name)?.count === this.#options.limit);
  }

  /** Takes back one counted attempt (it succeeded). */
  refund(keys: readonly string[]): void {
    for (const name of keys) {
      const entry = this.#entries.get(name);
      if (entry && entry.count > 0) entry.count -= 1;
    }
  }

  sweep(): void {
    const time = this.#options.now();
    for (const [name, entry] of this.#entries) if (entry.resetAt <= time) this.#entries.delete(name);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** The client's address for rate limiting (Express's `request.ip`, so `trust proxy` applies); IPv6 by /56. */
function clientKey(request: IncomingMessage): string {
  const ip = (request as Partial<Request>).ip ?? request.socket.remoteAddress ?? "unknown";
  try {
    return ipKeyGenerator(ip);
  } catch {
    return ip;
  }
}

function tooManyMessage(retryAfter: number): string {
  const minutes = Math.ceil(retryAfter / 60);
  const when = retryAfter < 60 ? `${retryAfter} seconds` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `Too many failed sign-ins. Try again in ${when}.`;
}

/** Every value of cookie `name` in a Cookie header (a browser may send more than one). */
function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const equals = part.indexOf("=");
    if (equals === -1 || part.slice(0, equals).trim() !== name) continue;
    const value = part.slice(equals + 1).trim();
    if (value !== "") values.push(value);
    if (values.length >= 4) break;
  }
  return values;
}

/**
 * Cookie attributes for this request: over HTTPS (directly, or `X-Forwarded-Proto: https` behind
 * the Spaces proxy) `Secure; SameSite=None; Partitioned`, so sign-in works inside the huggingface.co
 * iframe; over HTTP `SameSite=Lax`.
 */
function cookieAttributes(request: Request) {
  const forwarded = String(request.headers["x-forwarded-proto"] ?? "")
    .split(",")[0]
    ?.trim()
    .toLowerCase();
  const https = request.secure || forwarded === "https";
  return https
    ? { httpOnly: true, path: "/", secure: true, sameSite: "none" as const, partitioned: true }
    : { httpOnly: true, path: "/", sameSite: "lax" as const };
}

/**
 * Credentials of an Authorization header: `Basic` (base64 of `user:pass`), or `Bearer user:pass`
 * (what an OpenAI client sends when its API key is `user:pass`).
 */
function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const bearer = /^Bearer +([^\s:]+:[^\s]+) *$/i.exec(header ?? "");
  const match = /^Basic +([A-Za-z0-9+/=_-]{1,8192}) *$/i.exec(header ?? "");
  if (!bearer?.[1] && !match?.[1]) return undefined;
  const text = bearer?.[1] ?? Buffer.from(match?.[1] as string, "base64").toString("utf8");
  if (text.length > 8192) return undefined;
  const colon = text.indexOf(":");
  if (colon === -1) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function refuse(request: Request, response: Response): void {
  noStore(response);
  const api =
    request.path === "/config" || request.path === "/gradio_api" || request.path.startsWith("/gradio_api/");
  if (!api && (request.method === "GET" || request.method === "HEAD") && wantsHtml(request)) {
    // Paths stay the app's own (`/x`, whatever prefix a proxy adds); redirects put the prefix on.
    const next = safeNextPath(request.url);
    const login = `${publicPrefix(request)}/login`;
    response.redirect(302, next === "/" ? login : `${login}?next=${encodeURIComponent(next)}`);
    return;
  }
  const message =
    "This Space needs a sign-in. In a browser, open /login. " +
    "With @gradio/client: Client.connect(url, { auth: [username, password] }). " +
    "With curl: curl -u username:password <url>, or POST username and password to /login " +
    `and send back the ${SESSION_COOKIE} cookie it sets.`;
  response
    .status(401)
    .json({ error: message, detail: { error: "Not authenticated", auth_message: message } });
}

/** What is wrong with a sign-in field, or undefined. */
function fieldProblem(name: string, value: unknown): string | undefined {
  if (value === undefined || value === "") {
    return `The ${name} is missing: send the fields username and password (a form or JSON).`;
  }
  if (typeof value !== "string") return `The ${name} must be a string.`;
  return undefined;
}

function wantsHtml(request: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? "");
}

function isJson(request: IncomingMessage): boolean {
  return /^application\/([\w.+-]+\+)?json\b/i.test(request.headers["content-type"] ?? "");
}

function noStore(response: Response): Response {
  return response.setHeader("Cache-Control", "no-store");
}

function sendJson(response: Response, status: number, error: string, detail: string): void {
  response.status(status).json({ error, detail });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Close the connection after answering (the rest of the body is not read). */
    readonly close = false,
  ) {
    super(message);
  }
}

/** The fields of a sign-in body: a form (urlencoded or multipart, as @gradio/client sends) or JSON. */
async function readFields(request: Request): Promise<Record<string, unknown>> {
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  // A body parser mounted earlier may have read it already.
  if (request.body !== undefined && typeof request.body === "object" && request.body !== null) {
    return request.body as Record<string, unknown>;
  }
  const kind = type.startsWith("application/x-www-form-urlencoded")
    ? "form"
    : type.startsWith("multipart/form-data")
      ? "multipart"
      : isJson(request)
        ? "json"
        : undefined;
  if (kind === undefined) {
    throw new HttpError(
      415,
      "Send username and password as a form (application/x-www-form-urlencoded or multipart/form-data) or as JSON.",
    );
  }
  const body = await readBody(request, MAX_BODY_BYTES);
  const fields: Record<string, unknown> =
    kind === "form"
      ? Object.fromEntries(new URLSearchParams(body.toString("utf8")))
      : kind === "multipart"
        ? await multipartFields(request.headers, body)
        : jsonFields(body);
  for (const name of ["username", "password", "next"]) {
    const value = fields[name];
    if (typeof value === "string" && value.length > MAX_FIELD_CHARS) {
      throw new HttpError(400, `The field "${name}" is too long (at most ${MAX_FIELD_CHARS} characters).`);
    }
  }
  return fields;
}

function jsonFields(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, 'The body is not valid JSON. Send {"username": "…", "password": "…"}.');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'The body must be a JSON object: {"username": "…", "password": "…"}.');
  }
  return value as Record<string, unknown>;
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: HttpError) => {
      request.off("data", onData);
      request.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes)
        fail(new HttpError(413, `The sign-in body is larger than ${maxBytes / 1024} KB.`, true));
      else chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks)));
    request.once("error", () => fail(new HttpError(400, "The request body could not be read.")));
    request.once("aborted", () => fail(new HttpError(400, "The request was aborted.")));
  });
}

function multipartFields(headers: IncomingHttpHeaders, body: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        defParamCharset: "utf8",
        limits: { fields: 20, parts: 20, files: 0, fieldSize: MAX_FIELD_CHARS * 4 },
      });
    } catch {
      reject(new HttpError(400, "The multipart body has no boundary. Send it as FormData."));
      return;
    }
    let settled = false;
    parser.on("field", (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on("file", (_name, stream) => stream.resume());
    parser.on("error", () => {
      if (settled) return;
      settled = true;
      reject(new HttpError(400, "The multipart body is malformed. Send username and password as FormData."));
    });
    parser.on("close", () => {
      if (settled) return;
      settled = true;
      resolve(fields);
    });
    parser.end(body);
  });
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character] ?? "",
  );
}

interface PageState {
  title: string;
  theme: "system" | "light" | "dark";
  next: string;
  username?: string;
  error?: string;
}

function sendPage(response: Response, status: number, state: PageState): void {
  noStore(response);
  // A stricter policy set earlier (helmet) stays; the page needs no script at all.
  if (!response.getHeader("Content-Security-Policy")) {
    response.setHeader(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'",
    );
  }
  response.status(status).type("html").send(loginPage(state));
}

const pageStyle = `
:root{color-scheme:light;--bg:#f8fafc;--surface:#fff;--text:#0f172a;--muted:#475569;--border:#cbd5e1;
--primary:#ea580c;--primary-hover:#c2410c;--primary-text:#fff;--focus:#2563eb;--error:#b91c1c;--error-bg:#fef2f2;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){:root:not([data-theme="light"]){color-scheme:dark;--bg:#0b0f19;--surface:#111827;
--text:#f1f5f9;--muted:#94a3b8;--border:#374151;--primary:#f97316;--primary-hover:#fb923c;--primary-text:#111827;
--focus:#60a5fa;--error:#f87171;--error-bg:#2a1215}}
:root[data-theme="dark"]{color-scheme:dark;--bg:#0b0f19;--surface:#111827;--text:#f1f5f9;--muted:#94a3b8;
--border:#374151;--primary:#f97316;--primary-hover:#fb923c;--primary-text:#111827;--focus:#60a5fa;--error:#f87171;
--error-bg:#2a1215}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--text);padding:1rem}
main{width:100%;max-width:22rem}
form{background:var(--surface);border:1px solid var(--border);border-radius:8px;padding:1.5rem;display:grid;gap:.75rem}
h1{font-size:1.25rem;margin:0;overflow-wrap:anywhere}
p{margin:0;color:var(--muted);font-size:.9rem}
label{font-weight:600;font-size:.9rem}
.field{display:grid;gap:.3rem}
input{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--border);border-radius:8px;padding:.55rem .65rem}
input[aria-invalid="true"]{border-color:var(--error)}
button{font:inherit;font-weight:600;color:var(--primary-text);background:var(--primary);border:0;border-radius:8px;
padding:.6rem;cursor:pointer;margin-top:.25rem}
button:hover{background:var(--primary-hover)}
input:focus-visible,button:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.error{color:var(--error);background:var(--error-bg);border-radius:8px;padding:.5rem .65rem;font-size:.9rem}
.error:empty{display:none}
`;

/** The login page: server-rendered, no script, every value escaped. */
function loginPage({ title, theme, next, username, error }: PageState): string {
  const invalid = error ? ' aria-invalid="true" aria-describedby="login-error"' : "";
  const focusPassword = username !== undefined && username !== "";
  const themeAttribute = theme === "system" ? "" : ` data-theme="${theme}"`;
  return `<!doctype html>
<html lang="en"${themeAttribute}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>Sign in · ${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${pageStyle}</style>
</head>
<body>
<main>
<form method="post" action="login">
<h1>Sign in to ${escapeHtml(title)}</h1>
<p>This Space asks for a username and password.</p>
<div id="login-error" class="error" role="alert" aria-live="assertive">${escapeHtml(error ?? "")}</div>
<div class="field">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username ?? "")}"${focusPassword ? "" : " autofocus"}${invalid}>
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${focusPassword ? " autofocus" : ""}${invalid}>
</div>
<input type="hidden" name="next" value="${escapeHtml(next)}">
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}
