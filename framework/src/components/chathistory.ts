import type { Block } from "../blocks.js";
import { v } from "../schema.js";
import type { AnyComponent, Component, SharedProps } from "./component.js";
import { defineComponent } from "./component.js";

/** How many conversations a visitor's browser keeps per Space; older ones are dropped. */
export const MAX_SAVED_CHATS = 50;

/** Props of {@link ChatHistory}. */
export interface ChatHistoryProps extends SharedProps {
  /** The localStorage key the conversations are kept under (the page adds its path). */
  storageKey?: string;
  /** How many conversations to keep; the oldest go first. */
  maxConversations?: number;
}

/** The list of a chat's saved conversations: part of the page, never an input or output of `fn`. */
export type ChatHistory = Component<"chathistory", ChatHistoryProps, never, never, null>;

/**
 * The saved conversations of `chatbot`, kept in the visitor's browser: start a new chat, switch,
 * delete. `ChatInterface({ saveHistory: true })` places it; the page's element reads and sets the
 * chatbot's value, so the server keeps nothing.
 */
export function ChatHistory(chatbot: AnyComponent, props: ChatHistoryProps = {}): ChatHistory {
  const spec = defineComponent<"chathistory", ChatHistoryProps, never, never, null>("chathistory", props, {
    displayName: "ChatHistory",
    api: { pythonType: "None" },
    defaults: { storageKey: "spacecraft-chats", maxConversations: MAX_SAVED_CHATS },
    schema: () => v.null(),
  });
  // The page finds the chatbot by its id, known once the layout is numbered.
  const refs: Block["refs"] = (idOf) => ({ chatbot: idOf(chatbot) });
  return Object.assign(spec, { refs });
}
