import type { FileData } from "spacecraft";
import { FILE_ROUTE } from "spacecraft/client";
import { spaceUrl } from "./space-url.js";

export { FILE_ROUTE, isFileData } from "spacecraft/client";

/**
 * The address to show or download a file from, or `undefined` for one that is not safe to load
 * (only the server's files, http(s), blob: and image/audio/video data: URLs pass).
 */
export function fileSrc(file: FileData | null | undefined): string | undefined {
  if (!file) return undefined;
  const url = file.url ?? `${FILE_ROUTE}${file.path}`;
  if (url.startsWith(FILE_ROUTE)) {
    // Relative to the page, so a Space served under a path prefix still finds its files.
    const path = url.slice(FILE_ROUTE.length).split("/").map(encodeURIComponent).join("/");
    return spaceUrl(`gradio_api/file=${path}`).href;
  }
  if (/^data:(image|audio|video)\/[\w.+-]+[;,]/i.test(url)) return url;
  try {
    const parsed = spaceUrl(url);
    return ["http:", "https:", "blob:"].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The name to show for a file. */
export function fileName(file: FileData): string {
  return file.orig_name || file.path.split("/").pop() || "file";
}
