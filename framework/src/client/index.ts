// The page's side of the protocol: one Transport interface, two implementations.

export { FILE_ROUTE, isFileData } from "../components/file-shape.js";
export {
  type CallInputs,
  type CallOptions,
  type ClientEvent,
  type ConnectOptions,
  connect,
  type EndpointName,
  type EndpointTypes,
  type SpaceCall,
  SpaceCallError,
  type SpaceClient,
} from "./connect.js";
export * from "./transport.js";
export { WebSocketTransport } from "./websocket.js";
export { WorkerTransport } from "./worker-transport.js";
