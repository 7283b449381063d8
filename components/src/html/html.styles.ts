import { css } from "lit";

/** Styles of `<sc-html>`. */
export const htmlStyles = css`
  .content {
    overflow-wrap: anywhere;
  }
  .content img {
    max-width: 100%;
  }
`;
