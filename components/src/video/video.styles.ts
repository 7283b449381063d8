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
  video.mirrored {
    transform: scaleX(-1);
  }
  .recording-time {
    align-self: center;
    font-size: 0.85rem;
    font-variant-numeric: tabular-nums;
    color: var(--sc-color-error);
  }
`;
