import { describe, expect, it } from "vitest";
import * as sc from "../index.js";
import { BrowserFileStore } from "../worker/files.js";
import { validate } from "./component.js";
import { formatDateTime, parseDateTime } from "./datetime.js";

const check = (component: sc.AnyComponent, value: unknown) => {
  const result = validate(component.schema, value);
  return result.success ? "ok" : result.error;
};
const file = (path: string, mime = "image/png"): sc.FileData => ({
  path,
  mime_type: mime,
  meta: { _type: "gradio.FileData" },
});

describe("ColorPicker", () => {
  it("takes #rrggbb, gives it lowercase, and refuses anything else naming the form", async () => {
    const picker = sc.ColorPicker({ label: "Tint" });
    expect(picker.type).toBe("colorpicker");
    expect(picker.displayName).toBe("ColorPicker");
    expect(picker.props.value).toBe("#000000");
    expect(picker.api).toMatchObject({ pythonType: "str", example: "#000000" });
    expect(check(picker, "#FF8800")).toBe("ok");
    expect(await picker.preprocess("#FF8800")).toBe("#ff8800");
    expect(await picker.postprocess("#ABCDEF")).toBe("#abcdef");
    for (const bad of ["red", "#fff", "#ff88001", "ff8800", 12])
      expect(check(picker, bad)).toMatch(/#rrggbb|colour/);
    expect(() => sc.ColorPicker({ label: "Tint", value: "blue" })).toThrow(
      /ColorPicker "Tint": the default value is invalid: must be a colour written #rrggbb/,
    );
  });
});

describe("DateTime", () => {
  it("reads Gradio's forms as UTC and refuses dates that do not exist", () => {
    expect(parseDateTime("2024-05-01 13:45:07")).toBe(Date.UTC(2024, 4, 1, 13, 45, 7));
    expect(parseDateTime("2024-05-01")).toBe(Date.UTC(2024, 4, 1));
    expect(parseDateTime("2024-05-01T08:30")).toBe(Date.UTC(2024, 4, 1, 8, 30));
    expect(parseDateTime("now", 1_000_000)).toBe(1_000_000);
    expect(parseDateTime("now - 2h", 10_000_000)).toBe(10_000_000 - 7_200_000);
    expect(parseDateTime("now - 1.5d", 200_000_000)).toBe(200_000_000 - 129_600_000);
    for (const bad of ["2024-02-30", "2024-13-01", "2024-05-01 24:00", "yesterday", "now + 1h", "01/05/2024"])
      expect(parseDateTime(bad), bad).toBeUndefined();
    expect(formatDateTime(Date.UTC(2020, 9, 1, 5, 20, 15), true)).toBe("2020-10-01 05:20:15");
    expect(formatDateTime(Date.UTC(2020, 9, 1, 5, 20, 15), false)).toBe("2020-10-01");
  });

  it("gives fn seconds, a Date or the text, and takes any of them back", async () => {
    const when = sc.DateTime({ label: "When" });
    expect(when.displayName).toBe("DateTime");
    expect(when.api).toMatchObject({ pythonType: "str", example: "2020-10-01 05:20:15" });
    expect(await when.preprocess("2020-10-01 05:20:15")).toBe(Date.UTC(2020, 9, 1, 5, 20, 15) / 1000);
    const asDate = sc.DateTime({ type: "date" });
    expect(((await asDate.preprocess("2020-10-01 05:20:15")) as Date).toISOString()).toBe(
      "2020-10-01T05:20:15.000Z",
    );
    expect(await sc.DateTime({ type: "string" }).preprocess("now - 1h")).toBe("now - 1h");
    expect(await when.postprocess(Date.UTC(2021, 0, 2, 3, 4, 5) / 1000)).toBe("2021-01-02 03:04:05");
    expect(await when.postprocess(new Date(Date.UTC(2021, 0, 2)))).toBe("2021-01-02 00:00:00");
    expect(await sc.DateTime({ includeTime: false }).postprocess("2021-01-02 03:04:05")).toBe("2021-01-02");
    expect(() => when.postprocess(Number.NaN)).toThrow(/expected a date/);
  });

  it("refuses text that is no date with a message showing the form", () => {
    const when = sc.DateTime({ label: "When" });
    expect(check(when, "2024-05-01 13:45:00")).toBe("ok");
    expect(check(when, "")).toBe("ok");
    expect(check(when, "next tuesday")).toMatch(/must be a date like 2024-05-01/);
    expect(check(when, "2024-02-31")).toMatch(/must be a date like 2024-05-01/);
    expect(() => sc.DateTime({ label: "When", value: "soon" })).toThrow(
      /DateTime "When": the default value is invalid/,
    );
    expect(() => sc.DateTime({ type: "epoch" as never })).toThrow(
      /`type` must be "timestamp", "date" or "string"/,
    );
  });
});

describe("HTML", () => {
  it("is text on the wire", () => {
    const page = sc.HTML({ value: "<b>hi</b>" });
    expect(page.type).toBe("html");
    expect(page.displayName).toBe("HTML");
    expect(check(page, "<p>x</p>")).toBe("ok");
    expect(check(page, 3)).toMatch(/must be HTML text/);
  });
});

describe("Video", () => {
  it("is Gradio's { video, subtitles } on the wire and accepts MP4 and WebM", async () => {
    const video = sc.Video({ label: "Clip" });
    expect(video.props).toMatchObject({ accept: ["video/mp4", "video/webm"], autoplay: false });
    expect(video.api.pythonType).toBe("Dict(video: filepath, subtitles: filepath | None)");
    const clip = file("v/1", "video/mp4");
    expect(check(video, { video: clip, subtitles: null })).toBe("ok");
    expect(check(video, clip)).toMatch(/must be a video: \{ video: FileData, subtitles: null \}/);
    expect(await video.preprocess({ video: clip })).toEqual(clip);
  });

  it("stores bytes and Blobs fn returns, and reads bytes for type: bytes", async () => {
    const io = new BrowserFileStore();
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3]);
    const stored = await sc.Video().postprocess(new Blob([webm], { type: "video/webm" }), io);
    expect(stored.video).toMatchObject({ mime_type: "video/webm", orig_name: "video.webm" });
    expect(await sc.Video({ type: "bytes" }).preprocess(stored, io)).toEqual({
      bytes: webm,
      mimeType: "video/webm",
    });
    const fromFile = await sc.Video().postprocess(stored.video, io);
    expect(fromFile).toEqual({ video: stored.video, subtitles: null });
    await expect(async () => sc.Video().postprocess("clip.mp4" as never, io)).rejects.toThrow(
      /expected a video/,
    );
  });
});

