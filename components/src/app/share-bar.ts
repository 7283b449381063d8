import { css, html, nothing } from "lit";
import type { ShareResult } from "./share.js";

/**
 * The Share button under the demo, right-aligned under the outputs: what it said last in a
 * polite live region, and the link in a field when the clipboard refused it.
 */
export function renderShareBar(result: ShareResult | undefined, onShare: () => void) {
  return html`<div class="share">
    <span class=${result?.failed ? "failed" : ""} role="status" aria-live="polite">${result?.message ?? ""}</span>
    ${result?.url ? html`<input readonly size="40" aria-label="Link to this result" .value=${result.url} />` : nothing}
    <button type="button" class="link" @click=${onShare}>Share</button>
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
    font-size: 0.875rem;
  }
  .share .failed {
    color: var(--sc-color-error);
  }
`;
