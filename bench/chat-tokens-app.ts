// The chat Space of `chat-tokens.ts`: the message names the pace ("model", "turn" or "burst"), and the reply
// streams BENCH_TOKENS tokens (2,000 by default) with `streamReply`, the generator the bench
// also consumes in-process.
import * as sc from "spacecraft";
import { replyTokens, streamReply } from "./chat-reply.js";

const tokens = replyTokens(Number(process.env.BENCH_TOKENS ?? 2000));

export default sc.ChatInterface({
  title: "Token bench",
  fn: (message: string) => streamReply(tokens, message === "burst" || message === "model" ? message : "turn"),
});
