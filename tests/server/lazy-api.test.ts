import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterEach, describe, expect, it } from "vitest";

// Gradio's API, deep links and the OpenAI API load on their first request: they must answer as
// if they had been there from the start.
const space = sc.Interface({
  fn: (text: string) => text.toUpperCase(),
  inputs: [sc.Textbox({ label: "Text" })],
  outputs: [sc.Textbox({ label: "Upper" })],
});

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close({ timeoutMs: 100 })));
});

async function start(): Promise<RunningServer> {
  const server = await serve(space, { port: 0, logError: () => {} });
  servers.push(server);
  return server;
}

describe("routes loaded on first use", () => {
  // First in this file, so Gradio's API module is not loaded yet in this process.
  it("loads Gradio's API once when its first two requests arrive together", async () => {
    const server = await start();
    const join = (text: string) =>
      fetch(`${server.url}/gradio_api/queue/join`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: [text], fn_index: 0, session_hash: "together" }),
      });
    const joined = await Promise.all([join("first"), join("second")]);
    for (const response of joined) expect(response.status, await response.clone().text()).toBe(200);
    const ids = await Promise.all(
      joined.map(async (response) => ((await response.json()) as { event_id: string }).event_id),
    );
    // Both joins must reach the one API that holds the session: its stream carries both results.
    const stream = await fetch(`${server.url}/gradio_api/queue/data?session_hash=together`, {
      signal: AbortSignal.timeout(20_000),
    });
    expect(stream.status).toBe(200);
    const events = await stream.text();
    for (const [id, output] of [
      [ids[0], "FIRST"],
      [ids[1], "SECOND"],
    ]) {
      expect(events, `the result of event ${id} in the session's stream`).toMatch(
        new RegExp(`"msg":"process_completed","event_id":"${id}".*"${output}"`),
      );
    }
  });

  it("routes deep-link paths as their router did, in any letter case, and leaves the others to the API", async () => {
    const server = await start();
    const id = "A".repeat(22);
    const lower = await fetch(`${server.url}/gradio_api/deep_link/${id}`);
    const mixed = await fetch(`${server.url}/gradio_api/Deep_Link/${id}`);
    expect(lower.status).toBe(404);
    expect(mixed.status).toBe(404);
    expect(await mixed.json()).toEqual(await lower.json());
    const info = await fetch(`${server.url}/gradio_api/info`);
    expect(info.status).toBe(200);
    expect(Object.keys(((await info.json()) as { named_endpoints: object }).named_endpoints)).toEqual([
      "/predict",
    ]);
  });
});
