// Memory under load, in one run: `npm run bench:memory` (about 3 minutes), on the three-input,
// two-output Space of `clients-app.ts`.
// (a) RSS over 10,000 calls through the Gradio queue protocol (/queue/join + /queue/data) and
//     over /ws, sampled after a warm-up of 10,000, after 5,000 and after 10,000, next to a bare
//     Express + ws server answering the same requests in the same run. Both servers run with
//     V8's young generation at a fixed size (`--min-semi-space-size=16 --max-semi-space-size=16`,
//     its largest by default): V8 grows and shrinks it with the allocation rate, which moved the
//     RSS of either server by ±15 MB between samples on the Gradio path (2026-11-30, 1,000-call
//     warm-up: ours +12.1% and bare +13.1%, then, with 10,000, ours +11.5% and bare −11.7%, the
//     heap after GC at 13.8 MB throughout); fixed, the RSS shows what the servers keep.
// (b) 20,000 /queue/join of 20 KB whose results are never read, each on its own session_hash and
//     all on one: peak RSS, and RSS once the server expired the sessions (its defaults: 60 s
//     without a stream, swept every 10 s; serve() does not expose them).
// (c) 1,000 idle WebSocket connections: RSS before and after opening them, each as the page opens
//     it (`/ws?session=<its own id>`) and making one call, then left open; next to the bare server
//     doing the same in the same run.
// Each server runs in a child process started with --expose-gc, and each sample follows a full
// collection, so a figure is what the server holds, not garbage it has yet to collect.
// Settings: BENCH_CALLS (default 10000), BENCH_WARMUP (default 10000), BENCH_JOINS (default
// 20000), BENCH_IDLE (default 1000), BENCH_ONLY=idle (only (c), in seconds).
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { INPUTS } from "./clients-app.js";

const serverScript = fileURLToPath(new URL("./memory-server.ts", import.meta.url));
const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10_000);
const CLIENTS = 8;
const JOINS = Number(process.env.BENCH_JOINS ?? 20_000);
const PAYLOAD = "x".repeat(20 * 1024);
const IDLE = Number(process.env.BENCH_IDLE ?? 1_000);
/** Longest wait for the server to expire idle sessions (60 s idle + a 10 s sweep + slack). */
const EXPIRY_DEADLINE_MS = 80_000;
const started = performance.now();

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** A bench server in its own process; `sample()` collects garbage first, `peek()` does not. */
class ServerProcess {
  private constructor(
    readonly kind: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(kind: "spacecraft" | "bare", flags: string[] = []): Promise<ServerProcess> {
    const child = spawn(process.execPath, ["--expose-gc", ...flags, "--import", "tsx", serverScript, kind], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once("message", (message) => resolve((message as { port: number }).port));
      child.once("exit", (code) =>
        reject(new Error(`The ${kind} server exited with ${code} before it listened`)),
      );
    });
    return new ServerProcess(kind, port, child);
  }

  sample(): Promise<Memory> {
    return this.ask("sample");
  }

  peek(): Promise<Memory> {
    return this.ask("peek");
  }

