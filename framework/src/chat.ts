import type { BlocksOptions } from "./blocks.js";
import {
  Accordion,
  assemble,
  blocksOptionNames,
  Column,
  checkNames,
  Dataset,
  on,
  Row,
  streaming,
} from "./blocks.js";
import { Button } from "./components/button.js";
import type { ChatMessage, ChatMessageOutput } from "./components/chatbot.js";
import {
  Chatbot,
  MAX_MESSAGE_CHARS,
  ReplyFile,
  storeMessageFiles,
  withStoredFiles,
} from "./components/chatbot.js";
import { ChatHistory } from "./components/chathistory.js";
import type { AnyComponent } from "./components/component.js";
import type { FileOutput } from "./components/file.js";
import type { FileIO } from "./components/file-data.js";
import { isFileData } from "./components/file-data.js";
import { JSON as JsonOutput } from "./components/json.js";
import type { MultimodalValue } from "./components/multimodaltextbox.js";
import { MultimodalTextbox } from "./components/multimodaltextbox.js";
import { State } from "./components/state.js";
import { Textbox } from "./components/textbox.js";
import type { Context } from "./context.js";
import { DeclarationError, SpaceError } from "./errors.js";
import type { EditData, LikeData, RetryData, UndoData } from "./event-data.js";
import type { Event, FnResult, InputValues, Listener } from "./events.js";
import { update } from "./events.js";
import type { FlaggingOptions } from "./flagging.js";
import { checkFlagging, flaggingOptionNames } from "./flagging.js";
import type { InferenceHandle, OpenAIServer, RemoteModel } from "./models/inference.js";
import { isRemote, OpenAIChatHandle, streamChat } from "./models/inference.js";
import type { ModelHandle } from "./models/pipeline.js";
import { streamText } from "./models/tasks.js";
import type { Schema } from "./schema.js";
import { v } from "./schema.js";
import { Space } from "./space.js";

declare const __SPACECRAFT_SERVER__: boolean | undefined;
/** False only in a static Space's worker: the build already checked the declaration on Node. */
const CHECK = typeof __SPACECRAFT_SERVER__ === "undefined" || __SPACECRAFT_SERVER__;

/**
 * What a chat function returns or yields: the reply so far, or messages (thoughts, tool steps, the
 * answer; their files as FileData or bytes).
 */
export type ChatReply = string | ChatMessageOutput | readonly ChatMessageOutput[];

/** The message a chat function gets: text, or with `multimodal: true` text and files. */
export type ChatMessageValue<M extends boolean> = M extends true ? MultimodalValue : string;

/** A chat function: the message, the history, the additional inputs' values, then the context. */
export type ChatFn<A extends readonly AnyComponent[], M extends boolean = false> = (
  ...args: [message: ChatMessageValue<M>, history: ChatMessage[], ...InputValues<A>, Context]
) => FnResult<ChatReply>;

/** An example message: text, or with `multimodal: true` text and files (paths, as in Interface examples). */
export type ChatExample<M extends boolean> = M extends true
  ? string | { text: string; files?: readonly string[] }
  : string;

/** Options of {@link ChatInterface}. */
export interface ChatInterfaceOptions<
  A extends readonly AnyComponent[] = readonly [],
  M extends boolean = false,
