import { css } from "lit";

/** Styles of `<sc-textbox>`. */
export const textboxStyles = css`
  .wrap {
    position: relative;
  }
  textarea {
    resize: vertical;
    display: block;
  }
  .copy {
    position: absolute;
    top: 0.35rem;
    right: 0.35rem;
    border: 1px solid var(--sc-color-border);
    background: var(--sc-color-surface-muted);
    border-radius: 4px;
    font-size: 0.75rem;
    padding: 0.1rem 0.4rem;
    cursor: pointer;
  }
`;
