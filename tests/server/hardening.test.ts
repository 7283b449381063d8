import { readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startCli } from "./cli.js";
import { connect } from "./ws-client.js";

// Regression tests for the findings of issue 9: each was a way to crash, hang or leak a Space.

const aborts: string[] = [];
const logs: { message: string; error: unknown }[] = [];

const space = sc.Interface({
  fn: async (text, data, ctx) => {
    if (text === "hang") return new Promise<string>(() => {});
    if (text === "wait") {
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      aborts.push(ctx.session);
      return "aborted";
    }
    if (text === "async-crash") {
      await Promise.resolve();
      throw new Error("async detail");
    }
    return `${text}:${JSON.stringify(data).length}`;
  },
  inputs: [sc.Textbox({ label: "Text" }), sc.JSON({ label: "Data" })],
  outputs: [sc.Textbox()],
  concurrencyLimit: 1,
  timeLimit: 1.5,
});

const syncCrash = sc.Interface({
  fn: (text: string): string => {
    if (text === "sync-crash") throw new Error("sync detail");
    return text;
  },
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
});

const files = sc.Interface({
  fn: (file) => `${file.orig_name}|${file.mime_type}|${file.size}`,
  inputs: [sc.File({ label: "Picture", fileTypes: [".png"] })],
  outputs: [sc.Textbox()],
});

const downloads = sc.Interface({
  fn: (name: string) => ({ bytes: new TextEncoder().encode("hello"), name, mimeType: "text/plain" }),
  inputs: [sc.Textbox()],
  outputs: [sc.File()],
});

let server: RunningServer;
let crashServer: RunningServer;
let filesServer: RunningServer;
let downloadServer: RunningServer;
const logError = (message: string, error: unknown) => logs.push({ message, error });
beforeAll(async () => {
  server = await serve(space, { port: 0, logError });
  crashServer = await serve(syncCrash, { port: 0, logError });
  filesServer = await serve(files, { port: 0, logError });
  downloadServer = await serve(downloads, { port: 0, logError });
});
afterAll(async () => {
  await Promise.all(
    [server, crashServer, filesServer, downloadServer].map((s) => s?.close({ timeoutMs: 100 })),
  );
});

async function stillServes(url: string): Promise<void> {
  const response = await fetch(`${url}/config`);
  expect(response.status, "the server should still answer /config").toBe(200);
}

/** A GET (or, given a JSON `body`, a POST) with a chosen Host header (fetch cannot set it). */
function getWithHost(url: string, path: string, host: string, origin?: string, body?: string) {
  const { port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const request = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path,
          method: body === undefined ? "GET" : "POST",
          headers: {
            host,
            ...(origin ? { origin } : {}),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
        },
        (response) => {
          let body = "";
          response.on("data", (chunk) => {
            body += chunk;
          });
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        },
      );
      request.on("error", reject);
      request.end(body);
    },
  );
}

function expectNoStack(body: string): void {
  expect(body).not.toMatch(/\n\s+at |\/tmp\/|\/work\/|node_modules|[A-Z]:\\/);
}

async function upload(url: string, bytes: Uint8Array, name: string): Promise<string> {
  const form = new FormData();
  form.append("files", new Blob([bytes as BlobPart]), name);
  const response = await fetch(`${url}/gradio_api/upload`, { method: "POST", body: form });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as string[])[0] as string;
}

const fileData = (path: string, extra: Record<string, unknown> = {}) => ({
  path,
  meta: { _type: "gradio.FileData" },
  ...extra,
});

