// Property-based fuzzing of POST /gradio_api/upload on raw sockets: broken boundaries, truncated
// bodies, missing closing boundaries, many parts, weird, UTF-8 and huge file names, clients that
// go away mid-stream. No 5xx, no crash, and afterwards no `.part` file and no descriptor left.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertHealthy,
  FUZZ_TIMEOUT_MS,
  failures,
  inputIds,
  MAX_UPLOAD_BYTES,
  openDescriptors,
  partialFiles,
  RUNS,
  rawRequest,
  refusalMessage,
  request,
  until,
  useFuzzServer,
} from "./harness.js";

const suite = useFuzzServer();

/** A file name: written as it is, or (`long`) that many characters, kept short in failure reports. */
type Name = string | null | { long: number };

interface Part {
  /** The form field: only `files` is stored. */
  field: string;
  /** Its `filename` parameter; null for a plain field. */
  name: Name;
  /** Also send the name as RFC 5987 `filename*`. */
  star: boolean;
  contentType: string | undefined;
  size: number;
}

interface UploadCase {
  parts: Part[] | { many: number };
  /** The boundary the body uses, and what the header says. */
  boundary: string;
  header: "same" | "raw" | "other" | "missing" | "quoted" | "empty";
  contentType: string | undefined;
  /** `?component=<id>` (its accept rules apply). */
  component: string | undefined;
  preamble: boolean;
  closing: boolean;
  /** Keep this fraction of the body (1: all of it). */
  keep: number;
  framing: "length" | "chunked" | "none" | "overdeclared";
  delivery: "wait" | "end" | "destroy";
}

const names: fc.Arbitrary<Name> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[\w.-][\w .-]{0,30}[\w]$/), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 20 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      "../../etc/passwd",
      "..\\..\\windows\\win.ini",
      "a/b/c.txt",
      ".hidden",
      "...",
      "",
      "日本語のファイル.txt",
      "émoji 😀 ünïcödé.png",
      'quote".txt',
      "semi;colon=x.txt",
      "line\r\nContent-Type: text/html",
      "%2e%2e%2fpasswd",
      "nul\u0000.txt",
      "CON",
      "x".repeat(300),
    ),
    weight: 2,
  },
  { arbitrary: fc.record({ long: fc.integer({ min: 1000, max: 20_000 }) }), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
);

const parts: fc.Arbitrary<Part> = fc.record({
  field: fc.constantFrom("files", "files", "files", "files", "files", "other", ""),
  name: names,
  star: fc.boolean(),
  contentType: fc.constantFrom(undefined, "text/plain", "application/octet-stream", "image/png", "x/\u00e9"),
  size: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 3000 }), weight: 5 },
    { arbitrary: fc.integer({ min: MAX_UPLOAD_BYTES - 8, max: MAX_UPLOAD_BYTES + 4096 }), weight: 1 },
  ),
});

const cases: fc.Arbitrary<UploadCase> = fc.record({
  parts: fc.oneof(
    { arbitrary: fc.array(parts, { maxLength: 5 }), weight: 8 },
    { arbitrary: fc.record({ many: fc.integer({ min: 95, max: 220 }) }), weight: 1 },
  ),
  boundary: fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9'()+_,.-]{1,70}$/),
    fc.constantFrom("B", "----WebKitFormBoundary7MA4YWxkTrZu0gW"),
  ),
  header: often(
    "same" as const,
    fc.constantFrom(
      "raw" as const,
      "other" as const,
      "missing" as const,
      "quoted" as const,
      "empty" as const,
    ),
  ),
  contentType: often(
    "multipart/form-data",
    fc.constantFrom("multipart/mixed", "application/json", "text/plain", undefined),
  ),
  component: often(undefined, fc.constantFrom(...inputIds.map(String), "-1", "abc", "1e9")),
  preamble: fc.boolean(),
  closing: often(true, fc.constant(false)),
  keep: often(1, fc.double({ min: 0, max: 1, noNaN: true })),
  framing: often(
    "length" as const,
    fc.constantFrom("chunked" as const, "chunked" as const, "none" as const, "overdeclared" as const),
  ),
  delivery: often("wait" as const, fc.constantFrom("end" as const, "destroy" as const, "destroy" as const)),
});

/** Mostly `usual`, sometimes one of `unusual`: each case breaks a few things, not all of them. */
function often<T>(usual: T, unusual: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(usual), weight: 5 }, { arbitrary: unusual, weight: 1 });
}

