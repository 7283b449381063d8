import { css } from "lit";

/** Styles of `<sc-annotatedimage>`. */
export const annotatedImageStyles = css`
  .frame {
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.5rem;
    text-align: center;
  }
  .canvas {
    position: relative;
    display: inline-block;
    max-width: 100%;
    vertical-align: top;
  }
  img {
    display: block;
    max-width: 100%;
    max-height: var(--sc-image-height, 28rem);
  }
  .box {
    position: absolute;
    border: 2px solid var(--color);
    border-radius: 2px;
    transition: opacity 0.15s;
  }
  .box.dim {
    opacity: 0.2;
  }
  .tag {
    position: absolute;
    left: -2px;
    bottom: 100%;
    background: var(--color);
    color: #fff;
    font-size: 0.75rem;
    line-height: 1.2;
    padding: 0.05rem 0.3rem;
    white-space: nowrap;
    border-radius: 2px 2px 0 0;
    text-shadow: 0 0 2px rgb(0 0 0 / 0.6);
  }
  .box.low .tag {
    bottom: auto;
    top: 0;
    border-radius: 0 0 2px 0;
  }
  .legend {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin: 0.5rem 0 0;
    padding: 0;
  }
  .legend button {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.15rem 0.5rem;
    border: 1px solid var(--sc-color-border);
    border-radius: 999px;
    background: var(--sc-color-surface);
    cursor: default;
    font-size: 0.875rem;
  }
  .swatch {
    width: 0.75rem;
    height: 0.75rem;
    border-radius: 2px;
    background: var(--color);
  }
  .empty {
    color: var(--sc-color-text-muted);
    margin: 0;
  }
`;
