import { Client, handle_file } from "@gradio/client";
import { Client as McpClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import OpenAI, { BadRequestError } from "openai";
import sharp from "sharp";
import * as sc from "spacecraft";
import type { ApiInfo } from "spacecraft/api-info";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import echoChat from "../fixtures/echo-chat.js";

/** Every message the chat function got. */
const received: sc.MultimodalValue[] = [];

/** Describes the files it got; "draw" answers with a picture. */
const chat = sc.ChatInterface({
  title: "Multimodal echo",
  multimodal: true,
  fn: async (message, history) => {
    received.push(message);
    if (message.text === "draw") {
      const bytes = await sharp({ create: { width: 4, height: 4, channels: 3, background: "red" } })
        .png()
        .toBuffer();
      return { role: "assistant", content: "A red square.", files: [{ bytes, name: "square.png" }] };
    }
    const files = message.files.map((file) => `${file.orig_name}:${file.mime_type}:${file.size}`);
    return `${message.text} [${files.join(", ")}] (${history.length})`;
  },
});

let server: RunningServer;
let png: Buffer;
beforeAll(async () => {
  png = await sharp({ create: { width: 8, height: 6, channels: 3, background: "blue" } })
    .png()
    .toBuffer();
  server = await serve(chat, { port: 0, mcp: true, logError: () => {} });
});
afterAll(() => server.close({ timeoutMs: 100 }));

describe("a multimodal ChatInterface through Gradio's API", () => {
  it("describes /chat's message as { text, files }", async () => {
    const info = (await (await fetch(`${server.url}/gradio_api/info`)).json()) as ApiInfo;
    const [message] = info.named_endpoints["/chat"]?.parameters ?? [];
    expect(message).toMatchObject({ parameter_name: "message", component: "MultimodalTextbox" });
    expect(message?.python_type?.type).toBe("dict");
  });

  it("takes predict('/chat', { message: { text, files: [handle_file(...)] } }) and gives fn the stored file", async () => {
    const client = await Client.connect(server.url);
    const photo = new File([new Uint8Array(png)], "photo.png", { type: "image/png" });
    const result = await client.predict("/chat", {
      message: { text: "what is this", files: [handle_file(photo)] },
    });
    expect(result.data).toEqual([`what is this [photo.png:image/png:${png.length}] (0)`]);
    expect(received.at(-1)?.files[0]).toMatchObject({ orig_name: "photo.png", size: png.length });
    // Text only (Gradio's clients may leave `files` out); the history has the first turn.
    expect((await client.predict("/chat", { message: { text: "and now" } })).data).toEqual([
      "and now [] (2)",
    ]);
  });

  it("answers with the reply message and its files, served to the caller", async () => {
    const client = await Client.connect(server.url);
    const [reply] = (await client.predict("/chat", { message: { text: "draw", files: [] } })).data as [
      sc.ChatMessage[],
    ];
    expect(reply).toMatchObject([{ role: "assistant", content: "A red square." }]);
    const file = reply[0]?.files?.[0];
    expect(file).toMatchObject({ orig_name: "square.png", mime_type: "image/png" });
    const response = await fetch(new URL(file?.url ?? "", server.url));
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(file?.size);
  });

  it("refuses an empty message and a file it did not receive, naming the message box", async () => {
    const client = await Client.connect(server.url);
    await expect(client.predict("/chat", { message: { text: " ", files: [] } })).rejects.toMatchObject({
      message: expect.stringContaining(
        'MultimodalTextbox \\"Message\\": is empty: type a message or attach a file first.',
      ),
    });
    const forged = { path: "../../etc/passwd", meta: { _type: "gradio.FileData" } };
    await expect(client.predict("/chat", { message: { text: "x", files: [forged] } })).rejects.toMatchObject({
      message: expect.stringContaining("unknown file; upload it first"),
    });
  });
});

describe("a multimodal ChatInterface through the OpenAI endpoint", () => {
  const openai = () => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "ignored", maxRetries: 0 });

  it("answers a text message (as { text, files: [] })", async () => {
    const completion = await openai().chat.completions.create({
      model: "any",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(completion.choices[0]?.message.content).toBe("hello [] (0)");
  });

  it("takes image parts with data: URLs as the message's and the history's files", async () => {
    const image = {
      type: "image_url" as const,
      image_url: { url: `data:image/png;base64,${png.toString("base64")}` },
    };
    const completion = await openai().chat.completions.create({
      model: "any",
      messages: [
        { role: "user", content: [{ type: "text", text: "first" }, image] },
        { role: "assistant", content: "A blue rectangle." },
        { role: "user", content: [{ type: "text", text: "and this" }, image] },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe(`and this [image.png:image/png:${png.length}] (2)`);
    expect(received.at(-1)?.files[0]).toMatchObject({ size: png.length, mime_type: "image/png" });
  });

  it("refuses a web address and bytes that are no image, naming the part", async () => {
    const ask = (url: string) =>
      openai().chat.completions.create({
        model: "any",
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url } }] }],
      });
    await expect(ask("https://example.com/cat.png")).rejects.toMatchObject({
      status: 400,
      param: "messages[0].content[0].image_url.url",
      message: expect.stringContaining("must be a base64 data: URL"),
    });
    await expect(
      ask(`data:image/png;base64,${Buffer.from("hello").toString("base64")}`),
    ).rejects.toMatchObject({
      status: 400,
      param: "messages[0].content[0]",
      message: expect.stringContaining("is not an image"),
    });
  });

  it("refuses image parts in a chat that is not multimodal", async () => {
    const textServer = await serve(echoChat, { port: 0, logError: () => {} });
    try {
      const request = new OpenAI({
        baseURL: `${textServer.url}/v1`,
        apiKey: "-",
        maxRetries: 0,
      }).chat.completions.create({
        model: "any",
        messages: [
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: `data:image/png;base64,${png.toString("base64")}` } },
            ],
          },
        ],
      });
      await expect(request).rejects.toBeInstanceOf(BadRequestError);
      await expect(request).rejects.toMatchObject({
        param: "messages[0].content[0]",
        message: expect.stringContaining("this chat takes text only"),
      });
    } finally {
      await textServer.close({ timeoutMs: 100 });
    }
  });
});

describe("a multimodal ChatInterface through MCP", () => {
  it("is a chat tool whose message is { text, files }, answering text", async () => {
    const client = new McpClient({ name: "test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/gradio_api/mcp/`)));
    try {
      const { tools } = await client.listTools();
      const properties = (tools[0]?.inputSchema.properties ?? {}) as Record<string, { properties?: object }>;
      const message = properties.message;
      expect(Object.keys(message?.properties ?? {})).toEqual(["text", "files"]);
      const result = await client.callTool({ name: "chat", arguments: { message: { text: "hey" } } });
      expect(JSON.stringify(result.content)).toContain("hey [] (0)");
    } finally {
      await client.close();
    }
  });
});
