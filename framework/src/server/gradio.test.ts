import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { Engine } from "../engine/engine.js";
import * as sc from "../index.js";
import { gradioApi } from "./gradio.js";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** Gradio's API on a real HTTP server, with the given limits. */
async function start(
  options: Partial<Parameters<typeof gradioApi>[2]>,
  apiVisibility: "public" | "private" = "public",
) {
  const space = sc.Interface({
    fn: (text: string) => text.repeat(1000),
    inputs: [sc.Textbox()],
    outputs: [sc.Textbox()],
    concurrencyLimit: null,
    apiVisibility,
  });
  const engine = new Engine(space, { logError: () => {} });
  const api = gradioApi(space, engine, { maxBodyBytes: 1 << 20, ...options });
  const app = express();
  app.use("/gradio_api", api.router);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    api.close();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const join = (session: string) =>
    fetch(`${url}/gradio_api/queue/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: ["x"], fn_index: 0, session_hash: session }),
    });
  return { url, join, engine, api };
}

describe("Gradio API limits", () => {
  it("keeps unread results within the byte budget by ending the sessions that hold most", async () => {
    const { url, join, engine, api } = await start({ maxUnreadBytes: 20_000 });
    for (let i = 0; i < 40; i++) {
      expect((await join(`s${i}`)).status, `join ${i}`).toBe(200);
      await expect
        .poll(() => engine.pending, { timeout: 20_000, interval: 20, message: "the job to finish" })
        .toBe(0);
    }
    // Each result is over 1 KB, so at most 20 sessions fit the budget: the others made room.
    expect(api.sessions).toBeLessThanOrEqual(20);
    expect(api.sessions).toBeGreaterThan(5);
    const latest = await fetch(`${url}/gradio_api/queue/data?session_hash=s39`);
    expect(latest.status).toBe(200);
    expect(await latest.text()).toContain("process_completed");
  });

  it("never keeps a second heartbeat when a session's stream is reopened", async () => {
    const { url, join, api } = await start({ heartbeatMs: 10 });
    expect((await join("again")).status).toBe(200);
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      const stream = await fetch(`${url}/gradio_api/queue/data?session_hash=again`, {
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      controller.abort();
    }
    expect(api.sessions).toBeLessThanOrEqual(1);
    const timers = (process as unknown as { getActiveResourcesInfo(): string[] })
      .getActiveResourcesInfo()
      .filter((name) => name === "Timeout").length;
    expect(timers, "one timer per reopened stream would leak").toBeLessThan(15);
  });

  it("ends an open stream with close_stream when it closes with nothing pending", async () => {
    const { url, join, engine, api } = await start({ idleCloseMs: 60_000 });
    expect((await join("leaving")).status).toBe(200);
    await expect.poll(() => engine.pending, { timeout: 20_000, message: "the job to finish" }).toBe(0);
    const stream = await fetch(`${url}/gradio_api/queue/data?session_hash=leaving`);
    expect(stream.status).toBe(200);
    const text = stream.text();
    api.close();
    // The result, then the end a client takes as the stream's end, not a lost connection.
    expect(await text).toMatch(/"process_completed"[\s\S]*"close_stream"/);
  });

  it("refuses a private endpoint however it is named", async () => {
    const { url } = await start({}, "private");
    for (const fnIndex of [0, "predict", "/predict"]) {
      const response = await fetch(`${url}/gradio_api/queue/join`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: ["x"], fn_index: fnIndex, session_hash: "p" }),
      });
      expect(response.status, `fn_index ${JSON.stringify(fnIndex)}`).toBe(403);
    }
  });

  it("answers a cancel whose ids are not strings with 400", async () => {
    const { url } = await start({});
    const response = await fetch(`${url}/gradio_api/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event_id: { toString: 1 }, session_hash: "x" }),
    });
    expect(response.status).toBe(400);
  });

  it("expires a session nobody reads, with its results", async () => {
    // 5 s idle: long enough that the session is surely there when the join's answer arrives on a
    // busy machine (it must be looked at inside that window), short for the test to wait out.
    const { url, join, engine, api } = await start({ sessionIdleMs: 5_000 });
    expect((await join("gone")).status).toBe(200);
    expect(api.sessions).toBe(1);
    await expect
      .poll(async () => engine.pending === 0, { timeout: 20_000, interval: 50, message: "the job to finish" })
      .toBe(true);
    await expect
      .poll(async () => api.sessions === 0, {
        timeout: 30_000,
        interval: 50,
        message: "the session to expire",
      })
      .toBe(true);
    expect((await fetch(`${url}/gradio_api/queue/data?session_hash=gone`)).status).toBe(404);
  });

  it("keeps a session while its client holds a heartbeat open, and expires it after", async () => {
    const { url, join, engine, api } = await start({ sessionIdleMs: 200, heartbeatMs: 50 });
    const controller = new AbortController();
    const heartbeat = await fetch(`${url}/gradio_api/heartbeat/kept`, { signal: controller.signal });
    expect(heartbeat.status).toBe(200);
    expect(heartbeat.headers.get("content-type")).toContain("text/event-stream");
    expect((await join("kept")).status).toBe(200);
    // A session with no heartbeat, idle since after "kept" joined: once a sweep has ended it, one
    // has also seen "kept" idle as long, so the check below does not depend on how fast we are.
    expect((await join("unkept")).status).toBe(200);
    await expect
      .poll(async () => engine.pending === 0, { timeout: 20_000, interval: 50, message: "the job to finish" })
      .toBe(true);
    await expect
      .poll(async () => api.sessions === 1, {
        timeout: 20_000,
        interval: 50,
        message: "the session without a heartbeat to expire",
      })
      .toBe(true);
    expect((await fetch(`${url}/gradio_api/queue/data?session_hash=unkept`)).status).toBe(404);
    expect(api.sessions).toBe(1);
    const kept = new AbortController();
    const results = await fetch(`${url}/gradio_api/queue/data?session_hash=kept`, { signal: kept.signal });
    expect(results.status, "the session with a heartbeat kept its results").toBe(200);
    kept.abort();
    controller.abort();
    await expect
      .poll(async () => api.sessions === 0, {
        timeout: 20_000,
        interval: 50,
        message: "the session to expire",
      })
      .toBe(true);
  });
});
