import { css } from "lit";

/** Styles of `<sc-status>`. */
export const statusStyles = css`
  :host {
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
    min-height: 1.25rem;
  }
  .line {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  .time {
    font-variant-numeric: tabular-nums;
    margin-left: auto;
  }
  progress {
    flex: 1 1 8rem;
    accent-color: var(--sc-color-primary);
    height: 0.5rem;
  }
  .error {
    margin: 0;
  }
`;
