import DOMPurify from "dompurify";
import type { PropertyValues } from "lit";
import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { htmlStyles } from "./html.styles.js";

/**
 * @summary HTML from the Space, sanitised first with DOMPurify (loaded with the element): markup
 * and styles stay, scripts and event handlers go. The server's drawing shows it sanitised by the
 * server.
 *
 * @event click - The visitor clicked in it.
 *
 * @csspart content - The HTML.
 */
@customElement("sc-html")
export class ScHtml extends ScElement {
  static override styles = [...ScElement.styles, htmlStyles];

  /** The HTML (sanitised before it is shown). */
  @property() value = "";

  override render() {
    return html`${this.renderLabel(null)}<div part="content" class="content"></div>${this.renderError()}`;
  }

  // Sanitised as it is rendered, so the live page shows it in the task that drew it (the server's
  // drawing showed it already; nothing blank between).
  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const content = this.renderRoot.querySelector<HTMLElement>(".content");
    if (changed.has("value") && content) content.innerHTML = DOMPurify.sanitize(this.value ?? "");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-html": ScHtml;
  }
}
