import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parse as parseCookies } from "cookie";
import type { CookieOptions, Request, Response } from "express";
import express from "express";
import type { Caller, OAuthToken, User } from "../context.js";
import { publicPrefix, publicRoot } from "./public-url.js";

/** Options of {@link hfOAuth}: what a Space with `hf_oauth: true` finds in its environment. */
export interface HfOAuthOptions {
  /** `OAUTH_CLIENT_ID`. */
  clientId: string;
  /** `OAUTH_CLIENT_SECRET`. */
  clientSecret: string;
  /** `OPENID_PROVIDER_URL`, e.g. `https://huggingface.co`. */
  providerUrl: string;
  /** `OAUTH_SCOPES`, space-separated; `openid profile` are always asked for. */
  scopes?: string;
  /**
   * `SPACE_HOST`: the Space's host names, comma-separated; the first is where the provider sends
   * visitors back (`https://<host>/login/callback`). Without it, the request's own origin is used.
   */
  spaceHost?: string;
  /** Most signed-in sessions kept; the oldest go first (default 10,000). */
  maxSessions?: number;
  /** How long a session lasts when the provider does not say when its token expires (default 8 h). */
  defaultLifetimeMs?: number;
}

/** Sign in with Hugging Face on a server: the routes, and who sent a request. */
export interface HfOAuth {
  /**
   * `GET /login/huggingface?_target_url=/path`, `GET /login/callback`,
   * `GET /logout/huggingface?_target_url=/path`, and `GET /login/huggingface/user` (`{ user }`).
   */
  readonly router: express.Router;
  /** The signed-in visitor of a request (from its session cookie); `{}` when nobody is signed in. */
  callerOf(request: IncomingMessage): Caller;
  /** Forgets every session and sign-in in progress. */
  close(): void;
}

/** The session cookie (HttpOnly; `Secure; SameSite=None` over HTTPS so the huggingface.co iframe sends it). */
export const SESSION_COOKIE = "sc-hf-session";
/**
 * Holds a sign-in in progress in the browser that started it, encrypted by the server: no memory
 * is kept for sign-ins that never come back, so nobody can crowd them out.
 */
const STATE_COOKIE = "sc-hf-oauth-state";
/** A sign-in must come back within this time. */
const PENDING_MS = 10 * 60_000;
/** Longer targets are dropped for `/` (the cookie that carries them stays small). */
const MAX_TARGET_LENGTH = 1024;
const PROVIDER_TIMEOUT_MS = 10_000;

/** The provider's endpoints, from its discovery document. */
interface ProviderConfig {
  issuer?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
}

interface PendingSignIn {
  state: string;
  codeVerifier: string;
  nonce: string;
  target: string;
  redirectUri: string;
  expires: number;
}

interface Session {
  caller: { user: User; oauthToken: OAuthToken };
  expires: number;
}

/** A failed sign-in, shown to the visitor as a page. */
class SignInError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sign in with Hugging Face (OpenID Connect, code flow with PKCE) for a Space with `hf_oauth: true`.
 * Sessions live in memory: a restart signs everyone out.
 * @example
 * const oauth = hfOAuthFromEnv(process.env)
 * if (oauth) app.use(oauth.router)
 */
