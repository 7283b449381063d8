import { css, html, nothing } from "lit";
import type { ShareResult } from "./share.js";

/**
 * The Share button under the demo, right-aligned under the outputs: what it said last in a
 * polite live region, and the link in a selected field when the clipboard refused it.
 */
export function renderShareBar(result: ShareResult | undefined, busy: boolean, onShare: () => void) {
  return html`<div class="share" part="share">
    <span class="share-message ${result?.failed ? "failed" : ""}" role="status" aria-live="polite">${result?.message ?? ""}</span>
    ${
      result?.url
        ? html`<input class="share-url" readonly aria-label="Link to this result" .value=${result.url} @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()} />`
        : nothing
    }
    <button type="button" class="link share-button" aria-busy=${busy ? "true" : "false"} @click=${onShare}>
      Share
    </button>
  </div>`;
}

/** Styles of the Share bar. */
export const shareStyles = css`
  .share {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    align-items: center;
    gap: 0.5rem;
    margin-top: 0.75rem;
    font-size: 0.85rem;
    color: var(--sc-color-text-muted);
  }
  .share-message.failed {
    color: var(--sc-color-error);
  }
  .share-url {
    flex: 1 1 16rem;
    max-width: 32rem;
    font: inherit;
    font-family: var(--sc-font-mono);
    padding: 0.25rem 0.5rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    color: var(--sc-color-text);
  }
  .banner.info {
    color: var(--sc-color-text);
  }
`;
