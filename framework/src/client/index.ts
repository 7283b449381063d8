// The page's side of the protocol: one Transport interface, two implementations.
export * from "./transport.js";
export { WebSocketTransport } from "./websocket.js";
export { WorkerTransport } from "./worker-transport.js";
