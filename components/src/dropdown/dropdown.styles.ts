import { css } from "lit";

/** Styles of `<sc-dropdown>`. */
export const dropdownStyles = css`
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    margin: 0 0 0.4rem;
    padding: 0;
    list-style: none;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    padding: 0.1rem 0.2rem 0.1rem 0.55rem;
    border-radius: 999px;
    background: var(--sc-color-surface-muted);
    border: 1px solid var(--sc-color-border);
  }
  .chip button {
    border: 0;
    background: none;
    cursor: pointer;
    border-radius: 999px;
    padding: 0 0.35rem;
    line-height: 1.4;
  }
  .chip button:hover {
    background: var(--sc-color-border);
  }
`;