> extends BlocksOptions,
    FlaggingOptions {
  /**
   * Answers a message: gets it, the conversation so far (the system prompt first, when set), the
   * additional inputs' values and the context; returns the reply, or yields it as it grows.
   * Leave it out to answer with `model`.
   */
  fn?: ChatFn<A, M>;
  /**
   * The message box takes files too (a {@link MultimodalTextbox}: attach, paste, drop): `fn` gets
   * `{ text, files }` and the visitor's message shows its files in the chat.
   */
  multimodal?: M;
  /**
   * A chat model from `pipeline("text-generation", id)`, to answer with when there is no `fn`: its
   * chat template formats the conversation, tokens stream as they come, and generation stops when
   * the caller does. A reasoning model's `<think>…</think>` shows as a collapsed thought. Or a big
   * model run remotely, from `inference("chat-completion", id)`: its reply streams the same way.
   */
  model?: ModelHandle<"text-generation"> | InferenceHandle<"chat-completion">;
  /** How the model generates (default 256 new tokens). */
  generation?: GenerationOptions;
  /** Inputs shown in an accordion under the chat, passed to `fn` after `history`. */
  additionalInputs?: A;
  /** Example messages; clicking one fills the message box. */
  examples?: readonly ChatExample<M>[];
  /** The chat display, to set its label, height or placeholder. */
  chatbot?: ReturnType<typeof Chatbot>;
  /** The message box, to set its placeholder or label (a MultimodalTextbox with `multimodal`). */
  textbox?: M extends true ? ReturnType<typeof MultimodalTextbox> : ReturnType<typeof Textbox>;
  /** A system message put first in the history `fn` gets. */
  systemPrompt?: string;
  /** The API name of the chat endpoint (default `"chat"`, as Gradio's ChatInterface). */
  apiName?: string;
  /**
   * Shows Like and Dislike on each reply and runs this when the visitor presses one: which reply
   * (`like.index`, `like.value`), whether they liked it (`like.liked`), and the conversation.
   * Without it the chat shows no like buttons.
   * @example onLike: (like, history) => console.log(like.liked ? "👍" : "👎", like.value)
   */
  onLike?: (like: LikeData, history: ChatMessage[], ctx: Context) => void | PromiseLike<void>;
  /**
   * Keep each visitor's conversations in their browser (localStorage, the newest 50), with a list
   * beside the chat to start a new one, switch back to one, or delete one. The server keeps nothing.
   */
  saveHistory?: boolean;
}

const chatOptionNames = [
  "fn",
  "additionalInputs",
  "examples",
  "chatbot",
  "textbox",
  "systemPrompt",
  "apiName",
  "model",
  "generation",
  "onLike",
  "saveHistory",
  "multimodal",
  ...blocksOptionNames,
  ...flaggingOptionNames,
];

/** Generation settings of a chat model (transformers.js's names). */
export interface GenerationOptions {
  max_new_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  do_sample?: boolean;
  repetition_penalty?: number;
}

/** Which endpoints a chat Space answers with: the page's (a message sent), and the API's. */
export interface ChatEndpoints {
  /** The page's event: message and chatbot history in, the grown history and an empty box out. */
  readonly endpoint: number;
  /** The API's event (`/chat`): message in, the reply out; the history kept per session. */
  readonly api: number;
}

/**
 * A chat demo: a conversation, a message box, and a function that answers (streaming when it yields).
 * @example
 * export default ChatInterface({
 *   fn: async function* (message) { yield "You said: "; yield `You said: ${message}`; },
 *   examples: ["Hello there"],
 * })
 */
export function ChatInterface<
  const A extends readonly AnyComponent[] = readonly [],
  const M extends boolean = false,