describe("DownloadButton", () => {
  it("holds a file or nothing; its label is its text", async () => {
    const button = sc.DownloadButton();
    expect(button.props.label).toBe("Download");
    expect(button.displayName).toBe("DownloadButton");
    expect(check(button, null)).toBe("ok");
    expect(check(button, "report.csv")).toMatch(/upload it first/);
    const io = new BrowserFileStore();
    const stored = await button.postprocess({ bytes: new TextEncoder().encode("a,b\n"), name: "r.csv" }, io);
    expect(stored).toMatchObject({ orig_name: "r.csv" });
    expect(await button.postprocess(null, io)).toBeNull();
  });
});

describe("UploadButton", () => {
  it("gives one file, or a list with fileCount multiple", async () => {
    const single = sc.UploadButton();
    expect(single.props.label).toBe("Upload a File");
    expect(single.api.pythonType).toBe("filepath | None");
    const one = file("u/1");
    expect(await single.preprocess(one)).toEqual(one);
    expect(await single.preprocess(null)).toBeNull();
    expect(check(single, [one])).toMatch(/must be one file, not a list/);
    const many = sc.UploadButton({ fileCount: "multiple" });
    expect(many.api.pythonType).toBe("list[filepath]");
    expect(check(many, [one, file("u/2")])).toBe("ok");
    expect(check(many, one)).toMatch(/must be a list of files/);
    expect(await many.preprocess([one])).toEqual([one]);
    expect(() => sc.UploadButton({ fileCount: "directory" as never })).toThrow(
      /`fileCount` must be "single" or "multiple"/,
    );
  });

  it("reads bytes with type: bytes", async () => {
    const io = new BrowserFileStore();
    const stored = await sc.File().postprocess({ bytes: new TextEncoder().encode("hi"), name: "hi.txt" }, io);
    const read = await sc.UploadButton({ type: "bytes" }).preprocess(stored, io);
    expect(read).toMatchObject({ name: "hi.txt" });
    expect(new TextDecoder().decode(read?.bytes)).toBe("hi");
  });
});

