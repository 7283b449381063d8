import { Client } from "@gradio/client";
import { Client as McpClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ApiInfo } from "spacecraft/api-info";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../fixtures/tip-calculator.js";

let server: RunningServer;
beforeAll(async () => {
  server = await serve(app, { port: 0, mcp: true, logError: () => {} });
});
afterAll(() => server.close({ timeoutMs: 100 }));

describe("a Blocks app through Gradio's API", () => {
  it("lists each public event in /info, with no State parameter or return", async () => {
    const info = (await (await fetch(`${server.url}/gradio_api/info`)).json()) as ApiInfo;
    expect(Object.keys(info.named_endpoints)).toEqual(["/tip", "/tip_then", "/tip_change"]);
    const tip = info.named_endpoints["/tip"];
    expect(tip?.parameters.map((p) => [p.parameter_name, p.component, p.parameter_default])).toEqual([
      ["bill", "Number", 40],
      ["tip", "Slider", 15],
    ]);
    expect(tip?.returns.map((r) => r.label)).toEqual(["Tip"]);
    expect(info.named_endpoints["/tip_then"]?.parameters).toEqual([]);
    expect(info.named_endpoints["/tip_then"]?.returns.map((r) => r.label)).toEqual(["Tips so far"]);
    const all = Object.values(info.named_endpoints).flatMap((e) => [...e.parameters, ...e.returns]);
    expect(all.map((value) => value.component)).not.toContain("State");
  });

  it("calls a named event with the State parameter left out, and returns only the other outputs", async () => {
    const client = await Client.connect(server.url);
    expect((await client.predict("/tip", { bill: 40, tip: 15 })).data).toEqual([6]);
    expect((await client.predict("/tip", [20, 10])).data).toEqual([2]);
  });

  it("keeps State between calls of one client, and never shares it with another", async () => {
    const first = await Client.connect(server.url);
    await first.predict("/tip", { bill: 10, tip: 10 });
    await first.predict("/tip", { bill: 30, tip: 20 });
    expect((await first.predict("/tip_then", {})).data).toEqual([2]);
    const second = await Client.connect(server.url);
    expect((await second.predict("/tip_then", {})).data).toEqual([0]);
    await second.predict("/tip", { bill: 1, tip: 1 });
    expect((await second.predict("/tip_then", {})).data).toEqual([1]);
    expect((await first.predict("/tip_then", {})).data).toEqual([2]);
  });

  it("takes only the listed parameters over curl's /call, with State filled in by the server", async () => {
    const started = await fetch(`${server.url}/gradio_api/call/tip`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: [50, 10] }),
    });
    expect(started.status).toBe(200);
    const { event_id: eventId } = (await started.json()) as { event_id: string };
    const events = await (await fetch(`${server.url}/gradio_api/call/tip/${eventId}`)).text();
    expect(events).toContain("event: complete");
    expect(JSON.parse(events.split("data: ").at(-1) as string)[0]).toBe(5);
  });
});

describe("a Blocks app through MCP", () => {
  async function withMcp<T>(use: (client: McpClient) => Promise<T>): Promise<T> {
    const client = new McpClient({ name: "test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/gradio_api/mcp/`)));
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  }

  it("lists one tool per public event, with only the non-State inputs", async () => {
    await withMcp(async (client) => {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["tip", "tip_then", "tip_change"]);
      expect(Object.keys(tools[0]?.inputSchema.properties ?? {})).toEqual(["bill", "tip"]);
      expect(tools[1]?.inputSchema.properties).toEqual({});
    });
  });

  it("calls a tool and answers without the State outputs, each call from fresh State", async () => {
    await withMcp(async (client) => {
      const tip = await client.callTool({ name: "tip", arguments: { bill: 50, tip: 10 } });
      expect(tip.content).toEqual([{ type: "text", text: "5" }]);
      const count = await client.callTool({ name: "tip_then", arguments: {} });
      expect(count.content).toEqual([{ type: "text", text: "0" }]);
    });
  });
});
