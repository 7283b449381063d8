import { css } from "lit";

/** Styles of `<sc-video>`. */
export const videoStyles = css`
  video {
    display: block;
    max-width: 100%;
    max-height: var(--sc-video-height, 24rem);
    margin: 0 auto;
    border-radius: calc(var(--sc-radius) / 2);
    background: #000;
  }
  /* The live view has its size before the camera's first frame: nothing under it moves then. */
  video[part="webcam"] {
    height: var(--sc-video-height, 24rem);
    aspect-ratio: 4 / 3;
    object-fit: contain;
  }
  video.mirrored {
    transform: scaleX(-1);
  }
  .recording-time {
    align-self: center;
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
    color: var(--sc-color-error);
  }
`;
