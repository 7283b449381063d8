import type { PropertyValues, TemplateResult } from "lit";
import { html, nothing } from "lit";
import type { ChatMessage } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { chatbotStyles } from "./chatbot.styles.js";
import { filesStyles, renderFiles } from "./files.js";

// Messages render with <sc-markdown>.
import "../markdown/markdown.js";

// Importing it here, even lazily, makes the page's build move Lit out of the entry into a chunk
// of its own: about 0.5 KB more gzipped for every Space.

/** How far from the end (px) the log still counts as scrolled to the end. */
const endSlack = 32;

/** A message's template, kept while the message and its state (copied, liked, edited) stay the same. */
interface RenderedMessage {
  role: string;
  content: string;
  metadata: string;
  files: string;
  /** Copied, liked, being edited, and which controls show: anything else the template shows. */
  state: string;
  template: TemplateResult;
}

/** The chat events `<sc-chatbot>` fires, with the data each carries (`ctx.event` in the Space). */
export interface ChatbotEventData {
  "sc-retry": { index: number; value: string };
  "sc-undo": { index: number; value: string };
  "sc-like": { index: number; value: string; liked: boolean };
  "sc-edit": { index: number; previous_value: string; value: string };
}

/** A chat event from `<sc-chatbot>`: `sc-retry`, `sc-undo`, `sc-like` or `sc-edit`, with its data. */
export class ChatbotEvent<K extends keyof ChatbotEventData = keyof ChatbotEventData> extends Event {
  constructor(
    type: K,
    /** What the Space's listener gets as `ctx.event`. */
    readonly eventData: ChatbotEventData[K],
  ) {
    super(type, { bubbles: true, composed: true });
  }
}

/**
 * @summary A chat as a log of messages (an output): user and assistant bubbles with Markdown,
 * thoughts and tool steps collapsed above the answer, a copy button per reply, and typing dots
 * while `pending`. While a reply streams only the last message renders again, and the log
 * follows it unless the visitor has scrolled up. For the events the Space listens to
 * (`listening`) it shows their controls: Retry and Undo under the last reply, Like and Dislike
 * on each reply, Edit on the visitor's messages (Enter saves, Escape cancels), and Clear.
 *
 * @event sc-retry - Retry pressed: `eventData` is the last user message's `{ index, value }`.
 * @event sc-undo - Undo pressed: `eventData` is the last user message's `{ index, value }`.
 * @event sc-like - Like or Dislike pressed: `eventData` is `{ index, value, liked }`.
 * @event sc-edit - A user message edited: `eventData` is `{ index, previous_value, value }`.
 * @event sc-clear - Clear pressed (the chat empties).
 *
 * @csspart label - The label.
 * @csspart log - The scrolling list of messages.
 * @csspart message - Each message (also `user`, `assistant` or `system`).
 * @csspart bubble - The text of a message.
 * @csspart thought - A thought or tool step (`<details>`).
 * @csspart copy - The copy button of a reply.
 * @csspart actions - The buttons under a message, and Retry and Undo under the last reply.
 * @csspart clear - The Clear button.
 * @csspart editor - The text area editing a user message.
 * @csspart placeholder - The text shown while there are no messages.
 * @csspart typing - The typing indicator.
 * @csspart files - The files of a message (images, audio, video, download links).
 * @csspart file - One file of a message.
 *
 * @event sc-value - The messages shown changed, whoever set them (at most once a frame).
 */
@customElement("sc-chatbot")
export class ScChatbot extends ScElement {
  static override styles = [...ScElement.styles, chatbotStyles, filesStyles];

  /** The messages, oldest first. */
  @property({ attribute: false }) value: ChatMessage[] | null = [];
  /** Height of the log: pixels, or any CSS length. */
  @property() height: number | string = 400;
  /** Markdown shown while there are no messages. */
  @property() placeholder = "";
  /** Show a copy button under each reply. */
  @property({ type: Boolean }) showCopyButton = true;
  /** A job for this chat is waiting for its first result (set by `<sc-app>`): show typing dots. */
  @property({ type: Boolean, reflect: true }) pending = false;
  /** A job for this chat runs (set by `<sc-app>`): typing dots until the reply to the last question starts. */
  @property({ type: Boolean, reflect: true }) busy = false;
  /**
   * The chat events the Space listens to (set by `<sc-app>`): `retry`, `undo`, `like`, `edit`,
   * `clear`. Only their controls show.
   */
  @property({ attribute: false }) listening: readonly string[] = [];

