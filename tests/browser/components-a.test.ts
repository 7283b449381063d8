import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import app from "../fixtures/components-a.js";
import type { SpaceServer, TestBrowser, TestFile } from "./harness.js";
import { eventually, launchBrowser, openSpacePage, serveSpace } from "./harness.js";
import { recordWebm } from "./media.js";

let browser: TestBrowser;
let space: SpaceServer;

// Each page's Timer ticks until the page closes: close them after each test.
vi.setConfig({ testTimeout: 90_000 });
beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, app);
  // The first request renders the page on the server; on a busy machine that outlasts a page's 15 s.
  expect((await fetch(space.server.url)).status).toBe(200);
});
afterEach(async () => {
  await Promise.all(browser.context.pages().map((page) => page.close()));
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

/** A PNG of one colour. */
async function png(name: string, rgb: [number, number, number]): Promise<TestFile> {
  const [r, g, b] = rgb;
  const buffer = await sharp({ create: { width: 8, height: 6, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return { name, mimeType: "image/png", buffer };
}

describe("ColorPicker", () => {
  it("takes a typed colour, emits it, and shows what the server returns", async () => {
    const page = await space.open();
    const events = await page.recordEvents("Tint");
    const field = page.component("Tint").locator('[part="control"]');
    await field.focus();
    await page.page.keyboard.press("ControlOrMeta+a");
    await page.page.keyboard.type("#12AB34");
    await page.page.keyboard.press("Enter");
    await eventually(() => page.valueOf("Tint seen")).toBe("Tint #12ab34");
    expect(await page.valueOf("Tint")).toBe("#12ab34");
    expect(await page.valueOf("Tint back")).toBe("#12ab34");
    const seen = await events();
    expect(
      seen.some((event) => event.type === "change" && event.value === "#12ab34"),
      JSON.stringify(seen),
    ).toBe(true);
    // The output's swatch shows the colour the server returned.
    expect(await page.component("Tint back").locator('[part="swatch"]').inputValue()).toBe("#12ab34");
    expect(page.errors).toEqual([]);
  });

  it("takes a colour from the picker (mouse)", async () => {
    const page = await space.open();
    await page.component("Tint").locator('[part="swatch"]').fill("#ff8800");
    await eventually(() => page.valueOf("Tint seen")).toBe("Tint #ff8800");
    expect(await page.component("Tint").locator('[part="control"]').inputValue()).toBe("#ff8800");
  });

  it("says what to type when the colour is incomplete, and keeps the last one", async () => {
    const page = await space.open();
    const field = page.component("Tint").locator('[part="control"]');
    await field.fill("#12");
    await field.press("Enter");
    await eventually(() => page.errorOf("Tint")).toContain("#rrggbb");
    expect(await page.valueOf("Tint")).toBe("#336699");
    expect(await field.inputValue()).toBe("#336699");
  });
});

describe("DateTime", () => {
  it("takes typed text, sends it, and shows the server's date", async () => {
    const page = await space.open();
    const events = await page.recordEvents("When");
    const field = page.component("When").locator('[part="control"]');
    await field.click();
    await page.page.keyboard.type("2024-05-01 13:45:00");
    await page.page.keyboard.press("Enter");
    await eventually(() => page.valueOf("Seconds")).toBe("1714571100");
    expect(await page.valueOf("Next day")).toBe("2024-05-02 13:45:00");
    // The output's picker shows the date too.
    expect(await page.component("Next day").locator('[part="picker"]').inputValue()).toMatch(
      /^2024-05-02T13:45(:00)?$/,
    );
    expect((await events()).some((event) => event.type === "change")).toBe(true);
  });

  it("takes a date from the picker", async () => {
    const page = await space.open();
    await page.component("When").locator('[part="picker"]').fill("2020-10-01T05:20:15");
    await eventually(() => page.valueOf("When")).toBe("2020-10-01 05:20:15");
    await eventually(() => page.valueOf("Seconds")).toBe("1601529615");
  });

  it("shows the server's refusal of text that is no date, naming the field", async () => {
    const page = await space.open();
    const field = page.component("When").locator('[part="control"]');
    await field.fill("next tuesday");
    await field.press("Enter");
    await eventually(() => page.errorOf("When")).toContain("must be a date like 2024-05-01");
    expect(await page.valueOf("Seconds")).toBe("");
  });
});

describe("HTML", () => {
  it("shows the server's HTML sanitised, and fires click", async () => {
    const page = await space.open();
    await page.button("Render").click();
    const heading = page.component("Shown").locator("h3");
    await eventually(() => heading.textContent()).toBe("Hello bold");
    expect(await heading.evaluate((h) => getComputedStyle(h).color)).toBe("rgb(200, 0, 0)");
    const content = page.component("Shown").locator('[part="content"]');
    const markup = await content.innerHTML();
    expect(markup).not.toContain("onerror");
    expect(markup).not.toContain("<script");
    expect(markup).not.toContain("javascript:");
    expect(await page.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await heading.click();
    await eventually(() => page.valueOf("HTML clicks")).toBe("clicked 1");
    expect(page.errors).toEqual([]);
  });
});

describe("Video", () => {
  it("uploads a WebM picked with the keyboard and plays what the server returns", async () => {
    const page = await space.open();
    const clip = await recordWebm(page.page);
    await page.dropZone("Clip").focus();
    const [chooser] = await Promise.all([
      page.page.waitForEvent("filechooser"),
      page.page.keyboard.press("Enter"),
    ]);
    await chooser.setFiles(clip);
    await eventually(() => page.valueOf("Clip info")).toBe("video/webm clip.webm");
    const value = (await page.valueOf("Clip")) as { video: { mime_type: string }; subtitles: null };
    expect(value).toMatchObject({
      video: { mime_type: "video/webm", orig_name: "clip.webm" },
      subtitles: null,
    });
    const player = page.component("Played").locator('[part="video"]');
    await eventually(() =>
      player.evaluate((video) => (video as HTMLVideoElement).readyState),
    ).toBeGreaterThan(0);
    expect(await player.evaluate((video) => (video as HTMLVideoElement).videoWidth)).toBe(32);
  });

  it("refuses a file that is not a video with the server's message", async () => {
    const page = await space.open();
    await page.chooseFile("Clip", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("hello"),
    });
    await eventually(() => page.errorOf("Clip")).toContain("this input accepts video/mp4, video/webm");
    expect(await page.valueOf("Clip")).toBeNull();
  });
});

describe("DownloadButton", () => {
  it("is disabled until the server gives it a file, then downloads it", async () => {
    const page = await space.open();
    const button = page.component("Download report").locator('[part="button"]');
    expect(await button.isDisabled()).toBe(true);
    await page.button("Make report").click();
    await eventually(() => button.evaluate((element) => element.localName)).toBe("a");
    const [download] = await Promise.all([page.page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toBe("report.csv");
    expect(await readFile((await download.path()) as string, "utf8")).toBe("name,score\nada,3\n");
    await eventually(() => page.valueOf("Downloads")).toBe("download clicked");
  });
});

describe("UploadButton", () => {
  it("uploads several files picked with the keyboard and fires upload", async () => {
    const page = await space.open();
    await page.component("Add files").locator('[part="button"]').focus();
    const [chooser] = await Promise.all([
      page.page.waitForEvent("filechooser"),
      page.page.keyboard.press("Enter"),
    ]);
    await chooser.setFiles([
      { name: "a.txt", mimeType: "text/plain", buffer: Buffer.from("aaa") },
      { name: "b.txt", mimeType: "text/plain", buffer: Buffer.from("bbbbb") },
    ]);
    await eventually(() => page.valueOf("Picked")).toBe("a.txt (3 B), b.txt (5 B)");
    const value = (await page.valueOf("Add files")) as { orig_name: string }[];
    expect(value.map((file) => file.orig_name)).toEqual(["a.txt", "b.txt"]);
    expect(await page.textOf("Add files")).toContain("a.txt, b.txt");
  });
});

describe("ImageSlider", () => {
  it("shows the server's pair with a divider moved by keys and by the mouse", async () => {
    const page = await space.open();
    await page.button("Compare colours").click();
    const slider = page.component("Compare");
    const divider = slider.locator('[part="divider"]');
    await eventually(() => divider.getAttribute("aria-valuenow")).toBe("40");
    const after = slider.locator('[part="after"]');
    await eventually(() => after.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
    await divider.focus();
    await page.page.keyboard.press("ArrowRight");
    expect(await divider.getAttribute("aria-valuenow")).toBe("41");
    await page.page.keyboard.press("Shift+ArrowLeft");
    expect(await divider.getAttribute("aria-valuenow")).toBe("31");
    await page.page.keyboard.press("End");
    expect(await divider.getAttribute("aria-valuenow")).toBe("100");
    // The second image is clipped at the divider.
    expect(await after.evaluate((img) => getComputedStyle(img).clipPath)).toContain("100%");
    const box = await slider.locator(".compare").boundingBox();
    if (!box) throw new Error("the comparison is not on the page");
    await page.page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.page.mouse.down();
    await page.page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2, { steps: 4 });
    await page.page.mouse.up();
    const position = Number(await divider.getAttribute("aria-valuenow"));
    expect(position, "the divider follows the pointer to a quarter of the width").toBeGreaterThanOrEqual(23);
    expect(position).toBeLessThanOrEqual(27);
  });

  it("takes an uploaded image as the first of the pair", async () => {
    const page = await space.open();
    await page.chooseFile("Before and after", await png("red.png", [255, 0, 0]));
    await eventually(() =>
      page
        .valueOf("Before and after")
        .then((value) => (value as [{ orig_name: string }, null])?.[0]?.orig_name),
    ).toBe("red.png");
    const divider = page.component("Compare").locator('[part="divider"]');
    await eventually(() => divider.getAttribute("aria-label")).toBe("Divider between red.png and red.png");
  });
});

describe("Timer", () => {
  it("runs its tick on an interval with its interval as input, and stops when the server says so", async () => {
    // The ids of the predicts the page sends and of the answers it gets, and the last tick's text:
    // after Stop the test waits for ticks in flight to land, not for a fixed time.
    const asked = new Set<string>();
    const answered = new Set<string>();
    let lastTick: string | undefined;
    const read = (payload: string | Buffer) => {
      try {
        return JSON.parse(String(payload)) as { type?: string; id?: string; data?: unknown[] };
      } catch {
        return {};
      }
    };
    const page = await openSpacePage(browser.context, space.server.url, {
      prepare: (page) =>
        page.on("websocket", (socket) => {
          socket.on("framesent", ({ payload }) => {
            const message = read(payload);
            if (message.type === "predict" && message.id) asked.add(message.id);
          });
          socket.on("framereceived", ({ payload }) => {
            const message = read(payload);
            if (!message.id || !["complete", "error", "cancelled"].includes(message.type ?? "")) return;
            answered.add(message.id);
            const text = message.data?.find((item) => typeof item === "string" && / ticks every /.test(item));
            if (typeof text === "string") lastTick = text;
          });
        }),
    });
    await eventually(
      async () => Number.parseInt(String(await page.valueOf("Ticks")), 10) || 0,
    ).toBeGreaterThanOrEqual(3);
    expect(String(await page.valueOf("Ticks"))).toMatch(/^\d+ ticks every 0.2 s$/);
    await page.button("Stop timer").click();
    await eventually(() =>
      page.page.evaluate(
        () =>
          (
            document.querySelector("sc-app")?.shadowRoot?.querySelector("sc-timer") as {
              active?: boolean;
            } | null
          )?.active,
      ),
    ).toBe(false);
    const stopped = await page.valueOf("Ticks");
    // A tick already sent may still land: wait until every predict sent has its answer, and the
    // page shows the last tick's.
    await eventually(() => [...asked].filter((id) => !answered.has(id))).toEqual([]);
    await eventually(() => page.valueOf("Ticks")).toBe(lastTick);
    const settled = await page.valueOf("Ticks");
    const sent = asked.size;
    // Then five intervals with no tick. A fixed wait for something that must not happen: a slower
    // machine only lets fewer intervals pass, so it may miss a timer that goes on, never fail one
    // that stopped.
    await page.page.waitForTimeout(1000);
    expect(asked.size, `predicts the page sent after the timer stopped (at ${settled})`).toBe(sent);
    expect(await page.valueOf("Ticks"), `ticks went on after ${stopped}`).toBe(settled);
  });
});
