import * as sc from "spacecraft";
import { createGate } from "../fixtures/gate.js";

/** Lets a test decide when `/stream` yields its second result. */
export const streamGate = createGate();

/**
 * A Space to serve behind a reverse proxy: a greeting (the page's WebSocket), a file handed back
 * (an upload in, a file URL out) and a stream that yields once, then waits for the test.
 */
export default sc.Blocks({ title: "Behind a proxy" }, () => {
  const name = sc.Textbox({ label: "Name" });
  const greeting = sc.Textbox({ label: "Greeting" });
  const greet = sc.Button({ value: "Greet" });
  greet.click({ fn: (name) => `Hello, ${name}!`, inputs: [name], outputs: [greeting], apiName: "greet" });

  const document = sc.File({ label: "Document" });
  const about = sc.Textbox({ label: "About" });
  const copy = sc.File({ label: "Copy" });
  const describe = sc.Button({ value: "Describe" });
  describe.click({
    fn: (file) => [`${file.orig_name}: ${file.size} bytes`, file] as const,
    inputs: [document],
    outputs: [about, copy],
    apiName: "describe",
  });

  const words = sc.Textbox({ label: "Words" });
  const stream = sc.Button({ value: "Stream" });
  stream.click({
    fn: async function* (_words: string, { signal }: { signal: AbortSignal }) {
      yield "first";
      await streamGate.next(signal);
      yield "first second";
    },
    inputs: [words],
    outputs: [words],
    apiName: "stream",
  });

  return sc.Column(name, greet, greeting, document, describe, about, copy, words, stream);
});
