// A trivial call's latency through the Gradio-compatible API (@gradio/client, and curl-style
// fetch) next to the native WebSocket protocol, in one run. `npm run bench:api`.
import { Client } from "@gradio/client";
import * as sc from "spacecraft";
import { connect } from "spacecraft/client";
import { serve } from "spacecraft/server";
import { WebSocket } from "ws";

const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const WARMUP = 50;
const space = sc.Interface({
  fn: (text) => text,
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox()],
});
const server = await serve(space, { port: 0 });

async function time(name: string, call: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  return { name, p50: at(0.5), p99: at(0.99) };
}

const native = await connect(server.url, { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
const gradio = await Client.connect(server.url);
const results = [
  await time("native /ws (spacecraft/client)", () => native.predict("/predict", ["hi"])),
  await time("Gradio API (@gradio/client)", () => gradio.predict("/predict", ["hi"])),
  await time("curl API (fetch: POST /call + GET stream)", async () => {
    const start = await fetch(`${server.url}/gradio_api/call/predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["hi"] }),
    });
    const { event_id: eventId } = (await start.json()) as { event_id: string };
    await (await fetch(`${server.url}/gradio_api/call/predict/${eventId}`)).text();
  }),
];
native.close();
await server.close({ timeoutMs: 100 });

console.log("| path | p50 ms | p99 ms |");
console.log("| --- | ---: | ---: |");
for (const r of results) console.log(`| ${r.name} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);
const [ws, api] = results;
if (ws && api) {
  console.log(
    `\nGradio API p50 ${api.p50.toFixed(2)} ms (target ≤ 1 ms) ${api.p50 <= 1 ? "OK" : "MISSED"}; ` +
      `${(api.p50 / ws.p50).toFixed(1)}× the native protocol's ${ws.p50.toFixed(2)} ms.`,
  );
}
process.exit(0);
