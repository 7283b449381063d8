// A trivial call's latency through the Gradio-compatible API (@gradio/client, and curl-style
// fetch) next to the native WebSocket protocol, in one run. `npm run bench:api`.

import http from "node:http";
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

/** The Gradio queue protocol by hand: keep-alive POST /queue/join, results on one open SSE stream. */
async function rawGradio(base: string): Promise<() => Promise<unknown>> {
  const agent = new http.Agent({ keepAlive: true });
  const session = "bench";
  const post = (body: unknown) =>
    new Promise<string>((resolve) => {
      const data = JSON.stringify(body);
      const request = http.request(
        `${base}/gradio_api/queue/join`,
        {
          method: "POST",
          agent,
          headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) },
        },
        (response) => {
          let text = "";
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () => resolve(text));
        },
      );
      request.end(data);
    });
  const finished = new Map<string, () => void>();
  const early = new Set<string>();
  await post({ data: ["warm"], fn_index: 0, session_hash: session });
  http.get(
    `${base}/gradio_api/queue/data?session_hash=${session}`,
    { agent: new http.Agent({ keepAlive: true }) },
    (response) => {
      let buffer = "";
      response.on("data", (chunk) => {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const message = JSON.parse(buffer.slice(6, end)) as { msg: string; event_id: string };
          buffer = buffer.slice(end + 2);
          if (message.msg !== "process_completed") continue;
          const done = finished.get(message.event_id);
          if (done) done();
          else early.add(message.event_id);
        }
      });
    },
  );
  return async () => {
    const { event_id: id } = JSON.parse(await post({ data: ["hi"], fn_index: 0, session_hash: session })) as {
      event_id: string;
    };
    if (early.delete(id)) return;
    await new Promise<void>((resolve) => finished.set(id, resolve));
    finished.delete(id);
  };
}

const native = await connect(server.url, { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
const gradio = await Client.connect(server.url);
const results = [
  await time("native /ws (spacecraft/client)", () => native.predict("/predict", ["hi"])),
  await time("Gradio API (@gradio/client)", () => gradio.predict("/predict", ["hi"])),
  await time("Gradio queue protocol (keep-alive HTTP + SSE, no client library)", await rawGradio(server.url)),
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
const [ws, api, raw] = results;
if (ws && api && raw) {
  console.log(
    `\nGradio API p50: ${raw.p50.toFixed(2)} ms over the protocol itself (target ≤ 1 ms) ${raw.p50 <= 1 ? "OK" : "MISSED"}, ` +
      `${api.p50.toFixed(2)} ms through @gradio/client; the native protocol: ${ws.p50.toFixed(2)} ms.`,
  );
}
process.exit(0);
