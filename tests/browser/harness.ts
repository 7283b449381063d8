import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { chromium } from "playwright-core";
import type { FileData, Space } from "spacecraft";
import type { RunningServer, ServeOptions } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { expect } from "vitest";

/** Debian's Chromium; never `npx playwright install`. */
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A Chromium with a fresh profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium with a throw-away profile. `fakeMedia` gives it a fake camera and microphone
 * (a test pattern and a beep) that pages may use without asking; `args` are more Chromium flags;
 * `javaScriptEnabled: false` gives pages without scripts; `bypassCSP` lets a test add scripts to the
 * page (axe-core); `timezoneId` is the pages' time zone (an IANA name; default the machine's).
 */
export async function launchBrowser(
  options: {
    colorScheme?: "light" | "dark";
    fakeMedia?: boolean;
    args?: string[];
    javaScriptEnabled?: boolean;
    bypassCSP?: boolean;
    timezoneId?: string;
  } = {},
): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), "spacecraft-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: [
      ...chromiumArgs,
      ...(options.fakeMedia
        ? [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
          ]
        : []),
      ...(options.args ?? []),
    ],
    colorScheme: options.colorScheme ?? "light",
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    bypassCSP: options.bypassCSP ?? false,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A served Space; open pages on it with {@link SpaceServer.open}. */
export interface SpaceServer {
  readonly server: RunningServer;
  /** A new page on the Space, loaded and ready; `initScript` runs in it before the page's own. */
  open(initScript?: string): Promise<SpacePage>;
  close(): Promise<void>;
}

/**
 * Serves `space` on 127.0.0.1 (a free port unless given; `dev` as under `spacecraft dev`;
 * `root` is where example files are found; `maxUploadBytes` the upload limit; `deepLinks` the
 * shared links' limits).
 */
export async function serveSpace(
  browser: TestBrowser,
  space: Space,
  options: {
    port?: number;
    dev?: boolean;
    root?: string;
    maxUploadBytes?: number;
    deepLinks?: ServeOptions["deepLinks"];
  } = {},
): Promise<SpaceServer> {
  const server = await serve(space, {
    port: options.port ?? 0,
    dev: options.dev,
    root: options.root,
    maxUploadBytes: options.maxUploadBytes,
    ...(options.deepLinks === undefined ? {} : { deepLinks: options.deepLinks }),
    logError: () => {},
  });
  const pages: Page[] = [];
  return {
    server,
    async open(initScript) {
      const page = await browser.context.newPage();
      if (initScript) await page.addInitScript({ content: initScript });
      // A step that never happens fails with its name, not at the test's own timeout; generous, as
      // a machine busy with other work may take many seconds to load a page.
      page.setDefaultTimeout(30_000);
      // Intercept file choosers from the start: Playwright turns interception on when the first
      // listener is added, which could otherwise race a click that opens one.
      page.on("filechooser", () => {});
      pages.push(page);
      const errors: Error[] = [];
      page.on("pageerror", (error) => errors.push(error));
      await page.goto(server.url);
      await page.waitForSelector("sc-app[loaded]");
      await page.evaluate(
        () => (document.querySelector("sc-app") as { ready?: Promise<void> } | null)?.ready,
      );
      return new SpacePage(page, errors);
    },
    async close() {
      await Promise.all(pages.map((page) => page.close()));
      pages.length = 0;
      await server.close({ timeoutMs: 1000 });
    },
  };
}

/**
 * `url` in a new page of `browser` whose entry script is held until `release()`: the server's
 * drawing is up and no script of the page's own has run (its first, inline script aside). With
 * the sockets it opens, the predictions it sends, the frames it receives and the console's errors.
 */
export async function heldPage(browser: TestBrowser, url: string) {
  const page = await browser.context.newPage();
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/assets\/page-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  const predictions: unknown[] = [];
  const sockets: string[] = [];
  const received: string[] = [];
  page.on("websocket", (socket) => {
    sockets.push(socket.url());
    socket.on("framesent", ({ payload }) => {
      const message = JSON.parse(String(payload)) as { type?: string; data?: unknown };
      if (message.type === "predict") predictions.push(message.data);
    });
    socket.on("framereceived", ({ payload }) => received.push(String(payload)));
  });
  const console: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") console.push(message.text());
  });
  await page.goto(url, { waitUntil: "commit" });
  return { page, release, predictions, sockets, received, console };
}

/** Polls `read` until the assertion holds (20 s deadline: generous, for a busy machine); `message` says what failed. */
export function eventually<T>(read: () => Promise<T> | T, message?: string) {
  return expect.poll(read, { timeout: 20_000, interval: 50, ...(message === undefined ? {} : { message }) });
}

