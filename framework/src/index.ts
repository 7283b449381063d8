// Declaring a Space

// Blocks: Button, State, layout and events
export {
  Accordion,
  type AccordionOptions,
  type Block,
  type BlockProps,
  Blocks,
  type BlocksOptions,
  type Child,
  type Children,
  Column,
  type ColumnOptions,
  type DatasetOptions,
  Examples,
  type ExamplesOptions,
  Group,
  type Layout,
  on,
  type Page,
  Row,
  type RowOptions,
  Tab,
  TabbedInterface,
  Tabs,
} from "./blocks.js";
export {
  type ChatEndpoints,
  type ChatFn,
  ChatInterface,
  type ChatInterfaceOptions,
  type ChatReply,
  type FromOpenAIOptions,
} from "./chat.js";
// Components (Gradio's names): each function, its props and the values `fn` receives or returns
export {
  AnnotatedImage,
  type AnnotatedImageData,
  type AnnotatedImageInput,
  type AnnotatedImageProps,
  type Annotation,
  type Box,
  type Detection,
} from "./components/annotatedimage.js";
export {
  Audio,
  type AudioData,
  type AudioProps,
  type AudioType,
  type AudioValues,
} from "./components/audio.js";
export { Button, type ButtonProps } from "./components/button.js";
export {
  Chatbot,
  type ChatbotProps,
  type ChatMessage,
  type ChatMessageOutput,
  type MessageMetadata,
} from "./components/chatbot.js";
export { Checkbox, type CheckboxProps } from "./components/checkbox.js";
export { CheckboxGroup, type CheckboxGroupProps } from "./components/checkboxgroup.js";
// Components of issue 15, part B: tables, code and plots
export { CODE_LANGUAGES, Code, type CodeLanguage, type CodeProps } from "./components/code.js";
// Issue 15, components part A
export { ColorPicker, type ColorPickerProps } from "./components/colorpicker.js";
export type {
  AnyComponent,
  ApiFacts,
  Choice,
  ChoiceValue,
  Component,
  InputOf,
  OutputOf,
  SharedProps,
  ValueTypes,
  WireOf,
} from "./components/component.js";
// A Space's own components: a spec and a Lit element in one file
export {
  type CustomComponent,
  type CustomComponentDefinition,
  type CustomElementSource,
  defineComponent,
} from "./components/custom.js";
export {
  type ColumnType,
  Dataframe,
  type DataframeOutput,
  type DataframeProps,
  type DataframeValue,
} from "./components/dataframe.js";
export {
  DateTime,
  type DateTimeProps,
  type DateTimeType,
  type DateTimeValues,
} from "./components/datetime.js";
export { DownloadButton, type DownloadButtonProps } from "./components/downloadbutton.js";
export { Dropdown, type DropdownProps, type DropdownValue } from "./components/dropdown.js";
export { File, type FileOutput, type FileProps, type FileType, type FileValues } from "./components/file.js";
export type { FileData, Pixels } from "./components/file-data.js";
export { Gallery, type GalleryInput, type GalleryItem, type GalleryProps } from "./components/gallery.js";
export {
  type HighlightedEntity,
  type HighlightedSpan,
  HighlightedText,
  type HighlightedTextInput,
  type HighlightedTextProps,
} from "./components/highlightedtext.js";
export { HTML, type HTMLProps } from "./components/html.js";
export { Image, type ImageProps, type ImageType, type ImageValues } from "./components/image.js";
export { ImageSlider, type ImageSliderData, type ImageSliderProps } from "./components/imageslider.js";
export { JSON, type JSONProps, type JsonValue } from "./components/json.js";
export { Label, type LabelData, type LabelInput, type LabelProps } from "./components/label.js";
export { LoginButton, type LoginButtonProps } from "./components/loginbutton.js";
export { Markdown, type MarkdownProps } from "./components/markdown.js";
export type { ImageLike } from "./components/media.js";
export {
  type MultimodalOutput,
  MultimodalTextbox,
  type MultimodalTextboxProps,
  type MultimodalValue,
} from "./components/multimodaltextbox.js";
export {
  BarPlot,
  LinePlot,
  type PlotData,
  type PlotDataType,
  type PlotProps,
  ScatterPlot,
} from "./components/nativeplot.js";
export { Number, type NumberProps } from "./components/number.js";
export { Radio, type RadioProps } from "./components/radio.js";
export { Slider, type SliderProps } from "./components/slider.js";
export { State } from "./components/state.js";
export { Textbox, type TextboxProps } from "./components/textbox.js";
export { Timer, type TimerProps } from "./components/timer.js";
export {
  type FileCount,
  UploadButton,
  type UploadButtonProps,
  type UploadButtonValue,
} from "./components/uploadbutton.js";
export type { VideoSource } from "./components/video.js";
export {
  Video,
  type VideoData,
  type VideoOutput,
  type VideoProps,
  type VideoType,
  type VideoValues,
} from "./components/video.js";
// Contracts shared with the page, the worker and clients
export type { ComponentConfig, DependencyConfig, LayoutNode, SpaceConfig } from "./config.js";
export type { Caller, Context, OAuthToken, User } from "./context.js";
// The engine (transport-agnostic)
export { Engine, type EngineOptions } from "./engine/engine.js";
export type { BatchOptions } from "./engine/queue.js";
export { DeclarationError, ModelLoadError, SpaceError } from "./errors.js";
export type {
  DataframeSelectData,
  EditData,
  EventDataMap,
  EventDataOf,
  LikeData,
  RetryData,
  SelectData,
  UndoData,
} from "./event-data.js";
export {
  type ApiVisibility,
  type DataOf,
  type Event,
  type EventFn,
  type EventName,
  type EventOptions,
  type Listener,
  type Listeners,
  type TriggerMode,
  type Update,
  type UpdateProps,
  update,
} from "./events.js";
// Flagging (Interface's and ChatInterface's `flagging`)
export type { FlaggingOptions } from "./flagging.js";
export {
  type AnyModel,
  type BatchFn,
  type BatchResult,
  type ExampleRow,
  type FnResult,
  type FromInferenceOptions,
  type FromPipelineOptions,
  fromInference,
  fromModel,
  fromPipeline,
  type InputValues,
  Interface,
  type InterfaceFn,
  type InterfaceOptions,
  type ModelOf,
  type OutputValues,
} from "./interface.js";
// Remote models (Inference Providers, OpenAI-compatible servers)
export {
  type ChatCompletionSettings,
  INFERENCE_TASKS,
  InferenceHandle,
  type InferenceOptions,
  type InferenceRecipe,
  type InferenceTask,
  inference,
  type OpenAIServer,
  type RemoteModel,
} from "./models/inference.js";
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
/** valibot, for the value schema of a Space's own component (`sc.v.number()`). */
export { v } from "./schema.js";
export type { FlaggingParts } from "./space.js";
export { type ApiMap, type Endpoint, Space } from "./space.js";
export { type Cell, TableShapeError } from "./table.js";
// Themes: the page's colours, shapes and fonts, and its colour mode
export {
  type ColorMode,
  type Theme,
  type ThemeColors,
  type ThemeSettings,
  theme,
  themes,
} from "./theme.js";