export function hfOAuth(options: HfOAuthOptions): HfOAuth {
  const providerUrl = options.providerUrl.replace(/\/+$/, "");
  const scopes = [
    ...new Set(["openid", "profile", ...(options.scopes ?? "").split(/\s+/).filter(Boolean)]),
  ].join(" ");
  const spaceHost = options.spaceHost
    ?.split(",")
    .map((host) => host.trim())
    .find(Boolean);
  const maxSessions = options.maxSessions ?? 10_000;
  const defaultLifetimeMs = options.defaultLifetimeMs ?? 8 * 3600_000;
  const cookieKey = randomBytes(32);
  const sessions = new Map<string, Session>();
  let provider: Promise<ProviderConfig> | undefined;

  const providerConfig = (): Promise<ProviderConfig> => {
    provider ??= discover(providerUrl).catch((error: unknown) => {
      provider = undefined;
      throw error;
    });
    return provider;
  };

  // Over HTTPS (always on a Space) the cookies must cross into the huggingface.co iframe.
  const isSecure = (request: Request) => spaceHost !== undefined || request.secure;
  const cookieOptions = (request: Request): CookieOptions => ({
    httpOnly: true,
    path: "/",
    ...(isSecure(request) ? { secure: true, sameSite: "none" } : { sameSite: "lax" }),
  });

  const sessionOf = (request: IncomingMessage): [string, Session] | undefined => {
    const id = readCookie(request, SESSION_COOKIE);
    const session = id === undefined ? undefined : sessions.get(id);
    if (!id || !session) return undefined;
    if (session.expires <= Date.now()) {
      sessions.delete(id);
      return undefined;
    }
    return [id, session];
  };

  const startSession = (caller: Session["caller"]): string => {
    const now = Date.now();
    if (sessions.size >= maxSessions) {
      for (const [id, session] of sessions) if (session.expires <= now) sessions.delete(id);
      // Maps keep insertion order: the first sessions are the oldest.
      for (const id of sessions.keys()) {
        if (sessions.size < maxSessions) break;
        sessions.delete(id);
      }
    }
    const id = randomToken();
    sessions.set(id, { caller, expires: caller.oauthToken.expiresAt.getTime() });
    return id;
  };

  const router = express.Router();

  router.get("/login/huggingface/user", (request, response) => {
    response.setHeader("Cache-Control", "no-store");
    response.json({ user: sessionOf(request)?.[1].caller.user ?? null });
  });

  router.get("/login/huggingface", async (request, response) => {
    const asked = safeTarget(request.query._target_url);
    const target = asked.length > MAX_TARGET_LENGTH ? home(request) : orHome(request, asked);
    let config: ProviderConfig;
    try {
      config = await providerConfig();
    } catch (error) {
      return signInPage(response, target, new SignInError(502, messageOf(error)));
    }
    const state = randomToken();
    const codeVerifier = randomToken();
    const nonce = randomToken();
    const root = spaceHost ? `https://${spaceHost}${publicPrefix(request)}` : publicRoot(request);
    const redirectUri = `${root}/login/callback`;
    const entry: PendingSignIn = {
      state,
      codeVerifier,
      nonce,
      target,
      redirectUri,
      expires: Date.now() + PENDING_MS,
    };
    response.cookie(STATE_COOKIE, sealed(cookieKey, entry), {
      ...cookieOptions(request),
      maxAge: PENDING_MS,
    });
    const url = new URL(config.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: options.clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: scopes,
      state,
      nonce,
      code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
      code_challenge_method: "S256",
    }).toString();
    response.setHeader("Cache-Control", "no-store");
    response.redirect(302, url.href);
  });

  router.get("/login/callback", async (request, response) => {
    response.setHeader("Referrer-Policy", "no-referrer");
    const query = request.query;
    const entry = unsealed(cookieKey, readCookie(request, STATE_COOKIE));
    response.clearCookie(STATE_COOKIE, cookieOptions(request));
    const verified =
      entry !== undefined &&
      typeof query.state === "string" &&
      query.state === entry.state &&
      entry.expires > Date.now();
    const target = verified ? entry.target : home(request);
    try {
      // Only an answer to a sign-in this browser started is believed, even a refusal.
      if (!verified) {
        throw new SignInError(
          400,
          "This sign-in could not be verified: it was not started in this browser, was already used, or took " +
            "longer than 10 minutes.",
        );
      }
      if (typeof query.error === "string") throw providerRefusal(query.error, query.error_description);
      if (typeof query.code !== "string" || query.code === "") {
        throw new SignInError(400, "Hugging Face sent the visitor back without a sign-in code.");
      }
      const config = await providerConfig();
      const token = await exchangeCode(config, options, query.code, entry);
      const user = await readUser(config, token.access_token);
      const lifetime =
        typeof token.expires_in === "number" && token.expires_in > 0
          ? token.expires_in * 1000
          : defaultLifetimeMs;
      const expiresAt = new Date(Date.now() + lifetime);
      const id = startSession({
        user,
        oauthToken: {
          token: token.access_token,
          scope: typeof token.scope === "string" ? token.scope : scopes,
          expiresAt,
        },
      });
      response.cookie(SESSION_COOKIE, id, { ...cookieOptions(request), maxAge: lifetime });
      response.setHeader("Cache-Control", "no-store");
      response.redirect(302, target);
    } catch (error) {
      signInPage(
        response,
        target,
        error instanceof SignInError ? error : new SignInError(502, messageOf(error)),
      );
    }
  });

  router.get("/logout/huggingface", (request, response) => {
    // Only the visitor's own click signs them out, not an image or a script on another site.
    const crossSite = request.headers["sec-fetch-site"] === "cross-site";
    if (crossSite && request.headers["sec-fetch-mode"] !== "navigate") {
      response.status(403).json({ error: "Sign out by following the link, not from a script." });
      return;
    }
    const found = sessionOf(request);
    if (found) sessions.delete(found[0]);
    response.clearCookie(SESSION_COOKIE, cookieOptions(request));
    response.setHeader("Cache-Control", "no-store");
    response.redirect(302, orHome(request, safeTarget(request.query._target_url)));
  });

  return {
    router,
    callerOf(request) {
      const found = sessionOf(request);
      return found ? found[1].caller : {};
    },
    close() {
      sessions.clear();
    },
  };
}

