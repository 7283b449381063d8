import { css } from "lit";

/** A button that looks like a link (the page's footer links, the Flag button): `class="link"`. */
export const linkButtonStyles = css`
  .link {
    font: inherit;
    padding: 0.1rem 0.25rem;
    border: 0;
    background: none;
    color: var(--sc-color-text-muted);
    text-decoration: underline;
    text-underline-offset: 2px;
    cursor: pointer;
  }
  .link:hover {
    color: var(--sc-color-text);
  }
  .link:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
    border-radius: 2px;
  }
`;

/** Styles of `<sc-app>`: page frame, rows, columns and panels (with {@link linkButtonStyles}). */
export const appStyles = css`
  :host {
    display: block;
    max-width: 1200px;
    margin: 0 auto;
    padding: 1.5rem 1rem 3rem;
  }
  header h1 {
    margin: 0 0 0.5rem;
    font-size: 1.75rem;
    font-weight: 600;
    color: var(--sc-color-text);
  }
  header,
  .article {
    margin-bottom: 1.25rem;
    color: var(--sc-color-text-muted);
  }
  .article {
    margin-top: 1.5rem;
  }
  .form,
  .column {
    display: flex;
    flex-direction: column;
    gap: var(--sc-spacing);
    min-width: 0;
  }
  .form {
    gap: 1.25rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--sc-spacing);
    align-items: stretch;
  }
  .row > * {
    flex: 1 1 16rem;
  }
  .row > sc-button {
    flex-basis: 6rem;
  }
  .row.start {
    align-items: flex-start;
  }
  [hidden] {
    display: none !important;
  }
  .panel {
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: calc(var(--sc-radius) * 1.5);
    padding: 1rem;
  }
  .banner {
    border: 1px solid var(--sc-color-border);
    background: var(--sc-color-surface-muted);
    border-radius: var(--sc-radius);
    padding: 0.5rem 0.75rem;
    margin-bottom: 1rem;
  }
  .banner.error {
    color: var(--sc-color-error);
    background: var(--sc-color-error-surface);
  }
  code {
    font-family: var(--sc-font-mono);
    font-size: 0.9em;
  }
  .hint {
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
    margin-top: 0.75rem;
  }
  .links {
    display: flex;
    justify-content: center;
    gap: 1rem;
    margin-top: 2rem;
    font-size: 0.875rem;
  }
  kbd {
    border: 1px solid var(--sc-color-border);
    border-radius: 3px;
    padding: 0 0.25rem;
  }
`;
