// Property-based fuzzing of the native protocol at /ws: every bad frame gets one `error` that
// names its problem, the server never fails, and a well-behaved client is served meanwhile.
import fc from "fast-check";
import type { ServerMessage } from "spacecraft";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  componentNames,
  FUZZ_TIMEOUT_MS,
  FuzzSocket,
  fuzzRuns,
  garbageValue,
  inputIds,
  inputs,
  MAX_MESSAGE_BYTES,
  preview,
  RUNS,
  until,
  useFuzzServer,
  validData,
  validFor,
} from "./harness.js";

const GENERIC = /could not handle this message/;

const suite = useFuzzServer();
let socket: FuzzSocket;
/** Valid data for the fuzz socket's own session (its own uploads). */
let data: unknown[];
let ids = 0;
const freshId = () => `job-${ids++}`;

beforeAll(async () => {
  socket = await FuzzSocket.open(suite.fuzz.url);
  data = await validData(suite.fuzz.url);
});

afterAll(async () => {
  await socket?.close();
});

/** A socket that is open: a property that made the server close one (1009, 1007) gets a new one. */
async function liveSocket(): Promise<FuzzSocket> {
  if (!socket.open) {
    socket = await FuzzSocket.open(suite.fuzz.url);
    data = await validData(suite.fuzz.url);
  }
  return socket;
}

/** Asserts an outcome is a refusal whose message matches and is not the generic one. */
function expectRefusal(
  outcome: ServerMessage,
  pattern: RegExp,
  frame: unknown,
): Extract<ServerMessage, { type: "error" }> {
  if (outcome.type !== "error") {
    throw new Error(`Expected an error for ${preview(frame)}, got ${JSON.stringify(outcome).slice(0, 300)}`);
  }
  if (GENERIC.test(outcome.message) || !pattern.test(outcome.message)) {
    throw new Error(
      `The error for ${preview(frame)} does not say what is wrong (${pattern}): "${outcome.message}"`,
    );
  }
  return outcome;
}

function expectComplete(
  outcome: ServerMessage,
  frame: unknown,
): Extract<ServerMessage, { type: "complete" }> {
  if (outcome.type !== "complete") {
    throw new Error(`Expected ${preview(frame)} to run, got ${JSON.stringify(outcome).slice(0, 300)}`);
  }
  return outcome;
}

/** Every specific refusal the protocol has; anything else (or the generic message) is a failure. */
const SPECIFIC = new RegExp(
  [
    "^Malformed message: it is not valid JSON\\.$",
    "^Invalid message: .+\\.$",
    '^Nothing to cancel: job ".*" is not queued or running\\.$',
    "^Unknown endpoint .+\\. This Space has: .+\\.$",
    '^Expected 12 input value\\(s\\) for "predict" but got \\d+\\.$',
    "^Message too large: \\d+ bytes, the limit is \\d+\\.",
    ...componentNames.map((name) => `^${name}: .+`),
  ].join("|"),
);

/** A JSON text nested `depth` levels, without recursion: arrays or objects, level by level as `shape` says. */
function nested(depth: number, shape: boolean[], leaf = "0"): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    const array = shape[i % shape.length];
    open.push(array ? "[" : '{"k":');
    close.push(array ? "]" : "}");
  }
  return `${open.join("")}${leaf}${close.reverse().join("")}`;
}

