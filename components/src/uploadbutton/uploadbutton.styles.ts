import { css } from "lit";

/** Styles of `<sc-uploadbutton>`. */
export const uploadButtonStyles = css`
  .status {
    margin-block-start: 0.25rem;
    font-size: 0.875rem;
    color: var(--sc-color-text-muted, inherit);
    overflow-wrap: anywhere;
  }
  .status:empty {
    display: none;
  }
`;
