import sharp from "sharp";
import * as sc from "spacecraft";
import type { RunningServer } from "spacecraft/server";
import { serve } from "spacecraft/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWav } from "../models/wav.js";
import { connect } from "./ws-client.js";

const space = sc.Interface({
  fn: async (image, audio, file) => [
    { width: image.width, height: image.height, channels: image.channels },
    image,
    { sampleRate: audio.sampleRate, samples: audio.data.length },
    file.orig_name ?? "",
  ],
  inputs: [sc.Image({ label: "Photo" }), sc.Audio({ label: "Speech" }), sc.File({ label: "Any file" })],
  outputs: [sc.JSON(), sc.Image(), sc.JSON(), sc.Textbox()],
});

let server: RunningServer;
beforeAll(async () => {
  server = await serve(space, { port: 0, maxUploadBytes: 64 * 1024, logError: () => {} });
});
afterAll(() => server.close({ timeoutMs: 100 }));

const config = () => space.toConfig();
const inputId = (i: number) => config().dependencies[0]?.inputs[i] as number;

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 0, b: 0 } } })
    .png()
    .toBuffer();
}

async function upload(
  body: Blob | Uint8Array,
  name: string,
  query = "",
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  form.append("files", body instanceof Blob ? body : new Blob([body as BlobPart]), name);
  return fetch(`${server.url}/gradio_api/upload${query}`, { method: "POST", body: form, headers });
}

const fileData = (path: string, name: string): sc.FileData => ({
  path,
  orig_name: name,
  meta: { _type: "gradio.FileData" },
});

async function uploaded(body: Uint8Array, name: string): Promise<sc.FileData> {
  const response = await upload(body, name);
  expect(response.status).toBe(200);
  const [path] = (await response.json()) as string[];
  return fileData(path as string, name);
}

describe("uploads and files", () => {
  it("runs an image, audio and file round trip: fn gets decoded values, the page gets a URL", async () => {
    const image = await uploaded(await png(8, 6), "red.png");
    const wav = makeWav(new Float32Array(800).fill(0.25), 8000);
    const audio = await uploaded(wav, "tone.wav");
    const doc = await uploaded(new TextEncoder().encode("hello"), "notes.txt");
    const client = await connect(server.url);
    client.send({ type: "predict", id: "m", endpoint: 0, data: [image, audio, doc] });
    const result = await client.end("m");
    expect(result).toMatchObject({
      type: "complete",
      data: [
        { width: 8, height: 6, channels: 3 },
        { mime_type: "image/png" },
        { sampleRate: 16000, samples: 1600 },
        "notes.txt",
      ],
    });
    const output = (result as { data: sc.FileData[] }).data[1] as sc.FileData;
    const served = await fetch(`${server.url}${output.url}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    const { width, height } = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect([width, height]).toEqual([8, 6]);
    await client.close();
  });

  it("refuses an upload over the size limit with a clear message", async () => {
    const response = await upload(new Uint8Array(65 * 1024), "big.bin");
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: '"big.bin" is larger than the 64 KB upload limit.',
    });
  });

  it("refuses a file the component does not accept, judged by its bytes", async () => {
    const fake = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const response = await upload(fake, "cat.png", `?component=${inputId(0)}`);
    expect(response.status).toBe(415);
    expect((await response.json()) as { error: string }).toMatchObject({
      error: expect.stringContaining('"cat.png" is text/plain; this input accepts image/png'),
    });
    const client = await connect(server.url);
    const path = await uploaded(fake, "cat.png");
    const audio = await uploaded(makeWav(new Float32Array(10), 16000), "a.wav");
    client.send({ type: "predict", id: "x", endpoint: 0, data: [path, audio, audio] });
    expect(await client.end("x")).toMatchObject({
      field: inputId(0),
      message: expect.stringContaining('Image "Photo": a text/plain file ("cat.png") is not accepted here'),
    });
    await client.close();
  });

  it("never reads a path the client made up", async () => {
    const client = await connect(server.url);
    const audio = await uploaded(makeWav(new Float32Array(10), 16000), "a.wav");
    for (const path of ["/etc/passwd", "../../etc/passwd", "file:///etc/passwd", "http://169.254.169.254/"]) {
      client.send({ type: "predict", id: path, endpoint: 0, data: [fileData(path, "x.png"), audio, audio] });
      expect(await client.end(path)).toMatchObject({
        type: "error",
        field: inputId(0),
        message: 'Image "Photo": unknown file; upload it first and send the FileData the upload returned.',
      });
    }
    await client.close();
  });

  it("serves only its own files: traversal and absolute paths get 404", async () => {
    for (const path of [
      "../../../../etc/passwd",
      "..%2F..%2Fetc%2Fpasswd",
      "/etc/passwd",
      "%2Fetc%2Fpasswd",
      "C:\\Windows\\win.ini",
    ]) {
      const response = await fetch(`${server.url}/gradio_api/file=${path}`);
      expect(response.status, path).toBe(404);
    }
  });

  it("serves uploaded HTML as a download, never inline", async () => {
    const page = await uploaded(new TextEncoder().encode("<svg onload=alert(1)>"), "x.svg");
    const response = await fetch(`${server.url}/gradio_api/file=${page.path}`);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("strips folders and odd characters from upload names", async () => {
    const file = await uploaded(new TextEncoder().encode("x"), "../../evil<name>.txt");
    expect(file.path).toMatch(/^[0-9a-f]{32}\/evil_name_\.txt$/);
  });

  it("refuses uploads from another site", async () => {
    const response = await upload(new TextEncoder().encode("x"), "x.txt", "", {
      Origin: "http://evil.example",
    });
    expect(response.status).toBe(403);
    const nullOrigin = await upload(new TextEncoder().encode("x"), "x.txt", "", { Origin: "null" });
    expect(nullOrigin.status).toBe(403);
  });
});
