// The WebSocket transport, registered in `ran` when this module runs (a server-drawn page runs it
// as a script, so `<sc-app>` opens the socket without waiting for an import).
import type { OpenedSocket } from "spacecraft/client/websocket";
import { WebSocketTransport } from "spacecraft/client/websocket";
import { ran } from "./ran.js";

declare global {
  /**
   * Set by the server page's first script (`server/early-input.ts`): hands over the socket it
   * opened (or opens now), undefined if the browser refused to open one.
   */
  var spacecraftSocket: (() => OpenedSocket | undefined) | undefined;
}

/**
 * The transport to `url`: on the server's page, over the socket its first script opened after the
 * drawing's first frame (so a visitor's first run need not wait for a handshake); else a socket
 * opened after the page's first frame.
 */
ran.websocket = (url) => {
  const opened = globalThis.spacecraftSocket?.();
  globalThis.spacecraftSocket = undefined;
  const socket = opened && new URL(opened.socket.url);
  // Only a socket to this Space's `ws` (an embedding page sets another Space's base).
  if (socket && socket.host === url.host && socket.pathname === url.pathname)
    return new WebSocketTransport(url, undefined, { opened });
  opened?.socket.close();
  return new WebSocketTransport(url, undefined, { openLater: true });
};
