import { css } from "lit";

/** Styles of `<sc-audio>`. */
export const audioStyles = css`
  audio {
    display: block;
    width: 100%;
  }
  .dropzone {
    min-height: 5rem;
  }
  .recording-time {
    font-variant-numeric: tabular-nums;
    align-self: center;
    font-size: 0.875rem;
    color: var(--sc-color-error);
  }
`;
