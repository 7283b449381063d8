// A `change` round trip in the page against a click round trip, on one page in one run, in
// Chromium: typing one character into a Textbox wired with `.change`, or clicking a Button wired
// to the same function, until the output's element has rendered the result. Timed in the page
// from the key or click event; on the server page (WebSocket) and on the static build (Web
// Worker; the server runs in a process of its own). `npm run bench:events` (about a minute).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { launchBrowser } from "../tests/browser/harness.js";
import { serveFolders } from "../tests/static/static-server.js";
import { spawnServer } from "./spawn-server.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 20;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

const out = mkdtempSync(join(tmpdir(), "spacecraft-bench-events-"));
execFileSync(
  process.execPath,
  [join(root, "framework/bin/spacecraft.js"), "build", "--static", "bench/events-app.ts", "--out", out],
  { cwd: root, stdio: "ignore" },
);
const staticServer = await serveFolders({ "/": out });
const server = await spawnServer("bench/events-app.ts");
const browser = await launchBrowser();
// tsx keeps function names with a `__name` helper, which functions run in the page lack.
await browser.context.addInitScript({ content: "globalThis.__name ??= (f) => f;" });

/** A round trip's times: from the user's action (key or button down) and from the event that runs the dependency. */
interface Times {
  fromAction: number;
  fromEvent: number;
}

/**
 * In the page: arms a probe that notes the times of the next `action` and `trigger` events (at
 * the window, before the page sees them) and resolves `window.roundTrip` with the milliseconds
 * from each until the element labelled `label` holds `expected` and has rendered it.
 */
function arm(
  page: Page,
  label: string,
  expected: string,
  [action, trigger]: ["keydown", "input"] | ["mousedown", "click"],
): Promise<void> {
  return page.evaluate(
    ({ label, expected, action, trigger }) => {
      const find = (node: Document | ShadowRoot): HTMLElement | undefined => {
        const hit = node.querySelector<HTMLElement>(`[label="${label}"]`);
        if (hit) return hit;
        for (const child of node.querySelectorAll("*")) {
          const found = child.shadowRoot && find(child.shadowRoot);
          if (found) return found;
        }
        return undefined;
      };
      const element = find(document) as HTMLElement & { value: unknown; updateComplete: Promise<unknown> };
      const at: Record<string, number> = {};
      for (const type of [action, trigger])
        window.addEventListener(
          type,
          (event) => {
            at[type] = event.timeStamp;
          },
          { capture: true, once: true },
        );
      (window as { roundTrip?: Promise<unknown> }).roundTrip = new Promise((resolve, reject) => {
        let done = false;
        const finish = async () => {
          if (done || element.value !== expected) return;
          done = true;
          observer.disconnect();
          clearTimeout(timer);
          await element.updateComplete;
          const now = performance.now();
          const [from, via] = [at[action], at[trigger]];
          if (from === undefined || via === undefined)
            reject(new Error(`"${label}" showed ${expected} before a ${action} and a ${trigger}`));
          else resolve({ fromAction: now - from, fromEvent: now - via });
        };
        // A run that ends takes the `pending` attribute off its outputs; frames are a fallback.
        const observer = new MutationObserver(finish);
        observer.observe(element, { attributes: true });
        const frame = () => {
          if (done) return;
          void finish();
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
        const timer = setTimeout(() => {
          done = true;
          observer.disconnect();
          reject(new Error(`"${label}" never showed ${expected}`));
        }, 10_000);
      });
    },
    { label, expected, action, trigger },
  );
}

/** Waits for the armed probe's round trip. */
function roundTrip(page: Page): Promise<Times> {
  return page.evaluate(() => (window as { roundTrip?: Promise<Times> }).roundTrip as Promise<Times>);
}

/** Alternates change and click round trips on one page; gives each kind's times after a warm-up. */
async function measure(url: string): Promise<{ change: Times[]; click: Times[] }> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForSelector("sc-app[loaded]");
  await page.evaluate(() => (document.querySelector("sc-app") as { ready?: Promise<void> } | null)?.ready);
  const typed = page.locator('sc-app [label="Typed"]');
  const typedInput = typed.locator("input");
  const clicked = page.locator('sc-app [label="Clicked"]');
  const run = page.getByRole("button", { name: "Run", exact: true });
  const change: Times[] = [];
  const click: Times[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    // Typing one character; the text starts over now and then.
    let text = (await typed.evaluate((element) => (element as HTMLElement & { value: string }).value)) ?? "";
    if (text.length >= 20) {
      await typed.evaluate((element) => {
        (element as HTMLElement & { value: string }).value = "";
      });
      text = "";
    }
    const letter = LETTERS[i % LETTERS.length] ?? "a";
    await typedInput.focus();
    await arm(page, "Typed result", `${text}${letter}`.toUpperCase(), ["keydown", "input"]);
    // The key goes up after the round trip, as a typist's does (about 100 ms after it went down).
    await page.keyboard.down(letter);
    const changeMs = await roundTrip(page);
    await page.keyboard.up(letter);

    // Clicking Run with a new text in its input.
    await clicked.evaluate((element, i) => {
      (element as HTMLElement & { value: string }).value = `click ${i}`;
    }, i);
    await arm(page, "Clicked result", `CLICK ${i}`, ["mousedown", "click"]);
    await run.click();
    const clickMs = await roundTrip(page);

    if (i >= WARMUP) {
      change.push(changeMs);
      click.push(clickMs);
    }
  }
  await page.close();
  return { change, click };
}

