// Declaring a Space

// Components (Gradio's names)
export * from "./components/index.js";
// Contracts shared with the page, the worker and clients
export type { ComponentConfig, DependencyConfig, LayoutNode, SpaceConfig } from "./config.js";
export type { Caller, Context, OAuthToken, User } from "./context.js";
// The engine (transport-agnostic)
export { Engine, type EngineOptions } from "./engine/engine.js";
export type { BatchOptions } from "./engine/queue.js";
export { DeclarationError, ModelLoadError, SpaceError } from "./errors.js";
export {
  type AnyModel,
  type BatchFn,
  type BatchResult,
  type ExampleRow,
  type FnResult,
  type FromPipelineOptions,
  fromModel,
  fromPipeline,
  type InputValues,
  Interface,
  type InterfaceFn,
  type InterfaceOptions,
  type ModelOf,
  type OutputValues,
} from "./interface.js";
// Models (transformers.js)
export {
  DTYPE_SUFFIX,
  type LoadedPipeline,
  ModelHandle,
  type ModelStatus,
  type PipelineOptions,
  POPULAR_MODELS,
  pipeline,
} from "./models/pipeline.js";
export { TASKS, type TaskRecipe } from "./models/tasks.js";
export type { ClientMessage, ServerMessage } from "./protocol.js";
export { type Endpoint, Space } from "./space.js";
