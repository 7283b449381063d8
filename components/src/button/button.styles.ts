import { css } from "lit";

/** Styles of `<sc-button>`: the variants and sizes. */
export const buttonStyles = css`
  button {
    width: 100%;
    font: inherit;
    font-weight: 600;
    padding: 0.6rem 1rem;
    border-radius: var(--sc-radius);
    border: 1px solid var(--sc-color-border);
    background: var(--sc-color-surface-muted);
    color: var(--sc-color-text);
    cursor: pointer;
  }
  :host([size="sm"]) button {
    padding: 0.3rem 0.6rem;
    font-size: 0.875rem;
  }
  :host([size="lg"]) button {
    padding: 0.8rem 1.25rem;
    font-size: 1.05rem;
  }
  .primary {
    background: var(--sc-color-primary);
    border-color: var(--sc-color-primary);
    color: var(--sc-color-primary-text);
  }
  .primary:hover {
    background: var(--sc-color-primary-hover);
  }
  .stop {
    background: var(--sc-color-error);
    border-color: var(--sc-color-error);
    color: var(--sc-color-primary-text);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }
`;
