import * as sc from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replyTokens } from "../../bench/chat-reply.js";
import type { SpaceServer, TestBrowser } from "./harness.js";
import { eventually, launchBrowser, serveSpace } from "./harness.js";

const notes = [
  "Install it:",
  "```sh\nnpm install spacecraft\n```",
  "Then compare:",
  "```ts\nconst small = 1 < 2 && 3 > 2;\n```",
].join("\n\n");

const app = sc.Blocks({ title: "Markdown" }, () => sc.Column(sc.Markdown({ label: "Notes", value: notes })));

let browser: TestBrowser;
let space: SpaceServer;

beforeAll(async () => {
  browser = await launchBrowser();
  space = await serveSpace(browser, app);
});
afterAll(async () => {
  await space?.close();
  await browser?.close();
});

describe("<sc-markdown>", () => {
  it("gives each code block a copy button that copies its code and says so", async () => {
    const page = await space.open();
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: space.server.url,
    });
    const buttons = page.component("Notes").getByRole("button", { name: "Copy code" });
    await eventually(() => buttons.count()).toBe(2);

    await buttons.nth(1).click();
    await eventually(() => page.page.evaluate(() => navigator.clipboard.readText())).toBe(
      "const small = 1 < 2 && 3 > 2;\n",
    );
    const copied = page.component("Notes").getByRole("button", { name: "Copied" });
    expect(await copied.textContent()).toBe("Copied");
    // The feedback goes away, and the other block copies its own code.
    await eventually(() => copied.count()).toBe(0);
    await buttons.first().click();
    await eventually(() => page.page.evaluate(() => navigator.clipboard.readText())).toBe(
      "npm install spacecraft\n",
    );
    // The button is not part of the code's text.
    expect(await page.component("Notes").locator("pre").first().textContent()).toBe(
      "npm install spacecraft\n",
    );
    expect(page.errors).toEqual([]);
  });

  it("shows a growing value exactly as a full render of it, and as safely", async () => {
    const page = await space.open();
    const reply = replyTokens(250);
    const steps = [
      // A chat reply a token at a time…
      reply.map((_, i) => reply.slice(0, i + 1).join("")),
      // …and texts a character at a time, unsafe ones included.
      ...[
        "- one\n- two\n\n  more\n\nafter\n\n```js\nlet a = 1;\n\nlet b = 2;\n```\n\n> quoted\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nend\n",
        'Hi <img src=x onerror="alert(1)">\n\nnext\n\n[click](javascript:alert(1))\n\n<iframe src="https://example.com"></iframe>\n\n```\n<script>alert(1)</script>\n```\n',
        "[link][x]\n\nmiddle\n\n[x]: javascript:alert(1)\n\nend *here*\n",
      ].map((text) => Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1))),
    ];
    const mismatches = await page.page.evaluate(async (texts) => {
      type Markdown = HTMLElement & { value: string; updateComplete: Promise<boolean> };
      const contentOf = (element: Markdown) =>
        element.shadowRoot?.querySelector('[part~="content"]')?.innerHTML;
      const found: string[] = [];
      for (const steps of texts) {
        const streamed = document.body.appendChild(document.createElement("sc-markdown")) as Markdown;
        for (const text of steps) {
          streamed.value = text;
          await streamed.updateComplete;
          const full = document.body.appendChild(document.createElement("sc-markdown")) as Markdown;
          full.value = text;
          await full.updateComplete;
          if (!contentOf(full)) found.push(`${JSON.stringify(text)} shows nothing`);
          else if (contentOf(streamed) !== contentOf(full))
            found.push(`${JSON.stringify(text)}:\n${contentOf(streamed)}\n!==\n${contentOf(full)}`);
          full.remove();
        }
        const unsafe = streamed.shadowRoot?.querySelectorAll(
          'script, iframe, [onerror], [onclick], a[href^="javascript"]',
        );
        if (unsafe?.length)
          found.push(`unsafe: ${[...unsafe].map((element) => element.outerHTML).join(" ")}`);
        streamed.remove();
      }
      return found;
    }, steps);
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(page.errors).toEqual([]);
  });
});
