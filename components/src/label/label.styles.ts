import { css } from "lit";

/** Styles of `<sc-label>`. */
export const labelStyles = css`
  .heading {
    font-size: 1.6rem;
    font-weight: 600;
    margin: 0.2rem 0 0.6rem;
    overflow-wrap: anywhere;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.45rem;
  }
  .row {
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
    font-size: 0.875rem;
  }
  button.name {
    font: inherit;
    color: inherit;
    padding: 0;
    border: 0;
    background: none;
    text-decoration: underline dotted;
    cursor: pointer;
  }
  button.name:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }
  .track {
    height: 0.5rem;
    border-radius: 999px;
    background: var(--sc-color-surface-muted);
    overflow: hidden;
    margin-top: 0.2rem;
  }
  .bar {
    height: 100%;
    border-radius: inherit;
    background: var(--sc-label-bar-color, var(--sc-color-bar));
  }
  .top .bar {
    background: var(--sc-color-primary);
  }
  .empty {
    color: var(--sc-color-text-muted);
  }
`;
