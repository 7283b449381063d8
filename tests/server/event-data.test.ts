import { Client } from "@gradio/client";
import { Client as McpClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import * as sc from "spacecraft";
import { connect as connectClient } from "spacecraft/client";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProtocolClient } from "./ws-client.js";
import { connect } from "./ws-client.js";

/** What each function saw as `ctx.event`. */
const seen: unknown[] = [];

const app = sc.Blocks({ title: "Event data" }, () => {
  const colour = sc.Radio({ label: "Colour", choices: ["red", "green", "blue"] });
  const picked = sc.Textbox({ label: "Picked" });
  const go = sc.Button({ value: "Go" });
  colour.select({
    fn: (value, ctx) => {
      seen.push(ctx.event);
      return `${value} at ${ctx.event.index}${ctx.event.selected ? "" : " (unselected)"}`;
    },
    inputs: [colour],
    outputs: [picked],
    apiName: "picked",
  });
  go.click({
    fn: (ctx) => {
      seen.push(ctx.event);
      return "clicked";
    },
    outputs: [picked],
    apiName: "go",
  });
  sc.on([colour.select, go.click], {
    fn: (ctx) => {
      seen.push(ctx.event);
      return ctx.event ? `select ${ctx.event.index}` : "click";
    },
    outputs: [picked],
    apiName: "either",
  });
  return sc.Column(colour, picked, go);
});

let server: RunningServer;
let ws: ProtocolClient;
beforeAll(async () => {
  server = await serve(app, { port: 0, mcp: true, logError: () => {} });
  ws = await connect(server.url);
});
afterAll(async () => {
  await ws?.close();
  await server?.close({ timeoutMs: 100 });
});

let count = 0;
/** Runs an endpoint over the native protocol; gives the message that ended it. */
async function predict(endpoint: string, data: unknown[], eventData?: unknown) {
  const id = `job-${count++}`;
  ws.send({ type: "predict", id, endpoint, data, ...(eventData === undefined ? {} : { eventData }) });
  return ws.end(id);
}

describe("event data", () => {
  it("reaches fn as ctx.event over the page's protocol, checked and with defaults filled in", async () => {
    seen.length = 0;
    expect(await predict("picked", ["green"], { index: 1, value: "green", selected: true })).toMatchObject({
      type: "complete",
      data: ["green at 1"],
    });
    expect(await predict("picked", ["green"], { index: 1, value: "green" })).toMatchObject({
      data: ["green at 1"],
    });
    expect(await predict("picked", ["red"], { index: 0, value: "red", selected: false })).toMatchObject({
      data: ["red at 0 (unselected)"],
    });
    expect(seen).toEqual([
      { index: 1, value: "green", selected: true },
      { index: 1, value: "green", selected: true },
      { index: 0, value: "red", selected: false },
    ]);
  });

  it("refuses missing or malformed event data with a message naming it, and keeps serving", async () => {
    seen.length = 0;
    expect(await predict("picked", ["red"])).toMatchObject({
      type: "error",
      message:
        "Event data (`event_data`) is missing: the select event sends { index, value, selected }. Send it with the request.",
    });
    expect(await predict("picked", ["red"], { index: -1, value: "red" })).toMatchObject({
      type: "error",
      message:
        "Event data (`event_data`) of the select event: `index` must be ≥ 0; it must be { index, value, selected }.",
    });
    expect(await predict("picked", ["red"], { index: 0, value: "red", selected: "yes" })).toMatchObject({
      type: "error",
      message: expect.stringContaining("`selected` must be true or false"),
    });
    expect(await predict("picked", ["red"], "zero")).toMatchObject({
      type: "error",
      message: expect.stringContaining("of the select event: must be an object"),
    });
    expect(await predict("picked", ["red"], { index: [0, 1], value: "red" })).toMatchObject({
      type: "error",
      message: expect.stringContaining("`index` must be a number"),
    });
    expect(seen).toEqual([]);
    expect(await predict("picked", ["blue"], { index: 2, value: "blue" })).toMatchObject({
      data: ["blue at 2"],
    });
  });

  it("gives undefined to an event that carries none, dropping data sent to it", async () => {
    seen.length = 0;
    expect(await predict("go", [])).toMatchObject({ data: ["clicked"] });
    expect(await predict("go", [], { index: 3, value: "x" })).toMatchObject({ data: ["clicked"] });
    expect(seen).toEqual([undefined, undefined]);
  });

  it("takes either trigger's data for sc.on over a select and a click", async () => {
    expect(await predict("either", [])).toMatchObject({ data: ["click"] });
    expect(await predict("either", [], { index: 2, value: "blue" })).toMatchObject({ data: ["select 2"] });
  });

  it("leaves out of MCP's tools the events that need event data, which MCP cannot send", async () => {
    const client = new McpClient({ name: "test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/gradio_api/mcp/`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["go", "either"]);
    } finally {
      await client.close();
    }
  });

  it("comes from the typed client's eventData option", async () => {
    const client = await connectClient(server.url);
    try {
      expect(await client.predict("picked", ["red"], { eventData: { index: 0, value: "red" } })).toEqual([
        "red at 0",
      ]);
      await expect(client.predict("picked", ["red"])).rejects.toThrow(
        /Event data \(`event_data`\) is missing/,
      );
    } finally {
      client.close();
    }
  });

  it("comes from @gradio/client's event_data, and from /run and /call bodies", async () => {
    seen.length = 0;
    const client = await Client.connect(server.url);
    const job = client.submit("/picked", ["blue"], { index: 2, value: "blue", selected: true });
    let result: unknown;
    for await (const message of job) {
      if (message.type === "data") result = message.data;
      if (message.type === "status" && message.stage !== "pending") break;
    }
    expect(result).toEqual(["blue at 2"]);
    await expect(client.predict("/picked", ["blue"])).rejects.toMatchObject({
      message: expect.stringContaining("Event data (`event_data`) is missing"),
    });

    const run = await fetch(`${server.url}/gradio_api/run/picked`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["red"], event_data: { index: 0, value: "red" } }),
    });
    expect(await run.json()).toMatchObject({ data: ["red at 0"] });
    const bad = await fetch(`${server.url}/gradio_api/run/picked`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["red"], event_data: { index: "first", value: "red" } }),
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({
      error:
        "Event data (`event_data`) of the select event: `index` must be a number; it must be { index, value, selected }.",
    });

    const call = await fetch(`${server.url}/gradio_api/call/picked`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["green"], event_data: { index: 1, value: "green" } }),
    });
    const { event_id: eventId } = (await call.json()) as { event_id: string };
    const stream = await (await fetch(`${server.url}/gradio_api/call/picked/${eventId}`)).text();
    expect(stream).toContain('event: complete\ndata: ["green at 1"]');
    expect(seen).toEqual([
      { index: 2, value: "blue", selected: true },
      { index: 0, value: "red", selected: true },
      { index: 1, value: "green", selected: true },
    ]);
  });
});
