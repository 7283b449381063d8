import { css, html } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import type { ComponentConfig, LayoutNode } from "spacecraft";
import type { BlockRenderer, LayoutPage } from "./layout.js";
import { ran } from "./ran.js";

/** Styles of tabs, accordions and groups, added to `<sc-app>` with this module. */
export const blockStyles = css`
  .tablist {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    border-bottom: 1px solid var(--sc-color-border);
    margin-bottom: var(--sc-spacing);
  }
  .tab {
    font: inherit;
    padding: 0.5rem 0.9rem;
    border: 0;
    border-bottom: 2px solid transparent;
    background: none;
    color: var(--sc-color-text-muted);
    cursor: pointer;
  }
  .tab[aria-selected="true"] {
    color: var(--sc-color-text);
    border-bottom-color: var(--sc-color-primary);
    font-weight: 600;
  }
  .tab:focus-visible,
  .tabpanel:focus-visible,
  summary:focus-visible {
    outline: 2px solid var(--sc-color-focus);
    outline-offset: 2px;
  }
  .tabpanel {
    display: flex;
    flex-direction: column;
    gap: var(--sc-spacing);
  }
  summary {
    cursor: pointer;
    font-weight: 600;
  }
  .accordion[open] > summary {
    margin-bottom: var(--sc-spacing);
  }
  .group {
    display: flex;
    flex-direction: column;
    gap: 1px;
    background: var(--sc-color-border);
    border: 1px solid var(--sc-color-border);
    border-radius: var(--sc-radius);
    overflow: hidden;
  }
  .group > * {
    background: var(--sc-color-surface);
    padding: 0.5rem;
  }
`;

/** Keys that move the selection along a tab list, as the WAI-ARIA tabs pattern says. */
const moves: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (index, count) => (index + 1) % count,
  ArrowLeft: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_, count) => count - 1,
};

/** The index of the selected tab: `selected` when it names a shown tab, else the first shown one. */
function selectedIndex(block: ComponentConfig, tabs: ComponentConfig[]): number {
  const selected = block.props.selected;
  const shown = (index: number) => tabs[index] !== undefined && tabs[index].props.visible !== false;
  if (typeof selected === "number" && shown(selected)) return selected;
  return Math.max(
    0,
    tabs.findIndex((tab) => tab.props.visible !== false),
  );
}

/**
 * Tabs (WAI-ARIA tabs pattern): a `tablist` of `tab` buttons with a roving tabindex (Left,
 * Right, Home and End move to a tab and show it), each controlling its `tabpanel`. Every panel
 * stays in the page, hidden when not selected, so its elements keep their values. The selected
 * index is kept in the block's `selected` prop.
 */
function renderTabs(block: ComponentConfig, children: LayoutNode[], page: LayoutPage) {
  const nodes = children.filter((child) => page.components.get(child.id)?.type === "tab");
  const tabs = nodes.map((node) => page.components.get(node.id) as ComponentConfig);
  const selected = selectedIndex(block, tabs);
  const select = (index: number) => {
    block.props.selected = index;
    return page.rerender();
  };
  const onKeydown = async (event: KeyboardEvent) => {
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const list = event.currentTarget as HTMLElement;
    let index = selected;
    // Skip hidden tabs; the selected one is shown, so this ends.
    do index = move(index, tabs.length);
    while (tabs[index]?.props.visible === false && index !== selected);
    await select(index);
    list.querySelector<HTMLElement>(`[id="tab-${tabs[index]?.id}"]`)?.focus();
  };
  return html`<div class="tabs" id=${ifDefined((block.props.elemId as string) || undefined)} ?hidden=${block.props.visible === false}>
    <div role="tablist" class="tablist" @keydown=${onKeydown}>
      ${tabs.map(
        (tab, index) => html`<button
          type="button"
          role="tab"
          class="tab"
          id=${`tab-${tab.id}`}
          aria-selected=${index === selected ? "true" : "false"}
          aria-controls=${`tabpanel-${tab.id}`}
          tabindex=${index === selected ? 0 : -1}
          ?hidden=${tab.props.visible === false}
          @click=${() => select(index)}
        >
          ${String(tab.props.label ?? "")}
        </button>`,
      )}
    </div>
    ${nodes.map(
      (node, index) => html`<div
        role="tabpanel"
        class="tabpanel"
        id=${`tabpanel-${node.id}`}
        aria-labelledby=${`tab-${node.id}`}
        tabindex="0"
        ?hidden=${index !== selected}
      >
        ${(node.children ?? []).map((child) => page.renderNode(child))}
      </div>`,
    )}
  </div>`;
}

/** An accordion: a `<details>` whose summary (the label) opens and closes it, with the keyboard too. */
function renderAccordion(block: ComponentConfig, children: LayoutNode[], page: LayoutPage) {
  const props = block.props;
  return html`<details
    class="accordion panel"
    id=${ifDefined((props.elemId as string) || undefined)}
    ?hidden=${props.visible === false}
    .open=${props.open !== false}
    @toggle=${(event: Event) => {
      props.open = (event.target as HTMLDetailsElement).open;
    }}
  >
    <summary>${String(props.label ?? "")}</summary>
    <div class="column">${children.map((child) => page.renderNode(child))}</div>
  </details>`;
}

/** A group: its children drawn as one panel, without gaps. */
function renderGroup(block: ComponentConfig, children: LayoutNode[], page: LayoutPage) {
  return html`<div class="group" id=${ifDefined((block.props.elemId as string) || undefined)} ?hidden=${block.props.visible === false}>
    ${children.map((child) => page.renderNode(child))}
  </div>`;
}

/** The renderers of this module, by block type. */
export const renderers: Record<string, BlockRenderer> = {
  tabs: renderTabs,
  accordion: renderAccordion,
  group: renderGroup,
};

ran.blocks = { renderers, styles: blockStyles };