/** RFC 5987 `value-chars`: encodeURIComponent leaves `'()*` as they are, and they are not attr-chars. */
const rfc5987 = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
const fill = (index: number, size: number) => new Uint8Array(size).fill(97 + (index % 26));
const nameText = (name: Name) => (name !== null && typeof name === "object" ? "n".repeat(name.long) : name);

function partsOf(upload: UploadCase): Part[] {
  if (Array.isArray(upload.parts)) return upload.parts;
  return Array.from({ length: upload.parts.many }, (_, i) => ({
    field: "files",
    name: `f${i}.txt`,
    star: false,
    contentType: "text/plain",
    size: 3,
  }));
}

/** The request's bytes, as the case says. */
function build(upload: UploadCase): Buffer {
  const chunks: Buffer[] = [];
  if (upload.preamble) chunks.push(Buffer.from("This is a preamble.\r\n"));
  for (const [i, part] of partsOf(upload).entries()) {
    const name = nameText(part.name);
    let disposition = `form-data; name="${part.field}"`;
    if (name !== null) disposition += `; filename="${name}"`;
    if (name !== null && part.star) disposition += `; filename*=UTF-8''${rfc5987(name)}`;
    chunks.push(Buffer.from(`--${upload.boundary}\r\nContent-Disposition: ${disposition}\r\n`));
    if (part.contentType) chunks.push(Buffer.from(`Content-Type: ${part.contentType}\r\n`));
    chunks.push(Buffer.from("\r\n"), Buffer.from(fill(i, part.size)), Buffer.from("\r\n"));
  }
  if (upload.closing) chunks.push(Buffer.from(`--${upload.boundary}--\r\n`));
  const whole = Buffer.concat(chunks);
  const body = whole.subarray(0, Math.floor(whole.length * upload.keep));
  // RFC 2045: a boundary with special characters must be quoted in the header ("raw" does not).
  const token = /^[A-Za-z0-9'+_.-]+$/.test(upload.boundary) ? upload.boundary : `"${upload.boundary}"`;
  const boundary = {
    same: token,
    raw: upload.boundary,
    other: `${upload.boundary}x`,
    missing: undefined,
    quoted: `"${upload.boundary}"`,
    empty: "",
  }[upload.header];
  const type =
    upload.contentType === undefined
      ? undefined
      : `${upload.contentType}${boundary === undefined ? "" : `; boundary=${boundary}`}`;
  const query = upload.component === undefined ? "" : `?component=${upload.component}`;
  const lines = [`POST /gradio_api/upload${query} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  if (type) lines.push(`Content-Type: ${type}`);
  if (upload.framing === "length") lines.push(`Content-Length: ${body.length}`);
  if (upload.framing === "overdeclared")
    lines.push(`Content-Length: ${body.length + 1 + Math.floor(upload.keep * 1000)}`);
  if (upload.framing === "chunked") lines.push("Transfer-Encoding: chunked");
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`);
  if (upload.framing !== "chunked") return Buffer.concat([head, body]);
  const framed =
    body.length === 0 ? [] : [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n")];
  return Buffer.concat([head, ...framed, Buffer.from("0\r\n\r\n")]);
}

/**
 * A request every browser could send: one the server must store. Its names are what the
 * served files' Content-Disposition must carry (UTF-8 included).
 */
function wellFormed(upload: UploadCase, sizes: "within" | "any" = "within"): boolean {
  const list = partsOf(upload);
  const files = list.filter(isFile);
  return (
    upload.header === "same" &&
    upload.contentType === "multipart/form-data" &&
    upload.component === undefined &&
    upload.closing &&
    upload.keep === 1 &&
    (upload.framing === "length" || upload.framing === "chunked") &&
    upload.delivery === "wait" &&
    files.length > 0 &&
    files.length <= 100 &&
    list.length <= 100 &&
    (sizes === "any" || list.every((part) => part.size <= MAX_UPLOAD_BYTES)) &&
    list.every((part) => part.name === null || (typeof part.name === "string" && plainName(part.name)))
  );
}

/** A part busboy hands over as a file: it has a file name, or is of type application/octet-stream. */
const isFile = (part: Part) =>
  part.field === "files" && (part.name !== null || part.contentType === "application/octet-stream");

/** A name any client writes as it is: no quotes, backslashes or control characters, not empty. */
const plainName = (name: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
  name.length > 0 && name.length <= 200 && !/["\\\u0000-\u001f\u007f]/.test(name) && name.trim() === name;

describe("fuzz: POST /gradio_api/upload", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("answers any multipart body with 200 or a 4xx JSON error, and leaves no .part file or descriptor behind", async () => {
    // Warm: the first upload loads what it needs; then count what is open.
    await assertHealthy(suite.fuzz.port);
    const descriptorsBefore = openDescriptors();
    let stored = 0;
    let refused = 0;
    let unanswered = 0;
    let wellFormedStored = 0;
    const messages = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(cases, async (upload) => {
        const served = suite.steady.check();
        served.catch(() => {});
        const bytes = build(upload);
        const what = `upload ${JSON.stringify({ ...upload, parts: Array.isArray(upload.parts) ? upload.parts.length : upload.parts })}`;
        // A client that goes away: stop part-way through its body.
        const sent =
          upload.delivery === "destroy"
            ? bytes.subarray(0, Math.floor(bytes.length * (0.3 + upload.keep * 0.6)))
            : bytes;
        const outcome = await rawRequest(
          suite.fuzz.port,
          sent,
          upload.delivery === "destroy"
            ? "destroy"
            : upload.framing === "overdeclared"
              ? "end"
              : upload.delivery,
        );
        const answer = outcome.answer;
        if (upload.delivery === "destroy") {
          // Nothing to read; the checks after the run (health, leaks) are what matter.
        } else if (!answer) {
          // Only a client that half-closed early, or a body the server refused to read (RST), may go unanswered.
          const allowed =
            upload.delivery === "end" || upload.framing === "overdeclared" || outcome.error === "ECONNRESET";
          if (!allowed)
            throw new Error(
              `${what}: no answer (${outcome.error ?? "closed"}): ${JSON.stringify(outcome.received.slice(0, 300))}`,
            );
          unanswered++;
        } else if (answer.status === 200) {
          const paths = JSON.parse(answer.text) as unknown;
          if (!Array.isArray(paths) || paths.some((path) => typeof path !== "string")) {
            throw new Error(`${what}: 200 without a list of paths: ${answer.text.slice(0, 300)}`);
          }
          stored++;
          if (
            wellFormed(upload, "any") &&
            partsOf(upload).some((part) => isFile(part) && part.size > MAX_UPLOAD_BYTES)
          ) {
            throw new Error(`${what}: a file over the ${MAX_UPLOAD_BYTES}-byte limit was stored`);
          }
          if (wellFormed(upload)) {
            await checkStored(upload, paths as string[], what);
            wellFormedStored++;
          }
        } else {
          const message = refusalMessage(answer, what);
          if (wellFormed(upload))
            throw new Error(`${what}: a well-formed upload was refused: ${answer.status} ${message}`);
          if (answer.status === 413) expect(message, what).toMatch(/larger than|Too many/);
          const kind = `${answer.status} ${message.replace(/"[\s\S]*"/u, "<name>").slice(0, 60)}`;
          messages.set(kind, (messages.get(kind) ?? 0) + 1);
          refused++;
        }
        await assertHealthy(suite.fuzz.port);
        await served;
      }),
      {
        numRuns: RUNS,
        examples: [
          // Issue 9, finding 1: a body without its closing boundary killed the process.
          [regression({ closing: false })],
          // Finding 9: a client that went away mid-upload leaked a descriptor and a .part file.
          [
            regression({
              delivery: "destroy",
              keep: 0.7,
              parts: [
                {
                  field: "files",
                  name: "big.bin",
                  star: false,
                  contentType: undefined,
                  size: MAX_UPLOAD_BYTES - 8,
                },
              ],
            }),
          ],
          // Finding 8: UTF-8 names were garbled (and served files with them answered 500).
          [
            regression({
              parts: [
                {
                  field: "files",
                  name: "日本語のファイル.txt",
                  star: false,
                  contentType: "text/plain",
                  size: 5,
                },
              ],
            }),
          ],
          [regression({ parts: { many: 150 } })],
          // The test's own defect: `filename*` carried an unencoded `'` (not an RFC 5987 attr-char), and
          // busboy skips a part whose Content-Disposition it cannot parse.
          [
            regression({
              boundary: ",",
              parts: [{ field: "files", name: "'", star: true, contentType: undefined, size: 20 }],
            }),
          ],
          // A file of exactly the limit was refused as "larger than the limit" (busboy's limit is exclusive).
          [
            regression({
              parts: [
                {
                  field: "files",
                  name: "exact.bin",
                  star: false,
                  contentType: undefined,
                  size: MAX_UPLOAD_BYTES,
                },
              ],
            }),
          ],
          [
            regression({
              parts: [
                {
                  field: "files",
                  name: "over.bin",
                  star: false,
                  contentType: undefined,
                  size: MAX_UPLOAD_BYTES + 1,
                },
              ],
            }),
          ],
          [
            regression({
              parts: [
                { field: "files", name: { long: 20_000 }, star: false, contentType: undefined, size: 5 },
              ],
            }),
          ],
        ],
      },
    );
    if (process.env.FUZZ_DEBUG)
      console.log({ stored, wellFormedStored, refused, unanswered, messages: [...messages] });
    expect(stored + refused + unanswered, "every run that waited had an outcome").toBeGreaterThan(0);
    expect(refused, "some uploads were refused").toBeGreaterThan(0);
    expect(stored, "some uploads were stored").toBeGreaterThan(0);
    expect(failures(suite.fuzz.logs)).toEqual([]);
    await suite.steady.check();

    // Descriptors and partial files close and go asynchronously: poll with a deadline.
    await until(
      () => (partialFiles(suite.fuzz.storeDir).length === 0 ? true : undefined),
      () => `.part files remain in the store: ${partialFiles(suite.fuzz.storeDir).join(", ")}`,
    );
    await until(
      () => (openDescriptors() <= descriptorsBefore + 3 ? true : undefined),
      () => `open descriptors did not come back: ${descriptorsBefore} before, ${openDescriptors()} now`,
    );
    // Each upload keeps one folder with its one file; a failed one leaves no folder.
    await until(
      () => (strayFolders(suite.fuzz.storeDir).length === 0 ? true : undefined),
      () => `store folders without exactly one file: ${strayFolders(suite.fuzz.storeDir).join(", ")}`,
    );
  });
});

function regression(overrides: Partial<UploadCase>): UploadCase {
  return {
    parts: [{ field: "files", name: "a.txt", star: false, contentType: "text/plain", size: 4 }],
    boundary: "B",
    header: "same",
    contentType: "multipart/form-data",
    component: undefined,
    preamble: false,
    closing: true,
    keep: 1,
    framing: "length",
    delivery: "wait",
    ...overrides,
  };
}

/** A stored upload comes back byte for byte, under its name (RFC 5987 for non-ASCII names). */
async function checkStored(upload: UploadCase, paths: string[], what: string): Promise<void> {
  const files = partsOf(upload)
    .map((part, index) => ({ part, index }))
    .filter(({ part }) => isFile(part));
  expect(paths.length, `${what}: one path per file`).toBe(files.length);
  for (const [i, path] of paths.entries()) {
    const { part, index } = files[i] as { part: Part; index: number };
    const answer = await request(suite.fuzz.port, {
      path: `/gradio_api/file=${path.split("/").map(encodeURIComponent).join("/")}`,
    });
    if (answer.status !== 200)
      throw new Error(
        `${what}: GET of stored ${JSON.stringify(path)} answered ${answer.status}: ${answer.text}`,
      );
    expect(answer.text, `${what}: the bytes of ${path}`).toBe(
      new TextDecoder().decode(fill(index, part.size)),
    );
    const disposition = String(answer.headers["content-disposition"] ?? "");
    const stem =
      (part.name === null ? "upload" : (part.name as string)).replace(/\\/g, "/").split("/").pop() ?? "";
    // The stored name is the upload's own (made safe); non-ASCII names travel as filename*.
    if (/^[\w.-]+$/.test(stem) && !stem.startsWith("."))
      expect(disposition, what).toContain(`filename="${stem}"`);
    else if (/[^\x20-\x7e]/.test(stem)) expect(disposition, what).toContain("filename*=UTF-8''");
  }
}

/** Folders of the store that do not hold exactly one finished file. */
function strayFolders(store: string): string[] {
  return readdirSync(store).filter((folder) => {
    const entries = readdirSync(join(store, folder));
    return entries.length !== 1 || entries.some((entry) => entry.endsWith(".part"));
  });
}
