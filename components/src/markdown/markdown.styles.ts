import { css } from "lit";

/** Styles of rendered Markdown (also used by `<sc-app>` for the description and article). */
export const markdownStyles = css`
  .prose {
    line-height: 1.6;
    overflow-wrap: anywhere;
  }
  .prose > :first-child {
    margin-top: 0;
  }
  .prose > :last-child {
    margin-bottom: 0;
  }
  .prose :is(strong, b, th, h1, h2, h3, h4, h5, h6) {
    font-weight: 600;
  }
  .prose a {
    color: var(--sc-color-primary);
  }
  .prose code {
    font-family: var(--sc-font-mono);
    font-size: 0.9em;
    background: var(--sc-color-surface-muted);
    border-radius: 4px;
    padding: 0.1em 0.3em;
  }
  .prose pre {
    background: var(--sc-color-surface-muted);
    border-radius: var(--sc-radius);
    padding: 0.6rem;
    overflow: auto;
  }
  .prose pre code {
    background: none;
    padding: 0;
  }
  .prose img {
    max-width: 100%;
  }
  .prose table {
    border-collapse: collapse;
  }
  .prose th,
  .prose td {
    border: 1px solid var(--sc-color-border);
    padding: 0.25rem 0.5rem;
  }
`;
