// Declaring a Space

// Components (Gradio's names)
export * from "./components/index.js";
// Contracts shared with the page, the worker and clients
export type { ComponentConfig, DependencyConfig, LayoutNode, SpaceConfig } from "./config.js";
export type { Context } from "./context.js";
// The engine (transport-agnostic)
export { Engine, type EngineOptions } from "./engine/engine.js";
export { DeclarationError, SpaceError } from "./errors.js";
export {
  type ExampleRow,
  type FnResult,
  type InputValues,
  Interface,
  type InterfaceFn,
  type InterfaceOptions,
  type OutputValues,
} from "./interface.js";
export type { ClientMessage, ServerMessage } from "./protocol.js";
export { type Endpoint, Space } from "./space.js";