describe("uploads cannot crash or leak", () => {
  it("answers a multipart body without its closing boundary with 400 and keeps serving", async () => {
    const body = '--B\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\ndata\r\n';
    const response = await fetch(`${server.url}/gradio_api/upload`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=B" },
      body,
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: expect.stringMatching(/upload/i) });
    expectNoStack(text);
    await stillServes(server.url);
  });

  it("removes the partial file and closes its descriptor when the client aborts mid-upload", async () => {
    const root = tmpdir();
    const fds = () => readdirSync("/proc/self/fd").length;
    const before = fds();
    const { port } = new URL(server.url);
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = netConnect(Number(port), "127.0.0.1", () => {
          socket.write(
            "POST /gradio_api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\n" +
              "Content-Length: 100000\r\n\r\n" +
              '--B\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n\r\n' +
              "x".repeat(5000),
            () => setTimeout(() => socket.destroy(), 100),
          );
        });
        socket.on("close", () => resolve());
        socket.on("error", () => resolve());
      });
    }
    await expect
      .poll(() => !listParts(root).includes("big.bin.part"), {
        timeout: 20_000,
        interval: 50,
        message: "no .part file left in the store",
      })
      .toBe(true);
    await expect
      .poll(() => fds() <= before + 1, {
        timeout: 20_000,
        interval: 50,
        message: `open descriptors back to ${before} (now ${fds()})`,
      })
      .toBe(true);
    await stillServes(server.url);
  });

  it("keeps UTF-8 file names both ways", async () => {
    const name = "résumé 日本.txt";
    const path = await upload(downloadServer.url, new TextEncoder().encode("hi"), name);
    expect(path.endsWith(name)).toBe(true);
    const client = await connect(downloadServer.url);
    client.send({ type: "predict", id: "1", endpoint: 0, data: ["отчёт “final”.txt"] });
    const done = await client.end("1");
    expect(done.type).toBe("complete");
    const url = ((done as { data: { url: string }[] }).data[0] as { url: string }).url;
    const response = await fetch(new URL(url, downloadServer.url));
    expect(response.status).toBe(200);
    const disposition = response.headers.get("content-disposition") ?? "";
    expect(disposition).toContain("filename*=UTF-8''");
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? "";
    expect(decodeURIComponent(encoded)).toBe("отчёт “final”.txt");
    await client.close();
  });
});

