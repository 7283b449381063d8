import { css } from "lit";

/** Styles of `<sc-datetime>`. */
export const dateTimeStyles = css`
  .wrap {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .control {
    flex: 1;
    font-variant-numeric: tabular-nums;
  }
  .picker {
    font: inherit;
    padding: 0.45rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    color: var(--sc-color-text);
    color-scheme: inherit;
  }
  .now {
    font: inherit;
    padding: 0.45rem 0.7rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    color: var(--sc-color-text);
    cursor: pointer;
  }
  .zone,
  .local {
    color: var(--sc-color-text-muted);
    font-size: 0.85em;
  }
  .zone {
    white-space: nowrap;
  }
  .local {
    margin: 0.25rem 0 0;
    font-variant-numeric: tabular-nums;
  }
`;
