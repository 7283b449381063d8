import { randomUUID } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import express from "express";
import { MAX_MESSAGE_CHARS, MAX_MESSAGES } from "../components/chatbot.js";
import type { FileData } from "../components/file-data.js";
import { sniffMimeType } from "../components/file-data.js";
import type { Caller } from "../context.js";
import type { Runner } from "../engine/engine.js";
import { ownerOf } from "../engine/engine.js";
import { nestedTooDeep, TOO_DEEP } from "../limits.js";
import type { ServerMessage } from "../protocol.js";
import type { Space } from "../space.js";
import type { NodeFileStore } from "./files.js";
import { oneShot } from "./gradio.js";
import { OpenAiError } from "./openai-error.js";
import { UNBUFFERED } from "./public-url.js";

export { OpenAiError, openAiErrorShape } from "./openai-error.js";

/** Options of {@link openAiApi}. */
export interface OpenAiApiOptions {
  /** Where a multimodal chat's images go (without it, image parts are refused). */
  files?: NodeFileStore;
  /** Largest JSON body, in bytes. */
  maxBodyBytes: number;
  /** Who sent a request (sign-in), passed to `fn` as `ctx.user`. */
  identify?: (request: Request) => Caller | undefined;
  /** Between SSE keep-alive comments while a stream waits, in ms (default 15 s). */
  keepAliveMs?: number;
}

/** An image a request sent as a `data:` URL: its bytes, and the part that sent it (for errors). */
export interface ImagePart {
  bytes: Uint8Array;
  param: string;
}

/** One message of a Chat Completions request, as far as a chat Space reads it. */
interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
  /** Its `image_url` parts (a multimodal chat takes them as the message's files). */
  images?: ImagePart[];
}

/** What a request asks of the chat: the new message (and its images), and the history before it. */
export interface ChatRequest {
  message: string;
  images: ImagePart[];
  history: ChatTurn[];
}

/**
 * Reads the `messages` of a Chat Completions request into the chat's `message` and `history`:
 * the last message must be the user's; earlier user and assistant turns become the history, and
 * system (or developer) messages go first in it, joined into one. Text content parts are joined;
 * `image_url` parts with `data:` URLs are decoded (a user's or assistant's only).
 * @throws OpenAiError (400) naming the field that is wrong.
 */
export function chatRequestOf(messages: unknown): ChatRequest {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new OpenAiError(400, "`messages` must be a non-empty list of { role, content }.", "messages");
  }
  if (messages.length > MAX_MESSAGES) {
    throw new OpenAiError(400, `\`messages\` may hold at most ${MAX_MESSAGES} messages.`, "messages");
  }
  const system: string[] = [];
  const turns: ChatTurn[] = [];
  messages.forEach((raw: unknown, index) => {
    const param = `messages[${index}]`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      throw new OpenAiError(400, `\`${param}\` must be a message: { role, content }.`, param);
    }
    const { role, content } = raw as { role?: unknown; content?: unknown };
    const { text, images } = contentOf(content, `${param}.content`);
    if ((role === "system" || role === "developer") && images.length > 0) {
      throw new OpenAiError(
        400,
        `\`${images[0]?.param}\`: a system message takes text only.`,
        images[0]?.param,
      );
    }
    if (role === "system" || role === "developer") system.push(text);
    else if (role === "user" || role === "assistant")
      turns.push(images.length > 0 ? { role, content: text, images } : { role, content: text });
    else if (role === "tool" || role === "function") {
      throw new OpenAiError(
        400,
        `\`${param}.role\`: a chat Space has no tools; "${role}" messages are not supported.`,
        `${param}.role`,
      );
    } else {
      throw new OpenAiError(
        400,
        `\`${param}.role\` must be "system", "developer", "user" or "assistant".`,
        `${param}.role`,
      );
    }
  });
  const last = messages.length - 1;
  const final = turns.at(-1);
  if ((messages[last] as { role?: unknown }).role !== "user" || !final) {
    throw new OpenAiError(
      400,
      "The last message must be the user's: it is the one the chat answers.",
      `messages[${last}].role`,
    );
  }
  if (final.content.trim() === "" && !final.images) {
    throw new OpenAiError(
      400,
      "The last user message is empty: send some text.",
      `messages[${last}].content`,
    );
  }
  const history: ChatTurn[] = turns.slice(0, -1);
  if (system.length > 0) history.unshift({ role: "system", content: system.join("\n\n") });
  return { message: final.content, images: final.images ?? [], history };
}

