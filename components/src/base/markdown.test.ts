import { describe, expect, it } from "vitest";
import { simpleMarkdown } from "./markdown.js";

describe("simpleMarkdown", () => {
  it.each([
    "Plain text.",
    "Markdown **works** here.",
    "Built with [Spacecraft](https://github.com/). Edit `app.ts` to change it.",
    "*Two* paragraphs.\n\nThe second one.",
  ])("renders %j without the parser", (text) => {
    expect(simpleMarkdown(text)).toBeDefined();
  });

  it.each([
    "# Heading",
    "- a list",
    "1. a list",
    '<img src=x onerror="alert(1)">',
    "![image](x.png)",
    "[link](javascript:alert(1))",
    "snake_case and __bold__",
    "See https://example.com",
    "**nested *emphasis***",
    "an *unclosed emphasis",
    "Fish &amp; chips",
  ])("leaves %j to marked", (text) => {
    expect(simpleMarkdown(text)).toBeUndefined();
  });
});
