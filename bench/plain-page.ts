// The baseline pages of `npm run bench:page`: plain HTML with the same controls as a Space's
// page (real <input>, <textarea>, <select>, <button>), written from the Space's config, and a
// tiny inline script that wires the first button's click to a fetch and sets `onclick` on it.
import type { ComponentConfig, LayoutNode, SpaceConfig } from "spacecraft";

const escape = (text: unknown): string =>
  String(text ?? "").replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** One component as plain controls with a label. */
function control(component: ComponentConfig): string {
  const props = component.props;
  const label = `<label for="c${component.id}">${escape(props.label ?? "")}</label>`;
  const value = props.value;
  const choices = ((props.choices as unknown[] | undefined) ?? []).map((choice) =>
    Array.isArray(choice) ? choice[0] : choice,
  );
  switch (component.type) {
    case "textbox":
      return Number(props.lines ?? 1) > 1
        ? `${label}<textarea id="c${component.id}" rows="${escape(props.lines)}">${escape(value)}</textarea>`
        : `${label}<input id="c${component.id}" placeholder="${escape(props.placeholder)}" value="${escape(value)}">`;
    case "number":
      return `${label}<input id="c${component.id}" type="number" value="${escape(value)}">`;
    case "slider":
      return `${label}<input id="c${component.id}" type="range" min="${escape(props.minimum)}" max="${escape(props.maximum)}" step="${escape(props.step)}" value="${escape(value)}"><output>${escape(value)}</output>`;
    case "checkbox":
      return `<input id="c${component.id}" type="checkbox"${value ? " checked" : ""}>${label}`;
    case "dropdown":
      return `${label}<select id="c${component.id}">${choices.map((c) => `<option${c === value ? " selected" : ""}>${escape(c)}</option>`).join("")}</select>`;
    case "radio":
    case "checkboxgroup": {
      const type = component.type === "radio" ? "radio" : "checkbox";
      return `<fieldset><legend>${escape(props.label)}</legend>${choices
        .map(
          (c, i) =>
            `<label><input type="${type}" name="c${component.id}" id="c${component.id}-${i}"${c === value ? " checked" : ""}>${escape(c)}</label>`,
        )
        .join("")}</fieldset>`;
    }
    case "image":
    case "audio":
    case "video":
    case "file":
      if (props.interactive === false) return `${label}<output id="c${component.id}"></output>`;
      return `${label}<input id="c${component.id}" type="file"${component.type === "file" ? "" : ` accept="${component.type}/*"`}>`;
    case "button":
      return `<button type="button" id="c${component.id}">${escape(value ?? "Run")}</button>`;
    default:
      return `${label}<output id="c${component.id}">${escape(typeof value === "string" ? value : "")}</output>`;
  }
}

/** A layout node (rows, columns, tabs … as plain `<div>`s and `<details>`). */
function node(layout: LayoutNode, components: Map<number, ComponentConfig>): string {
  const component = components.get(layout.id);
  const children = (layout.children ?? []).map((child) => node(child, components)).join("");
  if (!component) return children;
  switch (component.type) {
    case "form":
    case "row":
    case "column":
    case "group":
    case "tabs":
    case "tab":
      return `<div class="${component.type}">${component.type === "tab" ? `<h2>${escape(component.props.label)}</h2>` : ""}${children}</div>`;
    case "accordion":
      return `<details${component.props.open === false ? "" : " open"}><summary>${escape(component.props.label)}</summary>${children}</details>`;
    case "state":
      return "";
    case "clearbutton":
      return `<button type="button">${escape(component.props.value ?? "Clear")}</button>`;
    case "dataset": {
      const samples = (component.props.samples as unknown[][] | undefined) ?? [];
      const headers = (component.props.headers as string[] | undefined) ?? [];
      return `<table><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join("")}</tr>${samples
        .map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`)
        .join("")}</table>`;
    }
    default:
      return `<div class="field">${control(component)}</div>`;
  }
}

/**
 * A plain HTML page with the controls of `config`'s page. Its inline script wires the first
 * button's click (`onclick`) to a fetch of `fetchUrl`, writing the answer's length into the
 * first output.
 */
export function plainPage(config: SpaceConfig, fetchUrl: string): string {
  const components = new Map(config.components.map((component) => [component.id, component]));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(config.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem}.row{display:flex;gap:1rem;flex-wrap:wrap}.column{flex:1;display:flex;flex-direction:column;gap:.75rem}.field{display:flex;flex-direction:column;gap:.25rem}input,textarea,select,button{font:inherit;padding:.5rem}</style></head>
<body><header><h1>${escape(config.title)}</h1><p>${escape(config.description)}</p></header><main>${node(config.layout, components)}</main><footer><p>${escape(config.article)}</p></footer>
<script>
const button = document.querySelector("button");
const output = document.querySelector("output");
if (button) button.onclick = async () => {
  const text = await (await fetch(${JSON.stringify(fetchUrl)})).text();
  if (output) output.value = String(text.length);
};
</script></body></html>`;
}
