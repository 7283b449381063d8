import { css } from "lit";

/** Styles of `<sc-file>`. */
export const fileStyles = css`
  .dropzone {
    min-height: 5rem;
  }
  .file {
    display: flex;
    align-items: baseline;
    gap: 0.6rem;
    flex-wrap: wrap;
  }
  .file a {
    color: var(--sc-color-primary);
    font-weight: 600;
  }
`;
