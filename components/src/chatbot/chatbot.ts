import type { PropertyValues, TemplateResult } from "lit";
import { html, nothing } from "lit";
import type { ChatMessage } from "spacecraft";
import { ScElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { chatbotStyles } from "./chatbot.styles.js";
import { filesStyles, renderFiles } from "./files.js";

// Messages render with <sc-markdown>, which the page's entry (and the package's index) define.
// Importing it here, even lazily, makes the page's build move Lit out of the entry into a chunk
// of its own: about 0.5 KB more gzipped for every Space.

/** How far from the end (px) the log still counts as scrolled to the end. */
const endSlack = 32;

/** A message's template, kept while the message and its copy state stay the same. */
interface RenderedMessage {
  role: string;
  content: string;
  metadata: string;
  files: string;
  copied: boolean;
  template: TemplateResult;
}

/**
 * @summary A chat as a log of messages (an output): user and assistant bubbles with Markdown,
 * thoughts and tool steps collapsed above the answer, a copy button per reply, and typing dots
 * while `pending`. While a reply streams only the last message renders again, and the log
 * follows it unless the visitor has scrolled up.
 *
 * @csspart label - The label.
 * @csspart log - The scrolling list of messages.
 * @csspart message - Each message (also `user`, `assistant` or `system`).
 * @csspart bubble - The text of a message.
 * @csspart thought - A thought or tool step (`<details>`).
 * @csspart copy - The copy button of a reply.
 * @csspart placeholder - The text shown while there are no messages.
 * @csspart typing - The typing indicator.
 * @csspart files - The files of a message (images, audio, video, download links).
 * @csspart file - One file of a message.
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

  /** The index of the message whose text was just copied. */
  @state() private copied = -1;

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
    if (changed.has("showCopyButton")) this.#rendered = [];
    if (!changed.has("value")) return;
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

  protected override firstUpdated(): void {
    const list = this.renderRoot.querySelector(".messages");
    if (list) this.#resize.observe(list);
  }

  override render() {
    const messages = this.value ?? [];
    const last = messages.at(-1);
    // An empty reply already shows the dots.
    const typing =
      this.pending &&
      !(last?.role === "assistant" && last.content === "" && !last.metadata?.title && !last.files?.length);
    const height = typeof this.height === "number" ? `${this.height}px` : this.height;
    return html`${this.renderLabel(null)}
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
   * The messages' templates. An unchanged message (same role, content, metadata and copy state)
   * keeps its template, so while a reply streams only the last message renders again.
   */
  private renderMessages(messages: readonly ChatMessage[]): TemplateResult[] {
    this.#rendered = messages.map((message, index) => {
      const metadata = message.metadata ? JSON.stringify(message.metadata) : "";
      const files = message.files ? JSON.stringify(message.files) : "";
      const copied = this.copied === index;
      const previous = this.#rendered[index];
      if (
        previous &&
        previous.role === message.role &&
        previous.content === message.content &&
        previous.metadata === metadata &&
        previous.files === files &&
        previous.copied === copied
      )
        return previous;
      const template = this.renderMessage(message, index, copied);
      return { role: message.role, content: message.content, metadata, files, copied, template };
    });
    return this.#rendered.map((rendered) => rendered.template);
  }

  /** One message: a bubble (with a copy button on a reply), or a thought or tool step. */
  private renderMessage(message: ChatMessage, index: number, copied: boolean): TemplateResult {
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
    const copy =
      role === "assistant" && this.showCopyButton && content !== ""
        ? html`<button part="copy" class="copy" type="button" aria-label=${copied ? "Copied" : "Copy message"} @click=${() => this.copy(index, content)}>${copied ? "Copied" : "Copy"}</button>`
        : nothing;
    return html`<div part="message ${role}" class="message ${role}" data-role=${role}>
      ${
        role === "assistant" && content === "" && !message.files?.length
          ? html`<div part="typing" class="bubble typing" role="status" aria-label="Writing a reply"><span></span><span></span><span></span></div>`
          : html`<div part="bubble" class="bubble">${content ? html`<sc-markdown .value=${content}></sc-markdown>` : nothing}${renderFiles(message.files)}</div>`
      }
      ${copy}
    </div>`;
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
}
