import type { CSSResult } from "lit";
import type { Transport } from "spacecraft/client";
import type { BlockRenderer } from "./layout.js";

/**
 * What the page's lazily loaded modules register when they run. A server-drawn page runs the
 * ones its config needs as scripts (`server/page.ts`), so `<sc-app>` finds them here instead of
 * importing them: an import of a module that already ran still waits a task, often a frame.
 */
export const ran: {
  /** `app/websocket.ts`: opens the WebSocket transport to a Space's `ws`. */
  websocket?: (url: URL) => Transport;
  /** `app/blocks.ts`: tabs, accordions and groups, and their styles. */
  blocks?: { renderers: Record<string, BlockRenderer>; styles: CSSResult };
} = {};
