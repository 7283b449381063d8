import { Client } from "@gradio/client";
import { Client as McpClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ApiInfo } from "spacecraft/api-info";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../fixtures/echo-chat.js";

let server: RunningServer;
beforeAll(async () => {
  server = await serve(app, { port: 0, mcp: true, logError: () => {} });
});
afterAll(() => server.close({ timeoutMs: 100 }));

describe("a ChatInterface through Gradio's API", () => {
  it("lists /chat with the message as its one parameter", async () => {
    const info = (await (await fetch(`${server.url}/gradio_api/info`)).json()) as ApiInfo;
    expect(Object.keys(info.named_endpoints)).toEqual(["/chat"]);
    expect(info.named_endpoints["/chat"]?.parameters.map((p) => p.parameter_name)).toEqual(["message"]);
    expect(info.named_endpoints["/chat"]?.returns.map((r) => r.label)).toEqual(["Response"]);
  });

  it("answers predict('/chat', { message }) with the reply, keeping the history per client", async () => {
    const client = await Client.connect(server.url);
    expect((await client.predict("/chat", { message: "hi there" })).data).toEqual(["hi there (0)"]);
    expect((await client.predict("/chat", { message: "again" })).data).toEqual(["again (2)"]);
    const other = await Client.connect(server.url);
    expect((await other.predict("/chat", ["fresh"])).data).toEqual(["fresh (0)"]);
  });

  it("streams the reply so far through submit()", async () => {
    const client = await Client.connect(server.url);
    const seen: unknown[] = [];
    for await (const event of client.submit("/chat", { message: "one two three" })) {
      if (event.type === "data") seen.push((event.data as unknown[])[0]);
      if (event.type === "status" && event.stage === "complete") break;
    }
    // The completion repeats the last reply.
    expect(seen.filter((value, i) => value !== seen[i - 1])).toEqual([
      "one",
      "one two",
      "one two three",
      "one two three (0)",
    ]);
  });

  it("refuses an empty message, naming the message box", async () => {
    const client = await Client.connect(server.url);
    // Gradio's validation error: the message per parameter, as its client reports it.
    await expect(client.predict("/chat", { message: "   " })).rejects.toMatchObject({
      code: "validation_error",
      message: expect.stringContaining('Textbox \\"Message\\": is empty: type a message first.'),
    });
  });
});

describe("a ChatInterface through MCP", () => {
  it("is one chat tool that answers a message", async () => {
    const client = new McpClient({ name: "test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/gradio_api/mcp/`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["chat"]);
      const result = await client.callTool({ name: "chat", arguments: { message: "hey you" } });
      expect(JSON.stringify(result.content)).toContain("hey you (0)");
    } finally {
      await client.close();
    }
  });
});
