import type { IncomingMessage, Server } from "node:http";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import type { AuthOption, PasswordAuth, PasswordAuthOptions } from "./auth.js";
import { parseAuthPairs, passwordAuth, SESSION_COOKIE, safeNextPath } from "./auth.js";

interface TestApp {
  url: string;
  auth: PasswordAuth;
  /** The test clock (milliseconds); move it forward to expire sessions and limits. */
  clock: { now: number };
  /** Errors logged with their message, and every logged message. */
  errors: unknown[];
  logs: string[];
}

const servers: { server: Server; auth: PasswordAuth }[] = [];
afterEach(async () => {
  for (const { server, auth } of servers.splice(0)) {
    auth.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A small app behind password sign-in: `/` (a page), `/config` and `/gradio_api/info` (JSON). */
async function start(
  auth: AuthOption = [["alice", "wonder land"]],
  options: PasswordAuthOptions = {},
): Promise<TestApp> {
  const clock = { now: 1_000_000 };
  const errors: unknown[] = [];
  const logs: string[] = [];
  const password = passwordAuth(auth, {
    title: 'Test <Space> & "friends"',
    now: () => clock.now,
    logError: (message, error) => {
      logs.push(message);
      if (error !== undefined) errors.push(error);
    },
    ...options,
  });
  const app = express();
  app.use(password.router, password.gate);
  app.get("/", (_request, response) => {
    response.type("html").send("<p>the demo</p>");
  });
  app.get("/config", (request, response) => {
    response.json({ user: password.userOf(request) ?? null });
  });
  app.all("/gradio_api/info", (_request, response) => {
    response.json({ named_endpoints: {} });
  });
  app.use((_request, response) => {
    response.status(404).json({ error: "not found" });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ server, auth: password });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, auth: password, clock, errors, logs };
}

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  text: string;
  json(): unknown;
}

/** One HTTP request (from `localAddress`, default 127.0.0.1), never following redirects. */
function send(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    localAddress?: string;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port, origin } = new URL(url);
    const call = httpRequest(
      {
        hostname,
        port,
        // The path as written: `new URL` would resolve dot segments that the server must see.
        path: url.slice(origin.length),
        method: options.method ?? "GET",
        headers: options.headers,
        localAddress: options.localAddress,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    call.on("error", reject);
    call.end(options.body);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = "application/x-www-form-urlencoded";
const HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

/** Signs in with JSON and returns the `name=value` of the session cookie. */
async function signIn(app: TestApp, username = "alice", password = "wonder land", localAddress?: string) {
  const answer = await send(`${app.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
    localAddress,
  });
  expect(answer.status, answer.text).toBe(200);
  return sessionCookie(answer);
}

function sessionCookie(answer: Answer): string {
  const cookie = answer.headers["set-cookie"]?.find((line) => line.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`No ${SESSION_COOKIE} cookie in ${JSON.stringify(answer.headers)}`);
  return cookie.split(";")[0] as string;
}

function wrongJson(app: TestApp, username = "alice", localAddress?: string) {
  return send(`${app.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "nope" }),
    localAddress,
  });
}

describe("parseAuthPairs", () => {
  it("reads user:password items, the password being everything after the first colon", () => {
    expect(parseAuthPairs(["alice:s3cret", " bob:pa:ss ", ""])).toEqual([
      ["alice", "s3cret"],
      ["bob", "pa:ss"],
    ]);
  });

  it("names the bad item without showing a password", () => {
    expect(() => parseAuthPairs(["alice:a", "hunter2"])).toThrow(/Auth item 2 has no ":"/);
    expect(() => parseAuthPairs(["alice:a", "hunter2"])).not.toThrow(/hunter2/);
    expect(() => parseAuthPairs([":secret"])).toThrow(/Auth item 1 has an empty username/);
    expect(() => parseAuthPairs([":secret"])).not.toThrow(/secret/);
    expect(() => parseAuthPairs(["alice:"])).toThrow(/Auth item 1 \("alice:"\) has an empty password/);
    expect(() => parseAuthPairs(["alice:a", "alice:b"])).toThrow(
      /Auth item 2: the user "alice" is given twice/,
    );
    expect(() => parseAuthPairs([" ", ""])).toThrow(/No user:password pairs/);
  });
});

describe("safeNextPath", () => {
  it("keeps a local path with its query and fragment", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/?text=hi&n=2")).toBe("/?text=hi&n=2");
    expect(safeNextPath("/a/b?x=%2F%2Fevil#top")).toBe("/a/b?x=%2F%2Fevil#top");
  });

  it.each([
    "//evil.com",
    "///evil.com",
    "////evil.com",
    "\\\\evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "https://evil",
    "http:evil.com",
    "javascript:alert(1)",
    "evil.com",
    "/.//evil.com",
    "/a/..//evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "",
    "/login?next=/x",
    "/logout",
  ])("turns %j into /", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("turns anything but a string into /", () => {
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/a", "/b"])).toBe("/");
  });
});

describe("passwordAuth options", () => {
  it("refuses auth values that are not pairs or a check", () => {
    expect(() => passwordAuth([])).toThrow(/no user:password pairs/);
    expect(() => passwordAuth([["alice", ""]])).toThrow(/auth pair 1 has an empty password/);
    expect(() => passwordAuth([["alice", 1 as unknown as string]])).toThrow(
      /auth pair 1 is not \[username, password\]/,
    );
  });
});

describe("the gate", () => {
  it("sends a browser navigation to the login page, keeping where it was going", async () => {
    const app = await start();
    const home = await send(`${app.url}/`, { headers: { accept: HTML } });
    expect(home.status).toBe(302);
    expect(home.headers.location).toBe("/login");
    const deep = await send(`${app.url}/some/page?text=hi`, { headers: { accept: HTML } });
    expect(deep.status).toBe(302);
    expect(deep.headers.location).toBe(`/login?next=${encodeURIComponent("/some/page?text=hi")}`);
  });

  it("answers API requests with a 401 that says how to sign in, in @gradio/client's shape", async () => {
    const app = await start();
    for (const [method, path, accept] of [
      ["GET", "/config", HTML],
      ["GET", "/gradio_api/info", "*/*"],
      ["POST", "/gradio_api/info", "*/*"],
      ["GET", "/", "application/json"],
    ] as const) {
      const answer = await send(`${app.url}${path}`, { method, headers: { accept } });
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.headers["cache-control"]).toBe("no-store");
      const body = answer.json() as { error: string; detail: { error: string; auth_message: string } };
      expect(body.detail.error).toBe("Not authenticated");
      expect(body.detail.auth_message).toContain("/login");
      expect(body.detail.auth_message).toContain("auth: [username, password]");
      expect(body.detail.auth_message).toContain("curl -u username:password");
      expect(body.error).toBe(body.detail.auth_message);
    }
  });

  it("lets the favicon and CORS preflights through", async () => {
    const app = await start();
    expect((await send(`${app.url}/favicon.ico`)).status).toBe(404);
    expect((await send(`${app.url}/gradio_api/info`, { method: "OPTIONS" })).status).not.toBe(401);
  });

  it("does not open paths that merely start with /login", async () => {
    const app = await start();
    expect((await send(`${app.url}/login/../config`)).status).toBe(401);
    expect((await send(`${app.url}/loginx`)).status).toBe(401);
  });

  it("lets in a request with the session cookie", async () => {
    const app = await start();
    const cookie = await signIn(app);
    const page = await send(`${app.url}/`, { headers: { accept: HTML, cookie } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("the demo");
    const config = await send(`${app.url}/config`, { headers: { cookie: `other=1; ${cookie}` } });
    expect(config.json()).toEqual({ user: "alice" });
  });

  it("takes Basic credentials, and refuses wrong ones", async () => {
    const app = await start();
    const basic = (text: string) => ({ authorization: `Basic ${Buffer.from(text).toString("base64")}` });
    const ok = await send(`${app.url}/gradio_api/info`, { headers: basic("alice:wonder land") });
    expect(ok.status).toBe(200);
    expect(ok.headers["set-cookie"]).toBeUndefined();
    // The app sees who it is, as for a session.
    const config = await send(`${app.url}/config`, { headers: basic("alice:wonder land") });
    expect(config.json()).toEqual({ user: "alice" });
    const wrong = await send(`${app.url}/gradio_api/info`, { headers: basic("alice:nope") });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toMatchObject({ detail: { error: "Incorrect credentials." } });
  });
});

describe("the login page", () => {
  it("is accessible, escaped, script-free, and keeps only a local next path", async () => {
    const app = await start();
    const answer = await send(`${app.url}/login?next=${encodeURIComponent("//evil.com")}`, {
      headers: { accept: HTML },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toContain("text/html");
    expect(answer.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(answer.headers["cache-control"]).toBe("no-store");
    const html = answer.text;
    expect(html).toContain("Sign in to Test &lt;Space&gt; &amp; &quot;friends&quot;");
    expect(html).not.toContain("<Space>");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('autocomplete="username"');
    expect(html).toContain('autocomplete="current-password"');
    expect(html).toMatch(/role="alert" aria-live="assertive"/);
    expect(html).toContain("prefers-color-scheme:dark");
    expect(html).toContain('<input type="hidden" name="next" value="/">');
  });

  it("keeps a local next path in the form", async () => {
    const app = await start();
    const answer = await send(`${app.url}/login?next=${encodeURIComponent('/a?x="1"')}`);
    expect(answer.text).toContain('name="next" value="/a?x=%221%22"');
  });

  it("forces the Space's theme when it has one", async () => {
    const app = await start(undefined, { theme: "dark" });
    expect((await send(`${app.url}/login`)).text).toContain('<html lang="en" data-theme="dark">');
  });

  it("sends a signed-in visitor on to next", async () => {
    const app = await start();
    const cookie = await signIn(app);
    const answer = await send(`${app.url}/login?next=%2Fa`, { headers: { cookie } });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("/a");
  });
});

describe("POST /login", () => {
  it("signs in from the page's form: a session cookie and a 303 to next", async () => {
    const app = await start();
    const answer = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": FORM, accept: HTML },
      body: form({ username: "alice", password: "wonder land", next: "/some/page?x=1" }),
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/some/page?x=1");
    const line = answer.headers["set-cookie"]?.[0] ?? "";
    expect(line).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(line).toContain("HttpOnly");
    expect(line).toContain("Path=/");
    expect(line).toContain("SameSite=Lax");
    expect(line).toContain(`Max-Age=${7 * 24 * 3600}`);
    expect(line).not.toContain("Secure");
  });

  it("never redirects off the site", async () => {
    const app = await start();
    for (const next of ["//evil.com", "/\\evil.com", "https://evil", "/.//evil.com"]) {
      const answer = await send(`${app.url}/login`, {
        method: "POST",
        headers: { "content-type": FORM, accept: HTML },
        body: form({ username: "alice", password: "wonder land", next }),
      });
      expect(answer.headers.location, next).toBe("/");
    }
  });

  it("answers JSON and multipart (as @gradio/client sends) with Gradio's shape", async () => {
    const app = await start();
    const json = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password: "wonder land" }),
    });
    expect(json.status).toBe(200);
    expect(json.json()).toEqual({ success: true });
    const body = new FormData();
    body.append("username", "alice");
    body.append("password", "wonder land");
    const multipart = await fetch(`${app.url}/login`, { method: "POST", body });
    expect(multipart.status).toBe(200);
    expect(await multipart.json()).toEqual({ success: true });
    expect(multipart.headers.getSetCookie()[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    // A script posting a form without asking for HTML (Python's gradio_client) gets JSON too.
    const script = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": FORM, accept: "*/*" },
      body: form({ username: "alice", password: "wonder land" }),
    });
    expect(script.status).toBe(200);
    expect(script.json()).toEqual({ success: true });
  });

  it("sets a Secure, SameSite=None cookie over HTTPS (behind the Spaces proxy)", async () => {
    const app = await start();
    const answer = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: JSON.stringify({ username: "alice", password: "wonder land" }),
    });
    const line = answer.headers["set-cookie"]?.[0] ?? "";
    expect(line).toContain("Secure");
    expect(line).toContain("SameSite=None");
    expect(line).toContain("Partitioned");
    expect(line).toContain("HttpOnly");
  });

  it("answers a wrong password with 401 (JSON), or the page again with the error (form)", async () => {
    const app = await start();
    const json = await wrongJson(app);
    expect(json.status).toBe(401);
    expect(json.json()).toMatchObject({ detail: "Incorrect credentials." });
    expect(json.headers["set-cookie"]).toBeUndefined();
    const page = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": FORM, accept: HTML },
      body: form({ username: 'al<i>"ce', password: "nope", next: "/a" }),
    });
    expect(page.status).toBe(401);
    expect(page.text).toContain("Incorrect username or password. Check them and try again.");
    expect(page.text).toContain('value="al&lt;i&gt;&quot;ce"');
    expect(page.text).toContain('aria-invalid="true"');
    expect(page.text).toContain('name="next" value="/a"');
  });

  it("checks every pair: one user's password does not open another's account", async () => {
    const app = await start([
      ["alice", "a-pass"],
      ["bob", "b-pass"],
      ["carol", "c-pass"],
    ]);
    await signIn(app, "carol", "c-pass");
    await signIn(app, "alice", "a-pass");
    for (const [username, password] of [
      ["alice", "b-pass"],
      ["bob", "c-pass"],
      ["dave", "a-pass"],
      ["Alice", "a-pass"],
    ]) {
      const answer = await send(`${app.url}/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      expect(answer.status, `${username}:${password}`).toBe(401);
    }
  });

  it("names a missing field, and refuses bodies it cannot read", async () => {
    const app = await start();
    const post = (type: string, body: string) =>
      send(`${app.url}/login`, { method: "POST", headers: { "content-type": type }, body });
    const noPassword = await post("application/json", JSON.stringify({ username: "alice" }));
    expect(noPassword.status).toBe(400);
    expect(noPassword.json()).toMatchObject({ error: expect.stringContaining("The password is missing") });
    const noUser = await post(FORM, form({ password: "x" }));
    expect(noUser.status).toBe(400);
    expect(noUser.json()).toMatchObject({ error: expect.stringContaining("The username is missing") });
    const notString = await post("application/json", JSON.stringify({ username: "alice", password: 1 }));
    expect(notString.json()).toMatchObject({ error: "The password must be a string." });
    expect((await post("application/json", "{nope")).status).toBe(400);
    expect((await post("application/json", "[]")).status).toBe(400);
    expect((await post("text/plain", "alice:x")).status).toBe(415);
    expect((await post("multipart/form-data", "x")).status).toBe(400);
    const unterminated = await post(
      "multipart/form-data; boundary=B",
      '--B\r\nContent-Disposition: form-data; name="username"\r\n\r\nalice\r\n',
    );
    expect(unterminated.status).toBe(400);
    expect(unterminated.json()).toMatchObject({ error: expect.stringContaining("malformed") });
    const huge = await post(FORM, `username=alice&password=${"x".repeat(100_000)}`);
    expect(huge.status).toBe(413);
    const long = await post(FORM, form({ username: "alice", password: "x".repeat(5000) }));
    expect(long.status).toBe(400);
    // The server is still fine.
    await signIn(app);
  });

  it("awaits an async check, and answers 500 (logged once) when it throws", async () => {
    const app = await start(async (username, password) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (password === "boom") throw new Error("database is down");
      return username === "zoe" && password === "zz";
    });
    const cookie = await signIn(app, "zoe", "zz");
    expect((await send(`${app.url}/config`, { headers: { cookie } })).json()).toEqual({ user: "zoe" });
    expect((await wrongJson(app, "zoe")).status).toBe(401);
    const broken = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "zoe", password: "boom" }),
    });
    expect(broken.status).toBe(500);
    expect(broken.json()).toMatchObject({ error: expect.stringContaining("server log") });
    expect(broken.text).not.toContain("database is down");
    expect(app.errors).toHaveLength(1);
    expect(String(app.errors[0])).toContain("database is down");
  });

  it("accepts only a check's true, not a truthy value", async () => {
    const app = await start((() => "yes") as unknown as AuthOption);
    expect((await wrongJson(app)).status).toBe(401);
  });
});

describe("rate limiting", () => {
  it("answers 429 with Retry-After after repeated failures from one address, even to the right password", async () => {
    const app = await start(undefined, { maxFailures: 3, failureWindowMs: 10 * 60_000 });
    for (let index = 0; index < 3; index += 1) expect((await wrongJson(app)).status).toBe(401);
    const limited = await wrongJson(app);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("600");
    expect(limited.json()).toMatchObject({ error: "Too many failed sign-ins. Try again in 10 minutes." });
    expect(app.logs).toEqual([
      '[spacecraft] Too many failed sign-ins from 127.0.0.1 or as "alice": refusing them for 600 s.',
    ]);
    const right = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "alice", password: "wonder land" }),
    });
    expect(right.status).toBe(429);
    app.clock.now += 9 * 60_000 + 30_000;
    const later = await wrongJson(app);
    expect(later.headers["retry-after"]).toBe("30");
    expect(later.json()).toMatchObject({ error: "Too many failed sign-ins. Try again in 30 seconds." });
    app.clock.now += 30_000;
    await signIn(app);
  });

  it("shows the limit on the page for a form post", async () => {
    const app = await start(undefined, { maxFailures: 1 });
    await wrongJson(app);
    const page = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": FORM, accept: HTML },
      body: form({ username: "alice", password: "nope" }),
    });
    expect(page.status).toBe(429);
    expect(page.headers["retry-after"]).toBe("600");
    expect(page.text).toContain("Too many failed sign-ins. Try again in 10 minutes.");
  });

  it("limits one username across addresses, and one address across usernames", async () => {
    const app = await start(
      [
        ["alice", "a-pass"],
        ["bob", "b-pass"],
      ],
      { maxFailures: 2 },
    );
    expect((await wrongJson(app, "alice", "127.0.0.2")).status).toBe(401);
    expect((await wrongJson(app, "alice", "127.0.0.3")).status).toBe(401);
    expect((await wrongJson(app, "alice", "127.0.0.4")).status).toBe(429);
    // bob, from a fresh address, is not affected.
    await signIn(app, "bob", "b-pass", "127.0.0.5");
    expect((await wrongJson(app, "carol", "127.0.0.6")).status).toBe(401);
    expect((await wrongJson(app, "dave", "127.0.0.6")).status).toBe(401);
    expect((await wrongJson(app, "erin", "127.0.0.6")).status).toBe(429);
  });

  it("does not count successful sign-ins", async () => {
    const app = await start(undefined, { maxFailures: 2 });
    for (let index = 0; index < 5; index += 1) await signIn(app);
    expect((await wrongJson(app)).status).toBe(401);
    await signIn(app);
  });

  it("lets no more than the limit through when guesses arrive at once", async () => {
    const app = await start(
      async (_username, password) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return password === "right";
      },
      { maxFailures: 3 },
    );
    const answers = await Promise.all(Array.from({ length: 20 }, () => wrongJson(app)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(17);
  });

  it("counts wrong Basic credentials too", async () => {
    const app = await start(undefined, { maxFailures: 2 });
    const headers = { authorization: `Basic ${Buffer.from("alice:nope").toString("base64")}` };
    expect((await send(`${app.url}/config`, { headers })).status).toBe(401);
    expect((await send(`${app.url}/config`, { headers })).status).toBe(401);
    const limited = await send(`${app.url}/config`, { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("600");
  });
});

describe("sessions", () => {
  it("logout forgets the session, clears the cookie, and goes to the login page", async () => {
    const app = await start();
    const cookie = await signIn(app);
    const other = await signIn(app);
    const out = await send(`${app.url}/logout`, { headers: { cookie } });
    expect(out.status).toBe(302);
    expect(out.headers.location).toBe("/login");
    const cleared = out.headers["set-cookie"]?.[0] ?? "";
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(cleared).toContain("Max-Age=0");
    expect((await send(`${app.url}/config`, { headers: { cookie } })).status).toBe(401);
    // Another browser of the same user stays signed in.
    expect((await send(`${app.url}/config`, { headers: { cookie: other } })).status).toBe(200);
  });

  it("a new sign-in replaces the session the browser had", async () => {
    const app = await start();
    const first = await signIn(app);
    const answer = await send(`${app.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: first },
      body: JSON.stringify({ username: "alice", password: "wonder land" }),
    });
    const second = sessionCookie(answer);
    expect(second).not.toBe(first);
    expect((await send(`${app.url}/config`, { headers: { cookie: first } })).status).toBe(401);
    expect((await send(`${app.url}/config`, { headers: { cookie: second } })).status).toBe(200);
  });

  it("expire after their time, and after being idle", async () => {
    const app = await start(undefined, { sessionTtlMs: 10_000, idleTtlMs: 4_000 });
    const cookie = await signIn(app);
    const check = async () => (await send(`${app.url}/config`, { headers: { cookie } })).status;
    for (let step = 0; step < 3; step += 1) {
      app.clock.now += 3_000;
      expect(await check(), `after ${(step + 1) * 3} s`).toBe(200);
    }
    app.clock.now += 1_000;
    expect(await check()).toBe(401);
    const idle = await signIn(app);
    app.clock.now += 4_000;
    expect((await send(`${app.url}/config`, { headers: { cookie: idle } })).status).toBe(401);
  });

  it("keeps at most maxSessions, forgetting the oldest", async () => {
    const app = await start(undefined, { maxSessions: 2 });
    const first = await signIn(app);
    const second = await signIn(app);
    const third = await signIn(app);
    const status = async (cookie: string) =>
      (await send(`${app.url}/config`, { headers: { cookie } })).status;
    expect(await status(first)).toBe(401);
    expect(await status(second)).toBe(200);
    expect(await status(third)).toBe(200);
  });

  it("userOf reads the cookie of a plain IncomingMessage, and close forgets everyone", async () => {
    const app = await start();
    const cookie = await signIn(app);
    const upgrade = { headers: { cookie: `a=b; ${cookie}` }, socket: {} } as IncomingMessage;
    expect(app.auth.userOf(upgrade)).toBe("alice");
    expect(
      app.auth.userOf({ headers: { cookie: `${SESSION_COOKIE}=forged` } } as IncomingMessage),
    ).toBeUndefined();
    expect(app.auth.userOf({ headers: {} } as IncomingMessage)).toBeUndefined();
    app.auth.close();
    expect(app.auth.userOf(upgrade)).toBeUndefined();
  });
});
