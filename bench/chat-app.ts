// A chat Space for `chat-page.ts`: any message streams 2,000 tokens at 200 tokens/s (configurable
// with BENCH_TOKENS and BENCH_RATE), each yield the whole reply so far.
import * as sc from "spacecraft";
import { replyTokens } from "./chat-reply.js";

const tokens = replyTokens(Number(process.env.BENCH_TOKENS ?? 2000));
const interval = 1000 / Number(process.env.BENCH_RATE ?? 200);

export default sc.ChatInterface({
  title: "Streaming bench",
  fn: async function* (_message, _history, ctx) {
    const started = performance.now();
    let reply = "";
    for (const [i, token] of tokens.entries()) {
      if (ctx.signal.aborted) return;
      // On schedule, not `interval` after the last token: timers are late on a busy machine.
      const wait = started + i * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      reply += token;
      yield reply;
    }
  },
});
