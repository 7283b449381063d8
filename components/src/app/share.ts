import type { FileData, SpaceConfig } from "spacecraft";
import type { Transport } from "spacecraft/client";
import { embedded, spaceUrl } from "../base/space-url.js";
import type { ValueElement } from "./jobs.js";

/** What sharing reads from the page and asks it to do. */
export interface SharePage {
  readonly config: SpaceConfig | undefined;
  readonly transport: Transport | undefined;
  elementFor(id: number): ValueElement | undefined;
  /** Sets a component's value without firing any event (so nothing runs). */
  restoreValue(id: number, value: unknown): void;
}

/** What the page says after Share: the message, and the URL to show when it could not be copied. */
export interface ShareResult {
  message: string;
  /** Set when the clipboard refused: the page shows it in a field, selected. */
  url?: string;
  /** The message is an error (nothing was shared). */
  failed?: boolean;
}

/** A snapshot: each component's value and type, by component id. */
interface Snapshot {
  values: Record<string, unknown>;
  types?: Record<string, string>;
}

/** The query parameter of a server Space's shared link (as Gradio's). */
const QUERY = "deep_link";
/** The fragment of a static Space's shared link: `#deep_link=<deflate-raw, base64url>`. */
const FRAGMENT = "#deep_link=";
/** Files up to this size go into a static Space's link (as data); larger ones are left out. */
export const MAX_LINKED_FILE_BYTES = 16 * 1024;

/**
 * Where a link leads: this page, or the Space itself when another site's page embeds it (that
 * page is not the demo, and its address may say nothing of it).
 */
function linkBase(): URL {
  return embedded() ? spaceUrl("") : new URL(location.href);
}

/** The components a snapshot holds: every event's inputs and outputs, State aside. */
function shareableIds(config: SpaceConfig): number[] {
  const types = new Map(config.components.map((component) => [component.id, component.type]));
  const ids = new Set(
    config.dependencies.flatMap((dependency) => [...dependency.inputs, ...dependency.outputs]),
  );
  return [...ids].filter((id) => types.has(id) && types.get(id) !== "state");
}

/**
 * Makes a link to the page as it is now and copies it: a server keeps the snapshot
 * (`POST gradio_api/deep_link`), a static Space puts it in the link's fragment.
 */
export async function share(page: SharePage): Promise<ShareResult> {
  const config = page.config;
  if (!config) return { message: "The demo has not loaded yet.", failed: true };
  const values: Record<string, unknown> = {};
  for (const id of shareableIds(config)) values[id] = page.elementFor(id)?.value ?? null;
  let url: URL;
  let leftOut = 0;
  try {
    if (config.spacecraft.runtime === "worker") {
      const packed = await inlineFiles(values);
      leftOut = packed.leftOut;
      const typeOf = new Map(config.components.map((component) => [String(component.id), component.type]));
      const types = Object.fromEntries(Object.keys(packed.values).map((id) => [id, typeOf.get(id) ?? ""]));
      url = linkBase();
      url.searchParams.delete(QUERY);
      url.hash = `${FRAGMENT.slice(1)}${await encode({ values: packed.values, types })}`;
    } else {
      const response = await fetch(spaceUrl("gradio_api/deep_link"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          session: (page.transport as { session?: string } | undefined)?.session,
          values,
        }),
      });
      const answer = (await response.json().catch(() => ({}))) as { id?: string; error?: string };
      if (!response.ok || !answer.id)
        throw new Error(answer.error ?? `The server answered ${response.status}.`);
      url = linkBase();
      url.hash = "";
      url.searchParams.set(QUERY, answer.id);
    }
  } catch (error) {
    return {
      message: `Could not make a link: ${error instanceof Error ? error.message : String(error)}`,
      failed: true,
    };
  }
  const note =
    leftOut > 0
      ? ` ${leftOut === 1 ? "1 file was" : `${leftOut} files were`} too large for the link (over ${MAX_LINKED_FILE_BYTES / 1024} KB) and ${leftOut === 1 ? "was" : "were"} left out.`
      : "";
  try {
    await navigator.clipboard.writeText(url.href);
    return { message: `Link copied.${note}` };
  } catch {
    return { message: `Copy this link (the clipboard is not available here).${note}`, url: url.href };
  }
}

/**
 * Restores the values of the shared link the page was opened from, without running anything.
 * Returns what to tell the visitor ("" when all went well).
 */
