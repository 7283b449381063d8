import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../browser/harness.js";
import { recordWebm } from "../browser/media.js";
import { staticSites } from "./static-site.js";

const sites = staticSites("a");
let dir = "";

beforeAll(async () => {
  ({ dir } = await sites.build("tests/fixtures/components-a.ts", "components-a"));
}, 240_000);

/** Serves the build from a plain static server and opens it; nothing outside 127.0.0.1 is fetched. */
const open = () => sites.open(dir);

describe("the part A components in a static Space (the engine in a worker)", { timeout: 180_000 }, () => {
  it("round-trips each component through the worker", async () => {
    const { view, external } = await open();

    // ColorPicker: typed, Enter, the worker's answer shown.
    const tint = view.component("Tint").locator('[part="control"]');
    await tint.fill("#A0B0C0");
    await tint.press("Enter");
    await eventually(() => view.valueOf("Tint seen")).toBe("Tint #a0b0c0");
    expect(await view.valueOf("Tint back")).toBe("#a0b0c0");

    // DateTime: typed text in, the next day back; text that is no date refused on the field.
    const when = view.component("When").locator('[part="control"]');
    await when.fill("2024-05-01 13:45:00");
    await when.press("Enter");
    await eventually(() => view.valueOf("Seconds")).toBe("1714571100");
    expect(await view.valueOf("Next day")).toBe("2024-05-02 13:45:00");
    await when.fill("someday");
    await when.press("Enter");
    await eventually(() => view.errorOf("When")).toContain("must be a date like 2024-05-01");

    // HTML: shown sanitised.
    await view.button("Render").click();
    await eventually(() => view.component("Shown").locator("h3").textContent()).toBe("Hello bold");
    const markup = await view.component("Shown").locator('[part="content"]').innerHTML();
    expect(markup).not.toContain("onerror");
    expect(await view.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // Video: a WebM uploaded to the worker's store plays back from its blob: URL.
    await view.chooseFile("Clip", await recordWebm(view.page));
    await eventually(() => view.valueOf("Clip info")).toBe("video/webm clip.webm");
    const player = view.component("Played").locator('[part="video"]');
    await eventually(() => player.evaluate((video) => (video as HTMLVideoElement).videoWidth)).toBe(32);

    // DownloadButton: the worker's file downloads.
    await view.button("Make report").click();
    const link = view.component("Download report").locator('[part="button"]');
    await eventually(() => link.evaluate((element) => element.localName)).toBe("a");
    const [download] = await Promise.all([view.page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("report.csv");
    expect(readFileSync((await download.path()) as string, "utf8")).toBe("name,score\nada,3\n");

    // UploadButton: two files to the worker.
    const [chooser] = await Promise.all([
      view.page.waitForEvent("filechooser"),
      view.component("Add files").locator('[part="button"]').click(),
    ]);
    await chooser.setFiles([
      { name: "a.txt", mimeType: "text/plain", buffer: Buffer.from("aaa") },
      { name: "b.txt", mimeType: "text/plain", buffer: Buffer.from("bbbbb") },
    ]);
    await eventually(() => view.valueOf("Picked")).toBe("a.txt (3 B), b.txt (5 B)");

    // ImageSlider: two images the worker encoded, compared with the divider.
    await view.button("Compare colours").click();
    const after = view.component("Compare").locator('[part="after"]');
    await eventually(() => after.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
    const divider = view.component("Compare").locator('[part="divider"]');
    await divider.focus();
    await view.page.keyboard.press("Home");
    expect(await divider.getAttribute("aria-valuenow")).toBe("0");

    // Timer: ticks run in the worker until the Stop button turns it off.
    await eventually(
      async () => Number.parseInt(String(await view.valueOf("Ticks")), 10) || 0,
    ).toBeGreaterThanOrEqual(2);
    await view.button("Stop timer").click();
    await eventually(() =>
      view.page.evaluate(
        () =>
          (
            document.querySelector("sc-app")?.shadowRoot?.querySelector("sc-timer") as {
              active?: boolean;
            } | null
          )?.active,
      ),
    ).toBe(false);

    expect(external).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
