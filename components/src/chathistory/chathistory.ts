import type { PropertyValues } from "lit";
import { html, nothing } from "lit";
import type { ChatMessage } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { chatHistoryStyles } from "./chathistory.styles.js";

/** A saved conversation. */
export interface SavedChat {
  id: string;
  /** The first user message, shortened. */
  title: string;
  /** When it last changed (ms since the epoch): the list shows the newest first. */
  updatedAt: number;
  messages: ChatMessage[];
}

/** Most characters of saved chats per Space (localStorage holds about 5 million per site). */
export const MAX_SAVED_CHARS = 2_000_000;
const TITLE_CHARS = 60;
/** How long the chat stays unchanged before it is saved (a streaming reply is saved once it pauses). */
const SAVE_DELAY_MS = 400;

/** The parts of the page this element needs: a component's element and its run's status. */
interface AppHost {
  elementFor?(id: number): (HTMLElement & { value: unknown }) | undefined;
  statusAt?(id: number): { stage: string } | undefined;
}

/**
 * @summary A chat's saved conversations, kept in the visitor's browser (localStorage, per Space
 * and page path, the newest `maxConversations` within `MAX_SAVED_CHARS`
 * characters): a New chat button and a list to switch to a conversation or delete one (with
 * Undo). It watches its chatbot's value (`sc-value`) and sets it when switching; on a narrow
 * screen the list folds away.
 *
 * @csspart panel - The foldable panel (`<details>`).
 * @csspart new - The New chat button.
 * @csspart list - The list of conversations.
 * @csspart item - A conversation (also `current`).
 * @csspart open - The button that opens a conversation.
 * @csspart delete - The button that deletes one.
 * @csspart notice - What just happened (a deletion with its Undo button, a save that failed).
 */
@customElement("sc-chathistory")
export class ScChatHistory extends ScElement {
  static override styles = [...ScElement.styles, chatHistoryStyles];

  /** Not an input or output: always null. */
  value: null = null;
  /** The component id of the chatbot whose conversations these are. */
  @property({ type: Number }) chatbot = 0;
  /** The localStorage key, before the page's path is added. */
  @property() storageKey = "spacecraft-chats";
  /** How many conversations to keep; the oldest go first. */
  @property({ type: Number }) maxConversations = 50;

  @state() private chats: SavedChat[] = [];
  /** The conversation on show; null for a new one not yet saved. */
  @state() private current: string | null = null;
  @state() private notice = "";
  /** The last deleted conversation, with its place, for Undo. */
  @state() private deleted: { chat: SavedChat; index: number; wasCurrent: boolean } | undefined;

  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #root: Document | ShadowRoot | undefined;

