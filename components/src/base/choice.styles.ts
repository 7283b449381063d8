import { css } from "lit";

/** Styles shared by lists of choices (`<sc-checkboxgroup>`, `<sc-radio>`). */
export const choiceStyles = css`
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  .choice {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.35rem 0.7rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    cursor: pointer;
  }
  .choice:has(input:checked) {
    border-color: var(--sc-color-primary);
  }
  .choice:has(input:disabled) {
    cursor: default;
    background: var(--sc-color-surface-muted);
  }
  input {
    margin: 0;
  }
`;