const results: { mode: string; change: Times[]; click: Times[] }[] = [];
try {
  results.push({ mode: "server (WebSocket)", ...(await measure(`${server.url}/`)) });
  results.push({ mode: "static (Web Worker)", ...(await measure(`${staticServer.url}/`)) });
} catch (error) {
  // The server logs errors that escape and keeps running; a bench that failed should stop.
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
  await staticServer.close();
  rmSync(out, { recursive: true, force: true });
}
if (process.exitCode) process.exit();

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] ?? Number.NaN;
const p = (times: Times[], from: keyof Times, q: number) =>
  quantile(
    times.map((t) => t[from]),
    q,
  );
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
console.log(`${SAMPLES} round trips of each kind per page (after ${WARMUP}), alternating.`);
console.log("From the event: `input` for typing, `click` for the button (what Spacecraft handles).");
console.log(
  "From the action: `keydown` for typing, `mousedown` for the button (includes the browser's own steps).\n",
);
console.log(row(["page", "round trip", "from event p50 ms", "p95 ms", "from action p50 ms", "p95 ms"]));
console.log(row(["---", "---", "---:", "---:", "---:", "---:"]));
for (const r of results) {
  for (const [event, times] of [
    ["change (type 1 char)", r.change],
    ["click", r.click],
  ] as const) {
    console.log(
      row([
        r.mode,
        event,
        ...(["fromEvent", "fromAction"] as const).flatMap((from) => [
          p(times, from, 0.5).toFixed(2),
          p(times, from, 0.95).toFixed(2),
        ]),
      ]),
    );
  }
}
console.log();
for (const r of results) {
  const ratio = (from: keyof Times, q: number) => p(r.change, from, q) / p(r.click, from, q);
  console.log(
    `${r.mode}: change/click from the event ${ratio("fromEvent", 0.5).toFixed(2)}× at p50, ${ratio("fromEvent", 0.95).toFixed(2)}× at p95 ` +
      `(target ≤ 1.2×) ${ratio("fromEvent", 0.5) <= 1.2 ? "OK" : "MISSED"}; from the action ${ratio("fromAction", 0.5).toFixed(2)}× at p50, ${ratio("fromAction", 0.95).toFixed(2)}× at p95`,
  );
}
