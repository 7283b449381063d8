import { css } from "lit";

/** Styles of `<sc-colorpicker>`. */
export const colorPickerStyles = css`
  .wrap {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .swatch {
    inline-size: 2.75rem;
    block-size: 2.4rem;
    padding: 0.15rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    cursor: pointer;
  }
  .swatch:disabled {
    cursor: default;
  }
  .control {
    font-family: ui-monospace, monospace;
    max-inline-size: 9rem;
  }
`;