describe("values a client sends", () => {
  it("refuses JSON nested 5,000 deep with an error that says so, and keeps serving", async () => {
    const client = await connect(server.url);
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    client.sendRaw(`{"type":"predict","id":"deep","endpoint":0,"data":["x",${deep}]}`);
    expect(await client.end("deep")).toMatchObject({
      type: "error",
      message: expect.stringContaining("deeper than"),
    });
    client.send({ type: "predict", id: "ok", endpoint: 0, data: ["fine", { a: [1, [2, [3]]] }] });
    expect(await client.end("ok")).toMatchObject({ type: "complete" });
    const response = await fetch(`${server.url}/gradio_api/run/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"data":["x",${deep}]}`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining("deeper than") });
    await client.close();
  });

  it("answers bad bodies with JSON errors, never a stack, and logs one line each", async () => {
    const cases: [string, RequestInit, number][] = [
      [
        "/gradio_api/run/predict",
        { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" },
        400,
      ],
      [
        "/gradio_api/run/predict",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: `{"data":["${"x".repeat(2_000_000)}"]}`,
        },
        413,
      ],
      [
        "/gradio_api/queue/join",
        { method: "POST", headers: { "content-type": "application/json; charset=latin-9" }, body: "{}" },
        415,
      ],
      ["/gradio_api/file=%", { method: "GET" }, 404],
      ["/gradio_api/call/predict/%E0%A4%A", { method: "GET" }, 400],
    ];
    for (const [path, init, status] of cases) {
      const before = logs.length;
      const response = await fetch(`${server.url}${path}`, init);
      const text = await response.text();
      expect(response.status, `${path}: ${text}`).toBe(status);
      expect(JSON.parse(text), path).toMatchObject({ error: expect.any(String) });
      expectNoStack(text);
      const lines = logs.slice(before);
      expect(lines.length, `${path} should log at most one line`).toBeLessThanOrEqual(1);
      for (const line of lines)
        expect(line.error, "a client mistake is logged without its stack").toBeUndefined();
    }
    await stillServes(server.url);
  });

  it("reads JSON bodies as express.json does, also on the direct path plain UTF-8 JSON takes", async () => {
    const valid = JSON.stringify({ data: ["a", {}], fn_index: 0, session_hash: "json-bodies" });
    const json = "application/json";
    const cases: [string, string, BodyInit, Record<string, string>, number, RegExp][] = [
      ["a JSON string", json, '"x"', {}, 400, /must be a JSON object, not a single value/],
      ["blanks only", json, "  \n", {}, 400, /not valid JSON/],
      ["cut-off JSON", json, '{"data": [', {}, 400, /not valid JSON/],
      ["an empty body (read as {})", json, "", {}, 400, /session_hash is required/],
      ["a byte order mark first", json, `\uFEFF${valid}`, {}, 200, /event_id/],
      ["charset=utf-8", `${json}; charset=utf-8`, valid, {}, 200, /event_id/],
      [
        "a gzipped body",
        json,
        new Uint8Array(gzipSync(valid)),
        { "content-encoding": "gzip" },
        200,
        /event_id/,
      ],
      [
        "a gzipped string",
        json,
        new Uint8Array(gzipSync('"x"')),
        { "content-encoding": "gzip" },
        400,
        /not a single value/,
      ],
    ];
    for (const [what, type, body, headers, status, says] of cases) {
      const response = await fetch(`${server.url}/gradio_api/queue/join`, {
        method: "POST",
        headers: { "content-type": type, ...headers },
        body,
      });
      const text = await response.text();
      expect(response.status, `${what}: ${text}`).toBe(status);
      expect(text, what).toMatch(says);
      expectNoStack(text);
    }
    await stillServes(server.url);
  });

  it("sends API answers without the page's headers, files and the page with them", async () => {
    const joined = await fetch(`${server.url}/gradio_api/queue/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["a", {}], fn_index: 0, session_hash: "api-headers" }),
    });
    expect(joined.status, await joined.clone().text()).toBe(200);
    for (const [what, response] of [
      ["queue/join", joined],
      ["/config", await fetch(`${server.url}/config`)],
      ["/info", await fetch(`${server.url}/gradio_api/info`)],
    ] as const) {
      expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
      expect(response.headers.get("cross-origin-resource-policy"), what).toBe("cross-origin");
      expect(response.headers.get("content-security-policy"), `${what} is no document`).toBeNull();
    }
    const file = await fetch(`${server.url}/gradio_api/file=missing`);
    expect(file.headers.get("content-security-policy"), "files keep the CSP").toContain("default-src 'self'");
    const page = await fetch(`${server.url}/GRADIO_API/info`);
    expect(page.headers.get("content-security-policy"), "other spellings get the full set").toContain(
      "default-src 'self'",
    );
  });

  it("gives sync and async errors in fn the same answer", async () => {
    const sync = await fetch(`${crashServer.url}/gradio_api/run/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["sync-crash"] }),
    });
    const async = await fetch(`${server.url}/gradio_api/run/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["async-crash", null] }),
    });
    expect(sync.status).toBe(500);
    expect(async.status).toBe(500);
    const [a, b] = [await sync.json(), await async.json()];
    expect(Object.keys(a as object)).toEqual(Object.keys(b as object));
    expect(a).toMatchObject({ error: expect.stringContaining("function failed") });
    expect(b).toMatchObject({ error: expect.stringContaining("function failed") });
  });
});

describe("nothing hangs", () => {
  it("stops an fn that never settles at its time limit, frees the slot, and lets the id be reused", async () => {
    const client = await connect(server.url);
    client.send({ type: "predict", id: "h", endpoint: 0, data: ["hang", null] });
    client.send({ type: "predict", id: "after", endpoint: 0, data: ["next", 1] });
    const ended = (await client.end("h")) as { type: string; message: string };
    expect(ended).toMatchObject({ type: "error", message: expect.stringContaining("time limit of 1.5 s") });
    // concurrencyLimit 1: the next job runs only because the slot was freed.
    expect(await client.end("after")).toMatchObject({ type: "complete", data: ["next:1"] });
    client.send({ type: "predict", id: "h", endpoint: 0, data: ["again", 2] });
    await client.next(
      (m) => m.type === "complete" && m.id === "h" && (m as { data: unknown[] }).data[0] === "again:1",
    );
    await client.close();
  });

  it("cancelling frees the job id at once", async () => {
    const client = await connect(server.url);
    client.send({ type: "predict", id: "c", endpoint: 0, data: ["wait", null] });
    await client.next((m) => m.type === "started" && m.id === "c");
    client.send({ type: "cancel", id: "c" });
    await client.next((m) => m.type === "cancelled" && m.id === "c");
    client.send({ type: "predict", id: "c", endpoint: 0, data: ["reused", 3] });
    await client.next((m) => m.type === "complete" && m.id === "c");
    await client.close();
  });

  it("cancels /run when its client hangs up", async () => {
    const before = aborts.length;
    const controller = new AbortController();
    const pending = fetch(`${server.url}/gradio_api/run/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["wait", null] }),
      signal: controller.signal,
    }).catch(() => "aborted");
    await expect
      .poll(() => server.engine.pending > 0, { timeout: 20_000, interval: 50, message: "the job to start" })
      .toBe(true);
    controller.abort();
    expect(await pending).toBe("aborted");
    await expect
      .poll(() => aborts.length > before, { timeout: 20_000, interval: 50, message: "fn's signal to abort" })
      .toBe(true);
  });

  it("cancels /call when its reader hangs up", async () => {
    const before = aborts.length;
    const start = await fetch(`${server.url}/gradio_api/call/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["wait", null] }),
    });
    const { event_id } = (await start.json()) as { event_id: string };
    const controller = new AbortController();
    const reader = await fetch(`${server.url}/gradio_api/call/predict/${event_id}`, {
      signal: controller.signal,
    });
    expect(reader.status).toBe(200);
    await expect
      .poll(() => server.engine.pending > 0, { timeout: 20_000, interval: 50, message: "the job to start" })
      .toBe(true);
    controller.abort();
    await expect
      .poll(() => aborts.length > before, { timeout: 20_000, interval: 50, message: "fn's signal to abort" })
      .toBe(true);
  });
});

describe("an error escaping fn", () => {
  it("is logged with its job and does not end the process", async () => {
    const app = fileURLToPath(new URL("./fixtures/escaping-app.ts", import.meta.url));
    const started = await startCli(app);
    try {
      for (const text of ["reject", "throw"]) {
        const response = await fetch(`${started.url}/gradio_api/run/echo`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ data: [text] }),
        });
        expect(await response.json()).toMatchObject({ data: ["ok"] });
      }
      await expect
        .poll(() => (started.output().match(/an error escaped in "echo"/g) ?? []).length >= 2, {
          timeout: 20_000,
          interval: 50,
          message: "both escapes logged",
        })
        .toBe(true);
      expect(started.child.exitCode).toBeNull();
      await stillServes(started.url);
    } finally {
      started.child.kill("SIGKILL");
    }
  });
});

describe("hosts and origins", () => {
  it("refuses a host it does not serve (DNS rebinding), over HTTP and WebSocket", async () => {
    const { port } = new URL(server.url);
    const refused = await getWithHost(
      server.url,
      "/config",
      `evil.example:${port}`,
      `http://evil.example:${port}`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('host "evil.example"');
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`, `[::1]:${port}`]) {
      expect((await getWithHost(server.url, "/config", host)).status, host).toBe(200);
    }
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/ws`, {
      headers: { host: `evil.example:${port}` },
    });
    const status = await new Promise<number>((resolve) => {
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
      socket.on("error", () => {});
    });
    expect(status).toBe(403);
  });

  it("refuses a Gradio client's join from a host it does not serve once the API has loaded", async () => {
    // Loaded, the API takes a join directly (outside Express's dispatch): still checked.
    expect((await fetch(`${server.url}/gradio_api/info`)).status).toBe(200);
    const { port } = new URL(server.url);
    const join = JSON.stringify({ data: ["x", null], fn_index: 0, session_hash: "rebound" });
    const refused = await getWithHost(
      server.url,
      "/gradio_api/queue/join",
      `evil.example:${port}`,
      undefined,
      join,
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('host "evil.example"');
    const served = await getWithHost(
      server.url,
      "/gradio_api/queue/join",
      `127.0.0.1:${port}`,
      undefined,
      join,
    );
    expect(served.status, served.body).toBe(200);
    expect(JSON.parse(served.body)).toMatchObject({ event_id: expect.any(String) });
    expect(served.headers["x-content-type-options"], "an API answer's headers").toBe("nosniff");
    expect(served.headers["cross-origin-resource-policy"]).toBe("cross-origin");
  });

  it("serves hosts and origins it is told to", async () => {
    const open = await serve(syncCrash, {
      port: 0,
      logError,
      allowedHosts: [".example.org"],
      allowedOrigins: ["https://embed.example"],
    });
    try {
      const { port } = new URL(open.url);
      expect((await getWithHost(open.url, "/config", `demo.example.org:${port}`)).status).toBe(200);
      expect((await getWithHost(open.url, "/config", `example.org.evil:${port}`)).status).toBe(403);
      const cors = await getWithHost(open.url, "/config", `127.0.0.1:${port}`, "https://embed.example");
      expect(cors.headers["access-control-allow-origin"]).toBe("https://embed.example");
      const page = await fetch(`${open.url}/`);
      expect(page.headers.get("content-security-policy")).toContain("https://embed.example");
      const other = await fetch(`${open.url}/gradio_api/upload`, {
        method: "POST",
        headers: { origin: "https://other.example" },
        body: new FormData(),
      });
      expect(other.status).toBe(403);
    } finally {
      await open.close({ timeoutMs: 100 });
    }
  });

  it("sends security headers the page works under", async () => {
    const response = await fetch(`${server.url}/`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'self' https://huggingface.co");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });
});

describe("files belong to who sent them", () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

  it("takes name, type and size from the server's record, not the client", async () => {
    const path = await upload(filesServer.url, png, "real.png");
    const client = await connect(filesServer.url);
    client.send({
      type: "predict",
      id: "1",
      endpoint: 0,
      data: [fileData(path, { orig_name: "evil.exe", mime_type: "text/html", size: 1, url: "http://evil/" })],
    });
    expect(await client.end("1")).toMatchObject({
      type: "complete",
      data: [`real.png|image/png|${png.length}`],
    });
    await client.close();
  });

  it("refuses an upload id another session already used", async () => {
    const path = await upload(filesServer.url, png, "mine.png");
    const owner = await connect(filesServer.url);
    owner.send({ type: "predict", id: "1", endpoint: 0, data: [fileData(path)] });
    expect(await owner.end("1")).toMatchObject({ type: "complete" });
    const thief = await connect(filesServer.url);
    thief.send({ type: "predict", id: "2", endpoint: 0, data: [fileData(path)] });
    expect(await thief.end("2")).toMatchObject({
      type: "error",
      message: expect.stringContaining("belongs to another session"),
    });
    await Promise.all([owner.close(), thief.close()]);
  });

  it("checks fileTypes against the sniffed type, not the name", async () => {
    const path = await upload(filesServer.url, new TextEncoder().encode("<script>x</script>"), "fake.png");
    const client = await connect(filesServer.url);
    client.send({ type: "predict", id: "1", endpoint: 0, data: [fileData(path)] });
    expect(await client.end("1")).toMatchObject({
      type: "error",
      message: expect.stringContaining("a text/plain file"),
    });
    await client.close();
  });
});

describe("serve", () => {
  it("refuses an option it does not know, with a suggestion", async () => {
    await expect(serve(space, { prot: 0 } as never)).rejects.toThrow(
      'serve: unknown option "prot". Did you mean "port"?',
    );
  });
});

describe("Gradio sessions", () => {
  it("refuses more joins than a session may leave unread, saying what to do", async () => {
    const hang = sc.Interface({
      fn: (text: string) => text,
      inputs: [sc.Textbox()],
      outputs: [sc.Textbox()],
      concurrencyLimit: null,
    });
    const open = await serve(hang, { port: 0, logError });
    try {
      const join = () =>
        fetch(`${open.url}/gradio_api/queue/join`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ data: ["x"], fn_index: 0, session_hash: "unread" }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 260; i++) statuses.push((await join()).status);
      expect(statuses.slice(0, 256).every((status) => status === 200)).toBe(true);
      const refused = await join();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ detail: expect.stringContaining("/queue/data") });
    } finally {
      await open.close({ timeoutMs: 100 });
    }
  });
});

/** `.part` files under the temp folders of Spacecraft stores. */
function listParts(root: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith("spacecraft-")) continue;
    try {
      for (const id of readdirSync(join(root, entry))) {
        for (const name of readdirSync(join(root, entry, id))) if (name.endsWith(".part")) found.push(name);
      }
    } catch {
      // A store removed meanwhile.
    }
  }
  return found;
}

describe("Host headers that smuggle another host", () => {
  it("refuses a bracketed host with anything after it but a port", async () => {
    const { port } = new URL(server.url);
    for (const host of [
      `[::1]@evil.example`,
      `[::1]:${port}@evil.example`,
      `[::1]/../evil`,
      `127.0.0.1@evil.example`,
    ]) {
      expect((await getWithHost(server.url, "/config", host)).status, host).toBe(403);
    }
  });
});
