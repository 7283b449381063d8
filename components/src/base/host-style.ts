/**
 * Sets a custom property on an element's host (`undefined` removes it): through its `style` in the
 * browser; on the server, where Lit SSR's elements have no `style`, in its `style` attribute, which
 * the server's drawing carries (a gallery's columns, an image's height show before any script).
 */
export function setHostProperty(host: HTMLElement, name: string, value: string | undefined): void {
  if (host.style) {
    if (value === undefined) host.style.removeProperty(name);
    else host.style.setProperty(name, value);
    return;
  }
  const rules = (host.getAttribute("style") ?? "")
    .split(";")
    .filter((rule) => rule && !rule.startsWith(`${name}:`));
  if (value !== undefined) rules.push(`${name}:${value}`);
  host.setAttribute("style", rules.join(";"));
}