/** A file for an upload: its name, type and bytes. */
export interface TestFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A recorded `input` or `change` event, as seen at the document. */
export interface RecordedEvent {
  type: string;
  value: unknown;
}

/**
 * Opens `url` in a new page of `context` and resolves once its `<sc-app>` is loaded and ready.
 * `prepare` runs before the page loads (routes, handlers).
 */
export async function openSpacePage(
  context: BrowserContext,
  url: string,
  { timeout = 30_000, prepare }: { timeout?: number; prepare?: (page: Page) => unknown } = {},
): Promise<SpacePage> {
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await prepare?.(page);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(url);
  await page.waitForSelector("sc-app[loaded]");
  await page.evaluate(() => (document.querySelector("sc-app") as { ready?: Promise<void> } | null)?.ready);
  return new SpacePage(page, errors);
}

/** Drives the page of a Space through its components' labels, not its shadow DOM. */
export class SpacePage {
  constructor(
    readonly page: Page,
    /** Uncaught errors in the page. */
    readonly errors: Error[],
  ) {}

  /** The element of the component labelled `label`. */
  component(label: string): Locator {
    return this.page.locator(`sc-app [label="${label}"]`).first();
  }

  /** The `.value` of a component. */
  valueOf(label: string): Promise<unknown> {
    return this.component(label).evaluate((element) => (element as HTMLElement & { value: unknown }).value);
  }

  /** Sets a component's `.value` directly (for setting up a test, not for testing input). */
  setValue(label: string, value: unknown): Promise<void> {
    return this.component(label).evaluate((element, v) => {
      (element as HTMLElement & { value: unknown }).value = v;
    }, value);
  }

  /** The text a component shows (through its shadow root, including form field values). */
  textOf(label: string): Promise<string> {
    return shownText(this.component(label));
  }

  /** The error message under a component ("" when none). */
  errorOf(label: string): Promise<string> {
    return this.component(label).evaluate((element) => (element as HTMLElement & { error: string }).error);
  }

  /** A button of the page, by its text. */
  button(name: string): Locator {
    return this.page.getByRole("button", { name, exact: true });
  }

  /** The status line of the outputs. */
  status(): Locator {
    return this.page.locator("sc-status").first();
  }

  /**
   * Waits until the status line reaches `stage` (`complete`, `error`, …), then until every
   * component has drawn what it was given (a chat draws once a frame, after the status line);
   * generous, since a model loading in a worker on a busy machine takes its time.
   */
  async waitForStage(stage: string): Promise<void> {
    await this.status()
      .and(this.page.locator(`[stage="${stage}"]`))
      .waitFor({ timeout: 60_000 });
    await this.page.evaluate(async () => {
      const elements = [...document.querySelectorAll("sc-app")].flatMap((app) => [
        ...(app.shadowRoot?.querySelectorAll("[data-component-id]") ?? []),
      ]);
      await Promise.all(
        elements.map(
          (element) => (element as Element & { updateComplete?: Promise<unknown> }).updateComplete,
        ),
      );
    });
  }

  /** The status line's text. */
  statusText(): Promise<string> {
    return shownText(this.status());
  }

  /** The text of the whole page. */
  pageText(): Promise<string> {
    return shownText(this.page.locator("sc-app"));
  }

