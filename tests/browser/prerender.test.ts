// The server-rendered page: what it shows before any script runs, and how the live page takes its
// place (no flash, nothing typed lost).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import sharp from "sharp";
import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import hello from "../../templates/hello/app.js";
import slow from "../fixtures/slow.js";
import { serveFolders } from "../static/static-server.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, heldPage, launchBrowser, serveSpace, shownText } from "./harness.js";

let browser: TestBrowser;
let noScript: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  noScript = await launchBrowser({ javaScriptEnabled: false });
  space = await serveSpace(browser, hello);
}, 60_000);

afterAll(async () => {
  await space?.close();
  await browser?.close();
  await noScript?.close();
});

describe("the hello page without JavaScript", () => {
  it("shows the title, description, labels, initial values, examples and article", async () => {
    const page = await noScript.context.newPage();
    await page.goto(space.server.url);
    const text = async (selector: string) => (await page.locator(selector).first().textContent()) ?? "";
    expect(await text("sc-app h1"), "the title is in the served HTML").toBe("Repeat");
    expect(await text("sc-app header .prose"), "the description's Markdown is rendered").toContain(
      "Markdown works here.",
    );
    expect(await text("sc-app header strong")).toBe("works");
    const box = page.getByLabel("Text", { exact: true });
    expect(await box.getAttribute("placeholder"), "the Text box, by its label").toBe("Type something");
    expect(
      await page.locator("sc-app [label=Times] input[type=range]").inputValue(),
      "the slider's value",
    ).toBe("2");
    expect(await page.getByLabel("Result", { exact: true }).isVisible(), "the output box").toBe(true);
    expect(await page.getByRole("button", { name: "Submit" }).isVisible()).toBe(true);
    const examples = await text("sc-app sc-examples table");
    expect(examples, "the examples table").toContain("ha");
    expect(examples).toContain("echo");
    expect(await text("sc-app footer .prose"), "the article").toContain("Built with Spacecraft.");
    expect(await page.title(), "the Space's title is the document's").toBe("Repeat");
    // No script ran: the app never loaded.
    expect(await page.locator("sc-app[loaded]").count()).toBe(0);
    await page.close();
  });
});

describe("choices without JavaScript", () => {
  it("shows the initial choice of a radio, a group of boxes, a list and a box, a multi-line text, and a closed accordion", async () => {
    await withSpace(choices, async (space) => {
      const page = await noScript.context.newPage();
      await page.goto(space.server.url);
      const checked = (role: "radio" | "checkbox", name: string) =>
        page.getByRole(role, { name }).isChecked();
      expect(
        [await checked("radio", "S"), await checked("radio", "M"), await checked("radio", "L")],
        "M, as declared",
      ).toEqual([false, true, false]);
      expect([await checked("checkbox", "ham"), await checked("checkbox", "olives")], "ham only").toEqual([
        true,
        false,
      ]);
      expect(await page.getByLabel("Drink", { exact: true }).inputValue(), "tea's option (index 1)").toBe(
        "1",
      );
      expect(
        await page.getByLabel("Note", { exact: true }).inputValue(),
        "a multi-line box's text, exactly",
      ).toBe("\nfirst line\n<b>second</b> & </textarea> last");
      expect(
        await page.locator("sc-app details").evaluate((details) => (details as HTMLDetailsElement).open),
        "the accordion declared closed",
      ).toBe(false);
      expect(
        await page
          .locator("sc-app details sc-checkbox input")
          .evaluate((box) => (box as HTMLInputElement).checked),
      ).toBe(false);
      await page.close();
    });
  });
});

describe("elements that size their host", () => {
  it("are drawn with their size: a gallery's columns, an image's height", async () => {
    await withSpace(
      sc.Blocks({ title: "Pictures" }, () =>
        sc.Column(sc.Gallery({ label: "Gallery", columns: 4 }), sc.Image({ label: "Photo", height: 120 })),
      ),
      async (space) => {
        const page = await noScript.context.newPage();
        await page.goto(space.server.url);
        expect(await page.locator("sc-app h1").textContent(), "the page is drawn by the server").toBe(
          "Pictures",
        );
        const style = (tag: string, name: string) =>
          page
            .locator(`sc-app ${tag}`)
            .evaluate((host, name) => getComputedStyle(host).getPropertyValue(name), name);
        expect(await style("sc-gallery", "--sc-gallery-columns")).toBe("4");
        expect(await style("sc-image", "--sc-image-height")).toBe("120px");
        await page.close();
      },
    );
  });
});