export async function openSharedLink(page: SharePage): Promise<string> {
  const config = page.config;
  if (!config) return "";
  let snapshot: Snapshot;
  // Another site's page that embeds the Space has its own address: no link of ours is in it.
  if (embedded()) return "";
  const id = new URLSearchParams(location.search).get(QUERY);
  if (location.hash.startsWith(FRAGMENT)) {
    try {
      snapshot = await decode(location.hash.slice(FRAGMENT.length));
    } catch {
      return "This shared link is damaged (its data after #deep_link= cannot be read), so nothing was restored; here is the demo.";
    }
  } else if (id !== null) {
    const response = await fetch(spaceUrl(`gradio_api/deep_link/${encodeURIComponent(id)}`)).catch(
      () => undefined,
    );
    if (response?.status === 404) return "This shared link has expired or does not exist; here is the demo.";
    if (!response?.ok)
      return "Could not load this shared link from the server; here is the demo. Reload to try again.";
    snapshot = (await response.json()) as Snapshot;
  } else return "";
  const skipped: string[] = [];
  const worker = config.spacecraft.runtime === "worker" ? page.transport : undefined;
  const shareable = new Set(shareableIds(config));
  for (const [key, value] of Object.entries(snapshot.values ?? {})) {
    const component = config.components.find((each) => String(each.id) === key);
    const type = snapshot.types?.[key];
    if (!component || !shareable.has(component.id) || (type !== undefined && type !== component.type)) {
      skipped.push(component ? nameOf(component) : `component ${key}`);
      continue;
    }
    try {
      page.restoreValue(component.id, await restoreFiles(value, worker));
    } catch {
      skipped.push(nameOf(component));
    }
  }
  return skipped.length > 0
    ? `The demo changed since this link was made: ${skipped.length > 1 ? `${skipped.slice(0, -1).join(", ")} and ${skipped.at(-1)}` : skipped[0]} could not be restored.`
    : "";
}

function nameOf(component: SpaceConfig["components"][number]): string {
  const label = component.props.label;
  return typeof label === "string" && label ? `"${label}"` : `the ${component.type}`;
}

/** What {@link mapFiles} leaves out: dropped from a list (a chat message's files), else the value goes. */
const LEFT_OUT = Symbol("left out");

/**
 * A static Space's values with each small file as a `data:` URL. A larger file is dropped from
 * the list it is in (a chat message's files); a value that is such a file (or holds one outside
 * a list) is left out.
 */
async function inlineFiles(
  values: Record<string, unknown>,
): Promise<{ values: Record<string, unknown>; leftOut: number }> {
  const kept: Record<string, unknown> = {};
  let leftOut = 0;
  for (const [key, value] of Object.entries(values)) {
    const inlined = await mapFiles(value, async (file) => {
      const blob = await (await fetch(spaceUrl(file.url ?? file.path))).blob();
      if (blob.size > MAX_LINKED_FILE_BYTES) {
        leftOut++;
        return LEFT_OUT;
      }
      return { ...file, path: file.orig_name ?? "file", url: await dataUrl(blob, file.mime_type) };
    });
    if (inlined !== LEFT_OUT) kept[key] = inlined;
  }
  return { values: kept, leftOut };
}

/**
 * A value whose files are this Space's own: a server's copies (`/gradio_api/file=`), or in a
 * static Space's link `data:` files handed to its `worker` again. Any other URL (another site, a
 * `javascript:` link in a crafted fragment) refuses the value.
 */
function restoreFiles(value: unknown, worker: Transport | undefined): Promise<unknown> {
  return mapFiles(value, async (file) => {
    const url = file.url ?? "";
    if (worker?.upload && url.startsWith("data:")) {
      const blob = await (await fetch(url)).blob();
      return worker.upload(blob, file.orig_name ?? "file");
    }
    if (!worker && url.startsWith("/gradio_api/file=")) return file;
    throw new Error("a file that is not this Space's");
  });
}

async function mapFiles(
  value: unknown,
  map: (file: FileData) => Promise<FileData | typeof LEFT_OUT>,
): Promise<unknown> {
  if (isFileData(value)) return map(value);
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map((item) => mapFiles(item, map)));
    return items.filter((item) => item !== LEFT_OUT);
  }
  if (value && typeof value === "object") {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await mapFiles(item, map)] as const),
    );
    return entries.some(([, item]) => item === LEFT_OUT) ? LEFT_OUT : Object.fromEntries(entries);
  }
  return value;
}

function isFileData(value: unknown): value is FileData {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as FileData).path === "string" &&
    (value as FileData).meta?._type === "gradio.FileData"
  );
}

function dataUrl(blob: Blob, mimeType: string | null | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve(String(reader.result).replace(/^data:[^;,]*/, `data:${mimeType ?? blob.type}`));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** JSON → deflate-raw → base64url. */
async function encode(snapshot: Snapshot): Promise<string> {
  const stream = new Blob([JSON.stringify(snapshot)])
    .stream()
    .pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The reverse of {@link encode}; throws on anything that is not a snapshot. */
async function decode(text: string): Promise<Snapshot> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const snapshot = JSON.parse(await new Response(stream).text()) as Snapshot;
  if (typeof snapshot?.values !== "object" || snapshot.values === null || Array.isArray(snapshot.values)) {
    throw new Error("not a snapshot");
  }
  return snapshot;
}
