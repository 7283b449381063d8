import { randomUUID } from "node:crypto";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Request, Response } from "express";
import { apiTools, dataFromArguments, withoutStateSlots } from "../api-info.js";
import { isFileData } from "../components/file-data.js";
import type { Caller } from "../context.js";
import type { Runner } from "../engine/engine.js";
import type { Space } from "../space.js";
import { VERSION } from "../space.js";
import { oneShot } from "./gradio.js";
import { publicRoot, UNBUFFERED } from "./public-url.js";

/**
 * Each public event as an MCP tool, over Streamable HTTP (stateless: a server per request).
 * Tool names are the endpoints' `api_name`s; arguments are the non-State inputs by keyword, with
 * the components' JSON Schemas (from `api-info.ts`, as `/info` gives them); each call starts from
 * fresh State, and results leave State out; file outputs come back as URLs.
 */
export function mcpHandler(
  space: Space,
  engine: Runner,
  identify: (request: Request) => Caller | undefined = () => undefined,
) {
  const tools = apiTools(space.title, space.endpoints);

  return async (request: Request, response: Response) => {
    // Stateless: there is no session to stream to (GET) or end (DELETE); a GET stream would stay
    // open forever with nothing to say.
    if (request.method !== "POST") {
      const message = `Method not allowed: send MCP requests with POST (not ${request.method}).`;
      response
        .status(405)
        .setHeader("Allow", "POST")
        .json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
      return;
    }
    const base = publicRoot(request);
    // A streamed answer (SSE) must pass a buffering proxy event by event.
    response.setHeader("X-Accel-Buffering", UNBUFFERED["X-Accel-Buffering"]);
    const server = new Server({ name: space.title, version: VERSION }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
    server.setRequestHandler(CallToolRequestSchema, async (call) => {
      const endpoint = tools.some((tool) => tool.name === call.params.name)
        ? space.endpoint(call.params.name)
        : undefined;
      if (!endpoint) {
        return { isError: true, content: [{ type: "text", text: `No tool named "${call.params.name}".` }] };
      }
      const data = dataFromArguments(endpoint, call.params.arguments ?? {});
      try {
        const outputs = await run(engine, endpoint.index, data, identify(request), response);
        const shown = withoutStateSlots(endpoint, outputs).map((value) =>
          isFileData(value) && value.url?.startsWith("/") ? `${base}${value.url}` : value,
        );
        return { content: [{ type: "text", text: JSON.stringify(shown.length === 1 ? shown[0] : shown) }] };
      } catch (error) {
        return {
          isError: true,
          content: [{ type: "text", text: error instanceof Error ? error.message : String(error) }],
        };
      }
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  };
}

/**
 * Runs an endpoint once and resolves with its outputs (rejects with the Space's message); the
 * job is cancelled when the HTTP response closes first (the client hung up).
 */
function run(
  engine: Runner,
  endpoint: number,
  data: unknown[],
  caller: Caller | undefined,
  response: Response,
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const id = randomUUID();
    const session = `mcp:${id}`;
    const refusal = engine.submit(
      session,
      { id, endpoint, data },
      oneShot(engine, session, (message) => {
        if (message.type === "complete") resolve(message.data);
        else if (message.type === "error") reject(new Error(message.message));
        else if (message.type === "cancelled") reject(new Error("Cancelled"));
      }),
      caller,
    );
    if (refusal) reject(new Error(refusal.message));
    else response.once("close", () => engine.cancel(session, id));
  });
}
