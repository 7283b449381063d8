// Type tests for event data (`ctx.event`): checked by `tsc -b`. Each @ts-expect-error fails the
// build if the line it marks stops being an error.
import { expectTypeOf } from "vitest";
import * as sc from "./index.js";

sc.Blocks({ title: "Event data" }, () => {
  const colour = sc.Dropdown({ label: "Colour", choices: ["red", "green"] });
  const picked = sc.Textbox({ label: "Picked" });
  const go = sc.Button({ value: "Go" });

  // A select's data: which item, its value, and whether it is now selected.
  colour.select({
    fn: (value, ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<sc.SelectData>();
      expectTypeOf(ctx.event.index).toEqualTypeOf<number>();
      expectTypeOf(ctx.event.selected).toEqualTypeOf<boolean>();
      return `${value} #${ctx.event.index}`;
    },
    inputs: [colour],
    outputs: [picked],
  });
  // Events that carry nothing give undefined, and so does a step chained after one.
  go.click({
    fn: (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<undefined>();
      return "clicked";
    },
    outputs: [picked],
  }).then({
    fn: (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<undefined>();
    },
  });
  colour.change({
    fn: (ctx) => {
      // @ts-expect-error a change carries no data
      ctx.event.index;
    },
  });
  // sc.on gives the data of whichever trigger fired: a union.
  sc.on([colour.select, go.click], {
    fn: (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<sc.SelectData | undefined>();
    },
  });
  sc.on([colour.select, colour.select], {
    fn: (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<sc.SelectData>();
    },
  });
  return sc.Column(colour, picked, go);
});

// The data of each kind of event, by name.
expectTypeOf<sc.EventDataOf<"like">>().toEqualTypeOf<sc.LikeData>();
expectTypeOf<sc.EventDataOf<"edit">>().toEqualTypeOf<sc.EditData>();
expectTypeOf<sc.EventDataOf<"retry">>().toEqualTypeOf<sc.RetryData>();
expectTypeOf<sc.EventDataOf<"undo">>().toEqualTypeOf<sc.UndoData>();
expectTypeOf<sc.EventDataOf<"submit">>().toEqualTypeOf<undefined>();
expectTypeOf<sc.LikeData>().toEqualTypeOf<{ index: number; value: string; liked: boolean }>();

// A Chatbot's events in Blocks: each listener's ctx.event is its event's data.
sc.Blocks({ title: "Chat events" }, () => {
  const chat = sc.Chatbot({ label: "Chat" });
  const note = sc.Textbox({ label: "Note" });
  chat.like({
    fn: (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<sc.LikeData>();
      return ctx.event.liked ? `liked ${ctx.event.index}` : "disliked";
    },
    outputs: [note],
  });
  chat.edit({
    fn: (history, ctx) => {
      expectTypeOf(history).toEqualTypeOf<sc.ChatMessage[]>();
      expectTypeOf(ctx.event).toEqualTypeOf<sc.EditData>();
      return history.slice(0, ctx.event.index);
    },
    inputs: [chat],
    outputs: [chat],
  });
  chat.retry({ fn: (ctx) => expectTypeOf(ctx.event).toEqualTypeOf<sc.RetryData>() });
  chat.undo({ fn: (ctx) => expectTypeOf(ctx.event).toEqualTypeOf<sc.UndoData>() });
  chat.clear({ fn: (ctx) => expectTypeOf(ctx.event).toEqualTypeOf<undefined>() });
  // @ts-expect-error a Chatbot has no submit event
  chat.submit({ fn: () => {} });
  return sc.Column(chat, note);
});

// A Dataframe's select gives the cell: `index` is [row, column], with its row's and column's cells.
sc.Blocks({ title: "Table select" }, () => {
  const table = sc.Dataframe({ label: "Table", headers: ["name", "score"] });
  const picked = sc.Textbox({ label: "Picked" });
  table.select({
    fn: (value, ctx) => {
      expectTypeOf(value).toEqualTypeOf<sc.DataframeValue>();
      expectTypeOf(ctx.event).toEqualTypeOf<sc.DataframeSelectData>();
      expectTypeOf(ctx.event.index).toEqualTypeOf<[number, number]>();
      expectTypeOf(ctx.event.value).toEqualTypeOf<sc.Cell>();
      expectTypeOf(ctx.event.row_value).toEqualTypeOf<sc.Cell[] | undefined>();
      const [row, column] = ctx.event.index;
      return `${row},${column}: ${String(value.data[row]?.[column])}`;
    },
    inputs: [table],
    outputs: [picked],
  });
  // sc.on over a Dataframe's and a Dropdown's select gives either shape.
  const colour = sc.Dropdown({ label: "Colour", choices: ["red", "green"] });
  sc.on([table.select, colour.select], {
    fn: (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<sc.DataframeSelectData | sc.SelectData>();
    },
  });
  return sc.Column(table, picked, colour);
});
