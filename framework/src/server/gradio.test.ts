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
async function start(options: Partial<Parameters<typeof gradioApi>[2]>) {
  const space = sc.Interface({
    fn: (text: string) => text.repeat(1000),
    inputs: [sc.Textbox()],
    outputs: [sc.Textbox()],
    concurrencyLimit: null,
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
  it("refuses joins once unread results pass the byte budget, and takes them again once read", async () => {
    const { url, join, engine } = await start({ maxUnreadBytes: 20_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      statuses.push((await join(`s${i}`)).status);
      await expect
        .poll(async () => engine.pending === 0, {
          timeout: 20_000,
          interval: 50,
          message: "the job to finish",
        })
        .toBe(true);
    }
    expect(statuses).toContain(200);
    const refused = statuses.indexOf(503);
    expect(refused, `statuses: ${statuses.join(",")}`).toBeGreaterThan(0);
    const answer = await join("late");
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ detail: expect.stringContaining("nobody has read") });
    // Reading every held session frees the budget.
    for (let i = 0; i < refused; i++) {
      const stream = await fetch(`${url}/gradio_api/queue/data?session_hash=s${i}`);
      await stream.text();
    }
    expect((await join("after-reading")).status).toBe(200);
  });

  it("expires a session nobody reads, with its results", async () => {
    const { url, join, engine, api } = await start({ sessionIdleMs: 300 });
    expect((await join("gone")).status).toBe(200);
    expect(api.sessions).toBe(1);
    await expect
      .poll(async () => engine.pending === 0, { timeout: 20_000, interval: 50, message: "the job to finish" })
      .toBe(true);
    await expect
      .poll(async () => api.sessions === 0, {
        timeout: 20_000,
        interval: 50,
        message: "the session to expire",
      })
      .toBe(true);
    expect((await fetch(`${url}/gradio_api/queue/data?session_hash=gone`)).status).toBe(404);
  });
});