describe("ImageSlider", () => {
  it("is a pair of images on the wire; the divider's position is checked", async () => {
    const slider = sc.ImageSlider({ type: "file" });
    expect(slider.props.sliderPosition).toBe(50);
    expect(slider.api.pythonType).toBe("tuple[filepath | None, filepath | None]");
    expect(check(slider, [file("a"), file("b")])).toBe("ok");
    expect(check(slider, [file("a"), null])).toBe("ok");
    expect(check(slider, null)).toBe("ok");
    expect(check(slider, [file("a")])).toMatch(/pair of images/);
    expect(await slider.preprocess([file("a"), null])).toEqual([file("a"), null]);
    expect(() => sc.ImageSlider({ sliderPosition: 120 })).toThrow(/`sliderPosition` must be 0–100/);
  });

  it("stores both images fn returns", async () => {
    const io = new BrowserFileStore();
    const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], {
      type: "image/png",
    });
    const [stored, none] = (await sc.ImageSlider().postprocess([png, null], io)) ?? [];
    expect(stored).toMatchObject({ mime_type: "image/png" });
    expect(none).toBeNull();
    expect(await sc.ImageSlider().postprocess([file("a"), file("b")], io)).toEqual([file("a"), file("b")]);
    await expect(async () => sc.ImageSlider().postprocess([file("a")] as never, io)).rejects.toThrow(
      /expected a pair of images/,
    );
  });
});

describe("Timer", () => {
  it("ticks every value seconds, and refuses an interval too short to run", () => {
    const timer = sc.Timer(2);
    expect(timer.type).toBe("timer");
    expect(timer.props).toMatchObject({ value: 2, active: true });
    expect(timer.api.pythonType).toBe("float");
    expect(typeof timer.tick).toBe("function");
    expect(sc.Timer(0.5, { active: false }).props.active).toBe(false);
    expect(() => sc.Timer(0)).toThrow(/Timer: the default value is invalid: must be at least 0.05 seconds/);
    expect(check(timer, "1")).toMatch(/must be the seconds between ticks/);
  });

  it("puts its tick in the config as the event's trigger", () => {
    const space = sc.Blocks({}, () => {
      const timer = sc.Timer(1);
      const out = sc.Textbox();
      timer.tick({ fn: (seconds) => `every ${seconds}`, inputs: [timer], outputs: [out] });
      return [timer, out];
    });
    const config = space.toConfig();
    const timerId = config.components.find((c) => c.type === "timer")?.id;
    expect(config.dependencies[0]?.targets).toEqual([[timerId, "tick"]]);
    // A tick while the last one's run is still going is dropped, not queued.
    expect(config.dependencies[0]?.trigger_mode).toBe("once");
  });

  it("must be in the layout to tick", () => {
    expect(() =>
      sc.Blocks({}, () => {
        const timer = sc.Timer(1);
        const out = sc.Textbox();
        timer.tick({ fn: () => "x", outputs: [out] });
        return [out];
      }),
    ).toThrow(/Timer is the trigger \(tick\) of .* but is not in the layout/);
  });
});
