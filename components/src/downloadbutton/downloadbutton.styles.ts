import { css } from "lit";

/** Styles of `<sc-downloadbutton>`: its link looks like the button it is. */
export const downloadButtonStyles = css`
  a.button {
    display: block;
    box-sizing: border-box;
    inline-size: 100%;
    text-align: center;
    text-decoration: none;
    font-weight: 600;
    padding: 0.6rem 1rem;
    border-radius: var(--sc-radius);
    border: 1px solid var(--sc-color-border);
    background: var(--sc-color-surface-muted);
    color: var(--sc-color-text);
  }
  a.primary {
    background: var(--sc-color-primary);
    border-color: var(--sc-color-primary);
    color: var(--sc-color-primary-text);
  }
  a.stop {
    background: var(--sc-color-error);
    border-color: var(--sc-color-error);
    color: var(--sc-color-primary-text);
  }
  :host([size="sm"]) a.button {
    padding: 0.3rem 0.6rem;
    font-size: 0.875rem;
  }
  :host([size="lg"]) a.button {
    padding: 0.8rem 1.25rem;
    font-size: 1.05rem;
  }
  a.button:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }
`;
