import { Client, handle_file } from "@gradio/client";
import type { RunningServer } from "spacecraft/server";
import { hfOAuth, serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Nginx } from "./nginx.js";
import { startNginx } from "./nginx.js";
import type { OidcStandIn } from "./oidc-stand-in.js";
import { startOidcStandIn } from "./oidc-stand-in.js";
import space, { streamGate } from "./proxy-space.js";

/**
 * Apps behind one real nginx, as the README's "Behind a reverse proxy" sets them up: `/demo/`
 * strips the prefix and the app is told it (`rootPath`), trusting the proxy's X-Forwarded-Host;
 * `/prefixed/` strips it and says it in X-Forwarded-Prefix (no `rootPath`); `/kept/` passes the
 * whole path on and the app, which trusts no proxy, has `rootPath`; `/signin/` has Sign in with
 * Hugging Face; `/buffered/` is `/demo/`'s app over HTTP/1.0 (see its event stream tests).
 */
let demo: RunningServer;
let prefixed: RunningServer;
let kept: RunningServer;
let signIn: RunningServer;
let provider: OidcStandIn;
let proxy: Nginx;

beforeAll(async () => {
  [demo, prefixed, kept] = await Promise.all([
    serve(space, { port: 0, rootPath: "/demo", trustProxy: ["loopback"], logError: () => {} }),
    serve(space, { port: 0, trustProxy: ["loopback"], logError: () => {} }),
    serve(space, { port: 0, rootPath: "/kept", logError: () => {} }),
  ]);
  provider = await startOidcStandIn();
  signIn = await serve(space, {
    port: 0,
    rootPath: "/signin",
    logError: () => {},
    oauth: hfOAuth({
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      providerUrl: provider.url,
    }),
  });
  proxy = await startNginx([
    { prefix: "/demo", upstream: demo.url, headers: { "X-Forwarded-Host": "$http_host" } },
    {
      prefix: "/prefixed",
      upstream: prefixed.url,
      headers: { "X-Forwarded-Host": "$http_host", "X-Forwarded-Prefix": "/prefixed" },
    },
    { prefix: "/kept", upstream: kept.url, path: "keep", headers: { Host: "$http_host" } },
    { prefix: "/signin", upstream: signIn.url, headers: { Host: "$http_host" } },
    {
      prefix: "/buffered",
      upstream: demo.url,
      httpVersion: "1.0",
      headers: { "X-Forwarded-Host": "$http_host", "X-Forwarded-Prefix": "/buffered" },
    },
  ]);
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all([demo, prefixed, kept, signIn].map((server) => server?.close({ timeoutMs: 100 })));
  await provider?.close();
});

/**
 * Resolves with `promise`, or fails saying `what` did not happen within 20 s (a busy machine's
 * margin; a stream nginx buffered would still fail: a few small events never fill its buffer).
 */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within 20 s`)), 20_000);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(["/demo", "/prefixed", "/kept"])("@gradio/client through nginx at %s/", (prefix) => {
  it("predicts, uploads a file and downloads the returned one through the proxy", async () => {
    const root = `${proxy.url}${prefix}`;
    const client = await Client.connect(`${root}/`);
    expect((await client.predict("/greet", ["proxy"])).data).toEqual(["Hello, proxy!"]);

    const bytes = Buffer.from("notes that went through nginx");
    const result = await client.predict("/describe", [handle_file(new Blob([bytes]))]);
    const [about, copy] = result.data as [string, { url: string }];
    expect(about).toMatch(/: 29 bytes$/);
    expect(copy.url, "the file URL must be the public one, through the proxy and its path").toMatch(
      new RegExp(`^${root.replace(/[.]/g, "\\.")}/gradio_api/file=`),
    );
    const download = await fetch(copy.url);
    expect(download.status, await proxy.errors()).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  it("answers the API description and the config under the path", async () => {
    const info = await fetch(`${proxy.url}${prefix}/gradio_api/info`);
    expect(info.status).toBe(200);
    expect(Object.keys(((await info.json()) as { named_endpoints: object }).named_endpoints)).toEqual([
      "/greet",
      "/describe",
      "/stream",
    ]);
    const config = await fetch(`${proxy.url}${prefix}/config`);
    expect(((await config.json()) as { title: string }).title).toBe("Behind a proxy");
  });
});

// `/buffered/` talks HTTP/1.0 to the app (nginx's default): there a buffering nginx holds back
// every event until its buffer fills unless the app sends `X-Accel-Buffering: no`. Over HTTP/1.1
// nginx passes each chunk of a chunked response on at once either way.
describe.each(["/demo", "/buffered"])("event streams through a buffering nginx at %s/", (prefix) => {
  it("yields a stream's first result to @gradio/client before the function goes on", async () => {
    const client = await Client.connect(`${proxy.url}${prefix}/`, { events: ["data", "status"] });
    const job = client.submit("/stream", ["go"]);
    const seen: unknown[] = [];
    const iterator = job[Symbol.asyncIterator]();
    // The function waits for the gate after its first yield: only an unbuffered stream shows it.
    while (!seen.includes("first")) {
      const next: IteratorResult<unknown> = await within(
        iterator.next(),
        "the first partial result did not come through nginx",
      );
      expect(next.done, "the stream ended before its first partial result").toBe(false);
      const event = next.value as { type: string; data?: unknown[] };
      if (event.type === "data") seen.push(event.data?.[0]);
    }
    streamGate.release();
    while (!seen.includes("first second")) {
      const next: IteratorResult<unknown> = await within(
        iterator.next(),
        "the second result did not come after the release",
      );
      if (next.done) break;
      const event = next.value as { type: string; data?: unknown[] };
      if (event.type === "data") seen.push(event.data?.[0]);
    }
    expect(seen).toEqual(["first", "first second"]);
  });

  it("sends /call's first partial over curl's event stream before the function goes on", async () => {
    const started = await fetch(`${proxy.url}${prefix}/gradio_api/call/stream`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["go"] }),
    });
    const { event_id: eventId } = (await started.json()) as { event_id: string };
    const response = await within(
      fetch(`${proxy.url}${prefix}/gradio_api/call/stream/${eventId}`),
      "/call's event stream did not start through nginx",
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes('["first"]')) {
      const chunk = await within(reader.read(), "/call's first partial did not come through nginx");
      expect(chunk.done, `the stream ended before its first partial: ${text}`).toBe(false);
      text += decoder.decode(chunk.value, { stream: true });
    }
    streamGate.release();
    while (!text.includes("event: complete")) {
      const chunk = await within(reader.read(), "/call's stream did not complete after the release");
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    expect(text).toContain('["first second"]');
  });

  it("passes the heartbeat's first beat at once", async () => {
    const response = await within(
      fetch(`${proxy.url}${prefix}/gradio_api/heartbeat/proxy-test-session`),
      "the heartbeat's stream did not start through nginx",
    );
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const chunk = await within(reader.read(), "the heartbeat's first beat did not come through nginx");
    expect(new TextDecoder().decode(chunk.value)).toContain("ALIVE");
    await reader.cancel();
  });
});

describe("X-Accel-Buffering", () => {
  it("marks every event stream X-Accel-Buffering: no (nginx hides the header from clients)", async () => {
    const beat = await fetch(`${demo.url}/gradio_api/heartbeat/header-check`);
    expect(beat.headers.get("x-accel-buffering")).toBe("no");
    await beat.body?.cancel();
    const joined = await fetch(`${demo.url}/gradio_api/queue/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["x"], fn_index: 0, session_hash: "header-check-session" }),
    });
    expect(joined.status).toBe(200);
    const stream = await fetch(`${demo.url}/gradio_api/queue/data?session_hash=header-check-session`);
    expect(stream.headers.get("x-accel-buffering")).toBe("no");
    expect(await stream.text()).toContain("process_completed");
    const started = await fetch(`${demo.url}/gradio_api/call/greet`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["x"] }),
    });
    const { event_id: eventId } = (await started.json()) as { event_id: string };
    const call = await fetch(`${demo.url}/gradio_api/call/greet/${eventId}`);
    expect(call.headers.get("x-accel-buffering")).toBe("no");
    await call.text();
  });
});

