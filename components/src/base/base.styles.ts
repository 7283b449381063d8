import { css } from "lit";

/** Styles every element shares: host display, label, info, error message and focus ring. */
export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--sc-font);
    color: var(--sc-color-text);
    font-size: 0.95rem;
  }
  :host([hidden]) {
    display: none;
  }
  :host([pending]) {
    opacity: 0.55;
    transition: opacity 0.2s 0.1s;
  }
  /* Not *::before and *::after: a rule for every element's pseudo-elements has the browser
     style two more for each element (~1 ms of the hello page's first frame here); the one
     element that draws one sets its own box-sizing. */
  * {
    box-sizing: inherit;
  }
  .label {
    display: block;
    font-weight: 600;
    font-size: 0.875rem;
    margin: 0 0 0.35rem;
    padding: 0;
  }
  .info {
    display: block;
    color: var(--sc-color-text-muted);
    font-size: 0.875rem;
    margin: -0.2rem 0 0.4rem;
  }
  .error {
    color: var(--sc-color-error);
    background: var(--sc-color-error-surface);
    border-radius: 4px;
    font-size: 0.875rem;
    margin-top: 0.35rem;
    padding: 0.25rem 0.5rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  input,
  textarea,
  select,
  button {
    font: inherit;
    color: inherit;
  }
  .control {
    width: 100%;
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.5rem 0.65rem;
  }
  .control[readonly],
  .control:disabled {
    background: var(--sc-color-surface-muted);
  }
  [aria-invalid="true"] {
    border-color: var(--sc-color-error);
  }
  :focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }
  input[type="checkbox"],
  input[type="radio"],
  input[type="range"] {
    accent-color: var(--sc-color-primary);
  }
`;
