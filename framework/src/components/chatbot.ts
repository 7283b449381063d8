import type { EditData, LikeData, RetryData } from "../event-data.js";
import type { Listeners } from "../events.js";
import { v } from "../schema.js";
import type { Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** Longest message a chat takes, in characters. */
export const MAX_MESSAGE_CHARS = 100_000;
/** Most messages in one conversation. */
export const MAX_MESSAGES = 1000;

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

/** One message of a conversation, in the messages shape Gradio 6 uses. Content is Markdown. */
export interface ChatMessage {
  role: "user" | "assistant" | "system";
  content: string;
  metadata?: MessageMetadata;
}

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
 * A conversation: a list of messages in, the same out. Its events: `change`, and the visitor's
 * `retry` and `undo` (under the last reply; `ctx.event` is the last user message's
 * {@link RetryData}), `like` (Like or Dislike on a reply, {@link LikeData}), `edit` (a user
 * message edited, {@link EditData}) and `clear` (the chat emptied). The page shows each control
 * only when the Space listens to its event.
 */
export type Chatbot = Component<"chatbot", ChatbotProps, ChatMessage[], ChatMessage[], ChatMessage[]> &
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
  },
  "must be a message: { role, content }",
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
      description: 'the conversation: [{"role": "user" | "assistant", "content": str}]',
    },
    defaults: {
      value: [] as ChatMessage[],
      height: 400,
      placeholder: "",
      showCopyButton: true,
    } satisfies ChatbotProps,
    schema: () => historySchema,
  });
}
