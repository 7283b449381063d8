import { css } from "lit";

/** Styles of `<sc-examples>`. */
export const examplesStyles = css`
  .wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.875rem;
  }
  caption {
    text-align: left;
    font-weight: 600;
    margin-bottom: 0.4rem;
  }
  th {
    text-align: left;
    font-weight: 600;
    color: var(--sc-color-text-muted);
  }
  th,
  td {
    padding: 0.4rem 0.6rem;
    border-bottom: 1px solid var(--sc-color-border);
  }
  tbody tr {
    cursor: pointer;
  }
  tbody tr:hover {
    background: var(--sc-color-surface-muted);
  }
  button {
    all: unset;
    cursor: pointer;
    border-radius: 4px;
  }
  button:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }

  .file {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  .thumb {
    width: 3rem;
    height: 3rem;
    object-fit: cover;
    border-radius: 4px;
    border: 1px solid var(--sc-color-border);
  }
  .name {
    overflow-wrap: anywhere;
  }

  .pages {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    margin-top: 0.5rem;
  }
  .pages button {
    padding: 0.2rem 0.6rem;
    border: 1px solid var(--sc-color-border);
  }
  .pages button[aria-current="page"] {
    font-weight: 600;
    background: var(--sc-color-surface-muted);
  }
  .pages button:disabled {
    cursor: default;
    opacity: 0.5;
  }
`;
