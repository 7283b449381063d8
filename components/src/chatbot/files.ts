import type { TemplateResult } from "lit";
import { css, html, nothing } from "lit";
import type { FileData } from "spacecraft";
import { formatBytes } from "spacecraft/format";
import { fileName, fileSrc } from "../base/file-url.js";

/** What a file in a message shows as: by its media type (sniffed by the server), else its name. */
export function fileKind(file: FileData): "image" | "audio" | "video" | "file" {
  const type = file.mime_type ?? "";
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("video/")) return "video";
  const name = fileName(file).toLowerCase();
  if (/\.(png|jpe?g|gif|webp|bmp|avif)$/.test(name)) return "image";
  if (/\.(wav|mp3|ogg|flac|m4a)$/.test(name)) return "audio";
  if (/\.(mp4|webm)$/.test(name)) return "video";
  return "file";
}

/**
 * The files of a chat message: images inline (the name as alt text), audio and video with
 * controls, anything else as a download link with its name and size. A file whose address is
 * not safe to load shows its name only.
 */
export function renderFiles(files: readonly FileData[] | undefined): TemplateResult | typeof nothing {
  if (!files || files.length === 0) return nothing;
  return html`<div part="files" class="files">${files.map(renderFile)}</div>`;
}

function renderFile(file: FileData): TemplateResult {
  const src = fileSrc(file);
  const name = fileName(file);
  const size =
    typeof file.size === "number" ? html` <span class="size">${formatBytes(file.size)}</span>` : nothing;
  if (!src) return html`<span part="file" class="file">${name}${size}</span>`;
  switch (fileKind(file)) {
    case "image":
      return html`<a part="file" class="file image" href=${src} target="_blank" rel="noopener"><img src=${src} alt=${name} loading="lazy" /></a>`;
    case "audio":
      return html`<audio part="file" class="file" controls preload="metadata" src=${src} aria-label=${name}></audio>`;
    case "video":
      return html`<video part="file" class="file" controls preload="metadata" src=${src} aria-label=${name}></video>`;
    default:
      return html`<a part="file" class="file download" href=${src} download=${name}>${name}${size}</a>`;
  }
}

/** Styles of {@link renderFiles}. */
export const filesStyles = css`
  .files {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin-top: 0.3rem;
  }
  .file.image img {
    display: block;
    max-width: min(100%, 20rem);
    max-height: 16rem;
    border-radius: var(--sc-radius);
    border: 1px solid var(--sc-color-border);
  }
  audio.file {
    max-width: 100%;
  }
  video.file {
    max-width: min(100%, 24rem);
    border-radius: var(--sc-radius);
  }
  .file.download {
    display: inline-flex;
    gap: 0.4rem;
    align-items: baseline;
    padding: 0.3rem 0.6rem;
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    background: var(--sc-color-surface);
    color: var(--sc-color-text);
    overflow-wrap: anywhere;
  }
  .size {
    color: var(--sc-color-text-muted);
    font-size: 0.875rem;
    white-space: nowrap;
  }
`;