>(options: ChatInterfaceOptions<A, M>): Space {
  if (CHECK) checkOptions(options);
  const flagging = CHECK ? checkFlagging("ChatInterface", options) : undefined;
  const { systemPrompt, model } = options;
  const multimodal = options.multimodal === true;
  const fn = options.fn ?? (model ? modelChat(model, options.generation) : undefined);
  const additional = [...(options.additionalInputs ?? [])] as AnyComponent[];
  const chatbot = options.chatbot ?? Chatbot({ label: "Chat" });
  const boxProps = { label: "Message", placeholder: "Type a message…", showLabel: false };
  const message: AnyComponent =
    options.textbox ??
    (multimodal ? MultimodalTextbox({ ...boxProps, submitButton: false }) : Textbox(boxProps));
  /** The box emptied after a message is sent. */
  const emptied = multimodal ? { text: "", files: [] } : "";
  // An empty or oversized message is refused with the message box named, on every client (the
  // box itself may be emptied by a result).
  Object.assign(message, {
    inputSchema: multimodal
      ? v.pipe(
          message.schema as Schema<MultimodalValue>,
          v.check(
            (value: MultimodalValue) => value.text.length <= MAX_MESSAGE_CHARS,
            `\`text\` must be at most ${MAX_MESSAGE_CHARS} characters long`,
          ),
          v.check(
            (value: MultimodalValue) => value.text.trim().length > 0 || value.files.length > 0,
            "is empty: type a message or attach a file first",
          ),
        )
      : v.pipe(
          v.string("must be text"),
          v.maxLength(MAX_MESSAGE_CHARS, `must be at most ${MAX_MESSAGE_CHARS} characters long`),
          v.check((text: string) => text.trim().length > 0, "is empty: type a message first"),
        ),
  });
  const history = State<ChatMessage[]>([]);
  const response = JsonOutput({ label: "Response", visible: false });
  // A reply's files given as bytes are stored, as the chatbot's are on the page.
  Object.assign(response, {
    postprocess: (reply: unknown, io?: FileIO) =>
      Array.isArray(reply) ? storeMessageFiles(reply as ChatMessageOutput[], io) : reply,
  });
  // A history that brings its own system message (an OpenAI request's) replaces the system prompt.
  const withSystem = (messages: ChatMessage[]): ChatMessage[] =>
    systemPrompt && messages[0]?.role !== "system"
      ? [{ role: "system", content: systemPrompt }, ...messages]
      : messages;
  /**
   * The user's function's replies to `sent`, as lists of messages through `shape`; `first` goes
   * before them. `rest` is the additional inputs' values, then the context.
   */
  const replies = <T>(
    sent: string | MultimodalValue,
    past: ChatMessage[],
    rest: unknown[],
    shape: (answer: ChatMessage[]) => T,
    first?: { value: T },
  ): AsyncIterable<T> => {
    const files = new Map<FileOutput, ReplyFile>();
    return mapReplies(
      () => {
        const context = rest.pop() as Context;
        return (fn as (...args: unknown[]) => unknown)(sent, withSystem(past), ...rest, context);
      },
      (reply) => shape(toMessages(reply, files)),
      first,
    );
  };
  /**
   * The conversation as it grows: first `past` with the question (shown at once), then with each
   * step of the reply.
   */
  const conversation = (sent: string | MultimodalValue, past: ChatMessage[], rest: unknown[]) => {
    const asked: ChatMessage[] = [...past, userMessage(sent)];
    return replies(sent, past, rest, (answer) => [...asked, ...answer], { value: asked });
  };
  /** What the visitor sent as message `index`, as `fn` gets a message (with its files when multimodal). */
  const sentAt = (past: readonly ChatMessage[], index: number, text?: string): string | MultimodalValue => {
    const asked = past[index] as ChatMessage;
    const content = text ?? asked.content;
    return multimodal ? { text: content, files: asked.files ?? [] } : content;
  };
  let endpoints: ChatEndpoints = { endpoint: 0, api: 1 };
  const space = assemble("chat_interface", options, (events) => {
    const send = Button({ value: "Send", variant: "primary" });
    const shared = {
      apiVisibility: "private",
      ...(model ? { model } : {}),
      ...queueOptions(options),
    } as const;
    const apiName = options.apiName ?? "chat";
    // Undo, clear and like change the chat at once: no queue, no model, no status line.
    const instant = { apiVisibility: "private", queue: false, showProgress: "hidden" } as const;
    // The events that write a reply into the chat stop each other: one reply streams at a time.
    // (Blocks reads `cancels` once every event is wired.)
    const stopsForPage: Event[] = [];
    const stopsForRetry: Event[] = [];
    const stopsForEdit: Event[] = [];
    const page = on([(message as unknown as { submit: Listener }).submit, send.click], {
      // The question shows and the box empties at once; the reply's steps leave the box alone,
      // so what the visitor types meanwhile stays.
      fn: streaming((sent: string | MultimodalValue, past: ChatMessage[], ...rest: unknown[]) => {
        const asked: ChatMessage[] = [...past, userMessage(sent)];
        return replies<readonly [ChatMessage[], unknown]>(
          sent,
          past,
          rest,
          (answer) => [[...asked, ...answer], update()],
          {
            value: [asked, emptied],
          },
        );
      }) as never,
      inputs: [message, chatbot, ...additional],
      outputs: [chatbot, message],
      apiName: `${apiName}_page`,
      cancels: stopsForPage,
      ...shared,
    });
    // Retry: the last question again, its old reply replaced.
    const retry = chatbot.retry({
      fn: streaming((past: ChatMessage[], ...rest: unknown[]) => {
        const { index } = questionAt(past, (rest.at(-1) as Context<unknown, RetryData>).event, "retry");
        return conversation(sentAt(past, index), past.slice(0, index), rest);
      }) as never,
      inputs: [chatbot, ...additional],
      outputs: [chatbot],
      apiName: `${apiName}_retry`,
      cancels: stopsForRetry,
      ...shared,
    });
    // Edit: question `index` replaced, what followed it dropped, and answered again.
    const edit = chatbot.edit({
      fn: streaming((past: ChatMessage[], ...rest: unknown[]) => {
        const data = (rest.at(-1) as Context<unknown, EditData>).event;
        const { index } = questionAt(past, data, "edit");
        const text = editedText(data.value, multimodal && (past[index]?.files?.length ?? 0) > 0);
        return conversation(sentAt(past, index, text), past.slice(0, index), rest);
      }) as never,
      inputs: [chatbot, ...additional],
      outputs: [chatbot],
      apiName: `${apiName}_edit`,
      cancels: stopsForEdit,
      ...shared,
    });
    stopsForPage.push(retry, edit);
    stopsForRetry.push(page, edit);
    stopsForEdit.push(page, retry);
    const streams = [page, retry, edit];
    // Undo: the last exchange taken back, its question put back in the box.
    chatbot.undo({
      fn: (past: ChatMessage[], ctx: Context<unknown, UndoData>) => {
        const { index } = questionAt(past, ctx.event, "undo");
        return [past.slice(0, index), sentAt(past, index)] as const;
      },
      inputs: [chatbot],
      outputs: [chatbot, message],
      apiName: `${apiName}_undo`,
      ...instant,
    } as never);
    // Clear: the page empties the chat itself; this stops a reply still streaming into it.
    chatbot.clear({
      fn: () => [],
      outputs: [chatbot],
      apiName: `${apiName}_clear`,
      cancels: streams,
      ...instant,
    } as never);
    const { onLike } = options;
    if (onLike) {
      chatbot.like({
        fn: async (past: ChatMessage[], ctx: Context<unknown, LikeData>) => {
          await onLike(ctx.event, withSystem(past), ctx);
        },
        inputs: [chatbot],
        apiName: `${apiName}_like`,
        ...instant,
      } as never);
    }
    // Send reads "Stop" while any reply streams (its own, a retried or an edited one), and stops it.
    events.props.set(send, { stopsWhileRunning: true, stops: [retry["~event"], edit["~event"]] });
    // The API's event has no trigger on the page.
    const api = events.listen([], {
      fn: streaming((sent: string | MultimodalValue, kept: ChatMessage[], ...rest: unknown[]) => {
        // The history kept in the State holds the reply files of earlier runs as they were given.
        const past = withStoredFiles(kept);
        const asked: ChatMessage[] = [...past, userMessage(sent)];
        return replies(sent, past, rest, (answer) => {
          const only = answer.length === 1 ? answer[0] : undefined;
          const reply = only?.role === "assistant" && !only.files?.length ? only.content : answer;
          return [reply, [...asked, ...answer]];
        });
      }) as never,
      inputs: [message, history, ...additional],
      outputs: [response, history],
      apiName,
      ...(model ? { model } : {}),
      ...queueOptions(options),
    } as never);
    endpoints = { endpoint: page["~event"], api: api["~event"] };
    const parts = [
      chatbot,
      // The box takes the width; Send stays a button's size.
      Row(Column({ scale: 6, minWidth: 200 }, message), Column({ scale: 1, minWidth: 80 }, send)),
      ...(additional.length > 0 ? [Accordion("Additional inputs", additional)] : []),
      ...(options.examples && options.examples.length > 0
        ? [
            Dataset(
              [message],
              options.examples.map((example) => [
                multimodal && typeof example === "string" ? { text: example, files: [] } : example,
              ]),
            ),
          ]
        : []),
      response,
    ];
    if (!options.saveHistory) return Column(parts);
    // The list beside the chat, above it on a narrow screen.
    const saved = ChatHistory(chatbot, { storageKey: `spacecraft-chats:${options.title ?? "chat"}` });
    return Row(Column({ scale: 1, minWidth: 200 }, saved), Column({ scale: 4, minWidth: 320 }, parts));
  });
  const flagged = flagging
    ? { flagging: { ...flagging, endpoint: `${options.apiName ?? "chat"}_page` } }
    : {};
  return new Space({ ...space.parts, chat: endpoints, ...flagged });
}

