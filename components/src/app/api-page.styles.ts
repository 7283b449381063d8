import { css } from "lit";

/** Styles of `<sc-api-page>`: the dialog, parameter tables, client tabs and code. */
export const apiPageStyles = css`
  dialog {
    width: min(60rem, calc(100vw - 2rem));
    max-height: calc(100vh - 3rem);
    padding: 1.25rem 1.5rem 1.5rem;
    border: 1px solid var(--sc-color-border);
    border-radius: calc(var(--sc-radius) * 1.5);
    background: var(--sc-color-background);
    color: var(--sc-color-text);
    font-family: var(--sc-font);
    box-shadow: 0 20px 50px rgb(0 0 0 / 0.35);
  }
  dialog::backdrop {
    background: rgb(15 23 42 / 0.55);
  }
  .head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 1rem;
  }
  h2 {
    margin: 0;
    font-size: 1.3rem;
  }
  h3 {
    margin: 1.5rem 0 0.5rem;
    font-size: 1.1rem;
  }
  h4 {
    margin: 1rem 0 0.35rem;
    font-size: 0.875rem;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--sc-color-text-muted);
  }
  button {
    cursor: pointer;
  }
  .close {
    border: 0;
    background: transparent;
    font-size: 1.1rem;
    padding: 0.25rem 0.5rem;
    border-radius: var(--sc-radius);
  }
  .close:hover {
    background: var(--sc-color-surface-muted);
  }
  .intro,
  .description,
  .none {
    color: var(--sc-color-text-muted);
  }
  .note {
    padding: 0.75rem 1rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface-muted);
  }
  .note.error {
    color: var(--sc-color-error);
    background: var(--sc-color-error-surface);
  }
  .endpoint {
    border-top: 1px solid var(--sc-color-border);
  }
  code,
  pre {
    font-family: var(--sc-font-mono);
    font-size: 0.875rem;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.875rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.35rem 0.5rem;
    border-bottom: 1px solid var(--sc-color-border);
    vertical-align: top;
  }
  thead th {
    font-weight: 600;
    color: var(--sc-color-text-muted);
  }
  tbody th {
    font-weight: 500;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin-top: 1.25rem;
    border-bottom: 1px solid var(--sc-color-border);
  }
  [role="tab"] {
    border: 0;
    border-bottom: 2px solid transparent;
    background: transparent;
    padding: 0.45rem 0.75rem;
    margin-bottom: -1px;
    color: var(--sc-color-text-muted);
    font-weight: 600;
  }
  [role="tab"][aria-selected="true"] {
    color: var(--sc-color-text);
    border-bottom-color: var(--sc-color-primary);
  }
  .panel {
    position: relative;
    margin-top: 0.75rem;
  }
  pre {
    margin: 0;
    padding: 0.9rem 1rem;
    padding-right: 5.5rem;
    overflow-x: auto;
    background: var(--sc-color-surface-muted);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    line-height: 1.45;
  }
  .copy {
    position: absolute;
    top: 0.5rem;
    right: 0.5rem;
    padding: 0.3rem 0.7rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    font-size: 0.875rem;
    font-weight: 600;
  }
  .copy-note {
    display: block;
    min-height: 1.2em;
    margin-top: 0.35rem;
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
  }
`;