/**
 * Sign in with Hugging Face from the variables a Space with `hf_oauth: true` gets
 * (`OAUTH_CLIENT_ID`, `OAUTH_CLIENT_SECRET`, `OPENID_PROVIDER_URL`, `OAUTH_SCOPES`, `SPACE_HOST`);
 * undefined when none is set. Outside a Space nothing is mocked: set the variables yourself.
 * @example const oauth = hfOAuthFromEnv(process.env)
 */
export function hfOAuthFromEnv(env: Record<string, string | undefined>): HfOAuth | undefined {
  const required = ["OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET", "OPENID_PROVIDER_URL"] as const;
  const missing = required.filter((name) => !env[name]);
  if (missing.length === required.length) return undefined;
  if (missing.length > 0) {
    throw new Error(
      `Sign in with Hugging Face needs ${required.join(", ")}; ${missing.join(" and ")} ` +
        `${missing.length === 1 ? "is" : "are"} not set. ${HF_OAUTH_HELP}`,
    );
  }
  const providerUrl = env.OPENID_PROVIDER_URL as string;
  try {
    new URL(providerUrl);
  } catch {
    throw new Error(
      `OPENID_PROVIDER_URL must be a URL such as https://huggingface.co (got "${providerUrl}").`,
    );
  }
  return hfOAuth({
    clientId: env.OAUTH_CLIENT_ID as string,
    clientSecret: env.OAUTH_CLIENT_SECRET as string,
    providerUrl,
    ...(env.OAUTH_SCOPES ? { scopes: env.OAUTH_SCOPES } : {}),
    ...(env.SPACE_HOST ? { spaceHost: env.SPACE_HOST } : {}),
  });
}

/** How to turn Hugging Face sign-in on, for messages. */
export const HF_OAUTH_HELP =
  "On a Space, add `hf_oauth: true` to the front matter of README.md and the Hub sets them. To try it " +
  "locally, create an OAuth app at https://huggingface.co/settings/connected-applications with the " +
  "redirect URL http://localhost:7860/login/callback, and set OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET " +
  "and OPENID_PROVIDER_URL=https://huggingface.co.";

/** The app's page as visitors reach it: `/`, or behind a proxy its path (`/demo/`). */
function home(request: Request): string {
  return `${publicPrefix(request)}/`;
}

/** `target`, or the app's page when it is `/` (also what {@link safeTarget} gives for anything unsafe). */
function orHome(request: Request, target: string): string {
  return target === "/" ? home(request) : target;
}

/**
 * Where to send a visitor after signing in or out: a path (and query) of this Space, never
 * another site. `//evil`, `\\evil`, `/\evil`, `https://evil` and anything else become `/`.
 */
export function safeTarget(raw: unknown): string {
  if (typeof raw !== "string") return "/";
  // Judge what a browser would follow: it drops tabs and newlines anywhere, control characters
  // and spaces at the ends, and reads "\" as "/".
  const cleaned = raw
    .replace(/[\t\n\r]/g, "")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters URL parsers trim
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "")
    .replace(/\\/g, "/");
  if (!cleaned.startsWith("/") || cleaned.startsWith("//")) return "/";
  const base = "http://space.invalid";
  let url: URL;
  try {
    url = new URL(cleaned, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  const path = `${url.pathname.replace(/^\/+/, "/")}${url.search}`;
  return path.startsWith("/") ? path : "/";
}

async function discover(providerUrl: string): Promise<ProviderConfig> {
  const url = `${providerUrl}/.well-known/openid-configuration`;
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new SignInError(502, `Could not reach the sign-in provider at ${url}: ${messageOf(error)}.`);
  });
  const document = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const field = (name: string) => {
    const value = document?.[name];
    if (typeof value !== "string" || !/^https?:\/\//.test(value)) {
      throw new SignInError(
        502,
        `The sign-in provider's configuration (${url}, status ${response.status}) has no ${name}.`,
      );
    }
    return value;
  };
  return {
    ...(typeof document?.issuer === "string" ? { issuer: document.issuer } : {}),
    authorizationEndpoint: field("authorization_endpoint"),
    tokenEndpoint: field("token_endpoint"),
    userinfoEndpoint: field("userinfo_endpoint"),
  };
}

