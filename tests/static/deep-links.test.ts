import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import sharp from "sharp";
import type * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpacePage } from "../browser/harness.js";
import { eventually, openSpacePage } from "../browser/harness.js";
import { serveFolders } from "./static-server.js";
import { staticSites } from "./static-site.js";

const sites = staticSites("links");
let site: { url: string; close(): Promise<void> };
let chatSite: { url: string; close(): Promise<void> };
let config: sc.SpaceConfig;

beforeAll(async () => {
  const { dir } = await sites.build("tests/static/fixtures/shout.ts", "shout");
  config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as sc.SpaceConfig;
  site = await serveFolders({ "/": dir });
  const { dir: chatDir } = await sites.build("tests/static/fixtures/multimodal-chat.ts", "chat");
  chatSite = await serveFolders({ "/": chatDir });
  for (const origin of [site.url, chatSite.url])
    await sites.browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
}, 240_000);
afterAll(async () => {
  await site?.close();
  await chatSite?.close();
});

/** Opens a URL of the static site (only the site itself may be fetched). */
async function open(url: string): Promise<SpacePage> {
  return openSpacePage(sites.browser.context, url, {
    timeout: 30_000,
    prepare: (page) =>
      page.route("**/*", (route) => {
        const target = route.request().url();
        const local = [site.url, chatSite.url].some((origin) => target.startsWith(origin));
        if (local || target.startsWith("blob:") || target.startsWith("data:")) return route.continue();
        return route.abort();
      }),
  });
}

async function submit(view: SpacePage, text: string): Promise<void> {
  await view.component("Text").locator("input, textarea").first().fill(text);
  await view.button("Submit").click();
  await eventually(() => view.valueOf("Result")).toMatch(new RegExp(`^${text.toUpperCase()} #\\d+$`));
}

/** Clicks Share, waits for the message and gives it with the link read from the clipboard. */
async function share(view: SpacePage): Promise<{ message: string; link: string }> {
  await view.button("Share").click();
  const message = view.page.locator("sc-app .share [role=status]");
  await message.filter({ hasText: "Link copied." }).waitFor();
  return {
    message: ((await message.textContent()) ?? "").trim(),
    link: await view.page.evaluate(() => navigator.clipboard.readText()),
  };
}

