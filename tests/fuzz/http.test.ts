// Property-based fuzzing of the HTTP routes: every body on every route, and every file path.
// A client's mistake gets a 4xx with a JSON `{ error }` (or Gradio's `{ detail }`), never a 5xx,
// a stack or a path; the process keeps serving (GET /config after each run).
import http from "node:http";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Answer } from "./harness.js";
import {
  assertNoInternals,
  componentNames,
  DEADLINE_MS,
  FUZZ_TIMEOUT_MS,
  fuzzRuns,
  garbageValue,
  MAX_MESSAGE_BYTES,
  preview,
  RUNS,
  rawRequest,
  refusalMessage,
  request,
  sampleFiles,
  upload,
  useFuzzServer,
  validData,
  validFor,
} from "./harness.js";

const seen = new Set<string>();
afterAll(() => {
  if (process.env.FUZZ_DEBUG) console.log([...seen].sort().join("\n"));
});

const suite = useFuzzServer();

const ROUTES = ["queue/join", "run/predict", "call/predict", "cancel", "mcp", "deep_link", "flag"] as const;
type Route = (typeof ROUTES)[number];

/** A JSON text nested `depth` levels (arrays or objects by `shape`), built without recursion. */
function nested(depth: number, shape: boolean[]): string {
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    const array = shape[i % shape.length];
    open += array ? "[" : '{"k":';
    close = (array ? "]" : "}") + close;
  }
  return `${open}0${close}`;
}

const anyJson = fc.jsonValue({ maxDepth: 4 });
const gradioBody = fc.record(
  {
    data: fc.oneof(fc.array(anyJson, { maxLength: 14 }), anyJson),
    fn_index: fc.oneof(fc.integer({ min: -2, max: 3 }), anyJson),
    session_hash: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ minLength: 129, maxLength: 200 }),
      anyJson,
    ),
    event_id: fc.oneof(fc.string({ maxLength: 40 }), anyJson),
  },
  { requiredKeys: [] },
);
const mcpBody = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), anyJson),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), anyJson),
    method: fc.oneof(
      fc.constantFrom("tools/call", "tools/list", "initialize", "ping", "resources/list"),
      fc.string({ maxLength: 12 }),
    ),
    params: fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.constant("predict"), fc.string({ maxLength: 12 })),
          arguments: fc.oneof(
            fc.dictionary(fc.constantFrom("text", "count", "settings", "document", "photo", "x"), anyJson),
            anyJson,
          ),
        },
        { requiredKeys: [] },
      ),
      anyJson,
    ),
  },
  { requiredKeys: [] },
);

/** Big bodies are generated as descriptions, so a failure prints a line rather than 100 KB. */
type Body =
  | string
  | { deep: number; shape: boolean[]; where: "body" | "data" | "arguments" }
  | { oversize: number };

