import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Frame, Page } from "playwright-core";
import * as sc from "spacecraft";
import type { RunningServer, ServeOptions } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preview } from "../../framework/dist/cli/preview.js";
import hello from "../../templates/hello/app.js";
import files from "../fixtures/files.js";
import type { TestBrowser } from "./harness.js";
import { eventually, launchBrowser, SpacePage } from "./harness.js";

// Embedding a Space in another site's page (issue 12). Two origins: the Space on 127.0.0.1:A and
// the embedding page on localhost:B. A "public" Space is bound to 0.0.0.0, as on the Hub (the
// origin rules count a loopback bind as a laptop's private server); it answers on 127.0.0.1.

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "framework/bin/spacecraft.js");
const work = mkdtempSync(join(tmpdir(), "spacecraft-embed-"));
let browser: TestBrowser;
const closers: (() => Promise<void>)[] = [];

/** Serves the embedding pages: each call of `add` gives a path on `http://localhost:PORT`. */
interface OutsideSite {
  readonly origin: string;
  add(html: string): string;
}

async function outsideSite(): Promise<OutsideSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const html = pages.get(request.url ?? "");
    if (html === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    add(html) {
      const path = `/page-${pages.size}.html`;
      pages.set(
        path,
        `<!doctype html><html><head><meta charset="utf-8"><title>Outside</title></head>${html}</html>`,
      );
      return `${origin}${path}`;
    },
  };
}

/** Serves a Space for the tests; `public` binds 0.0.0.0 (answering on 127.0.0.1). */
async function space(app: sc.Space, options: ServeOptions & { public?: boolean } = {}): Promise<string> {
  const { public: open, ...rest } = options;
  const running: RunningServer = await serve(app, {
    port: 0,
    logError: () => {},
    ...(open ? { host: "0.0.0.0" } : {}),
    ...rest,
  });
  closers.push(() => running.close({ timeoutMs: 500 }));
  return `http://127.0.0.1:${running.port}/`;
}

/** A page of the outside site that embeds the Space at `base` with embed.js and `<sc-app src>`. */
function embedding(site: OutsideSite, base: string, attributes = "", body = ""): string {
  return site.add(
    `<body>${body}<p id="outside">An outside page.</p>` +
      `<script type="module" src="${base}embed.js"></script><sc-app src="${base}" ${attributes}></sc-app></body>`,
  );
}

async function openPage(url: string): Promise<SpacePage> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("filechooser", () => {});
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  closers.push(() => page.close());
  await page.goto(url);
  await page.waitForSelector("sc-app[loaded]");
  return new SpacePage(page, errors);
}

/** The banner `<sc-app>` shows instead of the app when it cannot load it. */
async function refusal(page: Page): Promise<string> {
  return (await page.locator("sc-app [role=alert]").textContent()) ?? "";
}

/** The frame `<sc-app>` (or the page) holds, once its app is loaded. */
async function frameOf(page: Page, selector: string): Promise<Frame> {
  const handle = await page.locator(selector).elementHandle({ timeout: 20_000 });
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error(`${selector} has no frame`);
  await frame.waitForSelector("sc-app[loaded]", { timeout: 30_000 });
  return frame;
}

/** The frame's height and whether the page inside it scrolls (it must not). */
async function frameFit(page: Page, selector: string, frame: Frame) {
  const outer = await page.locator(selector).evaluate((element) => element.getBoundingClientRect().height);
  const inner = await frame.evaluate(() => ({
    content: document.documentElement.scrollHeight,
    viewport: window.innerHeight,
  }));
  return { outer, scrolls: inner.content > inner.viewport, inner };
}

let site: OutsideSite;
let publicSpace: string;

