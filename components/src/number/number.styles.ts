import { css } from "lit";

/** Styles of `<sc-number>`. */
export const numberStyles = css`
  input {
    font-variant-numeric: tabular-nums;
  }
`;
