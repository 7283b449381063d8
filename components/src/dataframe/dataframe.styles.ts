import { css } from "lit";

/** Styles of `<sc-dataframe>`. */
export const dataframeStyles = css`
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
    margin-bottom: 0.4rem;
  }
  .button {
    font: inherit;
    font-size: 0.875rem;
    padding: 0.2rem 0.6rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    color: inherit;
    cursor: pointer;
  }
  .button:focus-within,
  .button:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 1px;
  }
  .count {
    margin-left: auto;
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
  }
  .grid {
    position: relative;
    overflow: auto;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    font-size: 0.875rem;
    min-height: 34px;
  }
  .row {
    display: grid;
    height: 32px;
    min-width: 100%;
  }
  .head {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--sc-color-surface);
    border-bottom: 1px solid var(--sc-color-border);
    font-weight: 600;
  }
  .body {
    position: relative;
  }
  .body .row {
    position: absolute;
    left: 0;
    right: 0;
    border-bottom: 1px solid color-mix(in srgb, var(--sc-color-border) 50%, transparent);
  }
  .header,
  .cell {
    min-width: 0;
    border-right: 1px solid color-mix(in srgb, var(--sc-color-border) 50%, transparent);
  }
  .sort {
    display: flex;
    width: 100%;
    height: 100%;
    align-items: center;
    gap: 0.25rem;
    padding: 0 0.5rem;
    border: 0;
    background: none;
    font: inherit;
    color: inherit;
    cursor: pointer;
    text-align: left;
  }
  .sort:focus-visible,
  .cell:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: -2px;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .arrow {
    font-size: 0.7rem;
  }
  .cell {
    padding: 0 0.5rem;
    line-height: 31px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    cursor: default;
  }
  .cell.number {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .cell[aria-selected="true"] {
    box-shadow: inset 0 0 0 2px var(--sc-color-primary);
  }
  .cell.editing {
    padding: 0;
  }
  .editor {
    width: 100%;
    height: 100%;
    border: 0;
    padding: 0 0.5rem;
    font: inherit;
    color: inherit;
    background: var(--sc-color-surface);
    outline: 2px solid var(--sc-color-focus);
    outline-offset: -2px;
  }
`;
