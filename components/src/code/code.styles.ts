import { css } from "lit";

/** Styles of `<sc-code>`. */
export const codeStyles = css`
  .frame {
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    overflow: hidden;
    font-size: 0.875rem;
  }
  .frame:focus-within {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 1px;
  }
  .frame .cm-editor {
    min-height: calc(var(--lines) * 1.4em + 8px);
  }
  .frame .cm-scroller {
    max-height: calc(var(--max-lines) * 1.4em + 8px);
    overflow: auto;
    line-height: 1.4;
  }
  .plain {
    margin: 0;
    padding: 4px 0.6rem;
    min-height: calc(var(--lines) * 1.4em + 8px);
    font-family: var(--sc-font-mono);
    line-height: 1.4;
    white-space: pre-wrap;
  }
`;
