// The WebSocket transport, registered in `ran` when this module runs (a server-drawn page runs it
// as a script, so `<sc-app>` opens the socket without waiting for an import).
import { WebSocketTransport } from "spacecraft/client/websocket";
import { ran } from "./ran.js";

ran.websocket = WebSocketTransport;
