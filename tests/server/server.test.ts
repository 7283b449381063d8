import { get } from "node:http";
import { brotliDecompressSync } from "node:zlib";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect } from "./ws-client.js";

const aborted: string[] = [];

const space = sc.Interface({
  title: "Test space",
  fn: async (text, times, ctx) => {
    if (text === "fail") throw new sc.SpaceError("This text is not allowed.");
    if (text === "crash") throw new Error("internal detail");
    if (text === "hang") {
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener("abort", () => {
          aborted.push(ctx.session);
          resolve();
        });
      });
      return "never shown";
    }
    if (text.startsWith("slow")) await new Promise((resolve) => setTimeout(resolve, 400));
    return text.repeat(times);
  },
  inputs: [sc.Textbox({ label: "Text" }), sc.Slider({ label: "Times", minimum: 1, maximum: 5 })],
  outputs: [sc.Textbox()],
  concurrencyLimit: 2,
});

let server: RunningServer;
beforeAll(async () => {
  server = await serve(space, { port: 0, logError: () => {} });
});
afterAll(async () => {
  await server.close({ timeoutMs: 100 });
});

describe("HTTP", () => {
  it("serves the config as JSON", async () => {
    const response = await fetch(`${server.url}/config`);
    expect(response.headers.get("content-type")).toContain("application/json");
    const config = (await response.json()) as sc.SpaceConfig;
    expect(config).toMatchObject({ title: "Test space", protocol: "sse_v3", spacecraft: { dev: false } });
  });

  it("serves the page", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("sc-app");
  });

  it("sends the page brotli-compressed ahead where the browser takes it, and as written where it takes neither", async () => {
    /** The page's raw bytes and encoding for an Accept-Encoding (fetch would decode them). */
    const raw = (accept: string) =>
      new Promise<{ encoding?: string; vary?: string; length?: string; body: Buffer }>((resolve, reject) => {
        get(`${server.url}/`, { headers: { "accept-encoding": accept } }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({
              encoding: response.headers["content-encoding"],
              vary: response.headers.vary,
              length: response.headers["content-length"],
              body: Buffer.concat(chunks),
            }),
          );
        }).on("error", reject);
      });
    const plain = await raw("identity");
    expect(plain.encoding, "a client that takes no compression").toBeUndefined();
    expect(plain.vary).toMatch(/Accept-Encoding/i);
    const browser = "gzip, deflate, br, zstd";
    const [first, second] = [await raw(browser), await raw(browser)];
    expect(first.encoding, "a browser's usual Accept-Encoding").toBe("br");
    expect(brotliDecompressSync(first.body).toString(), "the same page").toBe(plain.body.toString());
    expect(second.body.equals(first.body), "the same bytes on every visit").toBe(true);
    expect(first.length, "compressed ahead, so sent whole with its length").toBe(String(first.body.length));
    expect(first.body.length, "smaller than as written").toBeLessThan(plain.body.length / 3);
  });

  it("sends the page and its code gzipped to a client that accepts it, and the API's event stream as written", async () => {
    const gzip = { headers: { "accept-encoding": "gzip" } };
    const page = await fetch(`${server.url}/`, gzip);
    expect(page.headers.get("content-encoding"), "the page's encoding").toBe("gzip");
    const entry = (await page.text()).match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    expect(entry, "the page's entry script").toBeDefined();
    const code = await fetch(`${server.url}/${entry}`, gzip);
    expect(code.status).toBe(200);
    expect(code.headers.get("content-encoding"), `${entry}'s encoding`).toBe("gzip");
    // A stream must reach the client event by event: not compressed (compression buffers).
    const join = await fetch(`${server.url}/gradio_api/queue/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["ab", 2], fn_index: 0, session_hash: "gzip" }),
    });
    expect(join.status, await join.clone().text()).toBe(200);
    const stream = await fetch(`${server.url}/gradio_api/queue/data?session_hash=gzip`, {
      ...gzip,
      signal: AbortSignal.timeout(20_000),
    });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expect(stream.headers.get("content-encoding"), "the event stream's encoding").toBeNull();
    expect(await stream.text()).toContain('"abab"');
  });

  it("lets browsers keep the hashed chunks, and asks them to check the page and embed.js again", async () => {
    const page = await fetch(`${server.url}/`);
    const html = await page.text();
    expect(page.headers.get("cache-control"), "the page's Cache-Control").toBe("no-cache");
    const scripts = [...html.matchAll(/src="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
    expect(scripts.length, `the page's scripts in ${html.slice(0, 2000)}`).toBeGreaterThan(1);
    for (const script of scripts) {
      const code = await fetch(`${server.url}/${script}`);
      expect(code.status, script).toBe(200);
      expect(code.headers.get("cache-control"), `${script}'s Cache-Control`).toBe(
        "public, max-age=31536000, immutable",
      );
    }
    const embed = await fetch(`${server.url}/embed.js`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get("cache-control"), "embed.js's Cache-Control").toBe("public, max-age=0");
  });

  it("answers unknown paths with a JSON 404", async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Not found: GET /nope" });
  });
});

