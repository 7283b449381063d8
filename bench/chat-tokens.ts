// Framework overhead per streamed token: one async generator of N tokens (no sleeps; each yield
// the whole reply so far; `streamReply` in `chat-reply.ts`) consumed in-process, and through a
// real server (a process of its own, `chat-tokens-app.ts`) and the typed client
// (`spacecraft/client`, `submit("/chat")` on a ChatInterface), rounds interleaved in one run.
// Three paces: a token a millisecond (a fast model), each token a turn of the event loop (the
// fastest an asynchronous model could go), and a burst with no waiting at all. Prints tokens/s (over the whole reply, and from the first
// token on: the cost per token apart from the wait for the first) and time to first token, medians.
// `npm run bench:chat-tokens` (BENCH_TOKENS, BENCH_RUNS).
import { connect } from "spacecraft/client";
import { replyTokens, streamReply } from "./chat-reply.js";
import { spawnServer } from "./spawn-server.js";

const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const tokens = replyTokens(TOKENS);
const whole = tokens.join("");
const paces = ["model", "turn", "burst"] as const;
type Pace = (typeof paces)[number];

interface Sample {
  tokensPerSecond: number;
  /** The rate once the first token is in: the cost per token, apart from the time to the first. */
  steadyPerSecond: number;
  firstTokenMs: number;
}

function sample(started: number, first: number, ended: number): Sample {
  return {
    tokensPerSecond: (TOKENS * 1000) / (ended - started),
    steadyPerSecond: ((TOKENS - 1) * 1000) / Math.max(ended - first, 1e-3),
    firstTokenMs: first - started,
  };
}

async function inProcess(pace: Pace): Promise<Sample> {
  const started = performance.now();
  let first = 0;
  let last = "";
  for await (const text of streamReply(tokens, pace)) {
    first ||= performance.now();
    last = text;
  }
  const ended = performance.now();
  if (last !== whole) throw new Error("The in-process reply is not the whole reply.");
  return sample(started, first, ended);
}

// The server in a process of its own, as for a client elsewhere on the network.
const server = await spawnServer("bench/chat-tokens-app.ts");
const client = await connect(server.url);

async function throughServer(pace: Pace): Promise<Sample> {
  const started = performance.now();
  let first = 0;
  let last: unknown;
  for await (const event of client.submit("/chat", { message: pace })) {
    if (event.type !== "partial" && event.type !== "complete") continue;
    first ||= performance.now();
    last = event.data[0];
  }
  const ended = performance.now();
  if (last !== whole)
    throw new Error(`The client's reply is not the whole reply: ${JSON.stringify(last).slice(0, 80)}…`);
  return sample(started, first, ended);
}

const samples = new Map(paces.map((pace) => [pace, { inProcess: [] as Sample[], server: [] as Sample[] }]));
try {
  for (const pace of paces) {
    // A warm-up round of each.
    await inProcess(pace);
    await throughServer(pace);
  }
  for (let i = 0; i < RUNS; i++) {
    for (const pace of paces) {
      samples.get(pace)?.inProcess.push(await inProcess(pace));
      samples.get(pace)?.server.push(await throughServer(pace));
    }
  }
} finally {
  client.close();
  server.close();
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;
console.log(`${TOKENS} tokens a reply (${whole.length} characters), ${RUNS} rounds of each, medians.\n`);
console.log("| pace | path | tokens/s | tokens/s after the first | time to first token ms |");
console.log("| --- | --- | ---: | ---: | ---: |");
const verdicts: string[] = [];
for (const [pace, { inProcess, server }] of samples) {
  const rate = (list: Sample[]) => median(list.map((s) => s.tokensPerSecond));
  const steady = (list: Sample[]) => median(list.map((s) => s.steadyPerSecond));
  const first = (list: Sample[]) => median(list.map((s) => s.firstTokenMs));
  const name = { model: "a token a millisecond", turn: "a token a turn", burst: "burst" }[pace];
  for (const [path, list] of [
    ["in-process (baseline)", inProcess],
    ["server + spacecraft/client", server],
  ] as const) {
    console.log(
      `| ${name} | ${path} | ${rate(list).toFixed(0)} | ${steady(list).toFixed(0)} | ${first(list).toFixed(2)} |`,
    );
  }
  const ratio = rate(server) / rate(inProcess);
  const steadyRatio = steady(server) / steady(inProcess);
  const added = first(server) - first(inProcess);
  const verdict = (ok: boolean) => (ok ? "OK" : "MISSED");
  verdicts.push(
    `${name}: through the server ${(ratio * 100).toFixed(0)}% of the in-process rate, ` +
      `${(steadyRatio * 100).toFixed(0)}% after the first token (target ≥ 80%) ${verdict(steadyRatio >= 0.8)}; ` +
      `first token ${added.toFixed(2)} ms later (target ≤ 5 ms) ${verdict(added <= 5)}.`,
  );
}
console.log(`\n${verdicts.join("\n")}`);