describe("forwarded headers", () => {
  it("ignores a client's own X-Forwarded-Host and -Proto when the server trusts no proxy", async () => {
    const upload = new FormData();
    upload.append("files", new Blob(["x"]), "x.txt");
    const headers = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    const [path] = (await (
      await fetch(`${kept.url}/gradio_api/upload`, { method: "POST", body: upload, headers })
    ).json()) as string[];
    const call = await fetch(`${kept.url}/gradio_api/call/describe`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ data: [{ path, meta: { _type: "gradio.FileData" } }] }),
    });
    const { event_id: eventId } = (await call.json()) as { event_id: string };
    const events = await (await fetch(`${kept.url}/gradio_api/call/describe/${eventId}`, { headers })).text();
    expect(events).toContain("event: complete");
    expect(events).not.toContain("evil.example");
    expect(events).toContain(`"url":"${kept.url}/kept/gradio_api/file=`);
  });

  it("checks a trusted proxy's X-Forwarded-Host against the allowed hosts", async () => {
    const response = await fetch(`${demo.url}/config`, { headers: { "x-forwarded-host": "evil.example" } });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('does not answer to the host "evil.example"');
  });

  it("refuses a trusted proxy's X-Forwarded-Prefix that is not a path, saying what to set", async () => {
    const response = await fetch(`${prefixed.url}/config`, { headers: { "x-forwarded-prefix": "../up" } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain("X-Forwarded-Prefix");
  });
});

describe("rootPath", () => {
  it("serves the app with and without the prefix, and sends the bare prefix to its page", async () => {
    for (const path of ["/config", "/kept/config"]) {
      const response = await fetch(`${kept.url}${path}`);
      expect(response.status, path).toBe(200);
    }
    const bare = await fetch(`${kept.url}/kept?x=1`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/kept/?x=1");
    const page = await fetch(`${proxy.url}/kept/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="./assets/');
  });

  it("refuses a root path that is not one, saying what to give", async () => {
    await expect(serve(space, { port: 0, rootPath: "/a/../b" })).rejects.toThrow(
      /rootPath: "\/a\/\.\.\/b" is not a root path.*such as "\/demo"/,
    );
    await expect(serve(space, { port: 0, rootPath: "ftp://example.com/x" })).rejects.toThrow(
      /only http and https/,
    );
  });

  it("refuses a trustProxy entry that is not an address", async () => {
    await expect(serve(space, { port: 0, trustProxy: ["my proxy"] })).rejects.toThrow(
      /trustProxy .* is not a list of addresses.*"loopback"/,
    );
  });
});

describe("Sign in with Hugging Face behind nginx at /signin/", () => {
  it("gives the provider the callback under the path, and sends the visitor back under it", async () => {
    const start = await fetch(`${proxy.url}/signin/login/huggingface`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location") as string);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${proxy.url}/signin/login/callback`);
    const out = await fetch(`${proxy.url}/signin/logout/huggingface`, { redirect: "manual" });
    expect(out.headers.get("location")).toBe("/signin/");
    const back = await fetch(`${proxy.url}/signin/logout/huggingface?_target_url=/signin/?tab=2`, {
      redirect: "manual",
    });
    expect(back.headers.get("location")).toBe("/signin/?tab=2");
  });
});
