import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliRun, StandInStart } from "../server/share-helpers.js";
import { isRunning, PATH_WITH_STAND_IN, poll, runCli, standInStarts } from "../server/share-helpers.js";
import type { TestBrowser } from "./harness.js";
import { eventually, launchBrowser, SpacePage } from "./harness.js";

const app = fileURLToPath(new URL("../server/fixtures/share-app.ts", import.meta.url));

let dir: string;
let run: CliRun;
let url: string;
let start: StandInStart;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spacecraft-share-page-"));
  const log = join(dir, "stand-in.log");
  run = runCli(["start", app, "--port", "0", "--share"], {
    PATH: PATH_WITH_STAND_IN,
    CLOUDFLARED_STANDIN_LOG: log,
  });
  url = (
    await run.waitFor(/shared at (https:\/\/[a-z0-9-]+\.trycloudflare\.com)/, "the public URL")
  )[1] as string;
  start = await poll("the stand-in's log of its start", () =>
    standInStarts(log).find((entry) => entry.url === url),
  );
  // Chromium resolves the tunnel's name to the stand-in, as DNS would send it to Cloudflare's edge.
  browser = await launchBrowser({
    args: [`--host-resolver-rules=MAP *.trycloudflare.com 127.0.0.1:${start.port}`],
  });
});
afterAll(async () => {
  await browser?.close();
  run?.child.kill("SIGKILL");
  if (start && isRunning(start.pid)) process.kill(start.pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("a page shared through the tunnel", () => {
  it("loads at the public name and a submit round-trips over its WebSocket", async () => {
    if (!browser) throw new Error("Chromium did not start");
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    // The stand-in serves plain HTTP locally; the real tunnel's URL is the same name over HTTPS.
    const publicPage = url.replace(/^https:/, "http:");
    await page.goto(`${publicPage}/`);
    await page.waitForSelector("sc-app[loaded]");
    const shared = new SpacePage(page, errors);
    await page.getByLabel("Text", { exact: true }).fill("through the tunnel");
    await shared.button("Submit").click();
    await eventually(() => shared.valueOf("Echo")).toBe("THROUGH THE TUNNEL");
    expect(
      sockets.map((socket) => new URL(socket).host),
      "the WebSocket went to the public name",
    ).toContain(new URL(url).host);
    expect(errors).toEqual([]);
  });
});