describe("deep links on a static Space", { timeout: 120_000 }, () => {
  it("puts the snapshot in the link's fragment and restores it without running the demo", async () => {
    const view = await open(`${site.url}/`);
    await submit(view, "hello");
    await submit(view, "hello");
    expect(await view.valueOf("Result"), "the second run of this worker").toBe("HELLO #2");
    const { message, link } = await share(view);
    expect(message).toBe("Link copied.");
    expect(link).toMatch(new RegExp(`^${site.url}/#deep_link=[A-Za-z0-9_-]+$`));

    const opened = await open(link);
    expect(await opened.valueOf("Text")).toBe("hello");
    // Run again, its new worker would have said "#1".
    expect(await opened.valueOf("Result")).toBe("HELLO #2");
    expect(await opened.status().getAttribute("stage"), "nothing ran").toBe("idle");
    const file = (await opened.valueOf("Download")) as sc.FileData;
    expect(file).toMatchObject({ orig_name: "shout.txt" });
    const text = await opened.page.evaluate(async (url) => (await fetch(url)).text(), file.url as string);
    expect(text, "the small file travelled in the link").toBe("HELLO");
    // The restored file is the worker's again: the demo runs on the restored inputs.
    await opened.button("Submit").click();
    await eventually(() => opened.valueOf("Result")).toBe("HELLO #1");
    expect([...view.errors, ...opened.errors]).toEqual([]);
    await Promise.all([view.page.close(), opened.page.close()]);
  });

  it("leaves files over 16 KB out of the link and says so", async () => {
    const view = await open(`${site.url}/`);
    await submit(view, "big");
    const { message, link } = await share(view);
    expect(message).toBe("Link copied. 1 file was too large for the link (over 16 KB) and was left out.");
    const opened = await open(link);
    expect(await opened.valueOf("Text")).toBe("big");
    expect(await opened.valueOf("Result")).toMatch(/^BIG #\d+$/);
    expect(await opened.valueOf("Download"), "the large file is not in the link").toBeNull();
    await Promise.all([view.page.close(), opened.page.close()]);
  });

  it("ignores a damaged fragment with a notice and shows the demo", async () => {
    for (const fragment of ["%%%not-base64", "AAAA", btoa("{}")]) {
      const view = await open(`${site.url}/#deep_link=${fragment}`);
      expect(
        ((await view.page.locator("sc-app [data-banner=link]").textContent()) ?? "").trim(),
        fragment,
      ).toBe(
        "This shared link is damaged (its data after #deep_link= cannot be read), so nothing was restored; here is the demo.",
      );
      await submit(view, "fine");
      await view.page.close();
    }
  });

  it("restores what still fits and names the components that changed or hold a file that is not the Space's", async () => {
    const [text] = config.dependencies[0]?.inputs ?? [];
    const [result, download] = config.dependencies[0]?.outputs ?? [];
    const snapshot = {
      values: {
        [text as number]: "kept",
        [result as number]: { label: "x" },
        [download as number]: { path: "x", url: "javascript:alert(1)", meta: { _type: "gradio.FileData" } },
        999: "gone",
      },
      types: {
        [text as number]: "textbox",
        [result as number]: "label",
        [download as number]: "file",
        999: "textbox",
      },
    };
    const fragment = deflateRawSync(JSON.stringify(snapshot)).toString("base64url");
    const view = await open(`${site.url}/#deep_link=${fragment}`);
    expect(await view.valueOf("Text")).toBe("kept");
    expect(await view.valueOf("Result"), "a Label's value is not put in a Textbox").toBe("");
    expect(await view.valueOf("Download"), "a file from elsewhere is not shown").toBeNull();
    expect(((await view.page.locator("sc-app [data-banner=link]").textContent()) ?? "").trim()).toBe(
      'The demo changed since this link was made: "Result", "Download" and component 999 could not be restored.',
    );
    await view.page.close();
  });

  it("restores a chat's conversation, its small files in the link and a large one left out", async () => {
    const view = await open(`${chatSite.url}/`);
    const png = await sharp({ create: { width: 6, height: 2, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    const box = view.component("Message");
    await box.locator("input[type=file]").setInputFiles([
      { name: "red.png", mimeType: "image/png", buffer: png },
      { name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(20_000, 7) },
    ]);
    await eventually(async () => ((await view.valueOf("Message")) as sc.MultimodalValue).files.length).toBe(
      2,
    );
    await box.locator("textarea").fill("Look");
    await box.locator("textarea").press("Enter");
    await eventually(() => view.textOf("Chat")).toContain(`Look: red.png ${png.length} B, big.bin 20000 B`);
    const { message, link } = await share(view);
    expect(message).toBe("Link copied. 1 file was too large for the link (over 16 KB) and was left out.");

    const opened = await open(link);
    const messages = (await opened.valueOf("Chat")) as sc.ChatMessage[];
    expect(messages.map((each) => [each.role, each.content])).toEqual([
      ["user", "Look"],
      ["assistant", `Look: red.png ${png.length} B, big.bin 20000 B`],
    ]);
    expect(
      messages[0]?.files?.map((file) => file.orig_name),
      "the small image came along",
    ).toEqual(["red.png"]);
    await eventually(() =>
      opened
        .component("Chat")
        .locator('[part~="user"] img[alt="red.png"]')
        .evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth)),
    ).toEqual([6]);
    expect([...view.errors, ...opened.errors]).toEqual([]);
    await Promise.all([view.page.close(), opened.page.close()]);
  });
});
