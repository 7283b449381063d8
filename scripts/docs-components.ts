// Regenerates docs/components.md and docs/components/<tag>.png from the manifest:
// `npm run docs:components` (after `npm run build`, which writes components/custom-elements.json).
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launchBrowser, serveSpace } from "../tests/browser/harness.js";
import { everyElement } from "../tests/fixtures/every-element.js";
import type { Manifest } from "./components-doc.js";
import { elementsOf, formattedComponentsDoc, isShell } from "./components-doc.js";

const root = new URL("../", import.meta.url);
const manifest = JSON.parse(
  await readFile(new URL("components/custom-elements.json", root), "utf8"),
) as Manifest;
const pictures = new URL("docs/components/", root);
await rm(pictures, { recursive: true, force: true });
await mkdir(pictures, { recursive: true });

const browser = await launchBrowser();
const served = await serveSpace(browser, everyElement());
const taken = new Set<string>();
try {
  const { page } = await served.open();
  await page.setViewportSize({ width: 720, height: 900 });
  for (const { tag, path } of elementsOf(manifest)) {
    if (isShell(path)) continue;
    const element = page.locator(tag).first();
    if ((await element.count()) === 0) {
      console.warn(
        `No picture of <${tag}>: tests/fixtures/every-element.ts has none (add one if a Blocks page can).`,
      );
      continue;
    }
    const box = await element.boundingBox();
    if (!box || box.height < 2) continue; // shows nothing (a timer)
    await element.scrollIntoViewIfNeeded();
    await element.screenshot({
      path: fileURLToPath(new URL(`${tag}.png`, pictures)),
      animations: "disabled",
    });
    taken.add(tag);
  }
} finally {
  await served.close();
  await browser.close();
}
await writeFile(new URL("docs/components.md", root), formattedComponentsDoc(manifest, taken));
console.log(
  `docs/components.md: ${taken.size} screenshots in docs/components/ (${(await readdir(pictures)).length} files)`,
);
