import type { PropertyValues } from "lit";
import { html } from "lit";
import type { CodeLanguage } from "spacecraft";
import { ScElement, ScInputElement } from "../base/base-element.js";
import { customElement, property, state } from "../base/decorators.js";
import { codeStyles } from "./code.styles.js";
import type { CodeEditor } from "./editor.js";

/**
 * @summary Code with syntax highlighting: a CodeMirror 6 editor, loaded with the first `<sc-code>`
 * on a page (and each language when first shown); until then, and when drawn by the server, the
 * code shows as plain text.
 *
 * @event input - While the code is edited.
 * @event change - When the editor loses the focus with edited code.
 *
 * @csspart label - The label.
 * @csspart editor - The editor's frame.
 * @csspart error - The error message.
 *
 * @cssproperty --sc-font-mono - The code's font.
 */
@customElement("sc-code")
export class ScCode extends ScInputElement {
  static override styles = [...ScElement.styles, codeStyles];

  /** The code. */
  @property() value = "";
  /** The language to highlight, or null for plain text. */
  @property({ attribute: false }) language: CodeLanguage | null = "python";
  /** Lines shown before the editor grows. */
  @property({ type: Number }) lines = 5;
  /** Lines the editor grows to before it scrolls. */
  @property({ type: Number }) maxLines = 20;

  /** Whether the editor (CodeMirror) is in place, with the language highlighted. */
  @state() ready = false;
  #editor: CodeEditor | null = null;
  #committed = "";

  override render() {
    const style = `--lines: ${this.lines}; --max-lines: ${this.maxLines}`;
    return html`${this.renderLabel(null)}${this.renderInfo()}
      <div
        part="editor"
        class="frame"
        style=${style}
        @focusin=${() => {
          this.#committed = this.value;
        }}
        @focusout=${this.onBlur}
      ><pre class="plain" ?hidden=${this.ready}>${this.value}</pre><div class="mount"></div></div>
      ${this.renderError()}`;
  }

  protected override async firstUpdated(): Promise<void> {
    // A node Lit draws nothing into, so a render never removes the editor's DOM.
    const frame = this.renderRoot.querySelector(".mount") as HTMLElement;
    const { createEditor } = await import("./editor.js");
    this.#editor = await createEditor(frame, {
      text: this.value,
      language: this.language,
      editable: this.interactive,
      label: this.label || "Code",
      onInput: (text) => {
        this.value = text;
        this.error = "";
        this.emit("input");
      },
    });
    // What changed while CodeMirror loaded.
    this.#editor.setText(this.value);
    this.ready = true;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const editor = this.#editor;
    if (!editor) return;
    if (changed.has("value")) editor.setText(this.value);
    if (changed.has("language")) void editor.setLanguage(this.language);
    if (changed.has("interactive")) editor.setEditable(this.interactive);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#editor?.destroy();
    this.#editor = null;
    this.ready = false;
  }

  private onBlur(event: FocusEvent): void {
    if (this.renderRoot.contains(event.relatedTarget as Node | null)) return;
    if (this.value !== this.#committed) {
      this.#committed = this.value;
      this.emit("change");
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-code": ScCode;
  }
}