beforeAll(async () => {
  browser = await launchBrowser();
  site = await outsideSite();
  publicSpace = await space(hello, { public: true });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("embedding a server Space with embed.js", { timeout: 90_000 }, () => {
  it("runs it from another site's page: config, WebSocket and results from the Space", async () => {
    const view = await openPage(embedding(site, publicSpace));
    expect(new URL(view.page.url()).origin).not.toBe(new URL(publicSpace).origin);
    await view.component("Text").locator("input, textarea").first().fill("ab");
    await view.button("Submit").click();
    await eventually(() => view.valueOf("Result")).toBe("abab");
    // The outside page keeps its title and its own colours.
    expect(await view.page.title()).toBe("Outside");
    expect(await view.page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    // Every script came from the Space.
    const scripts = await view.page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((entry) => entry.name)
        .filter((name) => name.endsWith(".js")),
    );
    expect(scripts.length).toBeGreaterThan(1);
    expect(
      scripts.every((name) => name.startsWith(publicSpace)),
      scripts.join(", "),
    ).toBe(true);
    expect(view.errors).toEqual([]);
  });

  it("uploads to the Space and shows its files from there", async () => {
    const base = await space(files, { public: true });
    const view = await openPage(embedding(site, base));
    await view.chooseFile("Document", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("hello"),
    });
    expect(await view.uploaded("Document")).toMatchObject({ orig_name: "notes.txt", size: 5 });
    await view.button("Submit").click();
    await eventually(() => view.valueOf("About")).toBe("notes.txt: 5 bytes");
    const href = (await view.component("Copy").locator('[part="download"]').getAttribute("href")) ?? "";
    expect(href.startsWith(`${base}gradio_api/file=`), href).toBe(true);
    expect(await (await fetch(href)).text()).toBe("hello");
  });

  it("runs a laptop's Space (127.0.0.1) in a page of the same machine (localhost), in a frame too", async () => {
    const base = await space(hello);
    const view = await openPage(embedding(site, base));
    await view.component("Text").locator("input, textarea").first().fill("ok");
    await view.button("Submit").click();
    await eventually(() => view.valueOf("Result")).toBe("okok");
    const framed = await browser.context.newPage();
    closers.push(() => framed.close());
    await framed.goto(site.add(`<body><iframe id="space" src="${base}"></iframe></body>`));
    const frame = await frameOf(framed, "#space");
    await frame.locator("sc-app").getByRole("button", { name: "Submit" }).waitFor();
  });

  it("lets a site named in allowedOrigins embed a laptop's Space, and tells any other site why not", async () => {
    const other = await outsideSite();
    const base = await space(hello, { allowedOrigins: [site.origin] });
    const named = await openPage(embedding(site, base));
    await named.component("Text").locator("input, textarea").first().fill("xy");
    await named.button("Submit").click();
    await eventually(() => named.valueOf("Result")).toBe("xyxy");
    const refused = await openPage(embedding(other, base));
    expect(await refusal(refused.page)).toContain(`does not let ${other.origin} embed it`);
    expect(await refusal(refused.page)).toContain("allowedOrigins");
  });

  it("is refused by a public Space with sign-in that does not name the site", async () => {
    const base = await space(hello, { public: true, auth: [["ada", "lovelace"]] });
    const view = await openPage(embedding(site, base));
    expect(await refusal(view.page)).toContain(`does not let ${site.origin} embed it`);
  });

  it("respects disable_embedding: a clear message, and no frame", async () => {
    const folder = mkdtempSync(join(work, "closed-"));
    writeFileSync(
      join(folder, "README.md"),
      "---\ntitle: Closed\nsdk: docker\ndisable_embedding: true\n---\n",
    );
    const base = await space(hello, { public: true, root: folder });
    const view = await openPage(embedding(site, base));
    expect(await refusal(view.page)).toContain("does not let other sites embed it");
    expect(await refusal(view.page)).toContain("disable_embedding: true");
    // A plain iframe is refused by the browser (frame-ancestors): the app never loads in it.
    const framed = await browser.context.newPage();
    closers.push(() => framed.close());
    await framed.goto(site.add(`<body><iframe src="${base}"></iframe></body>`));
    const frame = await (await framed.locator("iframe").elementHandle())?.contentFrame();
    await eventually(() => frame?.url()).toMatch(/^chrome-error:/);
  });
});

describe("theme", { timeout: 60_000 }, () => {
  const background = (page: Page) =>
    page.locator("sc-app").evaluate((element) => getComputedStyle(element).backgroundColor);
  const brightness = (color: string) =>
    (color.match(/\d+/g) ?? [])
      .slice(0, 3)
      .map(Number)
      .reduce((a, b) => a + b, 0);

  it("takes theme=dark on a light page, leaving the page's colours alone", async () => {
    const view = await openPage(embedding(site, publicSpace, 'theme="dark"'));
    await eventually(async () => brightness(await background(view.page))).toBeLessThan(100);
    const pageBackground = await view.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(pageBackground).toBe("rgba(0, 0, 0, 0)");
    const text = await view.component("Text").evaluate((element) => getComputedStyle(element).color);
    expect(brightness(text)).toBeGreaterThan(500);
  });

  it("follows the embedding page's colour scheme with theme=auto, also when it changes", async () => {
    const view = await openPage(
      embedding(site, publicSpace, 'theme="auto"', "<style>:root{color-scheme:dark}</style>"),
    );
    await eventually(async () => brightness(await background(view.page))).toBeLessThan(100);
    await view.page.evaluate(() => {
      document.documentElement.style.colorScheme = "light";
    });
    await eventually(async () => brightness(await background(view.page))).toBeGreaterThan(600);
  });
});

/** Builds an app with `spacecraft build --static` and serves it with `spacecraft preview`'s server. */
async function staticSpace(app: string, name: string): Promise<string> {
  const dist = join(work, name);
  await run(process.execPath, [cli, "build", "--static", app, "--out", dist], { cwd: root });
  const { url, server } = await preview(dist, 0, "127.0.0.1");
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return url;
}

describe("embedding a static Space", { timeout: 180_000 }, () => {
  it("shows it in a frame that sizes itself, and runs it there", async () => {
    const url = await staticSpace("templates/hello/app.ts", "hello-static");
    const view = await openPage(embedding(site, `${url}/`));
    const frame = await frameOf(view.page, "sc-app iframe");
    expect(new URL(frame.url()).origin).toBe(url);
    expect(await view.page.locator("sc-app iframe").getAttribute("title")).toBe("Repeat");
    await frame.locator('sc-app [label="Text"]').locator("input, textarea").first().fill("ab");
    await frame.getByRole("button", { name: "Submit", exact: true }).click();
    await eventually(() =>
      frame.locator('sc-app [label="Result"]').evaluate((element) => (element as { value?: unknown }).value),
    ).toBe("abab");
    // The frame grows to the app: taller than its first 300 px, and nothing scrolls inside it.
    await eventually(async () => {
      const fit = await frameFit(view.page, "sc-app iframe", frame);
      return fit.outer > 300 && !fit.scrolls && Math.abs(fit.outer - fit.inner.viewport) <= 1;
    }).toBe(true);
  });
});

describe("a static Space with disable_embedding: true", { timeout: 180_000 }, () => {
  it("tells another site's page it may not embed it, in <sc-app> and in a plain iframe", async () => {
    const url = await staticSpace("tests/static/fixtures/closed/app.ts", "closed-static");
    const view = await openPage(embedding(site, `${url}/`));
    expect(await refusal(view.page)).toContain("does not let other sites embed it");
    // A static host sends no frame-ancestors: the page inside the frame refuses to run.
    const framed = await browser.context.newPage();
    closers.push(() => framed.close());
    await framed.goto(site.add(`<body><iframe id="space" src="${url}/"></iframe></body>`));
    const frame = await frameOf(framed, "#space");
    expect(await frame.locator("sc-app [role=alert]").textContent()).toContain("disable_embedding: true");
    expect(await frame.locator('sc-app [label="Text"]').count()).toBe(0);
    // Its own page runs it.
    const own = await openPage(`${url}/`);
    await own.component("Text").locator("input, textarea").first().fill("ab");
    await own.button("Submit").click();
    await eventually(() => own.valueOf("Result")).toBe("AB");
  });

  it("shows the footer from window.huggingface.variables, as the Hub gives a static Space", async () => {
    const url = await staticSpace("tests/static/fixtures/closed/app.ts", "closed-footer");
    const page = await browser.context.newPage();
    closers.push(() => page.close());
    await page.addInitScript(() => {
      (window as unknown as { huggingface: unknown }).huggingface = { variables: { SPACE_ID: "ada/closed" } };
    });
    await page.goto(`${url}/`);
    await page.waitForSelector("sc-app[loaded]");
    const links = page.locator('sc-app [part="links"]');
    await expect.poll(() => links.textContent(), { timeout: 20_000 }).toContain("Built with Spacecraft");
    expect(await links.getByRole("link", { name: "Duplicate this Space" }).getAttribute("href")).toBe(
      "https://huggingface.co/spaces/ada/closed?duplicate=true",
    );
  });
});

/** A demo whose result grows the page: as many paragraphs as asked for. */
const paragraphs = sc.Interface({
  fn: (count: number) => Array.from({ length: count }, (_, i) => `Paragraph ${i + 1}.`).join("\n\n"),
  inputs: [sc.Number({ label: "Count", value: 1 })],
  outputs: [sc.Markdown({ label: "Text" })],
});

describe("a plain iframe of a Space, with embed.js on the page", { timeout: 60_000 }, () => {
  it("grows to the app inside it, without an inner scrollbar", async () => {
    const base = await space(paragraphs, { public: true });
    const view = await browser.context.newPage();
    closers.push(() => view.close());
    await view.goto(
      site.add(
        `<body><script type="module" src="${base}embed.js"></script>` +
          `<iframe id="space" src="${base}" style="width:100%;height:150px;border:0"></iframe></body>`,
      ),
    );
    const frame = await frameOf(view, "#space");
    await eventually(async () => {
      const fit = await frameFit(view, "#space", frame);
      return fit.outer > 150 && !fit.scrolls && Math.abs(fit.outer - fit.inner.viewport) <= 1;
    }).toBe(true);
    // It follows the app as it grows (a longer result).
    const before = await view.locator("#space").evaluate((element) => element.getBoundingClientRect().height);
    await frame.locator('sc-app [label="Count"]').locator("input").first().fill("40");
    await frame.getByRole("button", { name: "Submit", exact: true }).click();
    await eventually(() =>
      view.locator("#space").evaluate((element) => element.getBoundingClientRect().height),
    ).toBeGreaterThan(before);
    const fit = await frameFit(view, "#space", frame);
    expect(fit.scrolls, JSON.stringify(fit)).toBe(false);
  });
});

describe("on a Space", { timeout: 60_000 }, () => {
  it("shows Built with Spacecraft, the Space's page and Duplicate this Space when SPACE_ID is set", async () => {
    const before = process.env.SPACE_ID;
    process.env.SPACE_ID = "ada/repeat";
    let base: string;
    try {
      base = await space(hello);
    } finally {
      if (before === undefined) delete process.env.SPACE_ID;
      else process.env.SPACE_ID = before;
    }
    const view = await openPage(base);
    const links = view.page.locator('sc-app [part="links"]');
    await expect.poll(() => links.textContent(), { timeout: 20_000 }).toContain("Built with Spacecraft");
    expect(await links.getByRole("link", { name: "ada/repeat on Hugging Face" }).getAttribute("href")).toBe(
      "https://huggingface.co/spaces/ada/repeat",
    );
    expect(await links.getByRole("link", { name: "Duplicate this Space" }).getAttribute("href")).toBe(
      "https://huggingface.co/spaces/ada/repeat?duplicate=true",
    );
    const plain = await openPage(publicSpace);
    expect(await plain.page.locator('sc-app [part="links"]').textContent()).not.toContain(
      "Built with Spacecraft",
    );
  });

  it("inside huggingface.co, posts its query string and hash to the Hub's page", async () => {
    const page = await browser.context.newPage();
    closers.push(() => page.close());
    // The Hub's Space page, played by a route: it frames the app and records what it posts.
    // The app is at its *.hf.space origin, as on the Hub (a route to the Space's server); its
    // WebSocket does not go through routes, and the test needs none.
    const hfSpace = "https://ada-repeat.hf.space";
    await page.route(`${hfSpace}/**`, async (route) => {
      const url = new URL(route.request().url());
      await route.fulfill({
        response: await route.fetch({ url: `${publicSpace}${url.pathname.slice(1)}${url.search}` }),
      });
    });
    await page.route("https://huggingface.co/spaces/ada/repeat", (route) =>
      route.fulfill({
        contentType: "text/html",
        body:
          `<!doctype html><script>window.posted=[];addEventListener("message",(e)=>{` +
          `if(e.data&&"queryString" in e.data)window.posted.push({origin:e.origin,...e.data})})</script>` +
          `<iframe id="space" src="${hfSpace}/?text=hi#result"></iframe>`,
      }),
    );
    await page.goto("https://huggingface.co/spaces/ada/repeat");
    const frame = await frameOf(page, "#space");
    const posted = () => page.evaluate(() => (window as unknown as { posted: unknown[] }).posted);
    await eventually(posted).toContainEqual({
      origin: hfSpace,
      queryString: "text=hi",
      hash: "#result",
    });
    await frame.evaluate(() => {
      location.hash = "#other";
    });
    await eventually(posted).toContainEqual({
      origin: hfSpace,
      queryString: "text=hi",
      hash: "#other",
    });
  });
});