/**
 * The user message an action is about (`index` in the conversation), or a clear error: a chat
 * changed since (another tab, a stale page) is not guessed at.
 */
function questionAt(
  past: readonly ChatMessage[],
  data: { index: number },
  action: string,
): { index: number; value: string } {
  const asked = past[data.index];
  if (asked?.role !== "user") {
    throw new SpaceError(
      `Cannot ${action} message ${data.index}: it is not one of your messages in this chat. Reload the page and try again.`,
    );
  }
  return { index: data.index, value: asked.content };
}

/** An edited message's text, checked as the message box checks a new one (empty only beside files). */
function editedText(value: unknown, hasFiles: boolean): string {
  if (typeof value !== "string" || (value.trim() === "" && !hasFiles)) {
    throw new SpaceError("The edited message is empty: type a message, or press Escape to keep the old one.");
  }
  if (value.length > MAX_MESSAGE_CHARS) {
    throw new SpaceError(`The edited message is over ${MAX_MESSAGE_CHARS} characters long; shorten it.`);
  }
  return value;
}

function queueOptions(options: BlocksOptions): BlocksOptions {
  return {
    ...(options.concurrencyLimit === undefined ? {} : { concurrencyLimit: options.concurrencyLimit }),
    ...(options.maxQueueSize === undefined ? {} : { maxQueueSize: options.maxQueueSize }),
  };
}