describe("WebSocket protocol", () => {
  it("runs a prediction round trip", async () => {
    const client = await connect(server.url);
    client.send({ type: "predict", id: "a", endpoint: 0, data: ["ab", 3] });
    expect(await client.end("a")).toMatchObject({ type: "complete", id: "a", data: ["ababab"] });
    expect(client.messages.map((m) => m.type)).toEqual(["complete"]);
    await client.close();
  });

  it("accepts the endpoint by api_name", async () => {
    const client = await connect(server.url);
    client.send({ type: "predict", id: "a", endpoint: "/predict", data: ["x", 2] });
    expect(await client.end("a")).toMatchObject({ type: "complete", data: ["xx"] });
    await client.close();
  });

  it("rejects a bad input naming the field, and the connection stays usable", async () => {
    const client = await connect(server.url);
    client.send({ type: "predict", id: "bad", endpoint: 0, data: ["x", 9] });
    const config = space.toConfig();
    expect(await client.end("bad")).toEqual({
      type: "error",
      id: "bad",
      message: 'Slider "Times": must be at most 5.',
      field: config.dependencies[0]?.inputs[1],
    });
    client.send({ type: "predict", id: "good", endpoint: 0, data: ["x", 1] });
    expect(await client.end("good")).toMatchObject({ type: "complete", data: ["x"] });
    await client.close();
  });

  it("answers malformed and oversized messages with errors that name the problem", async () => {
    const client = await connect(server.url);
    const errorMatching = (text: string) =>
      client.next((m) => m.type === "error" && m.message.includes(text));
    client.sendRaw("{not json");
    await errorMatching("not valid JSON");
    client.send({ type: "launch", id: "x" });
    await errorMatching('unknown message type "launch": expected "predict" or "cancel"');
    client.send({ type: "predict", id: "x1", data: "hello" });
    expect(await client.end("x1")).toMatchObject({
      message: expect.stringContaining("`data` must be a list"),
    });
    client.send({ type: "predict", id: "x2" });
    expect(await client.end("x2")).toMatchObject({ message: "Invalid message: `data` is missing." });
    client.send({ type: "predict", data: [] });
    await errorMatching("Invalid message: `id` is missing.");
    client.send([]);
    await errorMatching("a message must be a JSON object with a `type`");
    client.sendRaw(Buffer.from([1, 2, 3]));
    await errorMatching("got binary data");
    client.sendRaw("x".repeat(1024 * 1024 + 1));
    await errorMatching("Message too large: 1048577 bytes, the limit is 1048576");
    client.send({ type: "cancel", id: "ghost" });
    expect(await client.end("ghost")).toMatchObject({
      message: 'Nothing to cancel: job "ghost" is not queued or running.',
    });
    client.send({ type: "predict", id: "ok", endpoint: 0, data: ["still", 1] });
    expect(await client.end("ok")).toMatchObject({ type: "complete", data: ["still"] });
    await client.close();
  });

  it("keeps one client's fn error away from another client's job", async () => {
    const [alice, bob] = await Promise.all([connect(server.url), connect(server.url)]);
    bob.send({ type: "predict", id: "b", endpoint: 0, data: ["slow-bob", 1] });
    alice.send({ type: "predict", id: "a", endpoint: 0, data: ["crash", 1] });
    alice.send({ type: "predict", id: "a2", endpoint: 0, data: ["fail", 1] });
    const aliceError = await alice.end("a");
    expect(aliceError).toMatchObject({
      type: "error",
      message: expect.stringContaining("The demo's function failed"),
    });
    expect(JSON.stringify(aliceError)).not.toContain("internal detail");
    expect(await alice.end("a2")).toMatchObject({ type: "error", message: "This text is not allowed." });
    expect(await bob.end("b")).toMatchObject({ type: "complete", data: ["slow-bob"] });
    expect(bob.messages.some((m) => m.type === "error")).toBe(false);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("tells a waiting client its queue position", async () => {
    const [first, second, third] = await Promise.all([
      connect(server.url),
      connect(server.url),
      connect(server.url),
    ]);
    // Both slots are taken, by runs that last until cancelled, before the third client asks: three
    // sockets' messages may reach the server in any order, and a timed run could end first.
    first.send({ type: "predict", id: "q0", endpoint: 0, data: ["hang", 1] });
    second.send({ type: "predict", id: "q1", endpoint: 0, data: ["hang", 1] });
    await first.next((m) => m.type === "started" && m.id === "q0");
    await second.next((m) => m.type === "started" && m.id === "q1");
    third.send({ type: "predict", id: "q2", endpoint: 0, data: ["slow2", 1] });
    expect(await third.next((m) => m.type === "queued")).toMatchObject({ position: 1, size: 1 });
    first.send({ type: "cancel", id: "q0" });
    expect(await first.end("q0")).toEqual({ type: "cancelled", id: "q0" });
    expect(await third.end("q2")).toMatchObject({ type: "complete", data: ["slow2"] });
    second.send({ type: "cancel", id: "q1" });
    expect(await second.end("q1")).toEqual({ type: "cancelled", id: "q1" });
    await Promise.all([first, second, third].map((client) => client.close()));
  });

  it("cancels a running job on request", async () => {
    const client = await connect(server.url);
    client.send({ type: "predict", id: "h", endpoint: 0, data: ["hang", 1] });
    await client.next((m) => m.type === "started");
    client.send({ type: "cancel", id: "h" });
    expect(await client.end("h")).toEqual({ type: "cancelled", id: "h" });
    await client.close();
  });

  it("cancels a client's jobs when it disconnects, then serves the next client", async () => {
    const before = aborted.length;
    const leaver = await connect(server.url);
    leaver.send({ type: "predict", id: "h1", endpoint: 0, data: ["hang", 1] });
    leaver.send({ type: "predict", id: "h2", endpoint: 0, data: ["hang", 1] });
    await leaver.next((m) => m.type === "started" && m.id === "h2");
    await leaver.close();
    const deadline = Date.now() + 20_000;
    while (aborted.length < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(aborted.length).toBe(before + 2);
    const next = await connect(server.url);
    next.send({ type: "predict", id: "n", endpoint: 0, data: ["after", 1] });
    expect(await next.end("n")).toMatchObject({ type: "complete", data: ["after"] });
    await next.close();
  });

  it("refuses a WebSocket from another origin", async () => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws`, {
      headers: { Origin: "http://evil.example" },
    });
    const status = await new Promise<number | undefined>((resolve) => {
      socket.once("unexpected-response", (_request, response) => resolve(response.statusCode));
      socket.once("open", () => resolve(undefined));
    });
    expect(status).toBe(403);
    socket.on("error", () => {});
    socket.terminate();
  });
});