describe("an HTML component's value in the drawing", () => {
  it("shows it sanitised by the server before any script, and the live page shows it too", async () => {
    await withSpace(
      sc.Blocks({ title: "Banner" }, () =>
        sc.HTML({
          value:
            '<h3 style="color: rgb(200, 0, 0)">Hi <b>there</b></h3>' +
            '<img src="x" alt="broken" onerror="window.__pwned = 1"><script>window.__pwned = 2</script>',
        }),
      ),
      async (space) => {
        const page = await noScript.context.newPage();
        await page.goto(space.server.url);
        const heading = page.locator("sc-app sc-html h3");
        expect(await heading.textContent()).toBe("Hi there");
        expect(await heading.evaluate((h3) => getComputedStyle(h3).color), "its style kept").toBe(
          "rgb(200, 0, 0)",
        );
        const html = await page
          .locator("sc-app sc-html [part=content]")
          .evaluate((content) => content.innerHTML);
        expect(html, "no script and no handler").not.toMatch(/script|onerror|__pwned/);
        await page.close();
        const live = await browser.context.newPage();
        await live.goto(space.server.url);
        await live.waitForSelector("sc-app[loaded]");
        expect(await live.locator("sc-app sc-html h3").textContent()).toBe("Hi there");
        expect(await live.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
        await live.close();
      },
    );
  });
});

describe("the hello page with JavaScript", () => {
  it("takes over the server's page without a frame that lacks the title or the inputs", async () => {
    const page = await browser.context.newPage();
    // Every frame from the first paint until the app has loaded: is the title there, and the Text box?
    await page.addInitScript(() => {
      const frames: boolean[] = [];
      (window as unknown as { frames_: boolean[] }).frames_ = frames;
      const deep = (root: Document | ShadowRoot, selector: string): Element | null => {
        const found = root.querySelector(selector);
        if (found) return found;
        for (const host of root.querySelectorAll("*")) {
          const inner = host.shadowRoot && deep(host.shadowRoot, selector);
          if (inner) return inner;
        }
        return null;
      };
      const check = () => {
        // From the first paint on, to the first frame after the app has loaded.
        if (performance.getEntriesByName("first-contentful-paint").length > 0) {
          const title = deep(document, "h1")?.textContent === "Repeat";
          const box = deep(document, "[placeholder='Type something']") !== null;
          frames.push(title && box);
        }
        if (!document.querySelector("sc-app[loaded]") || frames.length === 0) requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
    await page.goto(space.server.url);
    await page.waitForSelector("sc-app[loaded]");
    await page.evaluate(
      () => (document.querySelector("sc-app") as unknown as { ready: Promise<void> }).ready,
    );
    const frames = await page.evaluate(() => (window as unknown as { frames_: boolean[] }).frames_);
    expect(frames.length, "frames were checked").toBeGreaterThan(0);
    expect(frames.every(Boolean), `a frame lacked the title or the Text box: ${frames}`).toBe(true);
    // The server's copy is gone: one Text box, and it is the live element.
    expect(await page.locator("sc-app sc-textbox[label=Text]").count()).toBe(1);
    await page.close();
  });

  it("runs the modules its config needs as scripts, and draws the live page before the next frame", async () => {
    const html = await (await fetch(space.server.url)).text();
    for (const chunk of ["textbox", "slider", "websocket"])
      expect(html, `the page runs ${chunk}'s chunk`).toMatch(
        new RegExp(`<script type="module" src="\\./assets/${chunk}-[\\w-]+\\.js"></script>`),
      );
    expect(html, "the chunks they import are preloaded").toMatch(
      /<link rel="modulepreload" href="\.\/assets\/transport-[\w-]+\.js" \/>/,
    );
    const page = await browser.context.newPage();
    // A first visit's page, whatever this browser has seen (a visit again adds them after its first frame).
    await page.route(space.server.url, async (route) => {
      const { "if-none-match": _, ...headers } = route.request().headers();
      await route.continue({ headers });
    });
    // At the first frame after DOMContentLoaded (by when those scripts have run): has the app
    // loaded, with every element drawn? Nothing is left to import, so nothing waits a task.
    await page.addInitScript(() => {
      addEventListener("DOMContentLoaded", () =>
        requestAnimationFrame(() => {
          const app = document.querySelector("sc-app");
          // Not an examples table: the server's is kept as drawn.
          const elements = [
            ...(app?.shadowRoot?.querySelectorAll("[data-component-id]:not(sc-examples)") ?? []),
          ];
          (window as unknown as { atFrame: unknown }).atFrame = {
            loaded: app?.hasAttribute("loaded"),
            elements: elements.length,
            drawn: elements.every((element) => (element as unknown as { hasUpdated: boolean }).hasUpdated),
          };
        }),
      );
    });
    await page.goto(space.server.url);
    const atFrame = () => page.evaluate(() => (window as unknown as { atFrame?: unknown }).atFrame);
    await eventually(async () => (await atFrame()) !== undefined).toBe(true);
    expect(await atFrame(), "the page at the first frame after DOMContentLoaded").toEqual({
      loaded: true,
      elements: 4,
      drawn: true,
    });
    await page.close();
  });

  it("runs its entry as a classic script, whose one copy every module chunk shares", async () => {
    const page = await browser.context.newPage();
    await page.goto(space.server.url);
    await page.waitForSelector("sc-app[loaded]");
    const scripts = await page.evaluate(() =>
      [...document.scripts].map((script) => ({ src: script.src, type: script.type, defer: script.defer })),
    );
    expect(
      scripts.filter((script) => /\/assets\/page-[\w-]+\.js$/.test(script.src)),
      "one classic entry script, deferred",
    ).toEqual([{ src: expect.any(String), type: "", defer: true }]);
    expect(
      scripts.filter((script) => script.src.includes("/assets/index-")),
      "no entry module script",
    ).toEqual([]);
    const standIn = await page
      .locator('link[rel="modulepreload"][href*="/assets/index-"]')
      .getAttribute("href");
    expect(standIn, "the stand-in module is preloaded").toMatch(/^\.\/assets\/index-[\w-]+\.js$/);
    // A string, run as written: the test's own transform would rewrite an import() in a function.
    const shared = await page.evaluate(`import(${JSON.stringify(standIn)}).then((module) => {
      const entry = globalThis.__spacecraft ?? {};
      const Textbox = customElements.get("sc-textbox");
      return {
        exports: Object.keys(module).length,
        same: Object.keys(module).every((name) => module[name] === entry[name]),
        textboxExtendsShared: Object.values(entry).some((value) => typeof value === "function" && typeof value.prototype === "object" && Textbox.prototype instanceof value),
      };
    })`);
    expect(
      shared,
      "the stand-in re-exports the script's exports; the Text box's chunk extends its class",
    ).toEqual({
      exports: expect.any(Number),
      same: true,
      textboxExtendsShared: true,
    });
    expect((shared as { exports: number }).exports, "the stand-in exports the entry's names").toBeGreaterThan(
      10,
    );
    await page.close();
  });

  it("keeps what was typed before the scripts ran, and works", async () => {
    // The page's script held until the visitor has typed into the server-rendered box.
    const { page, release } = await heldPage(browser, space.server.url);
    const box = page.getByLabel("Text", { exact: true });
    await box.fill("typed early ");
    expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded while typing").toBe(0);
    release();
    await page.waitForSelector("sc-app[loaded]");
    const element = page.locator("sc-app sc-textbox[label=Text]");
    await eventually(() => element.evaluate((e) => (e as unknown as { value: string }).value)).toBe(
      "typed early ",
    );
    // The focus stays in the Text box (the live one).
    await eventually(() =>
      page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName),
    ).toBe("SC-TEXTBOX");
    await page.getByRole("button", { name: "Submit" }).click();
    await eventually(() => resultOf(page)).toBe("typed early typed early ");
    await page.close();
  });
});

describe("the page's WebSocket", () => {
  it("opens while the page's scripts load, and the live page runs over it", async () => {
    const { page, release, predictions, sockets } = await heldPage(browser, space.server.url);
    await eventually(() => sockets.length, "the first script opened the socket").toBe(1);
    expect(sockets[0]).toMatch(/\/ws\?session=[0-9a-f]{32}$/);
    expect(await page.locator("sc-app[loaded]").count(), "the entry was still held").toBe(0);
    release();
    await page.waitForSelector("sc-app[loaded]");
    await page.getByLabel("Text", { exact: true }).fill("over it ");
    await page.getByRole("button", { name: "Submit" }).click();
    await eventually(() => resultOf(page)).toBe("over it over it ");
    expect(predictions).toEqual([["over it ", 2]]);
    expect(sockets, "the live page opened no socket of its own").toHaveLength(1);
    await page.close();
  });

  it("is opened once the drawing's first frame is on screen, or at once on a page in the background", async () => {
    // In what order a page whose entry never arrives draws its first frame, paints it, and opens its socket.
    const order = async (hidden: boolean) => {
      const page = await browser.context.newPage();
      await page.addInitScript((hidden) => {
        const seen: string[] = [];
        (window as unknown as { seen: string[] }).seen = seen;
        if (hidden) Object.defineProperty(Document.prototype, "hidden", { get: () => true });
        requestAnimationFrame(() => seen.push("frame"));
        new PerformanceObserver((_, observer) => {
          observer.disconnect();
          seen.push("paint");
        }).observe({ type: "paint", buffered: true });
        const Native = WebSocket;
        window.WebSocket = class extends Native {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(url, protocols);
            seen.push("socket");
          }
        };
      }, hidden);
      await page.route(/\/assets\/page-[^/]*\.js$/, (route) => route.abort());
      await page.goto(space.server.url, { waitUntil: "commit" });
      const seen = () => page.evaluate(() => (window as unknown as { seen?: string[] }).seen ?? []);
      await eventually(async () => (await seen()).length, "a frame, its paint and a socket").toBe(3);
      const result = await seen();
      await page.close();
      return result;
    };
    expect(await order(false), "a page in view").toEqual(["frame", "paint", "socket"]);
    expect((await order(true))[0], "a page in the background").toBe("socket");
  });
});

describe("input on the drawing before the scripts ran", () => {
  it("runs a click on Submit at once, before the scripts, once, and the live page shows it", async () => {
    const { page, release, predictions, console } = await heldPage(browser, space.server.url);
    await page.getByLabel("Text", { exact: true }).fill("early ");
    // Twice, as a visitor does when nothing seems to happen: it runs once (a second click would
    // reach the live button as Stop, and stop the run).
    await page.getByRole("button", { name: "Submit" }).click();
    await page.getByRole("button", { name: "Submit" }).click();
    expect(
      await page
        .getByRole("button", { name: "Submit" })
        .evaluate((button) => getComputedStyle(button).opacity),
      "the drawn button dims: the click is taken",
    ).toBe("0.6");
    // The drawing sent it over the first script's socket: the page's scripts are still held.
    await eventually(() => predictions, "the run left the drawing").toEqual([["early ", 2]]);
    expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the run").toBe(0);
    release();
    await page.waitForSelector("sc-app[loaded]");
    await eventually(() => resultOf(page), "the live page shows the run's result").toBe("early early ");
    await eventually(() => shownText(page.locator("sc-app sc-status").first())).toMatch(/^Done in/);
    expect(predictions, "one run, with the typed text").toEqual([["early ", 2]]);
    // The run it followed has ended: the live button runs again (it is Submit, not Stop).
    await page.getByLabel("Text", { exact: true }).fill("live ");
    await page.getByRole("button", { name: "Submit" }).click();
    await eventually(() => resultOf(page)).toBe("live live ");
    expect(predictions).toEqual([
      ["early ", 2],
      ["live ", 2],
    ]);
    expect(console, "no script refused (the first script runs under the page's CSP)").toEqual([]);
    await page.close();
  });

  it("runs Enter pressed in the text box at once", async () => {
    const { page, release, predictions } = await heldPage(browser, space.server.url);
    await page.getByLabel("Text", { exact: true }).fill("enter ");
    await page.getByLabel("Text", { exact: true }).press("Enter");
    await eventually(() => predictions, "the run left the drawing").toEqual([["enter ", 2]]);
    expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the run").toBe(0);
    release();
    await eventually(() => resultOf(page)).toBe("enter enter ");
    expect(predictions).toEqual([["enter ", 2]]);
    await page.close();
  });

  it("runs with the number typed in the slider's box on the drawing, whose range follows it", async () => {
    const { page, release, predictions } = await heldPage(browser, space.server.url);
    await page.getByLabel("Text", { exact: true }).fill("n ");
    await page.getByLabel("Times (number)").fill("4");
    await page.getByRole("button", { name: "Submit" }).click();
    await eventually(() => predictions, "the run left the drawing").toEqual([["n ", 4]]);
    release();
    await eventually(() => resultOf(page)).toBe("n n n n ");
    const slider = page.locator("sc-app sc-slider[label=Times]");
    await eventually(() => slider.evaluate((e) => (e as unknown as { value: number }).value)).toBe(4);
    await page.close();
  });

  it("runs the form on Ctrl+Enter pressed on the drawing, as the page's hint says, once live", async () => {
    const { page, release, predictions } = await heldPage(browser, space.server.url);
    await page.getByLabel("Text", { exact: true }).fill("key ");
    await page.getByLabel("Times (number)").fill("3");
    await page.getByLabel("Times (number)").press("Control+Enter");
    // Kept, not sent: the live page's shortcut picks the run, which it replays there.
    expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the key").toBe(0);
    release();
    await eventually(() => resultOf(page), "the shortcut ran once the page was live").toBe("key key key ");
    expect(predictions).toEqual([["key ", 3]]);
    await page.close();
  });

  it("runs with a box ticked on the drawing; after another choice there, waits to run in order", async () => {
    const loud = sc.Blocks({ title: "Loud" }, () => {
      const text = sc.Textbox({ label: "Text" });
      const shout = sc.Checkbox({ label: "Shout" });
      const mood = sc.Radio({ label: "Mood", choices: ["calm", "glad"], value: "calm" });
      const result = sc.Textbox({ label: "Result" });
      const felt = sc.Textbox({ label: "Felt" });
      const go = sc.Button({ value: "Go" });
      go.click({
        fn: (value, loudly) => (loudly ? value.toUpperCase() : value),
        inputs: [text, shout],
        outputs: [result],
      });
      mood.change({ fn: (value) => `feeling ${value}`, inputs: [mood], outputs: [felt] });
      return sc.Column([text, shout, mood, go, result, felt]);
    });
    await withSpace(loud, async (space) => {
      const ticked = await heldPage(browser, space.server.url);
      await ticked.page.getByLabel("Text", { exact: true }).fill("hey");
      await ticked.page.getByRole("checkbox", { name: "Shout" }).check();
      await ticked.page.getByRole("button", { name: "Go" }).click();
      await eventually(() => ticked.predictions, "the run left the drawing").toEqual([["hey", true]]);
      ticked.release();
      await eventually(() => resultOf(ticked.page)).toBe("HEY");
      await ticked.page.close();

      // The radio's choice is made again on the live page (its change runs), then Go, in order.
      const chose = await heldPage(browser, space.server.url);
      await chose.page.getByLabel("Text", { exact: true }).fill("hey");
      await chose.page.getByRole("radio", { name: "glad" }).check();
      await chose.page.getByRole("button", { name: "Go" }).click();
      expect(await chose.page.locator("sc-app[loaded]").count(), "the app had not loaded at the click").toBe(
        0,
      );
      chose.release();
      await eventually(() => resultOf(chose.page)).toBe("hey");
      await eventually(() => chose.predictions).toEqual([["glad"], ["hey", false]]);
      await chose.page.close();
    });
  });

  it("stops a run sent from the drawing with the live page's Stop", async () => {
    await withSpace(slow, async (sleepy) => {
      const { page, release, predictions } = await heldPage(browser, sleepy.server.url);
      await page.getByLabel("Seconds", { exact: true }).fill("600");
      await page.getByRole("button", { name: "Submit" }).click();
      await eventually(() => predictions, "the run left the drawing").toEqual([[600]]);
      release();
      await page.waitForSelector("sc-app[loaded]");
      const status = () => shownText(page.locator("sc-app sc-status").first());
      await eventually(status, "the live page shows the run it followed").toMatch(/Running…/);
      await page.getByRole("button", { name: "Stop", exact: true }).click();
      await eventually(status).toMatch(/Stopped\./);
      expect(await page.getByRole("button", { name: "Submit", exact: true }).count()).toBe(1);
      await page.close();
    });
  });

  it("leaves a click that cancels a run sent from the drawing to the live page, which cancels it, then runs", async () => {
    const resettable = sc.Blocks({ title: "Reset" }, () => {
      const seconds = sc.Number({ label: "Seconds", value: 600 });
      const result = sc.Textbox({ label: "Result" });
      const go = sc.Button({ value: "Go" });
      const reset = sc.Button({ value: "Reset" });
      const run = go.click({
        fn: async (wait, { signal }) => {
          await new Promise((resolve) => {
            const timer = setTimeout(resolve, wait * 1000);
            signal.addEventListener("abort", () => resolve(clearTimeout(timer)));
          });
          return signal.aborted ? "cancelled" : "slept";
        },
        inputs: [seconds],
        outputs: [result],
      });
      reset.click({ fn: () => "reset", inputs: [], outputs: [result], cancels: [run] });
      return sc.Column([seconds, go, reset, result]);
    });
    await withSpace(resettable, async (space) => {
      const { page, release, predictions, received } = await heldPage(browser, space.server.url);
      await page.getByRole("button", { name: "Go" }).click();
      await eventually(() => predictions, "Go's run left the drawing").toEqual([[600]]);
      await page.getByRole("button", { name: "Reset" }).click();
      expect(predictions, "Reset waits for the live page").toEqual([[600]]);
      expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at Reset").toBe(0);
      release();
      await eventually(() => predictions, "the live page ran Reset").toEqual([[600], []]);
      await eventually(() => resultOf(page), "Go's run was cancelled, Reset's result shows").toBe("reset");
      expect(received, "the live page cancelled the run it followed").toContain(
        JSON.stringify({ type: "cancelled", id: "early-0" }),
      );
      await page.close();
    });
  });

  it("runs the steps chained after a run sent from the drawing once it is done", async () => {
    const chained = sc.Blocks({ title: "Chain" }, () => {
      const name = sc.Textbox({ label: "Name" });
      const upper = sc.Textbox({ label: "Upper" });
      const greeting = sc.Textbox({ label: "Greeting" });
      const go = sc.Button({ value: "Go" });
      go.click({ fn: (text) => text.toUpperCase(), inputs: [name], outputs: [upper] }).then({
        fn: (text) => `Hello, ${text}!`,
        inputs: [upper],
        outputs: [greeting],
      });
      return sc.Column([name, go, upper, greeting]);
    });
    await withSpace(chained, async (blocks) => {
      const { page, release, predictions } = await heldPage(browser, blocks.server.url);
      await page.getByLabel("Name", { exact: true }).fill("ada");
      await page.getByRole("button", { name: "Go" }).click();
      await eventually(() => predictions, "the first step left the drawing").toEqual([["ada"]]);
      release();
      await eventually(() =>
        page
          .locator("sc-app sc-textbox[label=Greeting]")
          .evaluate((element) => (element as { value?: string }).value),
      ).toBe("Hello, ADA!");
      expect(predictions, "the chained step ran from the live page").toEqual([["ada"], ["ADA"]]);
      await page.close();
    });
  });

  it("replays a pick in a table of pages, then Submit, in the order they were made", async () => {
    await withSpace(
      sc.Interface({
        fn: (text, times) => text.repeat(times),
        inputs: [sc.Textbox({ label: "Text" }), sc.Number({ label: "Times", value: 1 })],
        outputs: [sc.Textbox({ label: "Result" })],
        examples: [
          ["a", 1],
          ["b", 2],
          ["c", 3],
        ],
        examplesPerPage: 2,
      }),
      async (paged) => {
        const { page, release, predictions } = await heldPage(browser, paged.server.url);
        await page.getByRole("button", { name: /^Example 2:/ }).click();
        await page.getByRole("button", { name: "Submit" }).click();
        expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the clicks").toBe(0);
        release();
        await eventually(() => resultOf(page)).toBe("bb");
        expect(predictions).toEqual([["b", 2]]);
        await page.close();
      },
    );
  });

  for (const multimodal of [false, true]) {
    it(`sends a chat message typed and entered on the drawing at once${multimodal ? " (multimodal box)" : ""}`, async () => {
      await withSpace(
        sc.ChatInterface({
          fn: (message) => `got ${typeof message === "string" ? message : JSON.stringify(message)}`,
          ...(multimodal ? { multimodal: true as const } : {}),
        }),
        async (chat) => {
          const { page, release, predictions } = await heldPage(browser, chat.server.url);
          const box = page.getByRole("textbox", { name: "Message" });
          await box.fill("hi there");
          await box.press("Enter");
          await eventually(() => predictions, "the message left the drawing").toEqual([
            [multimodal ? { text: "hi there", files: [] } : "hi there", []],
          ]);
          expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at Enter").toBe(0);
          release();
          await page.waitForSelector("sc-app[loaded]");
          const reply = multimodal ? 'got {"text":"hi there","files":[]}' : "got hi there";
          await eventually(() =>
            page
              .locator("sc-app sc-chatbot")
              .evaluate((e) =>
                (e as unknown as { value: { role: string; content: unknown }[] }).value.map(
                  (m) =>
                    `${m.role}: ${typeof m.content === "string" ? m.content : JSON.stringify(m.content)}`,
                ),
              ),
          ).toEqual([`user: hi there`, `assistant: ${reply}`]);
          await page.close();
        },
      );
    });
  }

  it("keeps a choice made on the drawing in a radio, a group of boxes and lists, and runs with it", async () => {
    await withSpace(choices, async (space) => {
      const { page, release, predictions } = await heldPage(browser, space.server.url);
      await page.getByRole("radio", { name: "L" }).check();
      await page.getByRole("checkbox", { name: "ham" }).uncheck();
      await page.getByRole("checkbox", { name: "basil" }).check();
      await page.getByLabel("Drink", { exact: true }).selectOption("coffee");
      await page.getByLabel("Sides", { exact: true }).selectOption("salad");
      await page.locator("sc-app summary", { hasText: "More" }).click();
      await page.getByRole("checkbox", { name: "Extra hot" }).check();
      await page.getByRole("button", { name: "Order" }).click();
      expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the choices").toBe(0);
      release();
      await eventually(() => resultOf(page)).toBe("L | basil | coffee | salad | true");
      expect(predictions).toEqual([["L", ["basil"], "coffee", ["salad"], true]]);
      expect(await page.getByRole("radio", { name: "L" }).isChecked(), "the live radio shows it").toBe(true);
      expect(
        await page.locator("sc-app details").evaluate((details) => (details as HTMLDetailsElement).open),
        "the accordion the visitor opened stays open",
      ).toBe(true);
      await page.close();
    });
  });

  it("runs with what the drawing holds of each kind of input, as the live page sends it", async () => {
    // The same choices and text on the drawing (the page's scripts held) and on the live page.
    const choose = async (page: Page) => {
      await page.getByRole("radio", { name: "Medium" }).check();
      await page.getByRole("checkbox", { name: "Olives" }).check();
      await page.getByLabel("Drink", { exact: true }).selectOption("coffee");
      await page.locator("sc-app sc-multimodaltextbox textarea").fill("hi there");
      // The swatch: its text field (#control) follows it on the drawing as on the live page.
      await page.locator("sc-app sc-colorpicker input[type=color]").fill("#aabbcc");
      // The date's picker: its text field follows it on the drawing as on the live page.
      await page.locator("sc-app sc-datetime input.picker").fill("2026-11-30T10:20");
      await page.getByRole("button", { name: "Echo" }).click();
    };
    await withSpace(everyHeld, async (space) => {
      const early = await heldPage(browser, space.server.url);
      await choose(early.page);
      await eventually(() => early.predictions.length, "the run left the drawing").toBe(1);
      expect(await early.page.locator("sc-app[loaded]").count(), "the app had not loaded at the run").toBe(0);
      early.release();
      await eventually(() => resultOf(early.page), "the live page shows the run's result").not.toBe("");
      const shown = await resultOf(early.page);

      const live = await heldPage(browser, space.server.url);
      live.release();
      await live.page.waitForSelector("sc-app[loaded]");
      await choose(live.page);
      await eventually(() => live.predictions.length, "the live page ran").toBe(1);
      expect(early.predictions, "the drawing sent what the live page sends").toEqual(live.predictions);
      await eventually(() => resultOf(live.page)).toBe(shown);
      expect(JSON.parse(shown)).toEqual([
        "M",
        [1, 2],
        "coffee",
        ["fries"],
        { text: "hi there", files: [] },
        "#aabbcc",
        { depth: 2 },
        "print(1)",
        { headers: ["x", "y"], data: [[1, "a"]] },
        expect.any(Number),
        null,
      ]);
      expect(early.predictions[0], "the picked date as its text field writes it").toContain(
        "2026-11-30 10:20:00",
      );
      await early.page.close();
      await live.page.close();
    });
  });

  it("keeps a choice made in a multi-select list on the drawing for the live page, then runs", async () => {
    await withSpace(everyHeld, async (space) => {
      const { page, release, predictions } = await heldPage(browser, space.server.url);
      await page.getByLabel("Sides", { exact: true }).selectOption("salad");
      await page.getByRole("button", { name: "Echo" }).click();
      expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the click").toBe(0);
      expect(predictions, "the drawing cannot show the list's new value: the click waits").toEqual([]);
      release();
      await eventually(() => predictions.length).toBe(1);
      expect((predictions[0] as unknown[])[3]).toEqual(["fries", "salad"]);
      await page.close();
    });
  });

  it("runs a click with an empty image at once: the live page shows the field's error", async () => {
    await withSpace(imageSize(), async (space) => {
      const { page, release, predictions, received } = await heldPage(browser, space.server.url);
      await page.getByRole("button", { name: "Submit" }).click();
      await eventually(() => predictions, "the run left the drawing, with no image").toEqual([[null]]);
      expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the run").toBe(0);
      await eventually(
        () => received.some((text) => text.includes('"type":"error"')),
        "the server's answer",
      ).toBe(true);
      release();
      await eventually(() => shownText(page.locator("sc-app sc-image [part=error]"))).toMatch(
        /must be a file: upload it first/,
      );
      await page.close();
    });
  });

  it("shows the tab picked on the drawing once the live page is in", async () => {
    await withSpace(choices, async (space) => {
      const { page, release } = await heldPage(browser, space.server.url);
      await page.getByRole("tab", { name: "Notes" }).click();
      await page.getByRole("tab", { name: "Pick" }).click();
      await page.getByRole("tab", { name: "Notes" }).click();
      release();
      await page.waitForSelector("sc-app[loaded]");
      await eventually(() => page.getByRole("tab", { name: "Notes" }).getAttribute("aria-selected")).toBe(
        "true",
      );
      await eventually(() => page.getByText("Hot drinks take longer.").isVisible()).toBe(true);
      await page.close();
    });
  });

  it("uploads a file dropped on the drawing, and runs with it", async () => {
    await withSpace(imageSize(), async (space) => {
      const { page, release } = await heldPage(browser, space.server.url);
      const png = await pngOf(5, 3);
      const zone = page.locator("sc-app sc-image [part=dropzone]");
      const dropped = await zone.evaluate(
        (target, bytes) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], "dot.png", { type: "image/png" }));
          const init = { bubbles: true, composed: true, cancelable: true, dataTransfer: transfer };
          target.dispatchEvent(new DragEvent("dragover", init));
          // Not cancelled, the browser would open the file in place of the page.
          return !target.dispatchEvent(new DragEvent("drop", init));
        },
        [...png],
      );
      expect(dropped, "the drop is taken (its default, opening the file, prevented)").toBe(true);
      await page.getByRole("button", { name: "Submit" }).click();
      expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the drop").toBe(0);
      release();
      await eventually(() => resultOf(page)).toBe("5x3");
      await page.close();
    });
  });

  it("opens the picker from the drawing's drop zone, and runs with the file picked there", async () => {
    await withSpace(imageSize(), async (space) => {
      const { page, release } = await heldPage(browser, space.server.url);
      const png = await pngOf(4, 7);
      const chooser = page.waitForEvent("filechooser", { timeout: 20_000 });
      await page.locator("sc-app sc-image [part=dropzone]").click();
      await (await chooser).setFiles({ name: "tall.png", mimeType: "image/png", buffer: png });
      await page.getByRole("button", { name: "Submit" }).click();
      expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the pick").toBe(0);
      release();
      await eventually(() => resultOf(page)).toBe("4x7");
      await page.close();
    });
  });

  it("fills the inputs from an example picked on the drawing", async () => {
    const { page, release } = await heldPage(browser, space.server.url);
    await page.getByRole("button", { name: /^Example 2:/ }).click();
    expect(await page.locator("sc-app[loaded]").count(), "the app had not loaded at the pick").toBe(0);
    release();
    const text = page.locator("sc-app sc-textbox[label=Text]");
    await eventually(() => text.evaluate((e) => (e as unknown as { value: string }).value)).toBe("echo ");
    const times = page.locator("sc-app sc-slider[label=Times]");
    expect(await times.evaluate((e) => (e as unknown as { value: number }).value)).toBe(5);
    await page.close();
  });
});

