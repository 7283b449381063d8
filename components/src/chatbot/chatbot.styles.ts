import { css } from "lit";

/** Styles of `<sc-chatbot>`: the scrolling log, the bubbles, thoughts and the typing dots. */
export const chatbotStyles = css`
  :host([pending]) {
    opacity: 1;
  }
  .log {
    overflow-y: auto;
    overscroll-behavior: contain;
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
  }
  .messages {
    display: flex;
    flex-direction: column;
    gap: 0.6rem;
    padding: 0.75rem;
  }
  .message {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.25rem;
    max-width: 85%;
  }
  .message.user {
    align-self: flex-end;
    align-items: flex-end;
  }
  .bubble {
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.5rem 0.75rem;
    max-width: 100%;
    overflow-x: auto;
  }
  .user .bubble {
    background: var(--sc-color-surface-muted);
  }
  .system .bubble {
    color: var(--sc-color-text-muted);
    font-style: italic;
  }
  .thought {
    border: 1px dashed var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.35rem 0.65rem;
    font-size: 0.9em;
    color: var(--sc-color-text-muted);
    max-width: 100%;
  }
  .thought summary {
    cursor: pointer;
    font-weight: 600;
  }
  .thought[open] summary {
    margin-bottom: 0.35rem;
  }
  .note {
    font-weight: 400;
    margin-left: 0.4rem;
  }
  .copy,
  .action {
    border: 1px solid var(--sc-color-border);
    background: var(--sc-color-surface-muted);
    color: inherit;
    border-radius: 4px;
    font: inherit;
    font-size: 0.75rem;
    padding: 0.1rem 0.4rem;
    cursor: pointer;
  }
  .copy:focus-visible,
  .action:focus-visible,
  .editor textarea:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 1px;
  }
  .action[aria-pressed="true"] {
    border-color: var(--sc-color-primary);
    background: var(--sc-color-surface);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
  }
  /* While a reply runs, what would change the conversation waits. */
  :host([busy]) .edit {
    display: none;
  }
  .header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .clear {
    margin-left: auto;
  }
  .editing {
    align-self: stretch;
    max-width: 100%;
  }
  .editor {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 0.25rem;
    width: 100%;
  }
  .editor textarea {
    width: 100%;
    font: inherit;
    color: inherit;
    background: var(--sc-color-surface);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    padding: 0.4rem 0.6rem;
    resize: vertical;
  }
  .placeholder {
    color: var(--sc-color-text-muted);
    text-align: center;
    margin: auto;
    padding: 2rem 1rem;
  }
  .typing {
    display: inline-flex;
    gap: 0.25rem;
    padding: 0.6rem 0.75rem;
  }
  .typing span {
    width: 0.45rem;
    height: 0.45rem;
    border-radius: 50%;
    background: var(--sc-color-text-muted);
    animation: blink 1.2s infinite ease-in-out both;
  }
  .typing span:nth-child(2) {
    animation-delay: 0.2s;
  }
  .typing span:nth-child(3) {
    animation-delay: 0.4s;
  }
  @keyframes blink {
    0%,
    80%,
    100% {
      opacity: 0.25;
    }
    40% {
      opacity: 1;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .typing span {
      animation: none;
    }
  }
`;