/**
 * A reply as messages: a string is the assistant's answer. Files given as bytes become one
 * {@link ReplyFile} each for the run (`files`), stored once on the way out however often the
 * reply is yielded.
 */
function toMessages(reply: ChatReply, files: Map<FileOutput, ReplyFile>): ChatMessage[] {
  if (typeof reply === "string") return [{ role: "assistant", content: reply }];
  const messages = (Array.isArray(reply) ? reply : [reply]) as ChatMessageOutput[];
  return messages.map((message) => {
    if (!message?.files?.some((file) => !isFileData(file))) return message as ChatMessage;
    const replyFile = (file: FileOutput) => {
      if (isFileData(file) || !(file?.bytes instanceof Uint8Array)) return file;
      let known = files.get(file);
      if (!known) {
        known = new ReplyFile(file.bytes, file.name, file.mimeType);
        files.set(file, known);
      }
      return known;
    };
    return { ...message, files: message.files.map(replyFile) } as ChatMessage;
  });
}

/** The visitor's message as the chat shows it: the text, and the files when there are some. */
function userMessage(sent: string | MultimodalValue): ChatMessage {
  if (typeof sent === "string") return { role: "user", content: sent };
  return sent.files.length > 0
    ? { role: "user", content: sent.text, files: sent.files }
    : { role: "user", content: sent.text };
}