  /** Where the conversations are kept: one entry per Space and page. */
  get key(): string {
    return `${this.storageKey}:${location.pathname}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.chats = readChats(this.key, this.maxConversations);
    this.#root = this.getRootNode() as Document | ShadowRoot;
    this.#root.addEventListener("sc-value", this.onValue);
    addEventListener("pagehide", this.flush);
    addEventListener("storage", this.onStorage);
    document.addEventListener("visibilitychange", this.onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.flush();
    this.#root?.removeEventListener("sc-value", this.onValue);
    removeEventListener("pagehide", this.flush);
    removeEventListener("storage", this.onStorage);
    document.removeEventListener("visibilitychange", this.onVisibility);
  }

  protected override firstUpdated(changed: PropertyValues<this>): void {
    super.firstUpdated(changed);
    // Beside the chat the list stays open; above it, on a narrow screen, it starts folded.
    const panel = this.renderRoot.querySelector("details");
    if (panel) panel.open = !matchMedia("(max-width: 640px)").matches;
  }

  /** The chatbot's element, found through the page that holds both. */
  get #chatbot(): (HTMLElement & { value: unknown }) | undefined {
    const host = (this.#root instanceof ShadowRoot ? this.#root.host : undefined) as AppHost | undefined;
    return (
      host?.elementFor?.(this.chatbot) ??
      (this.#root?.querySelector(`[data-component-id="${this.chatbot}"]`) as
        | (HTMLElement & { value: unknown })
        | null) ??
      undefined
    );
  }

  /** Whether a reply is being written (switching now would mix two conversations). */
  get #busy(): boolean {
    const host = (this.#root instanceof ShadowRoot ? this.#root.host : undefined) as AppHost | undefined;
    const stage = host?.statusAt?.(this.chatbot)?.stage;
    return stage === "pending" || stage === "queued" || stage === "generating";
  }

  private readonly onValue = (event: Event): void => {
    if (event.target !== this.#chatbot) return;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(this.flush, SAVE_DELAY_MS);
  };

  private readonly onVisibility = (): void => {
    if (document.visibilityState === "hidden") this.flush();
  };

  /** Another tab of this Space saved: show its list, keeping the conversation on show here. */
  private readonly onStorage = (event: StorageEvent): void => {
    if (event.key !== this.key) return;
    const mine = this.chats.find((chat) => chat.id === this.current);
    const theirs = readChats(this.key, this.maxConversations);
    this.chats = mine
      ? [mine, ...theirs.filter((chat) => chat.id !== mine.id)].sort((a, b) => b.updatedAt - a.updatedAt)
      : theirs;
  };

  /** Saves the conversation on show now (it is saved by itself shortly after each change). */
  readonly flush = (): void => {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const messages = this.#chatbot?.value as ChatMessage[] | null | undefined;
    if (!Array.isArray(messages)) return;
    const title = titleOf(messages);
    // An empty chat (a new one, or one cleared) is not saved; the next message starts a new one.
    if (title === undefined) {
      this.current = null;
      return;
    }
    const saved = this.chats.find((chat) => chat.id === this.current);
    if (saved && JSON.stringify(saved.messages) === JSON.stringify(messages)) return;
    const chat: SavedChat = {
      id: saved?.id ?? newId(),
      title,
      updatedAt: Date.now(),
      messages: structuredClone(messages),
    };
    this.current = chat.id;
    this.chats = [chat, ...this.chats.filter((other) => other.id !== chat.id)];
    this.#write();
  };

  #write(): void {
    const { chats, dropped, error } = writeChats(this.key, this.chats, this.maxConversations);
    this.chats = chats;
    if (error) this.notice = error;
    else if (dropped > 0) {
      const what = dropped === 1 ? "the oldest saved chat" : `the ${dropped} oldest saved chats`;
      this.notice = `Removed ${what} to make room: this browser keeps at most ${this.maxConversations}, within ${MAX_SAVED_CHARS.toLocaleString("en")} characters.`;
    }
  }

  /** Shows `messages` in the chatbot, as if the visitor had set them. */
  #show(messages: ChatMessage[]): void {
    const chatbot = this.#chatbot;
    if (!chatbot) return;
    chatbot.value = structuredClone(messages);
    chatbot.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
  }

  /** A reply is being written: say so instead of switching. */
  #refuseWhileBusy(): boolean {
    if (!this.#busy) return false;
    this.notice = "A reply is still being written: wait for it or stop it, then switch chats.";
    return true;
  }

  private newChat(): void {
    if (this.#refuseWhileBusy()) return;
    this.flush();
    this.current = null;
    this.deleted = undefined;
    this.notice = "";
    this.#show([]);
  }

  private openChat(chat: SavedChat): void {
    if (chat.id === this.current || this.#refuseWhileBusy()) return;
    this.flush();
    this.current = chat.id;
    this.deleted = undefined;
    this.notice = "";
    this.#show(chat.messages);
  }

  private async deleteChat(chat: SavedChat): Promise<void> {
    const wasCurrent = chat.id === this.current;
    if (wasCurrent && this.#refuseWhileBusy()) return;
    const index = this.chats.indexOf(chat);
    this.chats = this.chats.filter((other) => other !== chat);
    this.deleted = { chat, index, wasCurrent };
    this.notice = "";
    if (wasCurrent) {
      this.current = null;
      this.#show([]);
    }
    this.#write();
    // The focus goes to Undo, where the deleted item's buttons were.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[part="undo"]')?.focus();
  }

  private async undoDelete(): Promise<void> {
    const deleted = this.deleted;
    if (!deleted) return;
    if (deleted.wasCurrent && this.#refuseWhileBusy()) return;
    if (deleted.wasCurrent) this.flush();
    const chats = [...this.chats];
    chats.splice(Math.min(deleted.index, chats.length), 0, deleted.chat);
    this.chats = chats;
    this.deleted = undefined;
    if (deleted.wasCurrent) {
      this.current = deleted.chat.id;
      this.#show(deleted.chat.messages);
    }
    this.#write();
    // The focus goes back to the conversation, where Undo was.
    await this.updateComplete;
    const index = this.chats.indexOf(deleted.chat);
    this.renderRoot.querySelectorAll<HTMLButtonElement>('[part="open"]')[index]?.focus();
  }

  override render() {
    return html`<details part="panel" class="panel" open>
      <summary>Chats <span class="count">(${this.chats.length})</span></summary>
      <button part="new" class="new" type="button" @click=${this.newChat}>New chat</button>
      ${
        this.chats.length === 0
          ? html`<p class="empty">Your conversations are kept in this browser and listed here.</p>`
          : html`<ul part="list" class="list" aria-label="Saved chats">
              ${this.chats.map((chat) => {
                const current = chat.id === this.current;
                return html`<li part=${current ? "item current" : "item"} class=${current ? "item current" : "item"}>
                  <button
                    part="open"
                    class="open"
                    type="button"
                    aria-current=${current ? "true" : "false"}
                    title=${chat.title}
                    @click=${() => this.openChat(chat)}
                  >${chat.title}</button>
                  <button
                    part="delete"
                    class="delete"
                    type="button"
                    aria-label=${`Delete chat “${chat.title}”`}
                    title="Delete"
                    @click=${() => this.deleteChat(chat)}
                  >✕</button>
                </li>`;
              })}
            </ul>`
      }
      <div part="notice" class="notice" role="status">
        ${
          this.deleted
            ? html`Deleted “${this.deleted.chat.title}”.
                <button part="undo" class="undo" type="button" @click=${this.undoDelete}>Undo</button>`
            : this.notice || nothing
        }
      </div>
    </details>`;
  }
}

/** The conversation's title: its first user message, shortened; undefined while it has none. */
export function titleOf(messages: readonly ChatMessage[]): string | undefined {
  const first = messages.find((message) => message.role === "user");
  if (!first) return undefined;
  const text = typeof first.content === "string" ? first.content.replace(/\s+/g, " ").trim() : "";
  if (!text) return "Attachment";
  return text.length > TITLE_CHARS ? `${text.slice(0, TITLE_CHARS - 1)}…` : text;
}

function newId(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function isSavedChat(value: unknown): value is SavedChat {
  const chat = value as Partial<SavedChat> | null;
  return (
    typeof chat === "object" &&
    chat !== null &&
    typeof chat.id === "string" &&
    typeof chat.title === "string" &&
    typeof chat.updatedAt === "number" &&
    Array.isArray(chat.messages) &&
    chat.messages.every(
      (message) =>
        typeof message === "object" &&
        message !== null &&
        (message.role === "user" || message.role === "assistant" || message.role === "system"),
    )
  );
}

/**
 * The saved conversations under `key`, newest first. Whatever cannot be read (storage off, not
 * JSON, not conversations) is left out with a console warning: the chat works without them.
 */
export function readChats(key: string, max: number): SavedChat[] {
  let text: string | null;
  try {
    text = localStorage.getItem(key);
  } catch (error) {
    console.warn(`Spacecraft: cannot read saved chats (localStorage is off: ${String(error)}).`);
    return [];
  }
  if (text === null) return [];
  const ignored = (why: string) => {
    console.warn(
      `Spacecraft: ignored the saved chats in localStorage "${key}": ${why}. ` +
        "They are replaced when a chat is next saved.",
    );
    return [];
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return ignored("not valid JSON");
  }
  const chats = (data as { chats?: unknown } | null)?.chats;
  if (!Array.isArray(chats)) return ignored('not an object with a "chats" list');
  const valid = chats.filter(isSavedChat);
  if (valid.length < chats.length) {
    console.warn(
      `Spacecraft: ignored ${chats.length - valid.length} saved chat(s) in localStorage "${key}" that are not conversations.`,
    );
  }
  return valid.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, max);
}

/**
 * Saves `chats` (newest first) under `key`: at most `max` of them within {@link MAX_SAVED_CHARS}
 * characters, the oldest dropped first, also when the browser's storage is full. Returns what is
 * kept; when not even the newest can be saved, all stay in the page and `error` says why.
 */
export function writeChats(
  key: string,
  chats: readonly SavedChat[],
  max: number,
): { chats: SavedChat[]; dropped: number; error?: string } {
  const kept = chats.slice(0, max);
  const unsaved = (why: string, warning: string) => {
    console.warn(`Spacecraft: ${warning}`);
    return { chats: [...chats], dropped: 0, error: `${why} It stays on this page until you leave it.` };
  };
  for (;;) {
    const text = JSON.stringify({ version: 1, chats: kept });
    if (text.length <= MAX_SAVED_CHARS) {
      try {
        localStorage.setItem(key, text);
        return { chats: kept, dropped: chats.length - kept.length };
      } catch (error) {
        if (kept.length <= 1) {
          return unsaved(
            "Could not save this chat: the browser's storage for this site is full or off.",
            `cannot save chats in localStorage "${key}": ${String(error)}`,
          );
        }
      }
    } else if (kept.length <= 1) {
      return unsaved(
        "This conversation is too long to save in the browser.",
        `a conversation of ${text.length} characters is over the ${MAX_SAVED_CHARS} that chats may take; not saved.`,
      );
    }
    kept.pop();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-chathistory": ScChatHistory;
  }
}