/**
 * A message's text (a string, or text parts joined) and its images (`image_url` parts with a
 * base64 `data:` URL); anything else is refused.
 */
function contentOf(content: unknown, param: string): { text: string; images: ImagePart[] } {
  let text: string;
  const images: ImagePart[] = [];
  if (typeof content === "string") text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((part: unknown, index) => {
        const at = `${param}[${index}]`;
        const {
          type,
          text: partText,
          image_url: image,
        } = (part ?? {}) as {
          type?: unknown;
          text?: unknown;
          image_url?: { url?: unknown };
        };
        if (type === "image_url") {
          images.push({ bytes: imageBytes(image?.url, at), param: at });
          return "";
        }
        if (type === "input_audio" || type === "file") {
          throw new OpenAiError(
            400,
            `\`${at}\`: this endpoint takes text and images; send other files to the chat's /chat ` +
              "endpoint (/gradio_api, e.g. @gradio/client) as message.files.",
            at,
          );
        }
        if (type !== "text" || typeof partText !== "string") {
          throw new OpenAiError(
            400,
            `\`${at}\`: only text parts ({ type: "text", text }) and image parts ({ type: "image_url", ` +
              "image_url: { url } }) are supported.",
            at,
          );
        }
        return partText;
      })
      .join("");
  } else {
    throw new OpenAiError(400, `\`${param}\` must be text (a string, or a list of text parts).`, param);
  }
  if (text.length > MAX_MESSAGE_CHARS) {
    throw new OpenAiError(400, `\`${param}\` is longer than ${MAX_MESSAGE_CHARS} characters.`, param);
  }
  return { text, images };
}

/** The bytes of an image part's `data:` URL (base64); a web address is refused (the server fetches nothing). */
function imageBytes(url: unknown, param: string): Uint8Array {
  const data =
    typeof url === "string" ? /^data:[\w.+/-]*(?:;[\w=.+-]+)*;base64,([A-Za-z0-9+/=\s]*)$/.exec(url) : null;
  if (!data) {
    throw new OpenAiError(
      400,
      `\`${param}.image_url.url\` must be a base64 data: URL (data:image/png;base64,…); this server fetches no web addresses.`,
      `${param}.image_url.url`,
    );
  }
  return Buffer.from(data[1] ?? "", "base64");
}

/**
 * The reply text in a history the chat endpoint returned: the assistant messages after the last
 * user message, except thoughts and tool steps (messages with a `metadata.title`), joined.
 */
export function replyOf(history: unknown): string {
  if (!Array.isArray(history)) return "";
  let start = history.length;
  while (start > 0 && (history[start - 1] as { role?: unknown } | null)?.role !== "user") start--;
  return history
    .slice(start)
    .filter((item: unknown): item is { content: string } => {
      const { role, content, metadata } = (item ?? {}) as {
        role?: unknown;
        content?: unknown;
        metadata?: { title?: unknown };
      };
      return role === "assistant" && typeof content === "string" && !metadata?.title;
    })
    .map((item) => item.content)
    .join("\n\n");
}

/**
 * What to send after `previous` to show `next`: the new text. A reply that changed its earlier
 * text cannot be taken back in a stream; the text after what both share is sent.
 */
export function deltaOf(previous: string, next: string): string {
  if (next.startsWith(previous)) return next.slice(previous.length);
  let shared = 0;
  while (shared < previous.length && shared < next.length && previous[shared] === next[shared]) shared++;
  return next.slice(shared);
}

/** A rough token count (four characters a token), for `usage`: the chat sees no tokenizer. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A model id from a title: lower case, words joined with hyphens. */
export function slugOf(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "spacecraft-chat";
}

/**
 * An OpenAI-compatible API for a chat Space (`ChatInterface`): `GET /v1/models` and
 * `POST /v1/chat/completions`, with and without `stream`, on the page's chat endpoint. Each
 * request is an engine session of its own, ended after its job; a client that hangs up cancels it.
 * Other Spaces answer 404 saying they are not chat Spaces.
 * @example
 * app.use("/v1", openAiErrorShape()) // before the sign-in gate
 * app.use("/v1", openAiApi(space, engine, { maxBodyBytes }).router) // after it
 */
