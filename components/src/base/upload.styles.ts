import { css } from "lit";

/** Styles of upload elements: the drop zone, the preview frame, toolbar buttons and progress. */
export const uploadStyles = css`
  .dropzone {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.35rem;
    width: 100%;
    min-height: 8rem;
    padding: 1rem;
    background: var(--sc-color-surface);
    border: 2px dashed var(--sc-color-border);
    border-radius: var(--sc-radius);
    color: var(--sc-color-text-muted);
    cursor: pointer;
    text-align: center;
  }
  .dropzone:hover,
  :host([dragging]) .dropzone {
    border-color: var(--sc-color-primary);
    color: var(--sc-color-text);
  }
  .dropzone[aria-disabled="true"] {
    cursor: progress;
  }
  .dropzone strong {
    color: var(--sc-color-text);
  }
  .frame {
    position: relative;
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.5rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin-top: 0.4rem;
  }
  .tool {
    padding: 0.3rem 0.7rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface-muted);
    cursor: pointer;
    font-size: 0.875rem;
  }
  .tool:hover {
    border-color: var(--sc-color-primary);
  }
  .tool.recording {
    background: var(--sc-color-error);
    border-color: var(--sc-color-error);
    color: var(--sc-color-primary-text);
  }
  .progress {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
    margin-top: 0.4rem;
  }
  progress {
    flex: 1 1 8rem;
    height: 0.5rem;
    accent-color: var(--sc-color-primary);
  }
  .empty {
    color: var(--sc-color-text-muted);
    margin: 0;
  }
  .name {
    overflow-wrap: anywhere;
  }
  .size {
    color: var(--sc-color-text-muted);
    font-size: 0.875rem;
    white-space: nowrap;
  }
`;
