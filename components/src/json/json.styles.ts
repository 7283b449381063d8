import { css } from "lit";

/** Styles of `<sc-json>`. */
export const jsonStyles = css`
  .tree {
    font-family: var(--sc-font-mono);
    font-size: 0.875rem;
    line-height: 1.5;
    padding: 0.5rem 0.65rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    overflow: auto;
  }
  details > summary {
    cursor: pointer;
    list-style-position: outside;
    margin-left: 1rem;
  }
  .children {
    margin: 0;
    padding-left: 1.25rem;
    list-style: none;
  }
  .key {
    color: var(--sc-color-text-muted);
  }
  .string {
    color: var(--sc-color-success);
  }
  .number,
  .boolean,
  .null {
    color: var(--sc-color-primary);
  }
  .count {
    color: var(--sc-color-text-muted);
    font-style: italic;
  }
  details[open] > summary .count {
    display: none;
  }
  .leaf {
    margin-left: 1rem;
  }
`;
