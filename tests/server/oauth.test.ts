import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSpace } from "./oauth-space.js";
import type { OidcStandIn } from "./oidc-stand-in.js";
import { startOidcStandIn } from "./oidc-stand-in.js";
import { connect } from "./ws-client.js";

/** What `fn` saw of its caller. */
interface Seen {
  user: sc.User | null;
  token: string | null;
  scope: string | null;
  expiresAt: string | null;
}

const space = sc.Interface({
  fn: (_text: string, ctx) =>
    JSON.stringify({
      user: ctx.user ?? null,
      token: ctx.oauthToken?.token ?? null,
      scope: ctx.oauthToken?.scope ?? null,
      expiresAt: ctx.oauthToken?.expiresAt.toISOString() ?? null,
    } satisfies Seen),
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Seen" })],
  loginButton: sc.LoginButton(),
});

/** A browser as far as sign-in goes: a cookie jar, and redirects followed one hop at a time. */
class Visitor {
  readonly cookies = new Map<string, string>();
  /** Each `Set-Cookie` header received, as sent. */
  readonly setCookies: string[] = [];

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** One request, no redirect followed; keeps the cookies it sets. */
  async request(url: string): Promise<Response> {
    const response = await fetch(url, {
      redirect: "manual",
      headers: this.cookies.size > 0 ? { Cookie: this.cookieHeader } : {},
    });
    for (const header of response.headers.getSetCookie()) {
      this.setCookies.push(header);
      const [pair = "", ...attributes] = header.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects (up to 10), across the Space and the provider; gives every URL visited. */
  async visit(url: string): Promise<{ response: Response; hops: string[] }> {
    const hops = [url];
    let response = await this.request(url);
    while (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      if (!location) throw new Error(`${hops.at(-1)} answered ${response.status} without a Location`);
      if (hops.length > 10) throw new Error(`Too many redirects: ${hops.join(" → ")}`);
      const next = new URL(location, hops.at(-1)).href;
      hops.push(next);
      response = await this.request(next);
    }
    return { response, hops };
  }

  /** Signs in through the Space and the provider; fails with the page shown if it did not work. */
  async signIn(target = "/"): Promise<{ response: Response; hops: string[] }> {
    const result = await this.visit(
      `${server.url}/login/huggingface?_target_url=${encodeURIComponent(target)}`,
    );
    if (!this.cookies.has("sc-hf-session")) {
      throw new Error(
        `Sign-in did not start a session: ${result.response.status} at ${result.hops.at(-1)}: ${await result.response.text()}`,
      );
    }
    return result;
  }

  /** Who the Space's page is told is signed in. */
  async shownUser(): Promise<unknown> {
    const response = await this.request(`${server.url}/login/huggingface/user`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { user: unknown }).user;
  }

  /** What `fn` sees when this visitor runs it over the page's WebSocket. */
  async seenOverSocket(): Promise<Seen> {
    const client = await connect(server.url, this.cookies.size > 0 ? { Cookie: this.cookieHeader } : {});
    try {
      const id = `job-${Math.random().toString(36).slice(2)}`;
      client.send({ type: "predict", id, data: ["hi"] });
      const end = await client.end(id);
      if (end.type !== "complete") throw new Error(`The job ended with ${JSON.stringify(end)}`);
      return JSON.parse(end.data[0] as string) as Seen;
    } finally {
      await client.close();
    }
  }

  /** What `fn` sees when this visitor calls the Gradio API. */
  async seenOverApi(): Promise<Seen> {
    const response = await fetch(`${server.url}/gradio_api/run/predict`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(this.cookies.size > 0 ? { Cookie: this.cookieHeader } : {}),
      },
      body: JSON.stringify({ data: ["hi"] }),
    });
    const body = (await response.json()) as { data?: [string]; error?: string };
    if (!response.ok || !body.data)
      throw new Error(`/run answered ${response.status}: ${JSON.stringify(body)}`);
    return JSON.parse(body.data[0]) as Seen;
  }
}

let provider: OidcStandIn;
let server: RunningServer;