/**
 * A chat function's result as a stream of `shape(reply)`: each item of its stream, or its one
 * value; `first` goes before them, and `start` (which calls the function) runs after it. One
 * promise per item and no generator per layer, so a reply yielding a token a turn costs little;
 * stopping this stream stops the function's.
 */
function mapReplies<T>(
  start: () => unknown,
  shape: (reply: ChatReply) => T,
  first?: { value: T },
): AsyncIterable<T> {
  let before = first;
  let source: AsyncIterator<ChatReply> | undefined;
  let done = false;
  const end: IteratorReturnResult<undefined> = { value: undefined, done: true };
  const item = (reply: ChatReply): IteratorResult<T, undefined> => ({ value: shape(reply), done: false });
  const step = (next: IteratorResult<ChatReply>): IteratorResult<T, undefined> => {
    if (!next.done) return item(next.value);
    done = true;
    return end;
  };
  const iterator: AsyncIterator<T, undefined> = {
    next() {
      if (before) {
        const { value } = before;
        before = undefined;
        return Promise.resolve({ value, done: false });
      }
      if (done) return Promise.resolve(end);
      if (source) return source.next().then(step);
      let result: unknown;
      try {
        result = start();
      } catch (error) {
        done = true;
        return Promise.reject(error);
      }
      if (!isStream(result)) {
        done = true;
        return Promise.resolve(result).then((reply) => item(reply as ChatReply));
      }
      source =
        Symbol.asyncIterator in (result as object)
          ? (result as AsyncIterable<ChatReply>)[Symbol.asyncIterator]()
          : fromSync(result as Iterable<ChatReply>);
      return source.next().then(step);
    },
    async return() {
      done = true;
      await source?.return?.();
      return end;
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

async function* fromSync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

function isStream(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  return Symbol.asyncIterator in value || Object.prototype.toString.call(value) === "[object Generator]";
}

function checkOptions(options: object): void {
  checkNames("ChatInterface", options, chatOptionNames);
  const { fn, model, multimodal } = options as {
    fn?: unknown;
    model?: { task?: unknown; load?: unknown };
    multimodal?: unknown;
  };
  if (fn === undefined && model === undefined) {
    throw new DeclarationError(
      "ChatInterface: give an `fn(message, history, ctx)` that returns or yields the reply, or a chat " +
        'model: model: pipeline("text-generation", "HuggingFaceTB/SmolLM2-135M-Instruct").',
    );
  }
  if (multimodal !== undefined && typeof multimodal !== "boolean") {
    throw new DeclarationError("ChatInterface: `multimodal` must be true or false.");
  }
  if (multimodal === true && fn === undefined) {
    throw new DeclarationError(
      "ChatInterface: `multimodal: true` needs an `fn` that reads the files: a text-generation model " +
        "reads text only. Give an `fn(message, history, ctx)` (message is { text, files }), or leave " +
        "`multimodal` out.",
    );
  }
  if (fn !== undefined && typeof fn !== "function") {
    throw new DeclarationError("ChatInterface: `fn` must be a function of (message, history, ctx).");
  }
  const remote = isRemote(model);
  if (
    model !== undefined &&
    (typeof model.load !== "function" || model.task !== (remote ? "chat-completion" : "text-generation"))
  ) {
    throw new DeclarationError(
      'ChatInterface: `model` must be a chat model from pipeline("text-generation", id) or inference("chat-completion", id).',
    );
  }
}

/** Answers with a chat model: the conversation through its chat template, tokens as they come. */
function modelChat(
  model: ModelHandle<"text-generation"> | InferenceHandle<"chat-completion">,
  generation: GenerationOptions = {},
): ChatFn<[]> {
  // (A static Space's worker has no remote models: the build refuses them.)
  if (CHECK && isRemote(model)) return remoteChat(generation);
  (model as ModelHandle<"text-generation">).require((pipe) =>
    (pipe as { tokenizer?: { chat_template?: unknown } }).tokenizer?.chat_template
      ? undefined
      : `${model.model} has no chat template, so it cannot chat. Choose a chat (Instruct) model, or ` +
        "give ChatInterface an `fn` that formats the prompt itself.",
  );
  return async function* (message, history, ctx) {
    const conversation = [...history, { role: "user" as const, content: message }];
    const text = streamText(ctx as never, conversation, { max_new_tokens: 256, ...generation });
    for await (const reply of text) yield withThoughts(reply.trimStart());
  };
}

/**
 * Answers with a remote chat model (`ctx.model`, from `inference("chat-completion", id)` or an
 * OpenAI-compatible server): the conversation as OpenAI messages, the reply as its deltas come.
 */
function remoteChat(generation: GenerationOptions): ChatFn<[]> {
  const settings = {
    max_tokens: generation.max_new_tokens ?? 256,
    ...(generation.temperature === undefined ? {} : { temperature: generation.temperature }),
    ...(generation.top_p === undefined ? {} : { top_p: generation.top_p }),
  };
  return async function* (message, history, ctx) {
    const model = ctx.model as RemoteModel;
    const messages = [...history, { role: "user" as const, content: message }].map(({ role, content }) => ({
      role,
      content,
    }));
    for await (const reply of streamChat(model, messages, settings, ctx.signal)) {
      yield withThoughts(reply.trimStart());
    }
  };
}

/** Options of {@link ChatInterface.fromOpenAI}: where the server is, and the chat's own options. */
export type FromOpenAIOptions = OpenAIServer & Omit<ChatInterfaceOptions, "fn" | "model" | "multimodal">;

/**
 * A chat UI for any OpenAI-compatible server (OpenAI, vLLM, TGI, llama.cpp, Ollama, another
 * Spacecraft chat Space): each message goes to `<baseURL>/chat/completions` with the conversation,
 * and the reply streams in. `apiKey` stays on the server; failures are explained in the page.
 * @example export default ChatInterface.fromOpenAI({ baseURL: "http://127.0.0.1:8080/v1", model: "llama" })
 */
function fromOpenAI(options: FromOpenAIOptions): Space {
  const { baseURL, model, apiKey, ...chat } = options;
  const where = "ChatInterface.fromOpenAI";
  if (typeof baseURL !== "string" || !/^https?:\/\//.test(baseURL)) {
    throw new DeclarationError(
      `${where}: \`baseURL\` must be an http(s) URL such as "https://api.openai.com/v1".`,
    );
  }
  if (typeof model !== "string" || model.trim() === "") {
    throw new DeclarationError(`${where}: give the \`model\` name the server expects, e.g. "gpt-4o-mini".`);
  }
  if (apiKey !== undefined && typeof apiKey !== "string") {
    throw new DeclarationError(`${where}: \`apiKey\` must be a string (read it from the environment).`);
  }
  return ChatInterface<readonly []>({
    title: model,
    ...chat,
    model: new OpenAIChatHandle({ baseURL, model, ...(apiKey ? { apiKey } : {}) }),
  });
}

// (A static Space's worker leaves it out: the build refuses remote models.)
if (CHECK) ChatInterface.fromOpenAI = fromOpenAI;

/** A reply with a reasoning model's `<think>…</think>` shown as a collapsed thought above the answer. */
export function withThoughts(text: string): ChatReply {
  const start = text.indexOf("<think>");
  if (start === -1) return text;
  const end = text.indexOf("</think>", start);
  const thought = text.slice(start + "<think>".length, end === -1 ? undefined : end).trim();
  const answer = end === -1 ? "" : text.slice(end + "</think>".length).trim();
  const thinking: ChatMessage = {
    role: "assistant",
    content: thought,
    metadata: { title: "Thinking", status: end === -1 ? "pending" : "done" },
  };
  return answer ? [thinking, { role: "assistant", content: answer }] : [thinking];
}
