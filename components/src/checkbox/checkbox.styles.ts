import { css } from "lit";

/** Styles of `<sc-checkbox>`. */
export const checkboxStyles = css`
  .box {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    cursor: pointer;
  }
  input {
    width: 1.1rem;
    height: 1.1rem;
    margin: 0;
  }
`;
