import fc from "fast-check";
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { replyTokens } from "../../../bench/chat-reply.js";
import type { MarkdownParser } from "./markdown.js";
import { MarkdownStream } from "./markdown-stream.js";

describe("MarkdownStream", () => {
  /** marked with no sanitiser (DOMPurify needs a DOM: the browser tests cover it), recording what it lexes. */
  function parser(lexed: string[] = []): MarkdownParser {
    return {
      lexer: (text) => {
        lexed.push(text);
        return marked.lexer(text);
      },
      parser: (tokens) => marked.parser(tokens),
      walkTokens: (tokens, visit) => marked.walkTokens(tokens, visit),
      sanitize: (html) => html,
    };
  }

  /** Streams `steps` (each the whole text so far) and returns the HTML shown after each. */
  function stream(steps: string[], markdown = parser()): string[] {
    const markdownStream = new MarkdownStream(markdown);
    let done = "";
    return steps.map((text) => {
      const change = markdownStream.update(text);
      if (change.reset) done = "";
      done += change.done;
      return done + change.open;
    });
  }

  const prefixes = (text: string) => Array.from({ length: text.length + 1 }, (_, i) => text.slice(0, i));

  const texts = {
    "a chat reply": replyTokens(300).join(""),
    "lists, tight and loose, nested and of each kind":
      "- a\n- b\n\n  more of b\n\nafter\n\n1. one\n\n2. two\n\n* star\n\n+ plus\n\n1) paren\n   - nested\n\nend\n",
    "code fences, indented code and quotes":
      "Intro:\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n    indented\n\n    still code\n\n> quoted\n> lines\n\n~~~\nunclosed fence\n\nstill in it\n",
    "headings, rules and tables":
      "# Title\ntext\n\nSetext\n===\n\npara\n---\n\n| a | b |\n| - | -: |\n| 1 | 2 |\n\n***\n\nlast *words*\n",
  };

  it.each(Object.entries(texts))(
    "renders %s as a full render does, at every point it is split",
    (_, text) => {
      const full = prefixes(text).map((prefix) => marked.parse(prefix) as string);
      // Growing a character at a time…
      expect(stream(prefixes(text))).toEqual(full);
      // …and in two steps, split at every point.
      for (const prefix of prefixes(text)) expect(stream([prefix, text]).at(-1)).toBe(full.at(-1));
    },
  );

  it("renders any mix of Markdown's block and inline syntax as a full render does", () => {
    const piece = fc.constantFrom(
      ...["\n", "\n\n", " ", "    ", "\t", "a", "b c", "- ", "* ", "+ ", "1. ", "2) ", "# ", "> "],
      ...[
        "```",
        "~~~",
        "---",
        "===",
        "|",
        " | ",
        "*",
        "**",
        "_",
        "`",
        "[x]",
        "(/u)",
        "1",
        "-",
        "\\",
        "&amp;",
      ],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const steps = prefixes(pieces.join(""));
        expect(stream(steps)).toEqual(steps.map((text) => marked.parse(text) as string));
      }),
      { numRuns: 300 },
    );
  });

  it("parses again only the blocks after the last complete one", () => {
    const text = replyTokens(2000).join("");
    const lexed: string[] = [];
    const shown = stream(
      prefixes(text).filter((_, i) => i % 7 === 0),
      parser(lexed),
    );
    expect(shown.at(-1)).toBe(marked.parse(text.slice(0, shown.length * 7 - 7)));
    expect(text.length).toBeGreaterThan(10_000);
    // The longest text lexed is the largest block (the code fence and what follows it), not the reply.
    expect(Math.max(...lexed.map((each) => each.length))).toBeLessThan(600);
  });

  it.each([
    ["raw HTML", "<div>\n\nin a div\n\n</div>\n\nafter\n"],
    ["inline HTML", "a <b>bold\n\nparagraph</b>\n\nend\n"],
    ["a link definition after its use", "[link][x]\n\nmiddle\n\n[x]: https://example.com\n\nend\n"],
  ])("renders a text with %s whole, as a full render does", (_, text) => {
    expect(stream(prefixes(text))).toEqual(prefixes(text).map((prefix) => marked.parse(prefix) as string));
  });

  it("starts over when the text does not continue the last one", () => {
    const markdownStream = new MarkdownStream(parser());
    markdownStream.update("- one\n\ntwo\n\n- three");
    expect(markdownStream.update("# Another\n\nreply\n")).toEqual({
      reset: true,
      done: "<h1>Another</h1>\n",
      open: "<p>reply</p>\n",
    });
  });
});
