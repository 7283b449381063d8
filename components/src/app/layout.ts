import type { TemplateResult } from "lit";
import { html, nothing } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import type { ComponentConfig, LayoutNode } from "spacecraft";
import type { ValueElement } from "./jobs.js";
import type { JobStatus } from "./status.js";

/** What the layout renderer reads from the page and asks it to do. */
export interface LayoutPage {
  /** Every component and block of the config, by id; a block's `props` hold its current state. */
  readonly components: ReadonlyMap<number, ComponentConfig>;
  /** The element of a component. */
  elementFor(id: number): ValueElement | undefined;
  /** The status line to show above a component, if any. */
  statusAt(id: number): JobStatus | undefined;
  /** Resets the components a Clear button lists. */
  clear(button: ComponentConfig): void;
  /** Renders a layout node (for block renderers). */
  renderNode(node: LayoutNode): TemplateResult | typeof nothing;
  /** Renders again (after a block's state changed), and resolves once done. */
  rerender(): Promise<unknown>;
  /** The column that ends with the Share bar (the one holding the first output), and the bar. */
  readonly shareIn?: number;
  renderShare?(): TemplateResult;
  /** The server's drawing of a block the page keeps (an examples table), if any. */
  drawn?(id: number): HTMLElement | undefined;
  /** Draws a component that has no element (on the server, `ssr.ts`). */
  renderComponent?(component: ComponentConfig): TemplateResult | typeof nothing;
}

/**
 * The column that holds `id` most closely (the outputs' column of an Interface, the chat's), or
 * undefined when no column does.
 */
export function columnOf(
  node: LayoutNode,
  id: number,
  types: ReadonlyMap<number, string>,
): number | undefined {
  if (node.id === id) return undefined;
  for (const child of node.children ?? []) {
    if (child.id !== id && !containsNode(child, id)) continue;
    return columnOf(child, id, types) ?? (types.get(node.id) === "column" ? node.id : undefined);
  }
  return undefined;
}

function containsNode(node: LayoutNode, id: number): boolean {
  return (node.children ?? []).some((child) => child.id === id || containsNode(child, id));
}

/** Draws one block type: the block, its children (layout nodes) and the page. */
export type BlockRenderer = (
  block: ComponentConfig,
  children: LayoutNode[],
  page: LayoutPage,
) => TemplateResult;

/** Renderers of the blocks that load with the pages that have them (`tabs`, `accordion`, `group`), by type. */
export const blockRenderers = new Map<string, BlockRenderer>();

/** A plain container block: its class, and the style from its props. */
function container(block: ComponentConfig, children: unknown, className: string, style?: string) {
  return html`<div
    class=${className}
    id=${ifDefined((block.props.elemId as string | undefined) || undefined)}
    style=${ifDefined(style)}
    ?hidden=${block.props.visible === false}
  >
    ${children}
  </div>`;
}

/** A column's flex: it grows by `scale` (0: not at all) and wraps below `minWidth` pixels. */
function columnStyle(props: Record<string, unknown>): string {
  const scale = typeof props.scale === "number" ? props.scale : 1;
  const minWidth = typeof props.minWidth === "number" ? props.minWidth : 160;
  return `flex:${scale} 1 0%;min-width:min(${minWidth}px,100%)`;
}

/**
 * Renders a layout node and its children: rows, columns, forms, examples, Clear buttons
 * and component elements (with the status line of the jobs whose first output they are), and any
 * block in {@link blockRenderers}. A block or component with `visible: false` stays in the page,
 * hidden, so its elements keep their values.
 */
export function renderLayout(node: LayoutNode, page: LayoutPage): TemplateResult | typeof nothing {
  const block = page.components.get(node.id);
  if (!block) return nothing;
  const props = block.props;
  const children = () => (node.children ?? []).map((child) => renderLayout(child, page));
  switch (block.type) {
    case "form":
      return container(block, children(), "form");
    case "row":
      return container(block, children(), props.equalHeight === true ? "row" : "row start");
    case "column":
      return container(
        block,
        node.id === page.shareIn ? [...children(), page.renderShare?.()] : children(),
        props.variant === "panel" ? "column panel" : "column",
        columnStyle(props),
      );
    case "clearbutton":
      return html`<sc-button
        .value=${String(props.value ?? "Clear")}
        ?hidden=${props.visible === false}
        @click=${() => page.clear(block)}
      ></sc-button>`;
    case "dataset": {
      // A server-drawn table stays (its clicks reach `<sc-app>`; `examples.ts` need not load).
      const drawn = page.drawn?.(block.id);
      if (drawn) {
        drawn.hidden = props.visible === false;
        return html`${drawn}`;
      }
      return html`<sc-examples
        class="panel"
        .label=${String(props.label ?? "Examples")}
        .headers=${(props.headers as string[] | undefined) ?? []}
        .samples=${(props.samples as unknown[][] | undefined) ?? []}
        .labels=${props.labels as string[] | undefined}
        .samplesPerPage=${(props.samplesPerPage as number | undefined) ?? 10}
        ?hidden=${props.visible === false}
        data-component-id=${block.id}
      ></sc-examples>`;
    }
    default: {
      const render = blockRenderers.get(block.type);
      if (render) return render(block, node.children ?? [], page);
      const element = page.elementFor(node.id);
      if (!element) return page.renderComponent?.(block) ?? nothing;
      const status = page.statusAt(node.id);
      return html`${
        status
          ? html`<sc-status .status=${status} ?hidden=${(element as { visible?: boolean }).visible === false}></sc-status>`
          : nothing
      }${element}`;
    }
  }
}
