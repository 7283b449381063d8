// The native protocol's overhead, in one run: `npm run bench` (about 1½ minutes).
// A three-input, two-output Space (`clients-app.ts`) called through `spacecraft/client`'s
// `predict`, beside a bare `ws` echo server answering the same frame, with 1 and 32 clients each
// looping call after call; plus, as extra information, the same calls as raw protocol messages
// (no client library). Each server runs in its own process (`server.ts`); the kinds alternate
// within each round, so all see the same machine. The table gives medians over the rounds and
// their spread. Settings: BENCH_ROUNDS (default 3), BENCH_MS per measurement (default 3000),
// BENCH_CLIENTS (default "1,32"), BENCH_PROFILE (a folder: the servers write CPU profiles there).
//
// Figures (`BENCH_ROUNDS=5 npm run bench`, 2 shared cores, 2026-11-29; medians, rounds' spread):
//   before the plain-function path and RunContext (29d5964): 1 client p50 1.43× the echo; 32
//     clients 48% of the echo's req/s (46–50%); raw messages 47% (41–72%); p99 at 32: 15 ms.
//   after: 1 client p50 1.32× and 1.43× (two runs); 32 clients 75% (60–157%) and 63% (52–79%);
//     raw messages 77% and 67%; p99 at 32: 3.5–7.6 ms. Goals: p50 ≤ 1.5×, throughput ≥ 60%.
import { connect } from "spacecraft/client";
import { WebSocket } from "ws";
import { INPUTS } from "./clients-app.js";
import { startBenchServer } from "./spawn-server.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_MS = Number(process.env.BENCH_MS ?? 3000);
const WARMUP_MS = 1000;
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? "1,32").split(",").map(Number);

/** One connected client: `call()` makes one request and resolves with its answer. */
interface Caller {
  call(): Promise<void>;
  close(): void;
}

interface Kind {
  name: string;
  server: "echo" | "spacecraft";
  open(port: number): Promise<Caller>;
}

async function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/**
 * Raw frames: sends the predict message the typed client sends and waits for the frame that
 * answers it (the echo itself, or the job's `complete`).
 */
function rawCaller(socket: WebSocket, answered: (text: string) => boolean): Caller {
  let counter = 0;
  let done: (() => void) | undefined;
  socket.on("message", (data) => {
    if (answered(String(data))) done?.();
  });
  return {
    call: () =>
      new Promise<void>((resolve) => {
        done = resolve;
        const id = `${Date.now().toString(36)}-${(counter++).toString(36)}`;
        socket.send(JSON.stringify({ type: "predict", id, endpoint: 0, data: INPUTS }));
      }),
    close: () => socket.close(),
  };
}

const kinds: Kind[] = [
  {
    name: "bare ws echo",
    server: "echo",
    open: async (port) => rawCaller(await openSocket(`ws://127.0.0.1:${port}/ws`), () => true),
  },
  {
    name: "spacecraft/client predict",
    server: "spacecraft",
    open: async (port) => {
      const client = await connect(`http://127.0.0.1:${port}/`, {
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      });
      return {
        call: async () => {
          const [said] = await client.predict("/predict", INPUTS);
          if (said !== "HELLO") throw new Error(`Unexpected result ${JSON.stringify(said)}`);
        },
        close: () => client.close(),
      };
    },
  },
  {
    name: "raw /ws messages (no client library)",
    server: "spacecraft",
    open: async (port) =>
      rawCaller(await openSocket(`ws://127.0.0.1:${port}/ws`), (text) => text.includes('"complete"')),
  },
];

interface Result {
  p50: number;
  p99: number;
  throughput: number;
}

/** `clients` callers looping for the warm-up and then `DURATION_MS`; latencies after warm-up. */
async function measure(kind: Kind, port: number, clients: number): Promise<Result> {
  const callers = await Promise.all(Array.from({ length: clients }, () => kind.open(port)));
  const latencies: number[] = [];
  const warmupUntil = performance.now() + WARMUP_MS;
  const until = warmupUntil + DURATION_MS;
  await Promise.all(
    callers.map(async (caller) => {
      for (;;) {
        const started = performance.now();
        if (started >= until) break;
        await caller.call();
        if (started >= warmupUntil) latencies.push(performance.now() - started);
      }
    }),
  );
  for (const caller of callers) caller.close();
  latencies.sort((a, b) => a - b);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    throughput: latencies.length / (DURATION_MS / 1000),
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const servers = {
  echo: await startBenchServer("echo"),
  spacecraft: await startBenchServer("spacecraft"),
};
/** Results by kind and client count, one per round. */
const results = new Map<string, Result[]>();
const key = (kind: Kind, clients: number) => `${kind.name}|${clients}`;
for (let round = 1; round <= ROUNDS; round++) {
  for (const clients of CLIENT_COUNTS) {
    for (const kind of kinds) {
      const result = await measure(kind, servers[kind.server].port, clients);
      const list = results.get(key(kind, clients)) ?? [];
      list.push(result);
      results.set(key(kind, clients), list);
      console.error(
        `round ${round}: ${kind.name}, ${clients} client(s): p50 ${result.p50.toFixed(3)} ms, ${Math.round(result.throughput)} req/s`,
      );
    }
  }
}
await Promise.all(
  Object.values(servers).map(
    (server) => new Promise((resolve) => server.process.once("exit", resolve).kill()),
  ),
);

const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const spread = (values: number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

console.log(`\nMedians over ${ROUNDS} rounds of ${DURATION_MS / 1000} s (spread: lowest–highest round)\n`);
console.log(row(["path", "clients", "p50 ms", "p99 ms", "req/s", "req/s spread"]));
console.log(row(["---", "---:", "---:", "---:", "---:", "---:"]));
for (const clients of CLIENT_COUNTS) {
  for (const kind of kinds) {
    const list = results.get(key(kind, clients)) ?? [];
    console.log(
      row([
        kind.name,
        clients,
        median(list.map((r) => r.p50)).toFixed(3),
        median(list.map((r) => r.p99)).toFixed(3),
        Math.round(median(list.map((r) => r.throughput))),
        spread(
          list.map((r) => r.throughput),
          0,
        ),
      ]),
    );
  }
}

/** Per-round ratios of a figure of `kind` to the echo's: their median and spread. */
const ratios = (kind: Kind, clients: number, figure: (r: Result) => number) => {
  const ours = results.get(key(kind, clients)) ?? [];
  const bare = results.get(key(kinds[0] as Kind, clients)) ?? [];
  return ours.map((r, i) => figure(r) / figure(bare[i] as Result));
};
console.log();
// The goals are about 1 and 32 clients: the ratios need both.
for (const kind of CLIENT_COUNTS.includes(1) && CLIENT_COUNTS.includes(32) ? kinds.slice(1) : []) {
  const p50 = ratios(kind, 1, (r) => r.p50);
  const throughput = ratios(kind, 32, (r) => r.throughput);
  const p50Ratio = median(p50);
  const throughputRatio = median(throughput);
  console.log(
    `${kind.name}: p50 at 1 client ${p50Ratio.toFixed(2)}× the bare echo (rounds ${spread(p50, 2)}; goal ≤ 1.5×) ${p50Ratio <= 1.5 ? "MET" : "MISSED"}; ` +
      `throughput at 32 clients ${(throughputRatio * 100).toFixed(0)}% of the bare echo (rounds ${spread(
        throughput.map((r) => r * 100),
        0,
      )}%; goal ≥ 60%) ${throughputRatio >= 0.6 ? "MET" : "MISSED"}`,
  );
}
