import type { ChatMessage } from "./components/chatbot.js";
import type { Schema } from "./schema.js";
import { v, validate } from "./schema.js";
import type { Cell } from "./table.js";

/** What the user picked (`select`): a dropdown option, a radio button, a gallery image, a class… */
export interface SelectData {
  /** The item's index. */
  index: number;
  /** The item's value. */
  value: unknown;
  /** False when the pick unselected it (a box unticked). */
  selected: boolean;
}

/**
 * A cell the user picked in a Dataframe (its `select`): Gradio's `SelectData` for a table, whose
 * `index` is `[row, column]` (in the table's own order, whatever the sort shown).
 */
export interface DataframeSelectData {
  /** The cell's `[row, column]`. */
  index: [number, number];
  /** The cell's value. */
  value: Cell;
  /** The cells of its row (the page sends them; an API caller may leave them out). */
  row_value?: Cell[];
  /** The cells of its column (as `row_value`). */
  col_value?: Cell[];
  /** Always true: picking a cell selects it. */
  selected: boolean;
}

/** A like or dislike of a chat reply (`like`). */
export interface LikeData {
  /** The message's index in the conversation. */
  index: number;
  /** The message's content. */
  value: ChatMessage["content"];
  /** True for a like, false for a dislike. */
  liked: boolean;
}

/** A user message edited in the chat (`edit`). */
export interface EditData {
  /** The message's index in the conversation. */
  index: number;
  /** The content before the edit. */
  previous_value: ChatMessage["content"];
  /** The content after it. */
  value: ChatMessage["content"];
}

/** The reply to run again (`retry`): the last user message. */
export interface RetryData {
  /** The user message's index in the conversation. */
  index: number;
  /** Its content. */
  value: ChatMessage["content"];
}

/** The exchange taken back (`undo`): the last user message. */
export interface UndoData {
  /** The user message's index in the conversation. */
  index: number;
  /** Its content. */
  value: ChatMessage["content"];
}

/** The data each kind of event carries, by event name (Gradio's `gr.SelectData`, `gr.LikeData`, …). */
export interface EventDataMap {
  select: SelectData;
  like: LikeData;
  edit: EditData;
  retry: RetryData;
  undo: UndoData;
}

/** What `ctx.event` is for an event: its data, or undefined for an event that carries none. */
export type EventDataOf<E> = E extends keyof EventDataMap ? EventDataMap[E] : undefined;

const index = v.pipe(
  v.number("`index` must be a number"),
  v.safeInteger("`index` must be a whole number"),
  v.minValue(0, "`index` must be ≥ 0"),
);
const content = v.unknown();
/** A table cell's `index` (a Dataframe's select): `[row, column]`. */
const cellIndex = v.pipe(
  v.array(v.unknown(), "a table cell's `index` must be [row, column]"),
  v.length(2, "a table cell's `index` must be [row, column]"),
  v.tuple([index, index]),
);

/** How each event's data is checked when it arrives, and the shape a message shows. */
const schemas: { [E in keyof EventDataMap]: { schema: Schema<EventDataMap[E]>; shape: string } } = {
  select: {
    schema: v.object(
      {
        index,
        value: v.unknown(),
        selected: v.optional(v.boolean("`selected` must be true or false"), true),
      },
      "must be an object",
    ) as Schema<SelectData>,
    shape: "{ index, value, selected }",
  },
  like: {
    schema: v.object(
      { index, value: content, liked: v.boolean("`liked` must be true or false") },
      "must be an object",
    ) as Schema<LikeData>,
    shape: "{ index, value, liked }",
  },
  edit: {
    schema: v.object(
      { index, previous_value: content, value: content },
      "must be an object",
    ) as Schema<EditData>,
    shape: "{ index, previous_value, value }",
  },
  retry: {
    schema: v.object({ index, value: content }, "must be an object") as Schema<RetryData>,
    shape: "{ index, value }",
  },
  undo: {
    schema: v.object({ index, value: content }, "must be an object") as Schema<UndoData>,
    shape: "{ index, value }",
  },
};

/**
 * A Dataframe's `select`, as the engine names it when it checks event data: its `index` is a
 * cell's `[row, column]`, and it also gives the cells of the row and the column.
 */
export const CELL_SELECT = "select:cell";
const cellSelect = {
  schema: v.object(
    {
      index: cellIndex,
      value: v.unknown(),
      row_value: v.optional(v.array(v.unknown(), "`row_value` must be a list of cells")),
      col_value: v.optional(v.array(v.unknown(), "`col_value` must be a list of cells")),
      selected: v.optional(v.boolean("`selected` must be true or false"), true),
    },
    "must be an object",
  ) as unknown as Schema<DataframeSelectData>,
  shape: "{ index: [row, column], value, row_value, col_value }",
};

/** How the data of `kind` (an event name, or {@link CELL_SELECT}) is checked. */
const checkOf = (kind: keyof EventDataMap | typeof CELL_SELECT) =>
  kind === CELL_SELECT ? cellSelect : schemas[kind];

const dataEvents: readonly string[] = [
  "select",
  "like",
  "edit",
  "retry",
  "undo",
] satisfies (keyof EventDataMap)[];

declare const __SPACECRAFT_SERVER__: boolean | undefined;
/**
 * False only in a static Space's worker: its one caller is the page, whose elements send the data,
 * so it skips the checks (and their schemas stay out of its bundle).
 */
const ON_SERVER = typeof __SPACECRAFT_SERVER__ === "undefined" || __SPACECRAFT_SERVER__;

/** Whether an event carries data. */
export function carriesData(event: string): event is keyof EventDataMap {
  return dataEvents.includes(event);
}

/** Whether `event` is one whose data is checked: an event that carries some, or {@link CELL_SELECT}. */
const checked = (event: string): event is keyof EventDataMap | typeof CELL_SELECT =>
  event === CELL_SELECT || carriesData(event);

/** Whether an endpoint triggered by `events` needs event data: each of them carries some. */
export function needsEventData(events: readonly string[]): boolean {
  return events.length > 0 && events.every(checked);
}

/**
 * Checks the event data a caller sent for an endpoint triggered by `events`: the data of one of
 * them, or nothing when one of them carries none (or the endpoint has no trigger). Data sent to
 * an endpoint whose events carry none is dropped. Gives the data, or why it is refused.
 */
export function checkEventData(
  events: readonly string[],
  data: unknown,
): { data: unknown } | { error: string } {
  const kinds = [...new Set(events)].filter(checked);
  if (!ON_SERVER) return { data: kinds.length === 0 ? undefined : data };
  const named = (kind: string) => (kind === CELL_SELECT ? "table's select" : kind);
  if (data === undefined || data === null) {
    if (!needsEventData(events)) return { data: undefined };
    const [first] = kinds as [keyof EventDataMap | typeof CELL_SELECT];
    return {
      error:
        `Event data (\`event_data\`) is missing: the ${named(first)} event sends ${checkOf(first).shape}. ` +
        "Send it with the request.",
    };
  }
  if (kinds.length === 0) return { data: undefined };
  let error = "";
  for (const kind of kinds) {
    const result = validate(checkOf(kind).schema, data);
    if (result.success) return { data: result.data };
    // The messages name their field already: drop the path `validate` adds.
    const problem = result.error.replace(/ at [\w.]+$/, "");
    error ||= `Event data (\`event_data\`) of the ${named(kind)} event: ${problem}; it must be ${checkOf(kind).shape}.`;
  }
  return { error };
}