describe("a visit again, with the page's chunks in the browser's cache", () => {
  it("gets the page whose scripts wait for the drawing's first frame; an unchanged page is a 304", async () => {
    const first = await fetch(space.server.url);
    const firstTag = first.headers.get("etag") ?? "";
    expect(await first.text(), "a first visit runs its scripts as the page loads").not.toContain(
      '<template id="sc-scripts">',
    );
    const again = await fetch(space.server.url, { headers: { "If-None-Match": firstTag } });
    expect(again.status, "the page was asked for with the first visit's ETag").toBe(200);
    const againTag = again.headers.get("etag") ?? "";
    expect(againTag, "the second form has an ETag of its own").not.toBe(firstTag);
    const html = await again.text();
    const kept = /<template id="sc-scripts">(.*?)<\/template>/.exec(html)?.[1] ?? "";
    expect(kept, "the page's entry waits in the template").toMatch(
      /<script defer src="\.\/assets\/page-[\w-]+\.js"><\/script>/,
    );
    for (const chunk of ["textbox", "slider", "websocket"])
      expect(kept, `${chunk}'s script waits too`).toMatch(
        new RegExp(`<script type="module" src="\\./assets/${chunk}-[\\w-]+\\.js"></script>`),
      );
    expect(html.replace(kept, ""), "no script of the page's outside it").not.toMatch(/src="\.\/assets\//);
    const cached = await fetch(space.server.url, { headers: { "If-None-Match": againTag } });
    expect(cached.status, "the browser has that form already").toBe(304);
    const other = await fetch(space.server.url, { headers: { "If-None-Match": 'W/"another-page"' } });
    expect(other.status).toBe(200);
    expect(await other.text(), "another page's ETag gets the first visit's form").not.toContain(
      '<template id="sc-scripts">',
    );
  });

  it("gets the page whose scripts block rendering where the drawing cannot run its buttons", async () => {
    const free = sc.Interface({
      fn: (model) => String(model),
      inputs: [sc.Dropdown({ label: "Model", choices: ["tiny", "base"], allowCustomValue: true })],
      outputs: [sc.Textbox({ label: "Result" })],
    });
    await withSpace(free, async (order) => {
      const first = await fetch(order.server.url);
      const html = await (
        await fetch(order.server.url, { headers: { "If-None-Match": first.headers.get("etag") ?? "" } })
      ).text();
      expect(
        /id="sc-early">(.*?)<\/script>/.exec(html)?.[1],
        "Submit takes a list that accepts any text, which only the live page reads",
      ).toBe("{}");
      expect(html).not.toContain('<template id="sc-scripts">');
      expect(html, "one paint, of the live page").toMatch(
        /<script blocking="render" defer src="\.\/assets\/page-[\w-]+\.js"><\/script>/,
      );
    });
  });

  it("paints the drawing first, which runs a click at first sight, then goes live", async () => {
    const visit = async () => {
      const page = await browser.context.newPage();
      // The first frame: the drawing, before any of the page's scripts ran? Submit is clicked then.
      await page.addInitScript(() => {
        // Which comes first: the run leaving the page, or the page's entry added to it.
        const order: string[] = [];
        (window as unknown as { order: string[] }).order = order;
        const { send } = WebSocket.prototype;
        WebSocket.prototype.send = function (this: WebSocket, data) {
          if (String(data).includes('"type":"predict"')) order.push("run");
          send.call(this, data);
        };
        new MutationObserver(() => {
          if (!order.includes("entry") && document.querySelector('script[src*="/page-"]'))
            order.push("entry");
        }).observe(document, { childList: true, subtree: true });
        requestAnimationFrame(() => {
          const drawing = document.querySelector("sc-app")?.shadowRoot;
          const field = drawing
            ?.querySelector<HTMLElement>("sc-textbox")
            ?.shadowRoot?.getElementById("control");
          const submit = drawing
            ?.querySelector("sc-button[data-component-id] ")
            ?.shadowRoot?.querySelector("button");
          (window as unknown as { firstFrame: unknown }).firstFrame = {
            defined: customElements.get("sc-app") !== undefined,
            title: drawing?.querySelector("h1")?.textContent,
          };
          if (field && submit && location.hash === "#click") {
            (field as HTMLInputElement).value = "at first sight ";
            submit.click();
          }
        });
      });
      const response = await page.goto(`${space.server.url}#click`);
      await page.waitForSelector("sc-app[loaded]");
      const firstFrame = await page.evaluate(
        () => (window as unknown as { firstFrame?: unknown }).firstFrame,
      );
      const tag = (await response?.allHeaders())?.etag ?? "";
      return { page, firstFrame, tag };
    };
    const first = await visit();
    await first.page.close();
    const again = await visit();
    expect(again.tag, `the second visit got the page that keeps its scripts (first: ${first.tag})`).toMatch(
      /\.r"$/,
    );
    expect(again.firstFrame, "the first frame of the second visit").toEqual({
      defined: false,
      title: "Repeat",
    });
    await eventually(() => resultOf(again.page), "the click on the drawing ran").toBe(
      "at first sight at first sight ",
    );
    // Its socket was opened by the click (it comes after the first frame); the scripts waited for
    // the run to leave, as running them would have held back the socket's "open" event.
    expect(
      await again.page.evaluate(() => (window as unknown as { order: string[] }).order.slice(0, 2)),
    ).toEqual(["run", "entry"]);
    await again.page.getByLabel("Text", { exact: true }).fill("again ");
    await again.page.getByRole("button", { name: "Submit" }).click();
    await eventually(() => resultOf(again.page)).toBe("again again ");
    await again.page.close();
  });

  it("shows the drawing without JavaScript on a visit again, too", async () => {
    for (const visit of ["first", "again"]) {
      const page = await noScript.context.newPage();
      const response = await page.goto(space.server.url);
      expect(await page.locator("sc-app h1").first().textContent(), `the ${visit} visit's title`).toBe(
        "Repeat",
      );
      if (visit === "again") expect((await response?.allHeaders())?.etag ?? "").toMatch(/\.r"$/);
      await page.close();
    }
  });
});

describe("Markdown in the server-rendered page", () => {
  it("neutralises a script or onerror payload in the description and article", async () => {
    const payload = sc.Interface({
      title: "Payload",
      description: 'Hi <img src="x" onerror="window.__pwned = 1"> <script>window.__pwned = 2</script>',
      article: '**bold**\n\n<iframe srcdoc="<script>parent.__pwned = 3</script>"></iframe>',
      fn: (text: string) => text,
      inputs: [sc.Textbox({ label: "In" })],
      outputs: [sc.Textbox({ label: "Out" })],
    });
    await withSpace(payload, async (server) => {
      const html = await (await fetch(server.server.url)).text();
      expect(html, "no live <img onerror> in the served HTML").not.toMatch(/<img[^>]*onerror/i);
      expect(html, "no <script> from the description").not.toMatch(/<script>window.__pwned/);
      expect(html, "no <iframe> from the article").not.toMatch(/<iframe/i);
      expect(html, "the article's Markdown is rendered on the server").toContain("<strong>bold</strong>");
      const page = await noScript.context.newPage();
      await page.goto(server.server.url);
      expect(
        await page.locator("sc-app header .prose").textContent(),
        "the description's text shows",
      ).toContain("Hi");
      await page.close();
      const live = await server.open();
      await eventually(() => live.page.evaluate(() => (window as { __pwned?: number }).__pwned ?? 0)).toBe(0);
    });
  });
  it("keeps the description's style attributes, as the live page's sanitiser does", async () => {
    const centred = sc.Interface({
      title: "Centred",
      description: '<p style="text-align: center">In the middle</p>\n\nAnd *Markdown* around it.',
      fn: (text: string) => text,
      inputs: [sc.Textbox({ label: "In" })],
      outputs: [sc.Textbox({ label: "Out" })],
    });
    await withSpace(centred, async (server) => {
      const page = await noScript.context.newPage();
      await page.goto(server.server.url);
      const paragraph = page.locator("sc-app header p", { hasText: "In the middle" });
      expect(await paragraph.evaluate((p) => getComputedStyle(p).textAlign)).toBe("center");
      expect(await page.locator("sc-app header em").textContent()).toBe("Markdown");
      await page.close();
      const live = await server.open();
      const shown = live.page.locator("sc-app header p", { hasText: "In the middle" });
      await eventually(() => shown.evaluate((p) => getComputedStyle(p).textAlign)).toBe("center");
    });
  });
});

describe("a static build", () => {
  it("is pre-rendered: its page shows the demo without JavaScript, and runs with it", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const out = await mkdtemp(join(tmpdir(), "spacecraft-prerender-"));
    const folder = join(out, "hello");
    await promisify(execFile)(
      process.execPath,
      [
        join(root, "framework/bin/spacecraft.js"),
        "build",
        "--static",
        "templates/hello/app.ts",
        "--out",
        folder,
      ],
      { cwd: root },
    );
    const server = await serveFolders({ "/": folder });
    try {
      const html = await readFile(join(folder, "index.html"), "utf8");
      expect(html, "the config is inline").toContain('id="sc-config"');
      const page = await noScript.context.newPage();
      await page.goto(`${server.url}/`);
      expect(await page.locator("sc-app h1").textContent()).toBe("Repeat");
      expect(await page.getByLabel("Text", { exact: true }).getAttribute("placeholder")).toBe(
        "Type something",
      );
      expect(await page.locator("sc-app sc-examples table").textContent()).toContain("echo");
      await page.close();
      const live = await browser.context.newPage();
      await live.goto(`${server.url}/`);
      await live.waitForSelector("sc-app[loaded]");
      await live.getByLabel("Text", { exact: true }).fill("ab");
      await live.getByRole("button", { name: "Submit" }).click();
      await eventually(() => resultOf(live)).toBe("abab");
      await live.close();
      // A click on its drawing before the scripts ran runs too (its engine is a Web Worker).
      const { page: early, release } = await heldPage(browser, `${server.url}/`);
      await early.getByLabel("Text", { exact: true }).fill("cd");
      await early.getByRole("button", { name: "Submit" }).click();
      expect(await early.locator("sc-app[loaded]").count(), "the app had not loaded at the click").toBe(0);
      release();
      await eventually(() => resultOf(early)).toBe("cdcd");
      await early.close();
    } finally {
      await server.close();
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});

/** A Space that answers an image's size, "WxH". */
const imageSize = () =>
  sc.Interface({
    fn: (image) => `${image.width}x${image.height}`,
    inputs: [sc.Image({ label: "Picture" })],
    outputs: [sc.Textbox({ label: "Result" })],
  });

/** A PNG of `width` × `height` pixels. */
const pngOf = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#08f" } })
    .png()
    .toBuffer();

/** Choices of every kind on a tab, one box in an accordion (closed, by default), and an Order button that reports them. */
/** One input of each kind the drawing holds (`earlyRuns`), echoed back as the function got them. */
const everyHeld = sc.Blocks({ title: "Held" }, () => {
  const inputs = [
    sc.Radio({ label: "Size", choices: ["S", ["Medium", "M"]], value: "S" }),
    sc.CheckboxGroup({
      label: "Toppings",
      choices: [
        ["Ham", 1],
        ["Olives", 2],
      ],
      value: [1],
    }),
    sc.Dropdown({ label: "Drink", choices: ["tea", "coffee"], value: "tea" }),
    sc.Dropdown({ label: "Sides", choices: ["fries", "salad"], value: ["fries"], multiselect: true }),
    sc.MultimodalTextbox({ label: "Message", submitButton: false }),
    sc.ColorPicker({ label: "Tint", value: "#336699" }),
    sc.JSON({ label: "Settings", value: { depth: 2 } }),
    sc.Code({ label: "Source", value: "print(1)" }),
    sc.Dataframe({ label: "Table", headers: ["x", "y"], value: [[1, "a"]] }),
    sc.DateTime({ label: "When" }),
    sc.State(null),
  ] as const;
  const result = sc.Textbox({ label: "Result" });
  const echo = sc.Button({ value: "Echo" });
  echo.click({
    // Each input's value (not the run's context, which comes after them).
    fn: (...values) => JSON.stringify(values.slice(0, inputs.length)),
    inputs: [...inputs],
    outputs: [result],
  });
  return sc.Column([...inputs, echo, result]);
});

const choices = sc.Blocks({ title: "Order" }, () => {
  const size = sc.Radio({ label: "Size", choices: ["S", "M", "L"], value: "M" });
  const toppings = sc.CheckboxGroup({
    label: "Toppings",
    choices: ["ham", "olives", "basil"],
    value: ["ham"],
  });
  const drink = sc.Dropdown({ label: "Drink", choices: ["water", "tea", "coffee"], value: "tea" });
  const sides = sc.Dropdown({ label: "Sides", choices: ["fries", "salad"], value: [], multiselect: true });
  const hot = sc.Checkbox({ label: "Extra hot", value: false });
  const note = sc.Textbox({
    label: "Note",
    lines: 3,
    value: "\nfirst line\n<b>second</b> & </textarea> last",
  });
  const result = sc.Textbox({ label: "Result" });
  const order = sc.Button({ value: "Order" });
  order.click({
    fn: (s, t, d, si, h) => `${s} | ${t.join(",")} | ${d} | ${si.join(",")} | ${h}`,
    inputs: [size, toppings, drink, sides, hot],
    outputs: [result],
  });
  return sc.Column(
    sc.Tabs(
      sc.Tab("Pick", size, toppings, drink, sides),
      sc.Tab("Notes", sc.Markdown({ value: "Hot drinks take longer." })),
    ),
    sc.Accordion("More", hot),
    note,
    order,
    result,
  );
});

/** Serves `app` in the file's browser for `use`, and stops it after, whatever happened. */
async function withSpace(app: sc.Space, use: (space: SpaceServer) => Promise<void>): Promise<void> {
  const space = await serveSpace(browser, app);
  try {
    await use(space);
  } finally {
    await space.close();
  }
}

/** The live page's Result box's value. */
function resultOf(page: Page): Promise<string> {
  return page
    .locator("sc-app sc-textbox[label=Result]")
    .evaluate((element) => (element as unknown as { value: string }).value);
}
