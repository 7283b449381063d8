import { css } from "lit";

/** Styles of `<sc-nativeplot>`. */
export const nativeplotStyles = css`
  .plot {
    position: relative;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    padding: 0.5rem;
  }
  canvas {
    display: block;
  }
  .empty {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    color: var(--sc-color-text-muted);
    font-size: 0.875rem;
  }
`;