beforeAll(async () => {
  provider = await startOidcStandIn();
  server = await startSpace(space, provider);
});
afterAll(async () => {
  await server?.close({ timeoutMs: 100 });
  await provider?.close();
});
beforeEach(() => {
  provider.deny = false;
  provider.failToken = false;
});

const nobody: Seen = { user: null, token: null, scope: null, expiresAt: null };

describe("Sign in with Hugging Face", () => {
  it("signs in through the provider; fn then gets ctx.user and ctx.oauthToken over /ws and the Gradio API", async () => {
    const visitor = new Visitor();
    expect(await visitor.seenOverSocket()).toEqual(nobody);
    expect(await visitor.seenOverApi()).toEqual(nobody);
    expect(await visitor.shownUser()).toBeNull();

    const { response, hops } = await visitor.signIn("/?tab=2");
    expect(hops.at(-1)).toBe(`${server.url}/?tab=2`);
    expect(response.status).toBe(200);

    // The authorization request: the Space's client, its callback, PKCE S256, a nonce and a state.
    const authorization = provider.authorizations.at(-1) as URLSearchParams;
    expect(Object.fromEntries(authorization)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: `${server.url}/login/callback`,
      response_type: "code",
      scope: "openid profile inference-api",
      code_challenge_method: "S256",
    });
    expect(authorization.get("state")).toMatch(/^[\w-]{40,}$/);
    expect(authorization.get("nonce")).toMatch(/^[\w-]{40,}$/);
    // The code was exchanged with the client's secret and the PKCE verifier.
    const exchange = provider.tokenRequests.at(-1);
    expect(exchange?.authenticated).toBe(true);
    expect(exchange?.body.get("code_verifier")).toMatch(/^[\w-]{43,128}$/);

    // An HttpOnly session cookie, Lax over plain HTTP.
    const cookie = visitor.setCookies.find((header) => header.startsWith("sc-hf-session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);

    const user = { username: "ada", name: "Ada Lovelace", avatar: "https://cdn.example/ada.png" };
    expect(await visitor.shownUser()).toEqual(user);
    const token = provider.issuedTokens.at(-1);
    const seen = await visitor.seenOverSocket();
    expect(seen).toMatchObject({ user, token, scope: "openid profile inference-api" });
    expect(Date.parse(seen.expiresAt ?? "")).toBeGreaterThan(Date.now() + 7 * 3600_000);
    expect(await visitor.seenOverApi()).toEqual(seen);

    // The page's user route never shows the token.
    const shown = await (await visitor.request(`${server.url}/login/huggingface/user`)).text();
    expect(shown).not.toContain(token);
    // Another visitor is still nobody.
    expect(await new Visitor().seenOverSocket()).toEqual(nobody);
  });

  it("ends the session on sign-out, even for a copy of its cookie", async () => {
    const visitor = new Visitor();
    await visitor.signIn();
    const stolen = visitor.cookieHeader;
    // Another site's image or script cannot sign the visitor out.
    const fromScript = await fetch(`${server.url}/logout/huggingface`, {
      redirect: "manual",
      headers: { Cookie: stolen, "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "cross-site" },
    });
    expect(fromScript.status).toBe(403);
    expect(await visitor.shownUser()).toMatchObject({ username: "ada" });
    const response = await visitor.request(`${server.url}/logout/huggingface?_target_url=%2Fbye%3Fa%3D1`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/bye?a=1");
    expect(visitor.cookies.has("sc-hf-session")).toBe(false);
    expect(await visitor.seenOverSocket()).toEqual(nobody);
    const replay = await fetch(`${server.url}/login/huggingface/user`, { headers: { Cookie: stolen } });
    expect(await replay.json()).toEqual({ user: null });
    const client = await connect(server.url, { Cookie: stolen });
    client.send({ type: "predict", id: "after-logout", data: ["hi"] });
    const end = await client.end("after-logout");
    await client.close();
    expect(end.type === "complete" && JSON.parse(end.data[0] as string)).toEqual(nobody);
  });

  it.each([
    "//evil.example",
    "\\\\evil.example",
    "https://evil.example/steal",
    "/\\evil.example",
    "/\t/evil.example",
    "https:evil.example",
  ])("lands on / after signing in or out with _target_url=%j", async (target) => {
    const visitor = new Visitor();
    const { hops } = await visitor.signIn(target);
    expect(hops.at(-1)).toBe(`${server.url}/`);
    const logout = await visitor.request(
      `${server.url}/logout/huggingface?_target_url=${encodeURIComponent(target)}`,
    );
    expect(logout.headers.get("location")).toBe("/");
  });

  it("refuses a forged state, and a state that another browser started", async () => {
    const visitor = new Visitor();
    const forged = await visitor.visit(`${server.url}/login/callback?code=abc&state=forged`);
    expect(forged.response.status).toBe(400);
    const page = await forged.response.text();
    expect(page).toContain("could not be verified");
    expect(page).toContain('href="/login/huggingface?_target_url=%2F"');
    expect(visitor.cookies.has("sc-hf-session")).toBe(false);

    // An attacker starts a sign-in and hands the victim the provider's answer (login CSRF).
    const attacker = new Visitor();
    const start = await attacker.request(`${server.url}/login/huggingface`);
    const authorize = await attacker.request(start.headers.get("location") as string);
    const callback = authorize.headers.get("location") as string;
    expect(callback).toContain("/login/callback?");
    const victim = new Visitor();
    const planted = await victim.visit(callback);
    expect(planted.response.status).toBe(400);
    expect(victim.cookies.has("sc-hf-session")).toBe(false);
    // A sign-in cookie that was tampered with, or made by another server, is refused too.
    const tamperer = new Visitor();
    const started = await tamperer.request(`${server.url}/login/huggingface`);
    const back = await tamperer.request(started.headers.get("location") as string);
    const sealed = tamperer.cookies.get("sc-hf-oauth-state") as string;
    // Flip one bit of the ciphertext (whole bytes, so base64url's spare bits cannot hide the change).
    const bytes = Buffer.from(sealed, "base64url");
    const last = bytes.length - 1;
    bytes.writeUInt8(bytes.readUInt8(last) ^ 1, last);
    const forgedCookie = bytes.toString("base64url");
    expect(forgedCookie).not.toBe(sealed);
    tamperer.cookies.set("sc-hf-oauth-state", forgedCookie);
    const tampered = await tamperer.visit(back.headers.get("location") as string);
    expect(tampered.response.status).toBe(400);
    expect(tamperer.cookies.has("sc-hf-session")).toBe(false);
    // A provider's refusal with no sign-in behind it is not shown either.
    const planted2 = await new Visitor().visit(
      `${server.url}/login/callback?error=access_denied&error_description=Call%20555-0100&state=x`,
    );
    expect(planted2.response.status).toBe(400);
    expect(await planted2.response.text()).not.toContain("555-0100");
  });

  it("says so when the visitor declines at the provider, and offers to try again", async () => {
    provider.deny = true;
    const visitor = new Visitor();
    const { response, hops } = await visitor.visit(
      `${server.url}/login/huggingface?_target_url=${encodeURIComponent("/demo")}`,
    );
    expect(hops.at(-1)).toContain("/login/callback?");
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain("You cancelled the sign-in");
    expect(page).toContain('href="/login/huggingface?_target_url=%2Fdemo"');
    expect(page).toContain('href="/demo"');
    expect(visitor.cookies.has("sc-hf-session")).toBe(false);
  });

  it("says so when the provider's token endpoint fails", async () => {
    provider.failToken = true;
    const visitor = new Visitor();
    const { response } = await visitor.visit(`${server.url}/login/huggingface`);
    expect(response.status).toBe(502);
    expect(await response.text()).toContain(
      "Hugging Face did not accept the sign-in code (status 500, server_error)",
    );
    expect(visitor.cookies.has("sc-hf-session")).toBe(false);
  });
});

describe("Sign in with Hugging Face: settings and limits", () => {
  it("keeps at most maxSessions sessions, dropping the oldest", async () => {
    const small = await startSpace(space, provider, { maxSessions: 2 });
    const use = (visitor: Visitor) =>
      fetch(`${small.url}/login/huggingface/user`, { headers: { Cookie: visitor.cookieHeader } }).then(
        async (response) => ((await response.json()) as { user: sc.User | null }).user?.username ?? null,
      );
    try {
      const visitors = [new Visitor(), new Visitor(), new Visitor()];
      for (const visitor of visitors) {
        const { hops } = await visitor.visit(`${small.url}/login/huggingface`);
        expect(hops.at(-1)).toBe(`${small.url}/`);
      }
      expect(await Promise.all(visitors.map(use))).toEqual([null, "ada", "ada"]);
    } finally {
      await small.close({ timeoutMs: 100 });
    }
  });

  it("ends a session when its token expires", async () => {
    // Long enough to sign in and look once on a busy machine (1 s was not, at load 15), short
    // enough to wait out.
    const shortLived = await startOidcStandIn({ expiresIn: 5 });
    const short = await startSpace(space, shortLived);
    try {
      const visitor = new Visitor();
      await visitor.visit(`${short.url}/login/huggingface`);
      const shown = () =>
        fetch(`${short.url}/login/huggingface/user`, { headers: { Cookie: visitor.cookieHeader } })
          .then((response) => response.json() as Promise<{ user: sc.User | null }>)
          .then((body) => body.user?.username ?? null);
      expect(await shown(), "signed in until the token expires").toBe("ada");
      await expect.poll(shown, { timeout: 30_000, interval: 200 }).toBeNull();
    } finally {
      await short.close({ timeoutMs: 100 });
      await shortLived.close();
    }
  });

  it("on a Space, sends the provider back to https://SPACE_HOST with cookies for the huggingface.co iframe", async () => {
    const onSpace = await startSpace(space, provider, { spaceHost: "owner-demo.hf.space,demo.example.com" });
    try {
      const visitor = new Visitor();
      const response = await visitor.request(`${onSpace.url}/login/huggingface`);
      const authorize = new URL(response.headers.get("location") as string);
      expect(authorize.searchParams.get("redirect_uri")).toBe("https://owner-demo.hf.space/login/callback");
      const state = visitor.setCookies.find((header) => header.startsWith("sc-hf-oauth-state="));
      expect(state).toMatch(/; Secure/i);
      expect(state).toMatch(/SameSite=None/i);
      expect(state).toMatch(/HttpOnly/i);
    } finally {
      await onSpace.close({ timeoutMs: 100 });
    }
  });

  it("has no sign-in routes without the Space's variables, so nothing is mocked", async () => {
    const plain = await startSpace(space);
    try {
      for (const path of [
        "/login/huggingface",
        "/login/huggingface/user",
        "/login/callback?code=x&state=y",
      ]) {
        const response = await fetch(`${plain.url}${path}`, { redirect: "manual" });
        expect(response.status, path).toBe(404);
      }
    } finally {
      await plain.close({ timeoutMs: 100 });
    }
  });

  it("turns on from the environment a Space with hf_oauth: true gets", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      OAUTH_CLIENT_ID: provider.clientId,
      OAUTH_CLIENT_SECRET: provider.clientSecret,
      OPENID_PROVIDER_URL: provider.url,
      OAUTH_SCOPES: "openid profile email",
    });
    let fromEnv: RunningServer | undefined;
    try {
      fromEnv = await serve(space, { port: 0, logError: () => {} });
      const visitor = new Visitor();
      const { hops } = await visitor.visit(`${fromEnv.url}/login/huggingface`);
      expect(hops.at(-1)).toBe(`${fromEnv.url}/`);
      expect(provider.authorizations.at(-1)?.get("scope")).toBe("openid profile email");
      expect(visitor.cookies.has("sc-hf-session")).toBe(true);
    } finally {
      process.env = saved;
      await fromEnv?.close({ timeoutMs: 100 });
    }
  });
});