interface TokenResponse {
  access_token: string;
  expires_in?: number;
  scope?: string;
  id_token?: string;
}

async function exchangeCode(
  config: ProviderConfig,
  options: HfOAuthOptions,
  code: string,
  entry: PendingSignIn,
): Promise<TokenResponse> {
  const credentials = Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString("base64");
  const response = await fetch(config.tokenEndpoint, {
    method: "POST",
    headers: {
      Accept: "application/json",
      Authorization: `Basic ${credentials}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: entry.redirectUri,
      client_id: options.clientId,
      code_verifier: entry.codeVerifier,
    }),
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new SignInError(502, `Could not reach Hugging Face to finish the sign-in: ${messageOf(error)}.`);
  });
  const body = (await response.json().catch(() => ({}))) as Partial<TokenResponse> & {
    error?: string;
    error_description?: string;
  };
  if (!response.ok || typeof body.access_token !== "string") {
    const reason = [body.error, body.error_description].filter(Boolean).join(": ");
    throw new SignInError(
      502,
      `Hugging Face did not accept the sign-in code (status ${response.status}${reason ? `, ${reason}` : ""}).`,
    );
  }
  if (typeof body.id_token === "string") {
    // The token came straight from the provider over TLS, so its claims can be read without
    // checking the signature (OpenID Connect Core 3.1.3.7); the nonce ties it to this sign-in.
    const claims = decodeJwtPayload(body.id_token);
    const audience = claims?.aud;
    const audiences = Array.isArray(audience) ? audience : [audience];
    if (!claims || claims.nonce !== entry.nonce || !audiences.includes(options.clientId)) {
      throw new SignInError(
        502,
        "Hugging Face's answer does not belong to this sign-in (its nonce or audience differs).",
      );
    }
  }
  return body as TokenResponse;
}

async function readUser(config: ProviderConfig, accessToken: string): Promise<User> {
  const response = await fetch(config.userinfoEndpoint, {
    headers: { Accept: "application/json", Authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new SignInError(
      502,
      `Could not reach Hugging Face for the visitor's profile: ${messageOf(error)}.`,
    );
  });
  const info = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const username = info.preferred_username;
  if (!response.ok || typeof username !== "string" || username === "") {
    throw new SignInError(
      502,
      `Hugging Face did not give the visitor's profile (status ${response.status}).`,
    );
  }
  return {
    username,
    ...(typeof info.name === "string" && info.name ? { name: info.name } : {}),
    ...(typeof info.picture === "string" && /^https?:\/\//.test(info.picture)
      ? { avatar: info.picture }
      : {}),
  };
}

function providerRefusal(error: string, description: unknown): SignInError {
  if (error === "access_denied") {
    return new SignInError(
      403,
      "You cancelled the sign-in, or Hugging Face did not allow this Space to sign you in.",
    );
  }
  const detail = typeof description === "string" && description ? ` (${description})` : "";
  return new SignInError(400, `Hugging Face refused the sign-in: ${error}${detail}.`);
}

function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
    return payload && typeof payload === "object" ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** A page that says what went wrong with a sign-in and offers to try again. */
function signInPage(response: Response, target: string, error: SignInError): void {
  const retry = `/login/huggingface?_target_url=${encodeURIComponent(target)}`;
  response
    .status(error.status)
    .setHeader("Cache-Control", "no-store")
    .type("html")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>Sign in with Hugging Face</title></head><body>` +
        `<main><h1>Sign in with Hugging Face did not work</h1>` +
        `<p id="reason">${escapeHtml(error.message)}</p>` +
        `<p><a href="${escapeHtml(retry)}">Try again</a> · <a href="${escapeHtml(target)}">Back to the Space</a></p>` +
        `</main></body></html>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] as string,
  );
}

/** The sign-in in progress, encrypted and authenticated with this server's key (AES-256-GCM). */
function sealed(key: Buffer, entry: PendingSignIn): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(entry), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The sign-in a cookie holds; undefined when it is missing, forged or from another server. */
function unsealed(key: Buffer, value: string | undefined): PendingSignIn | undefined {
  const bytes = Buffer.from(value ?? "", "base64url");
  if (bytes.length < 29) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const json = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    const entry = JSON.parse(json) as PendingSignIn;
    return typeof entry.state === "string" && typeof entry.codeVerifier === "string" ? entry : undefined;
  } catch {
    return undefined;
  }
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookies(header)[name] : undefined;
}

function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
