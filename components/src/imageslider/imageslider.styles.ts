import { css } from "lit";

/** Styles of `<sc-imageslider>`. */
export const imageSliderStyles = css`
  .compare {
    position: relative;
    display: block;
    inline-size: fit-content;
    max-inline-size: 100%;
    margin: 0 auto;
    touch-action: none;
    user-select: none;
  }
  .compare img {
    display: block;
    max-width: 100%;
    max-height: var(--sc-image-height, 24rem);
    pointer-events: none;
  }
  .compare .after {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    object-fit: fill;
    clip-path: inset(0 0 0 var(--position));
  }
  .divider {
    position: absolute;
    inset-block: 0;
    inset-inline-start: var(--position);
    inline-size: 0.25rem;
    margin-inline-start: -0.125rem;
    background: var(--sc-color-surface);
    box-shadow: 0 0 0 1px var(--sc-color-border);
    cursor: ew-resize;
  }
  .divider::after {
    content: "";
    box-sizing: border-box;
    position: absolute;
    inset-block-start: 50%;
    inset-inline-start: 50%;
    inline-size: 1.25rem;
    block-size: 1.25rem;
    translate: -50% -50%;
    border-radius: 50%;
    background: var(--sc-color-surface);
    border: 2px solid var(--sc-color-primary);
  }
  .divider:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }
`;
