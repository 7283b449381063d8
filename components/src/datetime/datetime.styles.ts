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
`;
