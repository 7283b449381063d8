import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import sharp from "sharp";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const space = sc.Interface({
  title: "Repeat",
  fn: (text, times) => {
    if (text === "fail") throw new sc.SpaceError("That word is not allowed.");
    return text.repeat(times);
  },
  inputs: [sc.Textbox({ label: "Text" }), sc.Slider({ label: "Times", minimum: 1, maximum: 5, value: 2 })],
  outputs: [sc.Textbox({ label: "Result" })],
  mcp: true,
});

const images = sc.Interface({
  fn: async (width) =>
    sharp({ create: { width, height: 2, channels: 3, background: "#00f" } })
      .png()
      .toBuffer()
      .then((buffer) => new Uint8Array(buffer)),
  inputs: [sc.Number({ label: "Width", minimum: 1, maximum: 64, value: 4 })],
  outputs: [sc.Image()],
  apiName: "draw",
});

const hidden = sc.Interface({
  fn: (text) => text,
  inputs: [sc.Textbox()],
  outputs: [sc.Textbox()],
  apiVisibility: "private",
});

const servers: RunningServer[] = [];
beforeAll(async () => {
  servers.push(
    await serve(space, { port: 0 }),
    await serve(images, { port: 0, mcp: true }),
    await serve(hidden, { port: 0, mcp: true }),
  );
});
afterAll(() => Promise.all(servers.map((server) => server.close({ timeoutMs: 100 }))));

async function mcpClient(url: string): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/gradio_api/mcp/`)));
  return client;
}

describe("MCP", () => {
  it("lists each public endpoint as a tool with JSON Schemas from the components", async () => {
    const client = await mcpClient(servers[0]?.url as string);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({
      name: "predict",
      inputSchema: {
        type: "object",
        properties: {
          text: { type: "string", description: 'Textbox "Text"' },
          times: { type: "number", minimum: 1, maximum: 5, description: 'Slider "Times"' },
        },
      },
    });
    await client.close();
  });

  it("calls a tool, and reports the Space's errors as tool errors", async () => {
    const client = await mcpClient(servers[0]?.url as string);
    const result = await client.callTool({ name: "predict", arguments: { text: "ab", times: 3 } });
    expect(result.content).toEqual([{ type: "text", text: '"ababab"' }]);
    const failed = await client.callTool({ name: "predict", arguments: { text: "fail" } });
    expect(failed).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "That word is not allowed." }],
    });
    const invalid = await client.callTool({ name: "predict", arguments: { text: "x", times: 9 } });
    expect(invalid).toMatchObject({
      isError: true,
      content: [{ text: 'Slider "Times": must be at most 5.' }],
    });
    await client.close();
  });

  it("returns file outputs as URLs", async () => {
    const url = servers[1]?.url as string;
    const client = await mcpClient(url);
    const result = await client.callTool({ name: "draw", arguments: { width: 5 } });
    const link = JSON.parse((result.content as { text: string }[])[0]?.text ?? "null") as string;
    expect(link.startsWith(`${url}/gradio_api/file=`)).toBe(true);
    const image = await fetch(link);
    expect(image.headers.get("content-type")).toBe("image/png");
    await client.close();
  });

  it("returns file URLs under the root path, and marks its answers X-Accel-Buffering: no", async () => {
    const server = await serve(images, { port: 0, mcp: true, rootPath: "/tools" });
    try {
      const client = await mcpClient(`${server.url}/tools`);
      const result = await client.callTool({ name: "draw", arguments: { width: 5 } });
      const link = JSON.parse((result.content as { text: string }[])[0]?.text ?? "null") as string;
      expect(link.startsWith(`${server.url}/tools/gradio_api/file=`), link).toBe(true);
      expect((await fetch(link)).headers.get("content-type")).toBe("image/png");
      await client.close();
      const raw = await fetch(`${server.url}/tools/gradio_api/mcp/`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
      });
      expect(raw.headers.get("x-accel-buffering")).toBe("no");
      expect(await raw.text()).toContain('"draw"');
    } finally {
      await server.close({ timeoutMs: 100 });
    }
  });

  it("keeps private endpoints out of MCP and the Gradio API", async () => {
    const url = servers[2]?.url as string;
    const client = await mcpClient(url);
    expect((await client.listTools()).tools).toEqual([]);
    await client.close();
    const info = (await (await fetch(`${url}/gradio_api/info`)).json()) as { named_endpoints: object };
    expect(info.named_endpoints).toEqual({});
    const call = await fetch(`${url}/gradio_api/call/predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: ["x"] }),
    });
    expect(call.status).toBe(404);
  });

  it("is off unless the Space or the server asks for it", async () => {
    const server = await serve(images, { port: 0 });
    const response = await fetch(`${server.url}/gradio_api/mcp/`, { method: "POST" });
    expect(response.status).toBe(404);
    await server.close({ timeoutMs: 100 });
  });
});
