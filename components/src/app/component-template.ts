import type { TemplateResult } from "lit";
import { html } from "lit";
import type { ComponentConfig, SpaceConfig } from "spacecraft";

/** A template with a tag and property names known only now (`html` needs them written out). */
function dynamicTemplate(strings: string[], values: unknown[]): TemplateResult {
  const array = Object.assign([...strings], { raw: [...strings] });
  return { _$litType$: 1, strings: array as unknown as TemplateStringsArray, values };
}

/**
 * A component's element with its props, as `<sc-app>`'s `createElementFor` sets them: the server
 * draws it (`ssr.ts`) and the hydrating page renders the same template onto that drawing, so both
 * sides must build it alike (`listening`: the component's events the Space listens to, in the
 * config's order; `selectable`: a `select` event listens).
 */
export function componentTemplate(
  component: ComponentConfig,
  config: SpaceConfig,
  listening: string[],
  selectable: boolean,
): TemplateResult {
  const tag = `sc-${component.type}`;
  // A Space's own component is drawn by its chunk in the browser only: a space kept for it here.
  if (config.spacecraft?.customElements?.[component.type])
    return html`<div class="custom-pending" data-component-id=${component.id}></div>`;
  if (!customElements.get(tag))
    return html`<p>This page cannot show components of type "${component.type}" yet.</p>`;
  const { value, ...props } = component.props;
  const properties: [string, unknown][] = Object.entries(props);
  if (value !== undefined) properties.push(["value", structuredClone(value)]);
  if (component.type === "loginbutton") properties.push(["runtime", config.spacecraft?.runtime]);
  if (selectable) properties.push(["selectable", true]);
  properties.push(["listening", listening]);
  // Property names are the config's (camelCase, never markup): only letters and digits pass.
  const names = properties.map(([name]) => name).filter((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name));
  const strings = [`<${tag} data-component-id="${component.id}"`];
  for (const name of names) {
    strings[strings.length - 1] += ` .${name}=`;
    strings.push("");
  }
  strings[strings.length - 1] += `></${tag}>`;
  const values = names.map((name) => properties.find(([key]) => key === name)?.[1]);
  return dynamicTemplate(strings, values);
}
