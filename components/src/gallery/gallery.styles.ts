import { css } from "lit";

/** Styles of `<sc-gallery>`. */
export const galleryStyles = css`
  .grid {
    display: grid;
    grid-template-columns: repeat(var(--sc-gallery-columns, 3), minmax(0, 1fr));
    gap: 0.5rem;
    list-style: none;
    margin: 0;
    padding: 0.5rem;
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    max-height: var(--sc-gallery-height, none);
    overflow-y: auto;
  }
  figure {
    margin: 0;
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  a {
    display: block;
    border-radius: calc(var(--sc-radius) / 2);
    overflow: hidden;
    background: var(--sc-color-surface-muted);
  }
  img {
    display: block;
    width: 100%;
    aspect-ratio: 1;
    object-fit: cover;
  }
  figcaption {
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
    overflow-wrap: anywhere;
  }
  .empty {
    color: var(--sc-color-text-muted);
    margin: 0;
  }
`;
