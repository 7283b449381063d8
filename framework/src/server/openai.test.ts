import { describe, expect, it } from "vitest";
import { chatRequestOf, deltaOf, OpenAiError, replyOf, slugOf } from "./openai.js";

describe("chatRequestOf", () => {
  it("takes the last user message as the message and the turns before it as the history", () => {
    expect(
      chatRequestOf([
        { role: "developer", content: "Be kind." },
        { role: "system", content: [{ type: "text", text: "Be brief." }] },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "user", content: "bye" },
      ]),
    ).toEqual({
      message: "bye",
      images: [],
      history: [
        { role: "system", content: "Be kind.\n\nBe brief." },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    });
  });

  it("decodes image parts with data: URLs, the last message's apart from the history's", () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const image = {
      type: "image_url",
      image_url: { url: `data:image/png;base64,${png.toString("base64")}` },
    };
    const request = chatRequestOf([
      { role: "user", content: [{ type: "text", text: "this?" }, image] },
      { role: "assistant", content: "A cat." },
      { role: "user", content: [image] },
    ]);
    expect(request.message).toBe("");
    expect(request.images.map((sent) => [[...sent.bytes], sent.param])).toEqual([
      [[...png], "messages[2].content[0]"],
    ]);
    expect(request.history[0]).toMatchObject({
      content: "this?",
      images: [{ param: "messages[0].content[1]" }],
    });
  });

  it.each([
    [undefined, "messages"],
    [[], "messages"],
    [[null], "messages[0]"],
    [[{ role: "user", content: 3 }], "messages[0].content"],
    [
      [{ role: "user", content: [{ type: "image_url", image_url: {} }] }],
      "messages[0].content[0].image_url.url",
    ],
    [
      [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] }],
      "messages[0].content[0].image_url.url",
    ],
    [
      [
        {
          role: "system",
          content: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } }],
        },
      ],
      "messages[0].content[0]",
    ],
    [[{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }], "messages[0].content[0]"],
    [[{ role: "tool", content: "x" }], "messages[0].role"],
    [[{ role: "robot", content: "x" }], "messages[0].role"],
    [[{ role: "system", content: "x" }], "messages[0].role"],
    [[{ role: "user", content: "" }], "messages[0].content"],
    [[{ role: "user", content: "x".repeat(100_001) }], "messages[0].content"],
  ])("refuses %j naming %s", (messages, param) => {
    let thrown: unknown;
    try {
      chatRequestOf(messages);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OpenAiError);
    expect((thrown as OpenAiError).body.error).toMatchObject({ param, type: "invalid_request_error" });
    expect((thrown as OpenAiError).status).toBe(400);
  });
});

describe("replyOf", () => {
  it("joins the assistant messages after the last user message, leaving thoughts out", () => {
    expect(
      replyOf([
        { role: "user", content: "a" },
        { role: "assistant", content: "old" },
        { role: "user", content: "b" },
        { role: "assistant", content: "thinking", metadata: { title: "Thought" } },
        { role: "assistant", content: "one" },
        { role: "assistant", content: "two" },
      ]),
    ).toBe("one\n\ntwo");
    expect(replyOf("not a history")).toBe("");
  });
});

describe("deltaOf", () => {
  it("sends the new text, or what follows the shared start of a rewritten reply", () => {
    expect(deltaOf("Hel", "Hello")).toBe("lo");
    expect(deltaOf("Hello", "Hello")).toBe("");
    expect(deltaOf("Help", "Hello")).toBe("lo");
  });
});

describe("slugOf", () => {
  it("turns a title into a model id", () => {
    expect(slugOf("Word Écho: v2!")).toBe("word-echo-v2");
    expect(slugOf("!!!")).toBe("spacecraft-chat");
  });
});
