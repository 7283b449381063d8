import { css } from "lit";

/** Styles of `<sc-loginbutton>`. */
export const loginButtonStyles = css`
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6rem;
  }
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 600;
    padding: 0.55rem 1rem;
    border-radius: var(--sc-radius);
    border: 1px solid var(--sc-color-border);
    background: var(--sc-color-surface-muted);
    color: var(--sc-color-text);
    cursor: pointer;
  }
  .button:hover:not(:disabled) {
    border-color: var(--sc-color-primary);
  }
  .button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .button:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }
  .avatar {
    width: 1.75rem;
    height: 1.75rem;
    border-radius: 50%;
    object-fit: cover;
  }
  .note {
    color: var(--sc-color-text-muted);
    font-size: 0.875rem;
    margin: 0;
  }
  code {
    font-size: 0.85em;
  }
`;
