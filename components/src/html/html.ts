import type { PropertyValues } from "lit";
import { html } from "lit";
import { ScElement } from "../base/base-element.js";
import { customElement, property } from "../base/decorators.js";
import { loadMarkdown } from "../base/markdown.js";
import { htmlStyles } from "./html.styles.js";

/**
 * @summary HTML from the Space, sanitised first with the page's Markdown sanitiser (DOMPurify,
 * loaded on first use): markup and styles stay, scripts and event handlers go.
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

  #shown: Promise<void> | undefined;

  override render() {
    return html`${this.renderLabel(null)}<div part="content" class="content"></div>${this.renderError()}`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!changed.has("value")) return;
    const value = this.value ?? "";
    this.#shown = loadMarkdown().then(
      ({ sanitize }) => {
        const content = this.renderRoot.querySelector<HTMLElement>(".content");
        // A later value may have been shown already.
        if (content && this.value === value) content.innerHTML = sanitize(value);
      },
      (error: unknown) => {
        this.error = "The HTML could not be shown: its sanitiser did not load. Reload the page to try again.";
        console.error("[spacecraft] The HTML sanitiser could not load.", error);
      },
    );
  }

  /** Resolves once the value shows (the sanitiser loaded if it needed it). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const complete = await super.getUpdateComplete();
    await this.#shown;
    return complete;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sc-html": ScHtml;
  }
}