  private ask(what: string): Promise<Memory> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The ${this.kind} server did not answer "${what}"`)),
        30_000,
      );
      this.child.once("message", (message) => {
        clearTimeout(timer);
        resolve(message as Memory);
      });
      this.child.send(what);
    });
  }

  stop(): void {
    this.child.kill();
  }
}

/** POSTs JSON on a keep-alive agent; resolves with the status and body. */
function postJson(port: number, agent: http.Agent, path: string, body: unknown) {
  const data = JSON.stringify(body);
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent,
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(data);
  });
}

/** Opens `/queue/data` and calls `onCompleted` with each finished event's id. */
function openStream(
  port: number,
  session: string,
  onCompleted: (eventId: string) => void,
  onEnd: () => void = () => {},
) {
  return new Promise<http.ClientRequest>((resolve, reject) => {
    const request = http.get(
      { host: "127.0.0.1", port, path: `/gradio_api/queue/data?session_hash=${session}`, agent: false },
      (response) => {
        if (response.statusCode !== 200) reject(new Error(`/queue/data answered ${response.statusCode}`));
        let buffer = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!event.startsWith("data: ")) continue;
            const message = JSON.parse(event.slice(6)) as {
              msg: string;
              event_id: string;
              success?: boolean;
            };
            if (message.msg !== "process_completed") continue;
            if (message.success === false) throw new Error(`A call failed: ${event}`);
            onCompleted(message.event_id);
          }
        });
        response.on("error", () => {});
        response.on("end", onEnd);
        resolve(request);
      },
    );
    request.on("error", () => {});
  });
}

/** `count` calls through the Gradio queue protocol, `CLIENTS` at a time, results read from one stream. */
async function gradioCalls(port: number, count: number, session: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const waiting = new Map<string, () => void>();
  const early = new Set<string>();
  const join = (text: string) =>
    postJson(port, agent, "/gradio_api/queue/join", {
      data: [text, ...INPUTS.slice(1)],
      fn_index: 0,
      session_hash: session,
    });
  // The session must exist before its stream opens.
  await join("open");
  const onCompleted = (eventId: string) => {
    const done = waiting.get(eventId);
    if (!done) return early.add(eventId);
    waiting.delete(eventId);
    done();
  };
  let finished = false;
  // The server closes an idle stream (`close_stream`): on a busy machine this client can stall
  // long enough between calls. Reopen it, as @gradio/client does; what waited is flushed to it.
  const reopen = async (): Promise<void> => {
    if (!finished) stream = await openStream(port, session, onCompleted, () => void reopen());
  };
  let stream = await openStream(port, session, onCompleted, () => void reopen());
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        next++;
        const { status, text } = await join("hi");
        if (status !== 200) throw new Error(`/queue/join answered ${status}: ${text}`);
        const { event_id: eventId } = JSON.parse(text) as { event_id: string };
        if (early.delete(eventId)) continue;
        await new Promise<void>((resolve) => waiting.set(eventId, resolve));
      }
    }),
  );
  finished = true;
  stream.destroy();
  agent.destroy();
}

/** `CLIENTS` WebSocket connections, kept open across phases. */
async function webSockets(port: number) {
  const sockets = await Promise.all(
    Array.from(
      { length: CLIENTS },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
          socket.once("open", () => resolve(socket));
          socket.once("error", reject);
        }),
    ),
  );
  let ids = 0;
  return {
    async calls(count: number): Promise<void> {
      let next = 0;
      await Promise.all(
        sockets.map(async (socket) => {
          while (next < count) {
            next++;
            const id = String(ids++);
            await new Promise<void>((resolve, reject) => {
              const onMessage = (data: WebSocket.RawData) => {
                const message = JSON.parse(String(data)) as { type: string; id?: string };
                if (message.id !== id || !["complete", "error", "cancelled"].includes(message.type)) return;
                socket.off("message", onMessage);
                if (message.type === "complete") resolve();
                else reject(new Error(`Call ${id} over /ws ended with ${String(data)}`));
              };
              socket.on("message", onMessage);
              socket.send(
                JSON.stringify({ type: "predict", id, endpoint: 0, data: ["hi", ...INPUTS.slice(1)] }),
              );
            });
          }
        }),
      );
    },
    close: () => {
      for (const socket of sockets) socket.close();
    },
  };
}

interface FlatRow {
  server: string;
  path: string;
  warm: Memory;
  half: Memory;
  full: Memory;
}

/** (a): one server, both paths, sampled after warm-up, half and all of the calls. */
async function flat(kind: "spacecraft" | "bare"): Promise<FlatRow[]> {
  const server = await ServerProcess.start(kind, ["--min-semi-space-size=16", "--max-semi-space-size=16"]);
  step(`(a) ${kind}: Gradio queue calls`);
  try {
    const half = Math.floor(CALLS / 2);
    await gradioCalls(server.port, WARMUP, "bench");
    const gradioWarm = await server.sample();
    await gradioCalls(server.port, half, "bench");
    const gradioHalf = await server.sample();
    await gradioCalls(server.port, CALLS - half, "bench");
    const gradioFull = await server.sample();
    step(`(a) ${kind}: /ws calls`);
    const ws = await webSockets(server.port);
    await ws.calls(WARMUP);
    const wsWarm = await server.sample();
    await ws.calls(half);
    const wsHalf = await server.sample();
    await ws.calls(CALLS - half);
    const wsFull = await server.sample();
    ws.close();
    return [
      {
        server: kind,
        path: "Gradio queue (/queue/join + /queue/data)",
        warm: gradioWarm,
        half: gradioHalf,
        full: gradioFull,
      },
      { server: kind, path: "/ws", warm: wsWarm, half: wsHalf, full: wsFull },
    ];
  } finally {
    server.stop();
  }
}

interface IdleRow {
  server: string;
  before: Memory;
  after: Memory;
}

/**
 * (c): RSS after a full GC, before and after opening `IDLE` WebSocket connections, each with a
 * session id of its own (as a page's) that made one call; they stay open until the sample is taken.
 */
async function idleConnections(kind: "spacecraft" | "bare"): Promise<IdleRow> {
  const server = await ServerProcess.start(kind);
  try {
    // One connection and call first, so what every server loads on first use is in both samples.
    await openAndCall(server.port, 0).then((socket) => socket.close());
    const before = await server.sample();
    step(`(c) ${kind}: opening ${IDLE} idle connections`);
    const sockets: WebSocket[] = [];
    for (let i = 1; i <= IDLE; i += 50) {
      const batch = Array.from({ length: Math.min(50, IDLE - i + 1) }, (_, j) =>
        openAndCall(server.port, i + j),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    const after = await server.sample();
    for (const socket of sockets) socket.close();
    return { server: kind, before, after };
  } finally {
    server.stop();
  }
}

/** Opens `/ws` as the page does (its own session id), makes one call, and keeps the socket open. */
async function openAndCall(port: number, index: number): Promise<WebSocket> {
  const session = `idle-${String(index).padStart(8, "0")}-${"0".repeat(16)}`;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?session=${session}`, {
    headers: { Origin: `http://127.0.0.1:${port}` },
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string };
      if (message.id !== "first") return;
      socket.off("message", onMessage);
      if (message.type === "complete") resolve();
      else reject(new Error(`The call on idle connection ${index} ended with ${String(data)}`));
    };
    socket.on("message", onMessage);
    socket.send(JSON.stringify({ type: "predict", id: "first", endpoint: 0, data: INPUTS }));
  });
  return socket;
}

