// Page weight and time to interactive of the hello demo: the static build (engine in a Web
// Worker) side by side with the server-mode page, in one run. `npm run bench:page`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { serve } from "spacecraft/server";
import hello from "../templates/hello/app.js";
import { launchBrowser } from "../tests/browser/harness.js";
import { serveFolders } from "../tests/static/static-server.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const uiDir = join(root, "framework/ui");
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

const out = mkdtempSync(join(tmpdir(), "spacecraft-bench-static-"));
execFileSync(
  process.execPath,
  [join(root, "framework/bin/spacecraft.js"), "build", "--static", "templates/hello/app.ts", "--out", out],
  {
    cwd: root,
    stdio: "ignore",
  },
);
const staticServer = await serveFolders({ "/": out });
const server = await serve(hello, { port: 0 });
const browser = await launchBrowser();

interface Sample {
  jsGzip: number;
  wasm: number;
  interactiveMs: number;
}

/** Loads the page in a fresh tab; sums gzipped JS/CSS (main thread and worker) and times until it is usable. */
async function measure(url: string, folder: string): Promise<Sample> {
  const page = await browser.context.newPage();
  const paths = new Set<string>();
  const record = (request: { url(): string }) => paths.add(new URL(request.url()).pathname);
  browser.context.on("request", record);
  const started = performance.now();
  await page.goto(url);
  // Interactive: the shell has rendered and the engine answers (a real prediction round trip).
  await page.waitForSelector("sc-app[loaded]");
  await page.evaluate(() => (document.querySelector("sc-app") as { ready?: Promise<void> } | null)?.ready);
  const interactiveMs = performance.now() - started;
  await page.close();
  browser.context.off("request", record);
  let jsGzip = 0;
  let wasm = 0;
  for (const path of paths) {
    const file = join(folder, path);
    if (/\.(js|mjs|css)$/.test(path)) jsGzip += gzipSync(readFileSync(file)).length;
    else if (path.endsWith(".wasm")) wasm += readFileSync(file).length;
  }
  return { jsGzip, wasm, interactiveMs };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const results: Record<string, Sample> = {};
for (const [name, url, folder] of [
  ["server page", `${server.url}/`, uiDir],
  ["static page", `${staticServer.url}/`, out],
] as const) {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await measure(url, folder));
  results[name] = {
    jsGzip: median(samples.map((s) => s.jsGzip)),
    wasm: median(samples.map((s) => s.wasm)),
    interactiveMs: median(samples.map((s) => s.interactiveMs)),
  };
}
await browser.close();
await server.close({ timeoutMs: 100 });
await staticServer.close();
rmSync(out, { recursive: true, force: true });

console.log("| page | JS+CSS gzip (KB) | WASM (KB) | interactive, median ms |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, r] of Object.entries(results)) {
  console.log(
    `| ${name} | ${(r.jsGzip / 1024).toFixed(1)} | ${(r.wasm / 1024).toFixed(0)} | ${r.interactiveMs.toFixed(0)} |`,
  );
}
const staticPage = results["static page"];
const serverPage = results["server page"];
if (staticPage && serverPage) {
  console.log(
    `\nStatic hello: ${(staticPage.jsGzip / 1024).toFixed(1)} KB gz (target ≤ 30 KB) ${staticPage.jsGzip <= 30 * 1024 ? "OK" : "MISSED"}; ` +
      `${(staticPage.jsGzip / serverPage.jsGzip).toFixed(2)}× the server page's weight, ` +
      `${(staticPage.interactiveMs / serverPage.interactiveMs).toFixed(2)}× its time to interactive.`,
  );
}
