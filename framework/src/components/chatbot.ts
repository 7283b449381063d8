import type { EditData, LikeData, RetryData } from "../event-data.js";
import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";
import type { FileOutput } from "./file.js";
import { storeFile } from "./file.js";
import type { FileData, FileIO } from "./file-data.js";
import { fileDataSchema, isFileData } from "./file-data.js";

/** Longest message a chat takes, in characters. */
export const MAX_MESSAGE_CHARS = 100_000;
/** Most messages in one conversation. */
export const MAX_MESSAGES = 1000;
/** Most files in one message. */
export const MAX_MESSAGE_FILES = 20;

/** How a message shows a thought or a tool step (Gradio's `metadata`). */
export interface MessageMetadata {
  /** Shown collapsed above the answer, as a thought or a tool step. */
  title?: string;
  /** `pending` shows a spinner and keeps it open; `done` collapses it. */
  status?: "pending" | "done";
  /** Seconds it took. */
  duration?: number;
  id?: string;
  parent_id?: string;
  /** Subdued text under the title. */
  log?: string;
}

/**
 * One message of a conversation, in the messages shape Gradio 6 uses. Content is Markdown; the
 * files (images, audio, anything) show under it. Gradio's content list maps onto it: its `text`
 * items are `content`, its `file` items (`{ type: "file", file }`) are `files`.
 */
export interface ChatMessage {
  role: "user" | "assistant" | "system";
  content: string;
  metadata?: MessageMetadata;
  /** Files shown with the message: images inline, audio and video with controls, others as links. */
  files?: FileData[];
}

/** A message `fn` may return: as {@link ChatMessage}, its files also as bytes (`{ bytes, name, mimeType? }`), stored on the way out. */
export type ChatMessageOutput = Omit<ChatMessage, "files"> & { files?: readonly FileOutput[] };

/** Props of {@link Chatbot}. */
export interface ChatbotProps extends SharedProps {
  /** The conversation shown at first. */
  value?: ChatMessage[];
  /** Height of the message list, in pixels. */
  height?: number;
  /** Markdown shown while there are no messages. */
  placeholder?: string;
  /** A copy button on each reply. */
  showCopyButton?: boolean;
}

/**
 * A conversation: a list of messages in, the same out (files in them may be bytes, stored on the
 * way out). Its events: `change`, and the visitor's `retry` and `undo` (under the last reply;
 * `ctx.event` is the last user message's {@link RetryData}), `like` (Like or Dislike on a reply,
 * {@link LikeData}), `edit` (a user message edited, {@link EditData}) and `clear` (the chat
 * emptied). The page shows each control only when the Space listens to its event.
 */
export type Chatbot = Component<
  "chatbot",
  ChatbotProps,
  ChatMessage[],
  readonly ChatMessageOutput[],
  ChatMessage[]
> &
  Listeners<"change" | "retry" | "undo" | "like" | "edit" | "clear">;

const metadataSchema = v.object({
  title: v.optional(v.string("`title` must be text")),
  status: v.optional(v.picklist(["pending", "done"], '`status` must be "pending" or "done"')),
  duration: v.optional(v.number("`duration` must be a number of seconds")),
  id: v.optional(v.string()),
  parent_id: v.optional(v.string()),
  log: v.optional(v.string()),
});

/** A message as clients send it: a role, Markdown content of bounded size, optional metadata. */
export const chatMessageSchema = v.object(
  {
    role: v.picklist(["user", "assistant", "system"], '`role` must be "user", "assistant" or "system"'),
    content: v.pipe(
      v.string("`content` must be text"),
      v.maxLength(MAX_MESSAGE_CHARS, `\`content\` must be at most ${MAX_MESSAGE_CHARS} characters`),
    ),
    metadata: v.optional(metadataSchema),
    files: v.optional(
      v.pipe(
        v.array(fileDataSchema, "`files` must be a list of files (FileData)"),
        v.maxLength(MAX_MESSAGE_FILES, `\`files\` must have at most ${MAX_MESSAGE_FILES} files`),
      ),
    ),
  },
  "must be a message: { role, content, files? }",
);

const historySchema = v.pipe(
  v.array(chatMessageSchema, "must be a list of messages: [{ role, content }]"),
  v.maxLength(MAX_MESSAGES, `must have at most ${MAX_MESSAGES} messages`),
);

/**
 * A chat display: the messages of a conversation, Markdown rendered, replies streamed.
 * @example Chatbot({ label: "Assistant", height: 500, placeholder: "Ask me anything" })
 */
export function Chatbot(props: ChatbotProps = {}): Chatbot {
  return defineComponent("chatbot", props, {
    events: ["change", "retry", "undo", "like", "edit", "clear"],
    api: {
      pythonType: "list[dict]",
      description:
        'the conversation: [{"role": "user" | "assistant", "content": str, "files"?: list[filepath]}]',
    },
    defaults: {
      value: [] as ChatMessage[],
      height: 400,
      placeholder: "",
      showCopyButton: true,
    } satisfies ChatbotProps,
    schema: () => historySchema,
    postprocess: (messages, _p, io) => storeMessageFiles(messages, io),
  });
}

/**
 * A file a chat reply gave as bytes, one per file and run of a ChatInterface: a reply yielded at
 * every token is stored once (so its URL, and the picture in the page, stay the same), and a run
 * never shares it with another caller's.
 */
export class ReplyFile {
  constructor(
    readonly bytes: Uint8Array,
    readonly name: string,
    readonly mimeType?: string,
  ) {}
}

const storedReplyFiles = new WeakMap<ReplyFile, Promise<FileData>>();
const settledReplyFiles = new WeakMap<ReplyFile, FileData>();

/**
 * Messages with the files `fn` gave as bytes stored (through `io`) and given as FileData;
 * synchronous, and the same messages, when every file already is FileData.
 */
export function storeMessageFiles(
  messages: readonly ChatMessageOutput[],
  io: FileIO | undefined,
): ChatMessage[] | Promise<ChatMessage[]> {
  // Anything but a list is left for the schema to refuse with its message.
  if (
    !Array.isArray(messages) ||
    !messages.some((message) => message.files?.some((file: FileOutput) => !isFileData(file)))
  )
    return messages as ChatMessage[];
  const store = async (file: FileOutput): Promise<FileData> => {
    if (!(file instanceof ReplyFile)) return storeFile(file, io, "Chatbot");
    let stored = storedReplyFiles.get(file);
    if (!stored) {
      stored = Promise.resolve(storeFile(file, io, "Chatbot"));
      storedReplyFiles.set(file, stored);
      stored.then((data) => settledReplyFiles.set(file, data)).catch(() => storedReplyFiles.delete(file));
    }
    return stored;
  };
  return Promise.all(
    messages.map(async (message) =>
      message.files
        ? { ...message, files: await Promise.all(message.files.map(store)) }
        : (message as ChatMessage),
    ),
  );
}

/** Messages with each {@link ReplyFile} already stored given as its FileData (a history kept in a State). */
export function withStoredFiles(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((message) =>
    message.files?.some((file) => file instanceof ReplyFile)
      ? {
          ...message,
          files: message.files.map((file) =>
            file instanceof ReplyFile ? (settledReplyFiles.get(file) ?? (file as unknown as FileData)) : file,
          ),
        }
      : message,
  );
}