describe("fuzz: the native protocol at /ws", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("answers arbitrary text frames with one specific error each", async () => {
    const frames = fc.oneof(
      garbageValue.map((value) => JSON.stringify(value) ?? "undefined"),
      fc.string({ unit: "binary", maxLength: 300 }),
      fc
        .record(
          {
            type: fc.oneof(
              fc.constantFrom("predict", "cancel", "PREDICT", ""),
              fc.jsonValue({ maxDepth: 2 }),
            ),
            id: fc.oneof(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 2 })),
            endpoint: fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })),
            data: fc.oneof(
              fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 14 }),
              fc.jsonValue({ maxDepth: 2 }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((message) => JSON.stringify(message)),
    );
    await fuzzRuns(suite, frames, async (frame) => {
      let parsed: unknown;
      let json = true;
      try {
        parsed = JSON.parse(frame);
      } catch {
        json = false;
      }
      const outcome = await (await liveSocket()).exchange(frame, (parsed as { id?: unknown } | null)?.id);
      const error = expectRefusal(
        outcome,
        json ? SPECIFIC : /^Malformed message: it is not valid JSON\.$/,
        frame,
      );
      const id = (parsed as { id?: unknown } | null)?.id;
      const echoed = typeof id === "string" && id.length <= 128 ? id : null;
      if (error.id !== echoed && !error.message.startsWith("Nothing to cancel")) {
        throw new Error(
          `The error for ${preview(frame)} carries id ${JSON.stringify(error.id)}, expected ${JSON.stringify(echoed)}`,
        );
      }
    });
  });

  it("refuses values nested up to 10,000 deep anywhere in a message, and runs the shallow ones", async () => {
    const places = ["message", "json-input", "text-input", "id", "endpoint", "data", "type"] as const;
    const cases = fc.record({
      depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 10_000 })),
      shape: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
      place: fc.constantFrom<(typeof places)[number]>(...places),
    });
    await fuzzRuns(
      suite,
      cases,
      async ({ depth, shape, place }) => {
        const id = freshId();
        const value = nested(depth, shape);
        const rest = JSON.stringify(data).slice(1, -1);
        const dataWith = (i: number) => {
          const values = data.map((item) => JSON.stringify(item));
          values[i] = value;
          return `[${values.join(",")}]`;
        };
        const frames: Record<(typeof places)[number], string> = {
          message: value,
          "json-input": `{"type":"predict","id":"${id}","data":${dataWith(8)}}`,
          "text-input": `{"type":"predict","id":"${id}","data":${dataWith(0)}}`,
          id: `{"type":"predict","id":${value},"data":[${rest}]}`,
          endpoint: `{"type":"predict","id":"${id}","endpoint":${value},"data":[${rest}]}`,
          data: `{"type":"predict","id":"${id}","data":${value}}`,
          type: `{"type":${value},"id":"${id}","data":[${rest}]}`,
        };
        const frame = frames[place];
        // Containers from the top of the message down to the deepest one.
        const total =
          depth + (place === "message" ? 0 : place === "json-input" || place === "text-input" ? 2 : 1);
        const outcome = await (await liveSocket()).exchange(frame, id);
        if (total > 64) {
          expectRefusal(outcome, /^Invalid message: it nests deeper than 64 levels\.$/, frame);
          return;
        }
        const expected = {
          message: /^Invalid message: a message must be a JSON object with a `type`\.$/,
          "json-input": undefined,
          "text-input": /^Textbox "Text": .+/,
          id: /^Invalid message: .*\bid\b/,
          endpoint: /^Invalid message: .*\bendpoint\b/,
          data: /^Invalid message: `data` must be a list|^Expected 12 input value\(s\) for "predict" but got 1\.$/,
          type: /^Invalid message: unknown message type .+: expected "predict" or "cancel"\.$/,
        }[place];
        if (expected === undefined) {
          const echo = expectComplete(outcome, frame).data[0] as { jsonDepth: number };
          expect(echo.jsonDepth).toBe(depth);
          return;
        }
        const error = expectRefusal(outcome, expected, frame);
        if (place === "text-input") expect(error.field).toBe(inputIds[0]);
      },
      {
        examples: [
          // Issue 9, finding 2: 5,000 levels in a JSON input overflowed the stack.
          [{ depth: 5000, shape: [true], place: "json-input" }],
          [{ depth: 10_000, shape: [false, true], place: "message" }],
          [{ depth: 62, shape: [false], place: "json-input" }],
          [{ depth: 63, shape: [true], place: "json-input" }],
        ],
      },
    );
  });

  it("names the field when any field of a call has a wrong type, a huge value or is missing", async () => {
    const fields = [
      "type",
      "id",
      "endpoint",
      "data",
      ...inputs.map((_, i) => i),
      "-type",
      "-id",
      "-data",
      "-endpoint",
    ];
    const value = fc.oneof(
      garbageValue,
      fc.constantFrom(
        -1,
        0,
        1.5,
        1e308,
        Number.MAX_SAFE_INTEGER + 2,
        "",
        "predict",
        "cancel",
        "/predict",
        null,
        [],
        {},
      ),
      fc.integer({ min: 65, max: 60_000 }).map((length) => "i".repeat(length)),
      fc.array(fc.constantFrom("cheese", "olives", "basil", "en", "fr", "small"), { maxLength: 4 }),
    );
    await fuzzRuns(suite, fc.tuple(fc.constantFrom(...fields), value), async ([field, raw]) => {
      const id = freshId();
      // What the server sees after JSON: undefined and functions are dropped, dates become strings.
      const wrong = JSON.parse(JSON.stringify([raw]) as string)[0] as unknown;
      const message: Record<string, unknown> = { type: "predict", id, endpoint: "predict", data: [...data] };
      if (typeof field === "number") (message.data as unknown[])[field] = wrong;
      else if (field.startsWith("-")) delete message[field.slice(1)];
      else message[field] = wrong;
      const frame = JSON.stringify(message);
      const outcome = await (await liveSocket()).exchange(frame, message.id);
      if (frame.length > MAX_MESSAGE_BYTES) {
        expectRefusal(outcome, /^Message too large: \d+ bytes, the limit is 65536\./, frame);
        return;
      }
      if (typeof field === "number") {
        if (validFor(field, wrong)) {
          expectComplete(outcome, frame);
          return;
        }
        const error = expectRefusal(outcome, new RegExp(`^${componentNames[field]}: .+`), frame);
        if (error.field !== inputIds[field]) {
          throw new Error(
            `The error for input ${field} names field ${error.field}, expected ${inputIds[field]}`,
          );
        }
        return;
      }
      switch (field) {
        case "type":
          if (wrong === "predict") expectComplete(outcome, frame);
          else if (wrong === "cancel")
            expectRefusal(outcome, /^Nothing to cancel: job ".*" is not queued or running\.$/, frame);
          else
            expectRefusal(
              outcome,
              /^Invalid message: (unknown message type .+: expected "predict" or "cancel"|a message must be a JSON object with a `type`)\.$/,
              frame,
            );
          return;
        case "id":
          if (typeof wrong === "string" && wrong.length >= 1 && wrong.length <= 64) {
            expectComplete(outcome, frame);
            return;
          }
          expectRefusal(outcome, /^Invalid message: .*(`id`|\bat id\b)/, frame);
          return;
        case "endpoint":
          if (wrong === 0 || wrong === "predict" || wrong === "/predict") expectComplete(outcome, frame);
          else if ((Number.isSafeInteger(wrong) && (wrong as number) >= 0) || typeof wrong === "string")
            expectRefusal(outcome, /^Unknown endpoint .+\. This Space has: "predict"\.$/, frame);
          else expectRefusal(outcome, /^Invalid message: .*\bat endpoint\.$/, frame);
          return;
        case "data":
          if (!Array.isArray(wrong))
            expectRefusal(
              outcome,
              /^Invalid message: `data` must be a list with one value per input at data\.$/,
              frame,
            );
          else if (wrong.length !== 12)
            expectRefusal(outcome, /^Expected 12 input value\(s\) for "predict" but got \d+\.$/, frame);
          else expectRefusal(outcome, SPECIFIC, frame);
          return;
        case "-type":
          expectRefusal(outcome, /^Invalid message: a message must be a JSON object with a `type`\.$/, frame);
          return;
        case "-id":
          expectRefusal(outcome, /^Invalid message: `id` is missing\.$/, frame);
          return;
        case "-data":
          expectRefusal(outcome, /^Invalid message: `data` is missing\.$/, frame);
          return;
        default:
          expectComplete(outcome, frame);
      }
    });
  });

  it("refuses binary frames of any content and size", async () => {
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }),
      fc
        .integer({ min: MAX_MESSAGE_BYTES + 1, max: MAX_MESSAGE_BYTES * 2 })
        .map((size) => new Uint8Array(size).fill(0x7b)),
    );
    await fuzzRuns(
      suite,
      frames,
      async (frame) => {
        const outcome = await (await liveSocket()).exchange(frame, undefined, true);
        if (frame.byteLength > MAX_MESSAGE_BYTES) {
          expectRefusal(
            outcome,
            new RegExp(`^Message too large: ${frame.byteLength} bytes, the limit is ${MAX_MESSAGE_BYTES}\\.`),
            frame,
          );
        } else expectRefusal(outcome, /^Expected a JSON text message, got binary data\.$/, frame);
      },
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it("refuses oversize frames politely up to 4× the limit, closes past it, and closes on invalid UTF-8", async () => {
    const cases = fc.oneof(
      fc.record({
        kind: fc.constant("large" as const),
        size: fc.integer({ min: MAX_MESSAGE_BYTES + 1, max: MAX_MESSAGE_BYTES * 4 }),
      }),
      fc.record({
        kind: fc.constant("huge" as const),
        size: fc.integer({ min: MAX_MESSAGE_BYTES * 4 + 1, max: MAX_MESSAGE_BYTES * 6 }),
      }),
      fc.record({ kind: fc.constant("utf8" as const), size: fc.integer({ min: 1, max: 64 }) }),
    );
    await fuzzRuns(
      suite,
      cases,
      async ({ kind, size }) => {
        const current = await liveSocket();
        if (kind === "large") {
          const frame = JSON.stringify({ type: "predict", id: freshId(), data: ["x".repeat(size)] }).slice(
            0,
            size,
          );
          expectRefusal(
            await current.exchange(frame),
            new RegExp(
              `^Message too large: ${Buffer.byteLength(frame)} bytes, the limit is ${MAX_MESSAGE_BYTES}\\.`,
            ),
            frame,
          );
          return;
        }
        const frame =
          kind === "huge" ? "x".repeat(size) : Buffer.from([0x7b, ...new Array(size).fill(0xc3), 0xff]);
        current.send(frame, false);
        const closed = await until(
          () => current.closed,
          () => `the server did not close the socket after a ${kind} frame`,
        );
        expect(closed.code).toBe(kind === "huge" ? 1009 : 1007);
        socket = await FuzzSocket.open(suite.fuzz.url);
        data = await validData(suite.fuzz.url);
      },
      { numRuns: 24 },
    );
  });
});