  /** Paths (from the site root) of the scripts and styles the page has loaded so far. */
  loadedAssets(): Promise<string[]> {
    return this.page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((entry) => new URL(entry.name).pathname)
        .filter((path) => /\.(js|css)$/.test(path)),
    );
  }

  /** Gzipped bytes of the scripts and styles the page has loaded so far (as built into `spacecraft/ui`). */
  async loadedBytes(): Promise<number> {
    const ui = fileURLToPath(import.meta.resolve("spacecraft/package.json")).replace(/package\.json$/, "ui");
    const assets = await this.loadedAssets();
    return assets.reduce((sum, path) => sum + gzipSync(readFileSync(`${ui}${path}`)).length, 0);
  }

  /** Clicks the example row whose first cell reads `text`. */
  async pickExample(text: string): Promise<void> {
    await this.page.locator("sc-examples tbody tr").filter({ hasText: text }).first().click();
  }

  /** The drop zone of an upload element (a button). */
  dropZone(label: string): Locator {
    return this.component(label).locator('[part="dropzone"]');
  }

  /** Uploads a file the way a user does: clicks the drop zone and picks it in the file chooser. */
  async chooseFile(label: string, file: TestFile): Promise<void> {
    const [chooser] = await Promise.all([
      this.page.waitForEvent("filechooser"),
      this.dropZone(label).click(),
    ]);
    await chooser.setFiles(file);
  }

  /** Opens a video element's webcam and waits until its live view shows the camera; gives the live view. */
  async openWebcam(label: string): Promise<Locator> {
    const element = this.component(label);
    await element.getByRole("button", { name: "Record from webcam" }).click();
    const live = element.locator('video[part="webcam"]');
    await expect
      .poll(() => live.evaluate((video) => (video as HTMLVideoElement).videoWidth), {
        timeout: 30_000,
        interval: 100,
        message: `${label}'s live view shows the camera`,
      })
      .toBeGreaterThan(0);
    return live;
  }

  /** Records from an open webcam until the element's timer says a second, then stops. */
  async recordSecond(label: string): Promise<void> {
    const element = this.component(label);
    await element.getByRole("button", { name: "Start recording" }).click();
    await expect
      .poll(async () => Number.parseInt((await element.getByRole("timer").textContent()) ?? "0", 10), {
        timeout: 30_000,
        interval: 100,
        message: `${label}: a second recorded`,
      })
      .toBeGreaterThanOrEqual(1);
    await element.getByRole("button", { name: "Stop recording" }).click();
  }

  /** Drops a file on the drop zone of an upload element (dragenter, dragover, drop). */
  async dropFile(label: string, file: TestFile): Promise<void> {
    await this.dropZone(label).evaluate(
      (zone, { name, mimeType, bytes }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
        for (const type of ["dragenter", "dragover", "drop"]) {
          const init = { bubbles: true, composed: true, cancelable: true, dataTransfer: transfer };
          zone.dispatchEvent(new DragEvent(type, init));
        }
      },
      { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
    );
  }

  /** Pastes a file into an upload element, as Ctrl+V with a copied image does. */
  async pasteFile(label: string, file: TestFile): Promise<void> {
    await this.dropZone(label).focus();
    await this.dropZone(label).evaluate(
      (zone, { name, mimeType, bytes }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
        const init = { bubbles: true, composed: true, cancelable: true, clipboardData: transfer };
        zone.dispatchEvent(new ClipboardEvent("paste", init));
      },
      { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
    );
  }

  /** Waits until an upload element holds a file and gives its FileData. */
  async uploaded(label: string): Promise<FileData> {
    // Gives the value the wait saw, not a second read that could see a later state.
    const seen: { value?: FileData } = {};
    await eventually(async () => {
      const value = (await this.valueOf(label)) as FileData | null;
      if (value?.path) seen.value = value;
      return value?.path ?? "";
    }).not.toBe("");
    return seen.value as FileData;
  }

  /**
   * Starts recording every value the page gives a component (each partial result, say), so a
   * test sees a value that was replaced before it could poll for it.
   */
  async recordValues(label: string): Promise<() => Promise<unknown[]>> {
    const handle = await this.component(label).elementHandle();
    const log = await this.page.evaluateHandle((element) => {
      const values: unknown[] = [];
      let proto = Object.getPrototypeOf(element);
      let accessor: PropertyDescriptor | undefined;
      while (proto && !accessor) {
        accessor = Object.getOwnPropertyDescriptor(proto, "value");
        proto = Object.getPrototypeOf(proto);
      }
      const { get, set } = accessor as PropertyDescriptor;
      Object.defineProperty(element, "value", {
        configurable: true,
        get() {
          return get?.call(this);
        },
        set(value: unknown) {
          values.push(structuredClone(value));
          set?.call(this, value);
        },
      });
      return values;
    }, handle);
    return () => log.evaluate((values) => [...values]);
  }

  /** Starts recording the `input` and `change` events of a component at the document. */
  async recordEvents(label: string): Promise<() => Promise<RecordedEvent[]>> {
    const handle = await this.component(label).elementHandle();
    const log = await this.page.evaluateHandle((element) => {
      const events: { type: string; value: unknown }[] = [];
      for (const type of ["input", "change"]) {
        document.addEventListener(type, (event) => {
          if (event.composedPath()[0] !== element) return;
          const value = (element as HTMLElement & { value: unknown }).value;
          events.push({ type, value: structuredClone(value) });
        });
      }
      return events;
    }, handle);
    return () => log.evaluate((events) => [...events]);
  }
}

/** Visible text of an element, walking into shadow roots; whitespace collapsed. */
export function shownText(locator: Locator): Promise<string> {
  return locator.evaluate((root) => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? "";
      if (!(node instanceof Element) || node.tagName === "STYLE" || node.tagName === "SCRIPT") return "";
      if (node instanceof HTMLElement && node.hidden) return "";
      const children = [...(node.shadowRoot ?? node).childNodes].map(walk).join("");
      if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) return ` ${node.value} `;
      const block = /^(P|DIV|LI|TR|H\d|SUMMARY|DETAILS)$/.test(node.tagName);
      return block ? ` ${children} ` : children;
    };
    return walk(root).replace(/\s+/g, " ").trim();
  });
}