  /** The index of the message whose text was just copied. */
  @state() private copied = -1;
  /** The index of the user message being edited, or -1. */
  @state() private editing = -1;
  /** Likes (true) and dislikes (false) given, by message index, with the content they were for. */
  @state() private liked = new Map<number, { liked: boolean; content: string }>();

  /** Follow the end of the log as it grows (off once the visitor scrolls up). */
  #follow = true;
  #lastScrollTop = 0;
  #userMessages = 0;
  #copiedTimer: ReturnType<typeof setTimeout> | undefined;
  #rendered: RenderedMessage[] = [];
  readonly #resize = new ResizeObserver(() => this.#scrollToEnd());

  override connectedCallback(): void {
    super.connectedCallback();
    // Observing again after a move in the page; the first time, `firstUpdated` does it.
    const list = this.renderRoot.querySelector(".messages");
    if (list) this.#resize.observe(list);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has("showCopyButton") || changed.has("listening")) this.#rendered = [];
    if (!changed.has("value")) return;
    // A like stays with its message; a conversation taken back or replaced drops it.
    const messages = this.value ?? [];
    for (const [index, { content }] of this.liked) {
      if (messages[index]?.content !== content) this.liked.delete(index);
    }
    if (this.editing >= messages.length || messages[this.editing]?.role !== "user") this.editing = -1;
    // A new message from the visitor: show it, and the reply, even if they had scrolled up.
    const users = (this.value ?? []).filter((message) => message.role === "user").length;
    if (users > this.#userMessages) this.#follow = true;
    this.#userMessages = users;
  }

  /** Renders at most once a frame: a reply streaming many tokens a frame renders once. */
  protected override async scheduleUpdate(): Promise<void> {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    super.scheduleUpdate();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // <sc-chathistory> saves the conversation as it changes, whether the page or a result set it.
    if (changed.has("value")) this.dispatchEvent(new Event("sc-value", { bubbles: true, composed: true }));
  }

  protected override firstUpdated(): void {
    const list = this.renderRoot.querySelector(".messages");
    if (list) this.#resize.observe(list);
  }

  override render() {
    const messages = this.value ?? [];
    const last = messages.at(-1);
    // An empty reply already shows the dots.
    const typing =
      (this.pending || (this.busy && last?.role === "user")) &&
      !(last?.role === "assistant" && last.content === "" && !last.metadata?.title && !last.files?.length);
    const height = typeof this.height === "number" ? `${this.height}px` : this.height;
    const idle = !this.busy && !this.pending;
    const clear =
      this.listening.includes("clear") && messages.length > 0 && idle
        ? html`<button part="clear" class="clear action" type="button" aria-label="Clear the conversation" @click=${this.clear}>Clear</button>`
        : nothing;
    return html`<div class="header">${this.renderLabel(null)}${clear}</div>
      <div
        part="log"
        class="log"
        role="log"
        aria-live="polite"
        aria-label=${this.label || "Chatbot"}
        tabindex="0"
        style="height:${height}"
        @scroll=${this.onScroll}
      >
        <div class="messages">
          ${
            messages.length === 0 && this.placeholder
              ? html`<div part="placeholder" class="placeholder"><sc-markdown .value=${this.placeholder}></sc-markdown></div>`
              : nothing
          }
          ${this.renderMessages(messages)}
          ${idle ? this.renderLastActions(messages) : nothing}
          ${
            typing
              ? html`<div part="typing" class="typing" role="status" aria-label="Writing a reply"><span></span><span></span><span></span></div>`
              : nothing
          }
        </div>
      </div>
      ${this.renderError()}`;
  }

  /**
   * The messages' templates. An unchanged message (same role, content, metadata, and copy, like
   * and edit state) keeps its template, so while a reply streams only the last message renders again.
   */
  private renderMessages(messages: readonly ChatMessage[]): TemplateResult[] {
    this.#rendered = messages.map((message, index) => {
      const metadata = message.metadata ? JSON.stringify(message.metadata) : "";
      const files = message.files ? JSON.stringify(message.files) : "";
      const state = `${this.copied === index} ${this.liked.get(index)?.liked} ${this.editing === index}`;
      const previous = this.#rendered[index];
      if (
        previous &&
        previous.role === message.role &&
        previous.content === message.content &&
        previous.metadata === metadata &&
        previous.files === files &&
        previous.state === state
      )
        return previous;
      const template = this.renderMessage(message, index);
      return { role: message.role, content: message.content, metadata, files, state, template };
    });
    return this.#rendered.map((rendered) => rendered.template);
  }

  /**
   * Retry and Undo, under the last reply (or under the last question, when its reply failed or was
   * stopped before it began): both about the last user message.
   */
  private renderLastActions(messages: readonly ChatMessage[]): TemplateResult | typeof nothing {
    const retry = this.listening.includes("retry");
    const undo = this.listening.includes("undo");
    let index = messages.length - 1;
    while (index >= 0 && messages[index]?.role !== "user") index--;
    if ((!retry && !undo) || index === -1) return nothing;
    const data = { index, value: (messages[index] as ChatMessage).content };
    // Controls are not news: the log's live region does not announce them.
    return html`<div part="actions" class="actions last" aria-live="off">
      ${retry ? html`<button class="action" type="button" aria-label="Retry: answer the last message again" @click=${() => this.fire("sc-retry", data)}>Retry</button>` : nothing}
      ${undo ? html`<button class="action" type="button" aria-label="Undo: take back the last message and its reply" @click=${() => this.fire("sc-undo", data)}>Undo</button>` : nothing}
    </div>`;
  }

  /** One message: a bubble (with a copy button on a reply), or a thought or tool step. */
  private renderMessage(message: ChatMessage, index: number): TemplateResult {
    const { role, content } = message;
    const { title, status, duration, log } = message.metadata ?? {};
    if (title !== undefined) {
      const note = status === "pending" ? "…" : duration !== undefined ? `${duration.toFixed(1)} s` : "";
      return html`<div part="message ${role}" class="message ${role}" data-role=${role}>
        <details part="thought" class="thought" ?open=${status === "pending"}>
          <summary>${title}${note || log ? html`<span class="note">${[log, note].filter(Boolean).join(" · ")}</span>` : nothing}</summary>
          <sc-markdown .value=${content}></sc-markdown>
        </details>
      </div>`;
    }
    if (this.editing === index) return this.renderEditor(message, index);
    const copied = this.copied === index;
    const reply = role === "assistant" && content !== "";
    const copy =
      reply && this.showCopyButton
        ? html`<button part="copy" class="copy" type="button" aria-label=${copied ? "Copied" : "Copy message"} @click=${() => this.copy(index, content)}>${copied ? "Copied" : "Copy"}</button>`
        : nothing;
    const liked = this.liked.get(index)?.liked;
    const like =
      reply && this.listening.includes("like")
        ? html`<button class="action like" type="button" aria-label="Like this reply" aria-pressed=${liked === true ? "true" : "false"} @click=${() => this.like(index, content, true)}>👍</button>
          <button class="action like" type="button" aria-label="Dislike this reply" aria-pressed=${liked === false ? "true" : "false"} @click=${() => this.like(index, content, false)}>👎</button>`
        : nothing;
    const edit =
      role === "user" && this.listening.includes("edit")
        ? html`<button class="action edit" type="button" aria-label="Edit this message" @click=${() => this.startEditing(index)}>Edit</button>`
        : nothing;
    return html`<div part="message ${role}" class="message ${role}" data-role=${role}>
      ${
        role === "assistant" && content === "" && !message.files?.length
          ? html`<div part="typing" class="bubble typing" role="status" aria-label="Writing a reply"><span></span><span></span><span></span></div>`
          : html`<div part="bubble" class="bubble">${content ? html`<sc-markdown .value=${content}></sc-markdown>` : nothing}${renderFiles(message.files)}</div>`
      }
      ${copy === nothing && like === nothing && edit === nothing ? nothing : html`<div part="actions" class="actions" aria-live="off">${copy}${like}${edit}</div>`}
    </div>`;
  }

  /** A user message being edited: a text area, Save and Cancel (Enter saves, Escape cancels). */
  private renderEditor(message: ChatMessage, index: number): TemplateResult {
    const save = () => {
      const area = this.renderRoot.querySelector<HTMLTextAreaElement>(".editor textarea");
      this.finishEditing(index, message.content, area?.value ?? message.content);
    };
    const onKeydown = (event: KeyboardEvent) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        save();
      } else if (event.key === "Escape") {
        // The edit takes the key: the page does not also stop a reply.
        event.preventDefault();
        this.finishEditing(index, message.content, message.content);
      }
    };
    return html`<div part="message user" class="message user editing" data-role="user">
      <div class="editor">
        <textarea part="editor" aria-label="Edit your message" rows="3" .value=${message.content} @keydown=${onKeydown}></textarea>
        <div part="actions" class="actions">
          <button class="action" type="button" @click=${save}>Save</button>
          <button class="action" type="button" @click=${() => this.finishEditing(index, message.content, message.content)}>Cancel</button>
        </div>
      </div>
    </div>`;
  }

  private async startEditing(index: number): Promise<void> {
    if (this.busy || this.pending) return;
    this.editing = index;
    await this.updateComplete;
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>(".editor textarea");
    area?.focus();
    area?.setSelectionRange(area.value.length, area.value.length);
  }

  /** Ends editing; a changed, non-empty text fires `sc-edit`. The focus goes back to the log. */
  private finishEditing(index: number, previous: string, value: string): void {
    this.editing = -1;
    this.renderRoot.querySelector<HTMLElement>(".log")?.focus();
    if (value.trim() === "" || value === previous) return;
    this.fire("sc-edit", { index, previous_value: previous, value });
  }

  private like(index: number, content: string, liked: boolean): void {
    if (this.liked.get(index)?.liked === liked) return;
    this.liked = new Map(this.liked).set(index, { liked, content });
    this.fire("sc-like", { index, value: content, liked });
  }

  private clear(): void {
    if (this.busy || this.pending) return;
    this.value = [];
    this.emit("change");
    this.emit("sc-clear");
  }

  private fire<K extends keyof ChatbotEventData>(type: K, data: ChatbotEventData[K]): void {
    if (type !== "sc-like" && (this.busy || this.pending)) return;
    this.dispatchEvent(new ChatbotEvent(type, data));
  }

  private onScroll(event: Event): void {
    const log = event.currentTarget as HTMLElement;
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight <= endSlack;
    // Only a move up stops following: the log growing under a scroll to the end does not.
    if (atEnd) this.#follow = true;
    else if (log.scrollTop < this.#lastScrollTop) this.#follow = false;
    this.#lastScrollTop = log.scrollTop;
  }

  #scrollToEnd(): void {
    const log = this.renderRoot.querySelector<HTMLElement>(".log");
    if (!log || !this.#follow) return;
    log.scrollTop = log.scrollHeight;
    this.#lastScrollTop = log.scrollTop;
  }

  private async copy(index: number, text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      return;
    }
    this.copied = index;
    clearTimeout(this.#copiedTimer);
    this.#copiedTimer = setTimeout(() => {
      this.copied = -1;
    }, 1500);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-chatbot": ScChatbot;
  }
  interface GlobalEventHandlersEventMap {
    "sc-retry": ChatbotEvent<"sc-retry">;
    "sc-undo": ChatbotEvent<"sc-undo">;
    "sc-like": ChatbotEvent<"sc-like">;
    "sc-edit": ChatbotEvent<"sc-edit">;
    "sc-value": Event;
  }
}
