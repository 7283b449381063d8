import { css } from "lit";

/** Styles of `<sc-image>`. */
export const imageStyles = css`
  img,
  video {
    display: block;
    max-width: 100%;
    max-height: var(--sc-image-height, 24rem);
    margin: 0 auto;
    border-radius: calc(var(--sc-radius) / 2);
    object-fit: contain;
  }
  .dropzone img {
    pointer-events: none;
  }
`;
