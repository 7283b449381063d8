import { css } from "lit";

/** Styles of `<sc-highlightedtext>`. */
export const highlightedtextStyles = css`
  .text {
    line-height: 2;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    padding: 0.5rem 0.65rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    min-height: 2.5rem;
  }
  mark[role="button"] {
    cursor: pointer;
  }
  mark[role="button"]:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 1px;
  }
  mark {
    color: inherit;
    border-radius: 4px;
    padding: 0.1rem 0.2rem;
    background: var(--span-color);
  }
  /* The palette is light in both modes: dark ink on it. */
  mark[data-class],
  .legend li {
    color: #0f172a;
  }
  .class {
    font-size: 0.7rem;
    font-weight: 600;
    text-transform: uppercase;
    margin-left: 0.3rem;
    opacity: 0.85;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem;
    margin: 0 0 0.4rem;
    padding: 0;
    list-style: none;
  }
  .legend li {
    padding: 0.05rem 0.5rem;
    border-radius: 4px;
    font-size: 0.875rem;
    background: var(--span-color);
  }
`;