export function openAiApi(
  space: Space,
  engine: Runner,
  options: OpenAiApiOptions,
): { router: express.Router } {
  const router = express.Router();
  const identify = options.identify ?? (() => undefined);
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const chat = space.parts.chat;
  const endpoint = chat ? space.endpoint(chat.endpoint) : undefined;
  const modelId = endpoint?.model?.model ?? slugOf(space.title);
  const created = Math.floor(Date.now() / 1000);
  const model = { id: modelId, object: "model", created, owned_by: "spacecraft" };
  /** The additional inputs' values: their components' defaults, as the page starts with them. */
  const defaults = new Map(
    space.toConfig().components.map((component) => [component.id, component.props.value]),
  );

  router.use((_request, _response, next) => {
    if (!endpoint) {
      next(
        new OpenAiError(
          404,
          "This Space is not a chat Space: only a ChatInterface serves the OpenAI-compatible API (/v1). " +
            "Call its endpoints through /gradio_api instead.",
          null,
          "not_a_chat_space",
        ),
      );
    } else next();
  });

  /** Stores an image a request sent, for a multimodal chat; anything else refuses it. */
  async function storeImage(image: ImagePart, multimodal: boolean): Promise<FileData> {
    if (!multimodal || !options.files) {
      throw new OpenAiError(
        400,
        `\`${image.param}\`: this chat takes text only (it is not multimodal); send text parts.`,
        image.param,
      );
    }
    const mimeType = sniffMimeType(image.bytes);
    if (!mimeType?.startsWith("image/")) {
      throw new OpenAiError(
        400,
        `\`${image.param}\` is not an image: send PNG, JPEG, GIF, WebP or BMP bytes.`,
        image.param,
      );
    }
    return options.files.write(image.bytes, { name: `image.${mimeType.slice("image/".length)}`, mimeType });
  }

  router.get("/models", (_request, response) => {
    response.json({ object: "list", data: [model] });
  });

  router.get("/models/:id", (request, response) => {
    if (request.params.id !== modelId) {
      throw new OpenAiError(
        404,
        `The model "${request.params.id}" does not exist; this Space serves "${modelId}".`,
        "model",
        "model_not_found",
      );
    }
    response.json(model);
  });

  router.post("/chat/completions", jsonBody(options.maxBodyBytes), async (request, response) => {
    if (!endpoint) return;
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      throw new OpenAiError(400, "Send a JSON object: { model, messages, stream? }.");
    }
    if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
      throw new OpenAiError(400, "`stream` must be true or false.", "stream");
    }
    if (body.n !== undefined && body.n !== null && body.n !== 1) {
      throw new OpenAiError(400, "`n` must be 1: a chat Space gives one reply.", "n");
    }
    const { message, images, history } = chatRequestOf(body.messages);
    const stream = body.stream === true;
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    // A multimodal chat takes `{ text, files }`: the images become files, which the job claims.
    const multimodal = endpoint.inputs[0]?.type === "multimodaltextbox";
    const filesOf = (sent: ImagePart[]) => Promise.all(sent.map((image) => storeImage(image, multimodal)));
    const turns = await Promise.all(
      history.map(async ({ images: sent, ...turn }) =>
        sent ? { ...turn, files: await filesOf(sent) } : turn,
      ),
    );
    const files = await filesOf(images);
    const data = endpoint.inputIds.map((id, index) => {
      if (index === 0) return multimodal ? { text: message, files } : message;
      if (index === 1) return turns;
      return structuredClone(defaults.get(id) ?? null);
    });
    const id = `chatcmpl-${randomUUID().replace(/-/g, "")}`;
    const session = `openai:${id}`;
    const caller = identify(request);
    const promptTokens = estimateTokens(history.map((turn) => turn.content).join("") + message);
    const usage = (reply: string) => ({
      prompt_tokens: promptTokens,
      completion_tokens: estimateTokens(reply),
      total_tokens: promptTokens + estimateTokens(reply),
    });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created: Math.floor(Date.now() / 1000),
        model: modelId,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      })}\n\n`;
    let reply = "";
    let settled = false;
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    let started = false;
    /** Opens the SSE stream on the first message of an accepted job (a refusal is a plain error). */
    const startStream = () => {
      if (started) return;
      started = true;
      response.on("error", () => {});
      response.writeHead(200, {
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-cache",
        Connection: "keep-alive",
        ...UNBUFFERED,
      });
      response.write(chunk({ role: "assistant", content: "" }));
      keepAlive = setInterval(() => write(response, ": keep-alive\n\n"), keepAliveMs);
    };
    const onMessage = (event: ServerMessage) => {
      if (settled) return;
      if (stream) startStream();
      if (event.type === "partial" || event.type === "complete") {
        const next = replyOf(event.data[0]);
        const delta = deltaOf(reply, next);
        reply = next;
        if (stream && delta !== "") write(response, chunk({ content: delta }));
      }
      if (event.type === "complete") {
        settled = true;
        clearInterval(keepAlive);
        if (!stream) {
          response.json({
            id,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model: modelId,
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: reply, refusal: null },
                finish_reason: "stop",
                logprobs: null,
              },
            ],
            usage: usage(reply),
          });
          return;
        }
        write(response, chunk({}, "stop"));
        if (includeUsage) {
          const last = {
            id,
            object: "chat.completion.chunk",
            created: Math.floor(Date.now() / 1000),
            model: modelId,
            choices: [],
            usage: usage(reply),
          };
          write(response, `data: ${JSON.stringify(last)}\n\n`);
        }
        write(response, "data: [DONE]\n\n");
        response.end();
      } else if (event.type === "error" || event.type === "cancelled") {
        settled = true;
        clearInterval(keepAlive);
        const failure =
          event.type === "error"
            ? new OpenAiError(500, event.message, null, "chat_failed")
            : new OpenAiError(
                503,
                "The reply was cancelled (the server may be shutting down).",
                null,
                "cancelled",
              );
        if (stream) {
          write(response, `data: ${JSON.stringify(failure.body)}\n\n`);
          response.end();
        } else if (!response.headersSent) {
          // The Space's function failed: running it again (the client's retry) would not help.
          response.setHeader("x-should-retry", "false");
          response.status(failure.status).json(failure.body);
        }
      }
    };
    const refusal = engine.submit(
      session,
      { id, endpoint: endpoint.index, data },
      oneShot(engine, session, (event) => {
        onMessage(event);
        // The request's images go with it (a signed-in user's stay theirs until they expire).
        const done = event.type === "complete" || event.type === "error" || event.type === "cancelled";
        if (done && !caller?.user) options.files?.drop(ownerOf(session, caller));
      }),
      caller,
    );
    if (refusal) {
      settled = true;
      clearInterval(keepAlive);
      engine.endSession(session);
      const busy = /queue is full|waiting or running/i.test(refusal.message);
      const closing = /shutting down/i.test(refusal.message);
      const field =
        refusal.field === endpoint.inputIds[0] || refusal.field === endpoint.inputIds[1] ? "messages" : null;
      throw new OpenAiError(busy ? 429 : closing ? 503 : 400, refusal.message, field);
    }
    if (stream) startStream();
    // The client hung up (or aborted its stream): stop the job and free its slot.
    response.on("close", () => {
      clearInterval(keepAlive);
      if (!settled) {
        settled = true;
        engine.cancel(session, id);
      }
    });
  });

  router.use(((error, _request, response, next) => {
    if (!(error instanceof OpenAiError)) return next(error);
    response.status(error.status).json(error.body);
  }) as express.ErrorRequestHandler);

  return { router };
}

/** Most bytes queued for a client that does not read its stream; past it the stream is cut. */
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;

/** Writes to a stream that may have closed meanwhile; a reader that stops reading is cut off. */
function write(response: Response, text: string): void {
  if (response.writableEnded || response.destroyed) return;
  if (response.writableLength > MAX_UNSENT_BYTES) {
    response.destroy();
    return;
  }
  response.write(text);
}

/** `express.json` that also refuses values nested too deep; parse errors go to the server's handler. */
function jsonBody(limit: number): RequestHandler {
  const parse = express.json({ limit });
  return (request, response, next) => {
    parse(request, response, (error?: unknown) => {
      if (error) return next(error);
      if (nestedTooDeep(request.body)) return next(new OpenAiError(400, `Invalid body: ${TOO_DEEP}.`));
      next();
    });
  };
}
