import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sc from "spacecraft";
import type { RunningServer, ServeOptions } from "spacecraft/server";
import { hfOAuth, serve } from "spacecraft/server";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startOidcStandIn } from "./oidc-stand-in.js";
import { connect } from "./ws-client.js";

// The origin rules of embedding (issue 12): who may frame a Space, call it and open its WebSocket
// from another site. A "public" server is bound to a non-loopback address, as on a Space.

const echo = sc.Interface({
  fn: (text: string) => `echo:${text}`,
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Result" })],
});

const SITE = "http://site.example";
const OTHER = "http://other.example";
const servers: RunningServer[] = [];
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(servers.map((running) => running.close({ timeoutMs: 100 })));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function start(options: ServeOptions = {}): Promise<RunningServer> {
  const running = await serve(echo, { port: 0, logError: () => {}, ...options });
  servers.push(running);
  return running;
}

/** A folder holding a README.md with `text`, as the app folder of a Space. */
function appFolder(readme: string): string {
  const folder = mkdtempSync(join(tmpdir(), "spacecraft-embed-"));
  folders.push(folder);
  writeFileSync(join(folder, "README.md"), readme);
  return folder;
}

/** The status of a WebSocket upgrade to /ws: 101 when it opens, else the HTTP status it was refused with. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/ws`, { headers });
  return new Promise<number>((resolve) => {
    socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    socket.once("open", () => resolve(101));
    socket.on("error", () => {});
  }).finally(() => socket.terminate());
}

function frameAncestors(response: Response): string {
  const csp = response.headers.get("content-security-policy") ?? "";
  return /frame-ancestors ([^;]*)/.exec(csp)?.[1] ?? `(no frame-ancestors in "${csp}")`;
}

describe("a public Space with no sign-in", () => {
  it("lets any site frame it, read its API and run it over the WebSocket, without credentials", async () => {
    const open = await start({ host: "0.0.0.0" });
    expect(frameAncestors(await fetch(`${open.url}/`))).toBe("*");
    const config = await fetch(`${open.url}/config`, { headers: { origin: SITE } });
    expect(config.headers.get("access-control-allow-origin")).toBe("*");
    expect(config.headers.get("access-control-allow-credentials")).toBeNull();
    const form = new FormData();
    form.append("files", new Blob(["hello"]), "a.txt");
    const upload = await fetch(`${open.url}/gradio_api/upload`, {
      method: "POST",
      headers: { origin: SITE },
      body: form,
    });
    expect(upload.status, await upload.clone().text()).toBe(200);
    expect(upload.headers.get("access-control-allow-origin")).toBe("*");
    const client = await connect(open.url, { Origin: SITE });
    client.send({ type: "predict", id: "1", endpoint: 0, data: ["hi"] });
    expect(await client.end("1")).toMatchObject({ type: "complete", data: ["echo:hi"] });
    await client.close();
  });

  it("serves embed.js and the page's chunks to any site", async () => {
    const open = await start({ host: "0.0.0.0" });
    const embed = await fetch(`${open.url}/embed.js`, { headers: { origin: SITE } });
    expect(embed.status).toBe(200);
    expect(embed.headers.get("content-type")).toMatch(/javascript/);
    expect(embed.headers.get("access-control-allow-origin")).toBe("*");
    const imports = [...(await embed.text()).matchAll(/import "\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(imports.length, "embed.js imports the page's entry and the frame sizer").toBe(2);
    for (const path of imports) {
      const chunk = await fetch(`${open.url}/${path}`, { headers: { origin: SITE } });
      expect(chunk.status, path).toBe(200);
      expect(chunk.headers.get("access-control-allow-origin"), path).toBe("*");
    }
  });
});

describe("a Space on a laptop (loopback)", () => {
  it("keeps other sites out: no frame, no API reads, no writes, no WebSocket", async () => {
    const local = await start();
    expect(frameAncestors(await fetch(`${local.url}/`))).toBe(
      "'self' https://huggingface.co https://*.huggingface.co http://localhost:* http://127.0.0.1:* https://localhost:* https://127.0.0.1:*",
    );
    const config = await fetch(`${local.url}/config`, { headers: { origin: SITE } });
    expect(config.headers.get("access-control-allow-origin")).toBeNull();
    const write = await fetch(`${local.url}/gradio_api/upload`, {
      method: "POST",
      headers: { origin: SITE },
      body: new FormData(),
    });
    expect(write.status).toBe(403);
    expect(await upgradeStatus(local.url, { Origin: SITE })).toBe(403);
    // Its page's code is the same as every Space's: loading it does no harm.
    const embed = await fetch(`${local.url}/embed.js`, { headers: { origin: SITE } });
    expect(embed.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("a Space on a laptop (loopback), and a page of the same machine", () => {
  it("lets a localhost page call it and open its WebSocket, as nobody, as Gradio's CORS rule does", async () => {
    const local = await start();
    for (const page of ["http://localhost:5173", "http://127.0.0.1:8080"]) {
      const config = await fetch(`${local.url}/config`, { headers: { origin: page } });
      expect(config.headers.get("access-control-allow-origin"), page).toBe("*");
      expect(config.headers.get("access-control-allow-credentials"), page).toBeNull();
      expect(await upgradeStatus(local.url, { Origin: page }), page).toBe(101);
    }
    // A name that only looks local is another site.
    expect(await upgradeStatus(local.url, { Origin: "http://localhost.example.com" })).toBe(403);
    // allowedOrigins names the only sites: then a localhost page is one like any other.
    const named = await start({ allowedOrigins: [SITE] });
    expect(await upgradeStatus(named.url, { Origin: "http://localhost:5173" })).toBe(403);
  });
});

describe("allowedOrigins", () => {
  it("names the only other sites that may embed and call a public Space, with credentials", async () => {
    const named = await start({ host: "0.0.0.0", allowedOrigins: [SITE] });
    expect(frameAncestors(await fetch(`${named.url}/`))).toBe(
      `'self' https://huggingface.co https://*.huggingface.co ${SITE}`,
    );
    const allowed = await fetch(`${named.url}/config`, { headers: { origin: SITE } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const other = await fetch(`${named.url}/config`, { headers: { origin: OTHER } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const write = await fetch(`${named.url}/gradio_api/upload`, {
      method: "POST",
      headers: { origin: OTHER },
      body: new FormData(),
    });
    expect(write.status).toBe(403);
    expect(await upgradeStatus(named.url, { Origin: SITE })).toBe(101);
    expect(await upgradeStatus(named.url, { Origin: OTHER })).toBe(403);
  });

  it("lets a named site's page use a Space with sign-in, and no other site", async () => {
    const signIn = await start({ host: "0.0.0.0", auth: [["ada", "lovelace"]], allowedOrigins: [SITE] });
    const login = await fetch(`${signIn.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "ada", password: "lovelace" }),
    });
    const cookie = login.headers.getSetCookie()[0]?.split(";")[0] ?? "(no session cookie)";
    expect(await upgradeStatus(signIn.url, { Origin: SITE, Cookie: cookie })).toBe(101);
    expect(await upgradeStatus(signIn.url, { Origin: OTHER, Cookie: cookie })).toBe(403);
    expect(frameAncestors(await fetch(`${signIn.url}/login`))).toBe(
      `'self' https://huggingface.co https://*.huggingface.co ${SITE}`,
    );
    // embed.js loads without a session (a named site's page sends no cookies for scripts).
    expect((await fetch(`${signIn.url}/embed.js`, { headers: { origin: SITE } })).status).toBe(200);
    expect((await fetch(`${signIn.url}/config`, { redirect: "manual" })).status).not.toBe(200);
  });
});

describe("disable_embedding: true", () => {
  const readme = "---\ntitle: Private demo\nsdk: docker\ndisable_embedding: true\n---\n\n# Demo\n";

  it("frames only on the Space and huggingface.co, refuses other sites' WebSockets, and says so in the config", async () => {
    const root = appFolder(readme);
    const closed = await start({ host: "0.0.0.0", root, allowedOrigins: [SITE] });
    expect(frameAncestors(await fetch(`${closed.url}/`))).toBe(
      "'self' https://huggingface.co https://*.huggingface.co",
    );
    expect(await upgradeStatus(closed.url, { Origin: SITE })).toBe(403);
    expect(await upgradeStatus(closed.url, { Origin: OTHER })).toBe(403);
    expect(await upgradeStatus(closed.url)).toBe(101);
    const config = (await (await fetch(`${closed.url}/config`)).json()) as sc.SpaceConfig;
    expect(config.spacecraft.disableEmbedding).toBe(true);
  });

  it("leaves embedding on for a README without it", async () => {
    const root = appFolder("---\ntitle: Open demo\nsdk: docker\n---\n");
    const open = await start({ host: "0.0.0.0", root });
    expect(frameAncestors(await fetch(`${open.url}/`))).toBe("*");
    const config = (await (await fetch(`${open.url}/config`)).json()) as sc.SpaceConfig;
    expect(config.spacecraft.disableEmbedding).toBeUndefined();
  });

  it("refuses to start on a README whose front matter does not parse, naming the file", async () => {
    const root = appFolder("---\ntitle: [unclosed\n---\n");
    await expect(serve(echo, { port: 0, root, logError: () => {} })).rejects.toThrow(
      /README\.md: its front matter is not valid YAML.*Fix the front matter/s,
    );
  });
});

describe("SPACE_ID", () => {
  it("reaches the config, for the page's footer", async () => {
    const before = process.env.SPACE_ID;
    process.env.SPACE_ID = "ada/repeat";
    try {
      const onSpace = await start();
      const config = (await (await fetch(`${onSpace.url}/config`)).json()) as sc.SpaceConfig;
      expect(config.spacecraft.spaceId).toBe("ada/repeat");
    } finally {
      if (before === undefined) delete process.env.SPACE_ID;
      else process.env.SPACE_ID = before;
    }
    const elsewhere = await start();
    const config = (await (await fetch(`${elsewhere.url}/config`)).json()) as sc.SpaceConfig;
    expect(config.spacecraft.spaceId).toBeUndefined();
  });
});

describe("another site's page on an open Space with Hugging Face sign-in", () => {
  const whoAmI = sc.Interface({
    fn: (_text: string, ctx) => ctx.user?.username ?? "nobody",
    inputs: [sc.Textbox()],
    outputs: [sc.Textbox()],
    loginButton: sc.LoginButton(),
  });

  it("runs as nobody, whatever cookies the browser sends with it", async () => {
    const provider = await startOidcStandIn();
    try {
      const oauth = hfOAuth({
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        providerUrl: provider.url,
      });
      const open = await serve(whoAmI, { port: 0, host: "0.0.0.0", logError: () => {}, oauth });
      servers.push(open);
      // Sign in as a browser does: follow the redirects, keep the cookies.
      const cookies = new Map<string, string>();
      let url = `${open.url}/login/huggingface`;
      for (let hop = 0; hop < 10; hop++) {
        const header = [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
        const response = await fetch(url, { redirect: "manual", headers: header ? { cookie: header } : {} });
        for (const line of response.headers.getSetCookie()) {
          const pair = line.split(";")[0] ?? "";
          cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
        }
        const next = response.headers.get("location");
        if (!next) break;
        url = new URL(next, url).href;
      }
      expect(cookies.get("sc-hf-session"), "signed in").toBeTruthy();
      const cookie = `sc-hf-session=${cookies.get("sc-hf-session")}`;
      const run = async (headers: Record<string, string>) => {
        const client = await connect(open.url, headers);
        client.send({ type: "predict", id: "1", endpoint: 0, data: ["x"] });
        const end = await client.end("1");
        await client.close();
        return end;
      };
      expect(await run({ Cookie: cookie })).toMatchObject({ type: "complete", data: ["ada"] });
      expect(await run({ Cookie: cookie, Origin: SITE })).toMatchObject({
        type: "complete",
        data: ["nobody"],
      });
      const api = async (headers: Record<string, string>) => {
        const response = await fetch(`${open.url}/gradio_api/run/predict`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie, ...headers },
          body: JSON.stringify({ data: ["x"] }),
        });
        return ((await response.json()) as { data?: unknown[] }).data;
      };
      expect(await api({})).toEqual(["ada"]);
      expect(await api({ origin: SITE })).toEqual(["nobody"]);
    } finally {
      await provider.close();
    }
  });
});