function idleReport(rows: IdleRow[]): void {
  console.log(`
(c) ${IDLE.toLocaleString("en")} idle WebSocket connections (MB after a full GC)
`);
  console.log(row(["server", "RSS before", "RSS after", "cost", "heap cost", "per connection"]));
  console.log(row(["---", "---:", "---:", "---:", "---:", "---:"]));
  for (const r of rows) {
    const cost = r.after.rss - r.before.rss;
    console.log(
      row([
        r.server,
        mb(r.before.rss),
        mb(r.after.rss),
        mb(cost),
        mb(r.after.heapUsed - r.before.heapUsed),
        `${(cost / IDLE / 1024).toFixed(1)} KB`,
      ]),
    );
  }
  const ours = rows.find((r) => r.server === "spacecraft");
  if (ours) {
    const cost = (ours.after.rss - ours.before.rss) / 1024 / 1024;
    const goal = (30 * IDLE) / 1000;
    console.log(
      `
Spacecraft: ${IDLE.toLocaleString("en")} idle connections cost ${cost.toFixed(1)} MB (goal ≤ ${goal} MB) ${cost <= goal ? "MET" : "MISSED"}`,
    );
  }
}

interface FloodResult {
  scenario: string;
  idle: Memory;
  peak: number;
  afterJoins: Memory;
  afterExpiry: Memory;
  expiredAfterMs: number | undefined;
  statuses: Map<number, number>;
  sessionGone: boolean;
}

/** (b): JOINS unread joins of 20 KB, then the wait for the sessions to expire. */
async function flood(scenario: "own" | "one"): Promise<FloodResult> {
  const server = await ServerProcess.start("spacecraft");
  try {
    const idle = await server.sample();
    step(`(b) ${scenario}: joins`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const statuses = new Map<number, number>();
    let peak = idle.rss;
    let next = 0;
    const sessionOf = (i: number) => (scenario === "own" ? `own-${i}` : "one");
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < JOINS) {
          const i = next++;
          const { status } = await postJson(server.port, agent, "/gradio_api/queue/join", {
            data: [PAYLOAD, ...INPUTS.slice(1)],
            fn_index: 0,
            session_hash: sessionOf(i),
          });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (i % 1000 === 0) peak = Math.max(peak, (await server.peek()).rss);
        }
      }),
    );
    agent.destroy();
    step(`(b) ${scenario}: ${JOINS} joins sent; waiting for the sessions to expire`);
    const lastJoin = performance.now();
    peak = Math.max(peak, (await server.peek()).rss);
    const afterJoins = await server.sample();
    // Expired sessions drop their results: poll until the heap is back near idle, or the deadline.
    // (A refused join counts as activity too: a session flooded with joins lives until 60–70 s
    // after its last one.)
    let afterExpiry = afterJoins;
    let expiredAfterMs: number | undefined;
    while (performance.now() - lastJoin < EXPIRY_DEADLINE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      afterExpiry = await server.sample();
      const slack = Math.max(2 * 1024 * 1024, (afterJoins.heapUsed - idle.heapUsed) * 0.1);
      if (afterExpiry.heapUsed < idle.heapUsed + slack) {
        expiredAfterMs = performance.now() - lastJoin;
        break;
      }
    }
    const probe = await new Promise<number>((resolve) =>
      http.get(
        {
          host: "127.0.0.1",
          port: server.port,
          path: `/gradio_api/queue/data?session_hash=${sessionOf(0)}`,
          agent: false,
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      ),
    );
    return {
      scenario:
        scenario === "own"
          ? `${JOINS.toLocaleString("en")} joins, each its own session_hash`
          : `${JOINS.toLocaleString("en")} joins on one session_hash`,
      idle,
      peak,
      afterJoins,
      afterExpiry,
      expiredAfterMs,
      statuses,
      sessionGone: probe === 404,
    };
  } finally {
    server.stop();
  }
}

