import { css } from "lit";

/** Styles of `<sc-slider>`. */
export const sliderStyles = css`
  .head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .number {
    width: 6rem;
    padding: 0.2rem 0.4rem;
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  input[type="range"] {
    width: 100%;
    margin: 0.4rem 0 0;
  }
`;
