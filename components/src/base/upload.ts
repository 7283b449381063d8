import type { FileData } from "spacecraft";
import { FILE_ROUTE } from "./file-url.js";
import { spaceUrl } from "./space-url.js";
import { currentUploader } from "./uploader.js";

export { setUploader } from "./uploader.js";

/** An upload the server refused, or one that never reached it; `message` is for the user. */
export class UploadError extends Error {
  override name = "UploadError";
  constructor(
    message: string,
    /** The HTTP status, or 0 when the server did not answer. */
    readonly status = 0,
  ) {
    super(message);
  }
}

/** Options of {@link uploadFile}. */
export interface UploadOptions {
  /** The component the file is for (`?component=`), so the server checks its accepted types. */
  componentId?: string | undefined;
  /** Called with the fraction sent, 0–1. */
  onProgress?: (fraction: number) => void;
}

/**
 * Uploads one file to `gradio_api/upload` beside the page (or to the engine set by
 * {@link setUploader}) and gives its FileData.
 * @throws UploadError with the server's message when it refuses the file.
 * @example const value = await uploadFile(file, file.name, { componentId: "3", onProgress: console.log })
 */
export function uploadFile(file: Blob, name: string, options: UploadOptions = {}): Promise<FileData> {
  const uploader = currentUploader();
  if (uploader) {
    return uploader(file, name).then(
      (value) => {
        options.onProgress?.(1);
        return value;
      },
      (error: unknown) => Promise.reject(new UploadError(`Could not take "${name}": ${String(error)}`)),
    );
  }
  const query = options.componentId ? `?component=${encodeURIComponent(options.componentId)}` : "";
  const form = new FormData();
  form.append("files", file, name);
  return new Promise((resolve, reject) => {
    // XMLHttpRequest, not fetch: only it reports upload progress.
    const request = new XMLHttpRequest();
    request.open("POST", spaceUrl(`gradio_api/upload${query}`));
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    request.onerror = () =>
      reject(new UploadError(`Could not upload "${name}": the server did not answer. Try again.`));
    request.onload = () => {
      const body = request.response as unknown;
      const path = Array.isArray(body) ? body[0] : undefined;
      if (request.status >= 200 && request.status < 300 && typeof path === "string") {
        resolve({
          path,
          url: `${FILE_ROUTE}${path}`,
          size: file.size,
          orig_name: name,
          mime_type: file.type || null,
          meta: { _type: "gradio.FileData" },
        });
        return;
      }
      const message = (body as { error?: unknown } | null)?.error;
      reject(
        new UploadError(
          typeof message === "string" ? message : `Could not upload "${name}" (HTTP ${request.status}).`,
          request.status,
        ),
      );
    };
    request.send(form);
  });
}