/** Progress on stderr, so a slow run shows where it is. */
function step(text: string): void {
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}`);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

if (process.env.BENCH_ONLY === "idle") {
  idleReport([await idleConnections("bare"), await idleConnections("spacecraft")]);
  process.exit(0);
}
// Both floods wait about a minute for expiry: run them side by side, each on its own server.
const floods = Promise.all([flood("own"), flood("one")]);
const flatRows = [...(await flat("bare")), ...(await flat("spacecraft"))];
const [own, one] = await floods;
const idleRows = [await idleConnections("bare"), await idleConnections("spacecraft")];

console.log(
  `\n(a) RSS over ${CALLS.toLocaleString("en")} calls (after warm-up of ${WARMUP.toLocaleString("en")}; ${CLIENTS} clients; young generation fixed at 16 MB; MB after a full GC)\n`,
);
const count = (n: number) => n.toLocaleString("en");
console.log(
  row([
    "server",
    "path",
    "warm-up",
    count(Math.floor(CALLS / 2)),
    count(CALLS),
    "growth",
    `heap at ${count(CALLS)}`,
  ]),
);
console.log(row(["---", "---", "---:", "---:", "---:", "---:", "---:"]));
for (const r of flatRows) {
  console.log(
    row([
      r.server,
      r.path,
      mb(r.warm.rss),
      mb(r.half.rss),
      mb(r.full.rss),
      `${r.full.rss >= r.warm.rss ? "+" : ""}${mb(r.full.rss - r.warm.rss)}`,
      mb(r.full.heapUsed),
    ]),
  );
}
console.log();
for (const path of new Set(flatRows.map((r) => r.path))) {
  const bare = flatRows.find((r) => r.server === "bare" && r.path === path);
  const ours = flatRows.find((r) => r.server === "spacecraft" && r.path === path);
  if (!bare || !ours) continue;
  const ratio = ours.full.rss / bare.full.rss;
  const drift = ours.full.rss / ours.warm.rss;
  const bareDrift = bare.full.rss / bare.warm.rss;
  console.log(
    `${path}: Spacecraft RSS ${ratio.toFixed(2)}× the bare server's after ${CALLS.toLocaleString("en")} calls; ` +
      `warm-up → ${count(CALLS)}: ${drift.toFixed(3)}× (bare ${bareDrift.toFixed(3)}×; goal ≤ 1.05×) ${drift <= 1.05 ? "MET" : "MISSED"}`,
  );
}

console.log(
  "\n(b) 20 KB joins whose /queue/data is never read (MB; Spacecraft's defaults: 5,000 sessions, 256 unread per session, 60 s idle)\n",
);
console.log(
  row([
    "scenario",
    "answers",
    "idle RSS",
    "peak RSS",
    "RSS after joins (GC)",
    "heap after joins",
    "RSS after expiry",
    "heap after expiry",
    "expired after",
    "session gone",
  ]),
);
console.log(row(["---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"]));
for (const f of [own, one]) {
  const answers = [...f.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count.toLocaleString("en")}× ${status}`)
    .join(", ");
  console.log(
    row([
      f.scenario,
      answers,
      mb(f.idle.rss),
      mb(f.peak),
      mb(f.afterJoins.rss),
      mb(f.afterJoins.heapUsed),
      mb(f.afterExpiry.rss),
      mb(f.afterExpiry.heapUsed),
      f.expiredAfterMs === undefined
        ? `not within ${EXPIRY_DEADLINE_MS / 1000} s`
        : `${(f.expiredAfterMs / 1000).toFixed(0)} s after the last join`,
      f.sessionGone ? "yes (404)" : "no",
    ]),
  );
}
idleReport(idleRows);
console.log(`\nTotal time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(0);
