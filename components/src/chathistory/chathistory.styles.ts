import { css } from "lit";

/** Styles of `<sc-chathistory>`: the foldable panel, the New chat button and the list. */
export const chatHistoryStyles = css`
  .panel {
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.5rem;
  }
  summary {
    cursor: pointer;
    font-weight: 600;
    font-size: 0.875rem;
    padding: 0.25rem;
  }
  .count {
    color: var(--sc-color-text-muted);
    font-weight: normal;
  }
  button {
    cursor: pointer;
    background: none;
    border: 1px solid transparent;
    border-radius: var(--sc-radius);
    padding: 0.35rem 0.5rem;
  }
  button:hover {
    background: var(--sc-color-surface-muted);
  }
  .new {
    box-sizing: border-box;
    width: 100%;
    margin: 0.35rem 0;
    border-color: var(--sc-color-border);
    text-align: start;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: 24rem;
    overflow-y: auto;
  }
  .item {
    display: flex;
    align-items: center;
    gap: 0.15rem;
  }
  .item.current .open {
    background: var(--sc-color-surface-muted);
    border-color: var(--sc-color-border);
    font-weight: 600;
  }
  .open {
    flex: 1;
    min-width: 0;
    text-align: start;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .delete {
    color: var(--sc-color-text-muted);
    font-size: 0.875rem;
  }
  .empty,
  .notice {
    color: var(--sc-color-text-muted);
    font-size: 0.875rem;
    margin: 0.35rem 0.25rem 0;
  }
  .notice:empty {
    display: none;
  }
  .undo {
    color: var(--sc-color-primary);
    text-decoration: underline;
    padding: 0 0.25rem;
  }
`;