function bodyText(body: Body): string {
  if (typeof body === "string") return body;
  if ("oversize" in body) return `{"data":["${"x".repeat(body.oversize)}"]}`;
  const value = nested(body.deep, body.shape);
  if (body.where === "body") return value;
  if (body.where === "data") return `{"session_hash":"deep","data":["a",3,5,true,[],"small",1,[],${value}]}`;
  return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"predict","arguments":{"settings":${value}}}}`;
}

const bodies: fc.Arbitrary<Body> = fc.oneof(
  { arbitrary: anyJson.map((value) => JSON.stringify(value)), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 200 }), weight: 2 },
  { arbitrary: gradioBody.map((value) => JSON.stringify(value)), weight: 4 },
  { arbitrary: mcpBody.map((value) => JSON.stringify(value)), weight: 3 },
  {
    arbitrary: fc.record({
      deep: fc.integer({ min: 1, max: 10_000 }),
      shape: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      where: fc.constantFrom("body" as const, "data" as const, "arguments" as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      oversize: fc.integer({ min: MAX_MESSAGE_BYTES - 16, max: MAX_MESSAGE_BYTES * 2 }),
    }),
    weight: 1,
  },
);

const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "application/json; charset=utf-16",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  undefined,
);
const encodings = fc.constantFrom(
  undefined,
  undefined,
  "gzip",
  "gzip-garbage",
  "deflate",
  "br",
  "identity",
  "x-weird",
);

const requests = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.constantFrom("POST", "POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH"),
  body: bodies,
  contentType: contentTypes,
  encoding: encodings,
  accept: fc.constantFrom("application/json, text/event-stream", "application/json", undefined),
});

/** A 2xx is right only where the route answers garbage that way (as Gradio and MCP do). */
function checkSuccess(route: Route, answer: Answer, what: string): void {
  assertNoInternals(answer.text, what);
  if (route === "cancel") {
    expect(JSON.parse(answer.text), what).toEqual({ success: false });
    return;
  }
  if (route === "mcp") {
    if (answer.status === 202 && answer.text === "") return;
    const body = JSON.parse(answer.text) as Record<string, unknown> | unknown[];
    const replies = Array.isArray(body) ? body : [body];
    for (const reply of replies) expect((reply as { jsonrpc?: unknown }).jsonrpc, what).toBe("2.0");
    return;
  }
  throw new Error(`${what}: garbage was accepted (${answer.status}): ${answer.text.slice(0, 300)}`);
}

describe("fuzz: every body on every HTTP route", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("answers any body, content type and encoding on each POST route with a 4xx JSON error or a Gradio/MCP answer", async () => {
    await fuzzRuns(
      suite,
      requests,
      async ({ route, method, body, contentType, encoding, accept }) => {
        const headers: Record<string, string> = {};
        if (contentType) headers["content-type"] = contentType;
        if (accept) headers.accept = accept;
        const text = bodyText(body);
        let bytes: Uint8Array = new TextEncoder().encode(text);
        if (encoding === "gzip") {
          headers["content-encoding"] = "gzip";
          bytes = gzipSync(bytes);
        } else if (encoding === "gzip-garbage") headers["content-encoding"] = "gzip";
        else if (encoding) headers["content-encoding"] = encoding;
        const what = `${method} /gradio_api/${route} (${contentType ?? "no type"}, ${encoding ?? "no encoding"}) ${preview(text)}`;
        const answer = await request(suite.fuzz.port, {
          method,
          path: `/gradio_api/${route}`,
          headers,
          body: bytes,
        });
        if (answer.status >= 400) {
          const message = refusalMessage(answer, what);
          seen.add(`${answer.status} ${route} ${message.slice(0, 120)}`);
          if (method !== "POST" && route !== "mcp") expect(message, what).toMatch(/^Not found: /);
          if (answer.status === 413) expect(message, what).toMatch(/too large/);
          if (answer.status === 415)
            expect(message, what).toMatch(/encoding is not supported|Unsupported Media Type|content type/i);
          return;
        }
        checkSuccess(route, answer, what);
      },
      {
        examples: [
          // A GET on the stateless MCP endpoint opened an SSE stream that never ended.
          [
            {
              route: "mcp",
              method: "GET",
              body: "",
              contentType: undefined,
              encoding: undefined,
              accept: "application/json, text/event-stream",
            },
          ],
          // A body that is not gzip answered zlib's "incorrect header check".
          [
            {
              route: "run/predict",
              method: "POST",
              body: "{}",
              contentType: "application/json",
              encoding: "gzip-garbage",
              accept: undefined,
            },
          ],
          // Valid JSON that is not an object was called "not valid JSON".
          [
            {
              route: "queue/join",
              method: "POST",
              body: "5",
              contentType: "application/json",
              encoding: undefined,
              accept: undefined,
            },
          ],
        ],
      },
    );
  });

  it("answers unknown api names, event ids and session hashes with 404 JSON", async () => {
    const names = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: "binary", maxLength: 30 }),
      fc.constantFrom("..", "%", "predict/..", "__proto__", "constructor"),
    );
    const routes = fc.constantFrom("run", "call", "call-get", "queue-data");
    await fuzzRuns(suite, fc.tuple(routes, names), async ([route, name]) => {
      const segment = encodeURIComponent(name);
      const path = {
        run: `/gradio_api/run/${segment}`,
        call: `/gradio_api/call/${segment}`,
        "call-get": `/gradio_api/call/predict/${segment}`,
        "queue-data": `/gradio_api/queue/data?session_hash=never-${segment}`,
      }[route];
      const post = route === "run" || route === "call";
      const answer = await request(suite.fuzz.port, {
        method: post ? "POST" : "GET",
        path,
        ...(post ? { headers: { "content-type": "application/json" }, body: '{"data":[]}' } : {}),
      });
      const what = `${post ? "POST" : "GET"} ${path}`;
      // `predict` itself is a real endpoint: it refuses the empty data with 422.
      if (post && (name === "predict" || name === "/predict")) {
        expect(answer.status, what).toBe(422);
        return;
      }
      expect(answer.status, `${what}: ${answer.text}`).toBe(404);
      refusalMessage(answer, what);
    });
  });
});

describe("fuzz: calls through the Gradio API", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("runs a call whose inputs are all valid and names the input that is not, on /run, /call and /queue/join", async () => {
    const cases = fc.record({
      route: fc.constantFrom("run", "call", "join"),
      change: fc.option(fc.tuple(fc.integer({ min: 0, max: 8 }), garbageValue), { nil: undefined, freq: 3 }),
      session: fc.oneof(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ unit: "binary", minLength: 1, maxLength: 128 }),
        fc.constantFrom("a", "../x", "%00", "a&b=c", "+ +", "__proto__", "日本"),
      ),
    });
    await fuzzRuns(
      suite,
      cases,
      async ({ route, change, session }) => {
        // Fresh uploads: a /run or /call is a session of its own, and files belong to one session.
        const data = await validData(suite.fuzz.url);
        let valid = true;
        if (change) {
          const [i, raw] = change;
          const wrong = JSON.parse(JSON.stringify([raw]) as string)[0] as unknown;
          data[i] = wrong;
          valid = validFor(i, wrong);
        }
        const what = `${route} ${preview(JSON.stringify(change ?? "valid"))} (session ${JSON.stringify(session)})`;
        const path = {
          run: "/gradio_api/run/predict",
          call: "/gradio_api/call/predict",
          join: "/gradio_api/queue/join",
        }[route];
        const body = JSON.stringify(
          route === "join" ? { data, fn_index: 0, session_hash: session } : { data },
        );
        const answer = await request(suite.fuzz.port, {
          method: "POST",
          path,
          headers: { "content-type": "application/json" },
          body,
        });
        if (!valid) {
          const message = refusalMessage(answer, what);
          expect(answer.status, what).toBe(422);
          expect(message, what).toMatch(new RegExp(`^${componentNames[change?.[0] ?? 0]}: .+`));
          return;
        }
        expect(answer.status, `${what}: ${answer.text}`).toBe(200);
        assertNoInternals(answer.text, what);
        const text = data[0];
        if (route === "run") {
          const [echo] = (JSON.parse(answer.text) as { data: [{ text: unknown }] }).data;
          expect(echo.text, what).toEqual(text);
          return;
        }
        const { event_id: eventId } = JSON.parse(answer.text) as { event_id: string };
        if (route === "call") {
          const stream = await request(suite.fuzz.port, { path: `/gradio_api/call/predict/${eventId}` });
          expect(stream.text, what).toMatch(/^event: complete$/m);
          return;
        }
        const completed = await readEvent(
          suite.fuzz.port,
          `/gradio_api/queue/data?session_hash=${encodeURIComponent(session)}`,
          eventId,
        );
        expect(completed.success, `${what}: ${JSON.stringify(completed)}`).toBe(true);
        const [echo] = (completed.output as { data: [{ text: unknown }] }).data;
        expect(echo.text, what).toEqual(text);
      },
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});

describe("Gradio sessions", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("keeps no session for a refused join, so refused joins cannot fill the session limit", async () => {
    // The server's limit is 5,000 sessions: one more refused join than that.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const refusals = 5_001;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < refusals) {
          const session = `refused-${next++}`;
          const body = JSON.stringify({ data: [1], fn_index: 0, session_hash: session });
          const answer = await request(suite.fuzz.port, {
            method: "POST",
            path: "/gradio_api/queue/join",
            headers: { "content-type": "application/json" },
            body,
            agent,
          });
          if (answer.status !== 422)
            throw new Error(`The join of ${session} answered ${answer.status}: ${answer.text}`);
        }
      }),
    );
    agent.destroy();
    const data = await validData(suite.fuzz.url);
    const answer = await request(suite.fuzz.port, {
      method: "POST",
      path: "/gradio_api/queue/join",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data, fn_index: 0, session_hash: "after-refusals" }),
    });
    expect(answer.status, `a new session after ${refusals} refused joins: ${answer.text}`).toBe(200);
    const { event_id: eventId } = JSON.parse(answer.text) as { event_id: string };
    const completed = await readEvent(
      suite.fuzz.port,
      "/gradio_api/queue/data?session_hash=after-refusals",
      eventId,
    );
    expect(completed.success).toBe(true);
    const refused = await request(suite.fuzz.port, { path: "/gradio_api/queue/data?session_hash=refused-0" });
    expect(refused.status, "a refused join left a session behind").toBe(404);
  });
});

/** Reads a `/queue/data` stream until event `eventId` completes, then hangs up. */
function readEvent(port: number, path: string, eventId: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`No process_completed for ${eventId} on ${path} within ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
    const outgoing = http.get({ host: "127.0.0.1", port, path, agent: false }, (response) => {
      if (response.statusCode !== 200) {
        clearTimeout(timer);
        reject(new Error(`GET ${path} answered ${response.statusCode}`));
        return;
      }
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const event = JSON.parse(buffer.slice(6, end)) as Record<string, unknown>;
          buffer = buffer.slice(end + 2);
          if (event.msg !== "process_completed" || event.event_id !== eventId) continue;
          clearTimeout(timer);
          outgoing.destroy();
          resolve(event);
        }
      });
      response.on("error", () => {});
    });
    outgoing.on("error", () => {});
  });
}

