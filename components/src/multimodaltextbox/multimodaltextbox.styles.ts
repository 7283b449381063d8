import { css } from "lit";

/** Styles of `<sc-multimodaltextbox>`. */
export const multimodaltextboxStyles = css`
  .box {
    display: flex;
    flex-direction: column;
    gap: 0.4rem;
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.35rem;
  }
  .box:focus-within {
    border-color: var(--sc-color-focus);
  }
  :host([dragging]) .box {
    border: 1px dashed var(--sc-color-primary);
  }
  .box.readonly {
    padding: 0.5rem;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .row {
    display: flex;
    align-items: flex-end;
    gap: 0.35rem;
  }
  textarea.control {
    flex: 1;
    resize: none;
    border: none;
    background: transparent;
    box-shadow: none;
    padding: 0.35rem;
  }
  textarea.control:focus {
    outline: none;
  }
  .icon {
    flex: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 2.1rem;
    height: 2.1rem;
    padding: 0;
    border: 1px solid transparent;
    border-radius: var(--sc-radius);
    background: transparent;
    color: var(--sc-color-text-muted);
    cursor: pointer;
  }
  .icon:hover,
  .icon:focus-visible {
    color: var(--sc-color-text);
    border-color: var(--sc-color-border);
  }
  .icon.submit {
    background: var(--sc-color-primary);
    color: var(--sc-color-primary-text);
  }
  .icon svg {
    width: 1.2rem;
    height: 1.2rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .chip {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
    max-width: 14rem;
    padding: 0.25rem 0.4rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface-muted);
    font-size: 0.875rem;
  }
  .chip .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .thumb {
    display: block;
    width: 3rem;
    height: 3rem;
    object-fit: cover;
    border-radius: calc(var(--sc-radius) / 2);
  }
  .remove {
    flex: none;
    width: 1.4rem;
    height: 1.4rem;
    padding: 0;
    border: 1px solid var(--sc-color-border);
    border-radius: 50%;
    background: var(--sc-color-surface);
    color: var(--sc-color-text);
    line-height: 1;
    cursor: pointer;
  }
  .remove:hover,
  .remove:focus-visible {
    border-color: var(--sc-color-error);
    color: var(--sc-color-error);
  }
  .progress {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
  }
  progress {
    flex: 1 1 6rem;
    height: 0.5rem;
    accent-color: var(--sc-color-primary);
  }
  .empty {
    color: var(--sc-color-text-muted);
    margin: 0;
  }
`;
