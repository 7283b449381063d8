// The reply the chat benches stream: a realistic mix of words, Markdown lists, a code fence and
// paragraphs, cut into `count` tokens (a word, or the spaces and newlines before it).

const sample = `Here is a **short answer** first, then the details. Streaming text into a page should never
block the main thread, however long the reply grows.

## Steps

1. Split the text into *blocks* at blank lines.
2. Keep the blocks that are complete; render each once.
3. Re-render only the last, open block as tokens arrive.

- A list item with \`inline code\` and a [link](https://example.com/docs).
- Another item, long enough to wrap across the width of the bubble on a narrow screen.
  - A nested item.

\`\`\`ts
export async function* reply(message: string): AsyncGenerator<string> {
  let text = "";
  for (const word of message.split(" ")) {
    text += \`\${word} \`;
    yield text;
  }
}
\`\`\`

> A quotation, to be thorough: the whole reply so far arrives with every token.

| Tokens | Rate | Time |
| --- | ---: | ---: |
| 2000 | 200/s | 10 s |

That is all for this part; the next paragraph continues the story with more words and *emphasis*.

`;

/** `count` tokens whose concatenation is the reply: words with the whitespace before them. */
export function replyTokens(count: number): string[] {
  // A blank line between repeats of the sample; none before the first.
  const pieces = `\n\n${sample.trim()}`.match(/\s*\S+/g) ?? [];
  const tokens = Array.from({ length: count }, (_, i) => pieces[i % pieces.length] as string);
  if (tokens[0]) tokens[0] = tokens[0].trimStart();
  return tokens;
}

/**
 * Streams `tokens` as a chat function does, each yield the whole reply so far, never sleeping.
 * `model`: a token a millisecond (a timer each), faster than a small model on a laptop;
 * `turn`: each token waits for the next turn of the event loop, as a token a model computes
 * asynchronously does (the fastest a real model can go); `burst`: no waiting at all.
 */
export async function* streamReply(
  tokens: readonly string[],
  pace: "model" | "turn" | "burst",
): AsyncGenerator<string> {
  let text = "";
  for (const token of tokens) {
    if (pace === "model") await new Promise((resolve) => setTimeout(resolve, 1));
    else if (pace === "turn") await new Promise((resolve) => setImmediate(resolve));
    text += token;
    yield text;
  }
}
