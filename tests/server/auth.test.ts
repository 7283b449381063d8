import { Client } from "@gradio/client";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect } from "./ws-client.js";

const space = sc.Interface({
  title: "Locked <demo>",
  fn: (text, ctx) => `${text} for ${ctx.user?.username ?? "nobody"}`,
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Result" })],
});

const USER = "alice";
const PASSWORD = "correct horse";
const servers: RunningServer[] = [];
let server: RunningServer;

beforeAll(async () => {
  server = await serve(space, { port: 0, mcp: true, auth: [[USER, PASSWORD]], logError: () => {} });
  servers.push(server);
});
afterAll(async () => {
  await Promise.all(servers.map((running) => running.close({ timeoutMs: 100 })));
});

const HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

/** Signs in with a JSON POST /login and returns the `name=value` of the session cookie. */
async function signIn(url: string, username = USER, password = PASSWORD): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("spacecraft-session="));
  if (!cookie) throw new Error(`POST /login set no session cookie: ${response.headers.getSetCookie()}`);
  return cookie.split(";")[0] as string;
}

/** The status of a WebSocket upgrade to /ws: 101 when it opens, else the HTTP status it was refused with. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/ws`, { headers });
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.once("error", (error) =>
      reject(new Error(`The upgrade failed without a status: ${error.message}`)),
    );
  });
}

/** Uploads a small text file with the given cookie; returns the stored path. */
async function upload(url: string, cookie: string): Promise<string> {
  const body = new FormData();
  body.append("files", new Blob(["hello"], { type: "text/plain" }), "note.txt");
  const response = await fetch(`${url}/gradio_api/upload`, { method: "POST", body, headers: { cookie } });
  expect(response.status, await response.clone().text()).toBe(200);
  const [path] = (await response.json()) as string[];
  if (!path) throw new Error("The upload answered no path");
  return path;
}

describe("a Space behind a password", () => {
  it("sends a browser to the login page, which shows the Space's title", async () => {
    const home = await fetch(`${server.url}/`, { headers: { accept: HTML }, redirect: "manual" });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/login");
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain("Sign in to Locked &lt;demo&gt;");
    expect(html).not.toMatch(/<script/i);
  });

  it("refuses the config, the Gradio API, uploads, files, MCP and the WebSocket without a session", async () => {
    const cookie = await signIn(server.url);
    const stored = await upload(server.url, cookie);
    const requests: [string, string, RequestInit?][] = [
      ["GET", "/config"],
      ["GET", "/gradio_api/info"],
      ["POST", "/gradio_api/queue/join", { body: JSON.stringify({ data: ["x"], fn_index: 0 }) }],
      ["POST", "/gradio_api/run/predict", { body: JSON.stringify({ data: ["x"] }) }],
      ["POST", "/gradio_api/upload", { body: new FormData() }],
      ["GET", `/gradio_api/file=${stored}`],
      ["POST", "/gradio_api/mcp/", { body: "{}" }],
    ];
    for (const [method, path, init] of requests) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        ...init,
        headers: init?.body instanceof FormData ? {} : { "content-type": "application/json" },
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      const body = (await response.json()) as { detail: { error: string; auth_message: string } };
      expect(body.detail.error, `${method} ${path}`).toBe("Not authenticated");
      expect(body.detail.auth_message).toContain("/login");
    }
    expect(await upgradeStatus(server.url)).toBe(401);
    expect(await upgradeStatus(server.url, { cookie: "spacecraft-session=forged" })).toBe(401);
    // The same requests get in with the cookie.
    expect((await fetch(`${server.url}/gradio_api/file=${stored}`, { headers: { cookie } })).status).toBe(
      200,
    );
  });

  it("lets a signed-in client use everything as its user, until it signs out", async () => {
    const cookie = await signIn(server.url);
    const page = await fetch(`${server.url}/`, { headers: { accept: HTML, cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("sc-app");
    const config = await fetch(`${server.url}/config`, { headers: { cookie } });
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ title: "Locked <demo>" });
    expect((await fetch(`${server.url}/gradio_api/info`, { headers: { cookie } })).status).toBe(200);
    // Loaded now, the API would take a join without sign-in directly: behind it, Express does.
    const join = { method: "POST", body: JSON.stringify({ data: ["x"], fn_index: 0, session_hash: "g" }) };
    const json = { "content-type": "application/json" };
    expect((await fetch(`${server.url}/gradio_api/queue/join`, { ...join, headers: json })).status).toBe(401);
    expect(
      (await fetch(`${server.url}/gradio_api/queue/join`, { ...join, headers: { ...json, cookie } })).status,
    ).toBe(200);
    expect(await upgradeStatus(server.url, { cookie })).toBe(101);

    const client = await connect(server.url, { cookie });
    client.send({ type: "predict", id: "a", endpoint: 0, data: ["hi"] });
    expect(await client.end("a")).toMatchObject({ type: "complete", data: ["hi for alice"] });
    await client.close();

    const out = await fetch(`${server.url}/logout`, { headers: { cookie }, redirect: "manual" });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/login");
    expect(out.headers.getSetCookie()[0]).toMatch(/^spacecraft-session=;.*Max-Age=0/);
    expect((await fetch(`${server.url}/config`, { headers: { cookie } })).status).toBe(401);
    expect(await upgradeStatus(server.url, { cookie })).toBe(401);
  });

  it("takes curl -u (Basic) credentials, and fn sees the user", async () => {
    const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
    const response = await fetch(`${server.url}/gradio_api/run/predict`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ data: ["curl"] }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ data: ["curl for alice"] });
  });
});

describe("@gradio/client with auth", () => {
  it("signs in and predicts", async () => {
    const client = await Client.connect(server.url, { auth: [USER, PASSWORD] });
    expect((await client.predict("/predict", ["hey"])).data).toEqual(["hey for alice"]);
  });

  it("rejects a wrong password with its Invalid credentials error", async () => {
    await expect(Client.connect(server.url, { auth: [USER, "wrong"] })).rejects.toThrow(
      /Invalid credentials/,
    );
  });

  it("without auth, says how to sign in", async () => {
    await expect(Client.connect(server.url)).rejects.toThrow(/auth: \[username, password\]/);
  });
});

describe("sign-in checks and limits", () => {
  it("takes an async check function", async () => {
    const checked = await serve(space, {
      port: 0,
      auth: async (username, password) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return username === "zoe" && password === "zebra";
      },
      logError: () => {},
    });
    servers.push(checked);
    const cookie = await signIn(checked.url, "zoe", "zebra");
    expect((await fetch(`${checked.url}/config`, { headers: { cookie } })).status).toBe(200);
    const wrong = await fetch(`${checked.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "zoe", password: "zebr" }),
    });
    expect(wrong.status).toBe(401);
  });

  it("answers 429 with Retry-After after repeated failed sign-ins", async () => {
    const limited = await serve(space, { port: 0, auth: [[USER, PASSWORD]], logError: () => {} });
    servers.push(limited);
    const attempt = (password: string) =>
      fetch(`${limited.url}/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: USER, password }),
      });
    const statuses: number[] = [];
    for (let index = 0; index < 10; index += 1) statuses.push((await attempt(`guess ${index}`)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const refused = await attempt(PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(500);
    expect(await refused.json()).toMatchObject({ error: expect.stringMatching(/Try again in \d+ minutes/) });
    // Another server is not affected.
    await signIn(server.url);
  });
});
