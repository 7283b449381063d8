import { css, html, nothing } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import type { ModelInfo, ServerMessage } from "spacecraft/protocol";

/** A model's loading state, as the engine reports it. */
export type ModelMessage = Extract<ServerMessage, { type: "model" }>;

/** Styles of the model notes, added to `<sc-app>` with this module. */
export const modelStyles = css`
  .banner.model {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
  }
  .banner.model progress {
    flex: 1 1 10rem;
    height: 0.5rem;
    accent-color: var(--sc-color-primary);
  }
  .models {
    list-style: none;
    margin: 1rem 0 0;
    padding: 0;
    font-size: 0.875rem;
    color: var(--sc-color-text-muted);
  }
  .models a {
    color: var(--sc-color-primary);
  }
`;

/** A link target that is safe to put in `href` (http or https only). */
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A download size in MB (KB below 0.1 MB, so tiny models don't read "0.0 MB"). */
function megabytes(bytes: number): string {
  return bytes < 1e5 ? `${(bytes / 1e3).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The banner of a model that is loading (with its progress) or failed to load. */
export function renderModelBanner(model: ModelMessage) {
  if (model.state === "error") {
    return html`<p part="banner" class="banner error" data-banner="model" data-model=${model.model}>
      ${model.message ?? `The model ${model.model} failed to load.`}
    </p>`;
  }
  if (model.state !== "loading") return nothing;
  const percent = model.progress === undefined ? "" : ` ${Math.round(model.progress * 100)}%`;
  return html`<div part="banner" class="banner model" data-banner="model" data-model=${model.model}>
    <span>Loading model <code>${model.model}</code>…${percent}</span>
    <progress
      part="model-progress"
      max="1"
      value=${ifDefined(model.progress)}
      aria-label=${`Loading ${model.model}`}
    ></progress>
  </div>`;
}

/** The line under the demo about its models: link, licence, size. */
export function renderModelInfo(models: Iterable<ModelMessage>) {
  const withInfo = [...models].filter(
    (model): model is ModelMessage & { info: ModelInfo } => model.info !== undefined,
  );
  if (withInfo.length === 0) return nothing;
  return html`<ul part="models" class="models" aria-label="Models">
    ${withInfo.map(({ model, info }) => {
      const href = safeHref(info.url);
      return html`<li data-model=${model}>
        Model ${href ? html`<a href=${href} target="_blank" rel="noopener">${model}</a>` : model}
        ${info.license ? html`<span>· Licence: ${info.license}</span>` : nothing}
        ${info.sizeBytes === undefined ? nothing : html`<span>· ${megabytes(info.sizeBytes)} on disk</span>`}
        ${info.gated ? html`<span>· Gated: set HF_TOKEN on the server</span>` : nothing}
      </li>`;
    })}
  </ul>`;
}
