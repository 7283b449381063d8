import { describe, expect, it } from "vitest";
import { DeclarationError } from "../errors.js";
import * as sc from "../index.js";

describe("Video's webcam props", () => {
  it("takes upload and the webcam by default, without sound, the live view mirrored", () => {
    expect(sc.Video().props).toMatchObject({
      sources: ["upload", "webcam"],
      includeAudio: false,
      mirrorWebcam: true,
    });
    expect(sc.Video({ sources: ["webcam"], includeAudio: true, mirrorWebcam: false }).props).toMatchObject({
      sources: ["webcam"],
      includeAudio: true,
      mirrorWebcam: false,
    });
  });

  it("refuses a source it does not have, and no source at all, naming the prop", () => {
    const camera = ["upload", "camera"] as unknown as sc.VideoSource[];
    expect(() => sc.Video({ label: "Clip", sources: camera })).toThrow(DeclarationError);
    expect(() => sc.Video({ label: "Clip", sources: camera })).toThrow(
      'Video "Clip": `sources` has "camera": a video comes from "upload" or "webcam"',
    );
    expect(() => sc.Video({ sources: [] })).toThrow('`sources` is empty: give "upload", "webcam" or both');
  });

  it("fires play, pause and end, wired like its other events", () => {
    const config = sc
      .Blocks({ title: "Player" }, () => {
        const clip = sc.Video({ label: "Clip", interactive: false });
        const log = sc.Textbox({ label: "Log" });
        clip.play({ fn: () => "play", outputs: [log] });
        clip.pause({ fn: () => "pause", outputs: [log] });
        clip.end({ fn: () => "end", outputs: [log] });
        return sc.Column(clip, log);
      })
      .toConfig();
    expect(config.dependencies.map((dependency) => dependency.targets[0]?.[1])).toEqual([
      "play",
      "pause",
      "end",
    ]);
  });
});