describe("fuzz: GET /gradio_api/file=<anything>", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("serves only stored files: any other path gets a 4xx JSON error, sent raw on the wire", async () => {
    const file = (await sampleFiles())[0] as { name: string; bytes: Uint8Array; type: string };
    const stored = await upload(suite.fuzz.url, file);
    const tokens = fc.oneof(
      fc.constantFrom(
        "%",
        "%%",
        "%2",
        "%2e%2e",
        "%2E%2E",
        "..",
        ".",
        "/",
        "//",
        "\\",
        "%5c",
        "%5C",
        "%2f",
        "%00",
        "\u0000",
        "é",
        "日本",
        "%C0%AE",
        "%ff",
        "%e2%80%ae",
        "?x=1",
        "#frag",
        ";",
        ":",
        "~",
        "*",
        "etc/passwd",
        "..%2f",
        "%252e%252e",
        "\r",
        "\t",
        " ",
        "\u007f",
        "/proc/self/environ",
        stored.path,
        `${stored.path}/..`,
      ),
      fc.string({ unit: "binary", maxLength: 8 }),
    );
    const cases = fc.record({
      parts: fc.array(tokens, { minLength: 0, maxLength: 8 }),
      // raw: every byte as it is (Node's parser refuses some); escaped: only what a request line cannot hold.
      raw: fc.boolean(),
    });
    await fuzzRuns(
      suite,
      cases,
      async ({ parts, raw }) => {
        const name = parts.join("");
        const target = `/gradio_api/file=${raw ? name : name.replace(/[^\x21-\x7e]|#/gu, (c) => encodeURIComponent(c))}`;
        const bytes = Buffer.concat([
          Buffer.from("GET "),
          Buffer.from(target, "utf8"),
          Buffer.from(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        ]);
        const what = `GET ${JSON.stringify(target)}`;
        const outcome = await rawRequest(suite.fuzz.port, bytes);
        if (!outcome.answer)
          throw new Error(
            `${what}: no HTTP answer (${outcome.error ?? "closed"}): ${JSON.stringify(outcome.received)}`,
          );
        if (outcome.answer.status === 200) {
          // Only the stored file itself may come back (a query or fragment after its path is fine).
          expect(outcome.answer.text, what).toBe(new TextDecoder().decode(file.bytes));
          return;
        }
        refusalMessage(outcome.answer, what);
      },
      {
        // Node's parser refused a NUL in the request line with a bare 400 and no JSON body.
        examples: [
          [{ parts: ["\u0000"], raw: true }],
          [{ parts: ["%2e%2e", "/", "%2e%2e", "/", "etc/passwd"], raw: true }],
        ],
      },
    );
  });
});
