// Regenerates docs/components.md and docs/components/<tag>.png from the manifest:
// `npm run docs:components` (after `npm run build`, which writes components/custom-elements.json).
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { launchBrowser, serveSpace } from "../tests/browser/harness.js";
import { everyElement, savedChat } from "../tests/fixtures/every-element.js";
import type { Manifest } from "./components-doc.js";
import { elementsOf, formattedComponentsDoc, isShell } from "./components-doc.js";

const root = new URL("../", import.meta.url);
const manifest = JSON.parse(
  await readFile(new URL("components/custom-elements.json", root), "utf8"),
) as Manifest;
const pictures = new URL("docs/components/", root);
await rm(pictures, { recursive: true, force: true });
await mkdir(pictures, { recursive: true });

const taken = new Set<string>();
/** Screenshots the first `tag` of the page; false when the page has none or it shows nothing. */
async function shoot(page: Page, tag: string): Promise<boolean> {
  const element = page.locator(tag).first();
  if ((await element.count()) === 0) return false;
  const box = await element.boundingBox();
  if (!box || box.height < 2) return false; // shows nothing (a timer)
  await element.scrollIntoViewIfNeeded();
  await element.screenshot({ path: fileURLToPath(new URL(`${tag}.png`, pictures)), animations: "disabled" });
  taken.add(tag);
  return true;
}

const browser = await launchBrowser();
try {
  const served = await serveSpace(browser, everyElement());
  const { page } = await served.open();
  await page.setViewportSize({ width: 720, height: 900 });
  for (const { tag, path } of elementsOf(manifest)) {
    if (!isShell(path) && tag !== "sc-chathistory") await shoot(page, tag);
  }
  await served.close();

  // The chat history, with one saved conversation in its list.
  const chat = await serveSpace(browser, savedChat());
  const view = await chat.open();
  await view.page.setViewportSize({ width: 900, height: 600 });
  const box = view.component("Message").locator("input");
  await box.fill("What is a Space?");
  await box.press("Enter");
  await view.page
    .getByRole("list", { name: "Saved chats" })
    .getByRole("button", { name: "What is a Space?", exact: true })
    .waitFor({ timeout: 30_000 });
  await shoot(view.page, "sc-chathistory");
  await chat.close();
} finally {
  await browser.close();
}
const missing = elementsOf(manifest).filter(({ tag, path }) => !isShell(path) && !taken.has(tag));
console.log(
  `No picture (shows nothing or not in tests/fixtures/every-element.ts): ${missing.map((e) => e.tag).join(", ")}`,
);
await writeFile(new URL("docs/components.md", root), formattedComponentsDoc(manifest, taken));
console.log(
  `docs/components.md: ${taken.size} screenshots in docs/components/ (${(await readdir(pictures)).length} files)`,
);
