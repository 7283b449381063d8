// Regenerates docs/screenshot.png (the README's picture of the hello demo): `npx tsx docs/screenshot.ts`.
import { fileURLToPath } from "node:url";
import { launchBrowser, serveSpace } from "../tests/browser/harness.js";

const { default: hello } = await import("../templates/hello/app.js");
const browser = await launchBrowser();
const served = await serveSpace(browser, hello);
const view = await served.open();
await view.page.setViewportSize({ width: 1100, height: 720 });
await view.pickExample("ha");
await view.button("Submit").click();
await view.waitForStage("complete");
await view.page.screenshot({ path: fileURLToPath(new URL("./screenshot.png", import.meta.url)) });
await served.close();
await browser.close();
