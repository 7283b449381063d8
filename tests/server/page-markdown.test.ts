// The server-drawn page's Markdown (description and article): rendered with `marked` and
// sanitised with an allowlist on the server. What the allowlist keeps and what it removes, read
// from the HTML `GET /` serves (the browser test prerender.test.ts checks a page with scripts off).
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const description = [
  "# Heading",
  "",
  "- [x] a done task",
  "- a plain item",
  "",
  "| a | b |",
  "| - | - |",
  "| 1 | 2 |",
  "",
  '<details><summary>More</summary>Hidden text</details> <img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">',
  "",
  '<a href="https://huggingface.co" target="_blank">the Hub</a> [mail](mailto:team@example.com)',
].join("\n");

const article = [
  "[click](javascript:alert(1))",
  '<a href="javascript:alert(2)">j</a> <a href="JaVaScRiPt:alert(3)">k</a>',
  '<svg onload="alert(4)"><circle r="1"/></svg>',
  '<img src="x" onerror="alert(5)"> <img src="javascript:alert(6)">',
  "<style>body { display: none }</style>",
  '<form action="https://evil.example"><input type="text" name="q"><button>go</button></form>',
  '<object data="x.swf"></object> <embed src="x.swf"> <iframe src="https://evil.example"></iframe>',
  '<p style="position:fixed" onclick="alert(7)" id="clobber">styled</p>',
  "<script>alert(8)</script>",
].join("\n\n");

let server: RunningServer;
let drawn: string;

beforeAll(async () => {
  const space = sc.Interface({
    title: "Markdown on the server",
    description,
    article,
    fn: (text) => text,
    inputs: [sc.Textbox({ label: "Text" })],
    outputs: [sc.Textbox({ label: "Out" })],
  });
  server = await serve(space, { port: 0, host: "127.0.0.1" });
  const response = await fetch(`${server.url}/`);
  expect(response.status, "the page is served").toBe(200);
  const html = await response.text();
  // Each <sc-markdown>'s shadow root: its own styles, then the rendered Markdown.
  const texts = [...html.matchAll(/<sc-markdown[\s\S]*?<\/template>/g)].map((match) => {
    const root = match[0];
    return root.slice(root.lastIndexOf("</style>") + "</style>".length, -"</template>".length);
  });
  expect(texts.length, "the description and article are drawn on the server").toBe(2);
  drawn = texts.join("\n");
});

afterAll(async () => {
  await server?.close();
});

describe("Markdown in the server-drawn page", () => {
  it("keeps what Markdown and plain HTML descriptions use", () => {
    expect(drawn).toMatch(/<h1[^>]*>Heading<\/h1>/);
    expect(drawn, "a task list's box").toMatch(/<input[^>]*type="checkbox"[^>]*>/);
    expect(drawn).toMatch(/<table>[\s\S]*<td>1<\/td>/);
    expect(drawn).toContain("<summary>More</summary>");
    expect(drawn, "a data: image").toMatch(/<img src="data:image\/png;base64,[^"]+" alt="dot"/);
    expect(drawn).toContain('href="mailto:team@example.com"');
    expect(drawn, "a link to a new window cannot reach back").toMatch(
      /<a href="https:\/\/huggingface\.co" target="_blank" rel="noopener noreferrer">/,
    );
    expect(drawn, "a style attribute, as DOMPurify keeps it in the live page").toMatch(
      /<p style="position:fixed">styled<\/p>/,
    );
  });

  it("removes scripts, handlers, style elements, forms, frames and javascript: links", () => {
    // Tags and attribute names only: a value may quote anything, harmlessly.
    const markup = drawn.replace(/="[^"]*"/g, '=""');
    expect(drawn, "a link or image to a javascript: URL").not.toMatch(/(href|src)="\s*javascript:/i);
    for (const [pattern, what] of [
      [/\son[a-z]+=/i, "an event handler attribute"],
      [/<script/i, "a script element"],
      [/<style/i, "a style element"],
      [/<svg/i, "an svg element"],
      [/<form|<button|type="text"/i, "a form or its controls"],
      [/<object|<embed|<iframe/i, "a plugin or frame"],
      [/\sid=/, "an id (DOM clobbering)"],
    ] as const) {
      expect(markup, `the drawn Markdown still has ${what}`).not.toMatch(pattern);
    }
  });
});
