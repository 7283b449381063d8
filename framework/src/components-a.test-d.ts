// Type tests for the components of issue 15 (part A): checked by `tsc -b`. What each component
// gives `fn` as an input, and what `fn` may return for it as an output.
import { expectTypeOf } from "vitest";
import * as sc from "./index.js";

sc.Blocks({}, () => {
  const colour = sc.ColorPicker({ label: "Tint" });
  const when = sc.DateTime({ label: "When" });
  const whenDate = sc.DateTime({ label: "Day", type: "date" });
  const whenText = sc.DateTime({ label: "Text", type: "string" });
  const page = sc.HTML();
  const clip = sc.Video({ label: "Clip" });
  const clipBytes = sc.Video({ label: "Raw", type: "bytes" });
  const download = sc.DownloadButton({ label: "Get it" });
  const one = sc.UploadButton();
  const many = sc.UploadButton({ fileCount: "multiple" });
  const compare = sc.ImageSlider({ type: "file" });
  const timer = sc.Timer(2);
  const out = sc.Textbox();

  colour.change({
    fn: (c, w, d, s, v, b, o, m, pair, seconds) => {
      expectTypeOf(c).toEqualTypeOf<string>();
      expectTypeOf(w).toEqualTypeOf<number>();
      expectTypeOf(d).toEqualTypeOf<Date>();
      expectTypeOf(s).toEqualTypeOf<string>();
      expectTypeOf(v).toEqualTypeOf<sc.FileData>();
      expectTypeOf(b).toEqualTypeOf<{ bytes: Uint8Array; mimeType: string }>();
      expectTypeOf(o).toEqualTypeOf<sc.FileData | null>();
      expectTypeOf(m).toEqualTypeOf<sc.FileData[]>();
      expectTypeOf(pair).toEqualTypeOf<[sc.FileData | null, sc.FileData | null]>();
      expectTypeOf(seconds).toEqualTypeOf<number>();
      return "";
    },
    inputs: [colour, when, whenDate, whenText, clip, clipBytes, one, many, compare, timer],
    outputs: [out],
  });

  // Outputs: a date as seconds, a Date or text; bytes for a video; a file to download; a pair.
  timer.tick({
    fn: () =>
      [
        "#ff8800",
        new Date(),
        "<b>hi</b>",
        new Uint8Array(),
        { bytes: new Uint8Array(), name: "r.csv" },
        [null, new Uint8Array()],
      ] as const,
    outputs: [colour, when, page, clip, download, compare],
  });
  // @ts-expect-error a ColorPicker output takes a string, not a number
  timer.tick({ fn: () => 0xff8800, outputs: [colour] });
  // @ts-expect-error an HTML output takes text
  timer.tick({ fn: () => ({ html: "x" }), outputs: [page] });
  // The Timer's interval, and an update that stops it.
  timer.tick({ fn: () => sc.update({ active: false }), outputs: [timer] });
  one.upload({ fn: (file) => file?.orig_name ?? "", inputs: [one], outputs: [out] });
  // @ts-expect-error a Timer has no click event
  timer.click;
  // @ts-expect-error a DownloadButton fires click, not upload
  download.upload;
  return [colour, when, whenDate, whenText, page, clip, clipBytes, download, one, many, compare, timer, out];
});
