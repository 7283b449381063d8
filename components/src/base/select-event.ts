/**
 * Fired as `sc-select` when the user picks an item or a choice (a dropdown option, a radio
 * button, a gallery image, a label's class…): which one, and whether it is now selected.
 */
export class SelectEvent extends Event {
  constructor(
    /** The item's index. */
    readonly index: number,
    /** The item's value. */
    readonly value: unknown,
    /** False when the pick unselected it (a box unticked, a chip removed). */
    readonly selected = true,
  ) {
    super("sc-select", { bubbles: true, composed: true });
  }

  /** What the Space's `select` listener gets as `ctx.event` (a table's cell gives `[row, column]`). */
  get eventData(): { index: number | [number, number]; value: unknown; selected: boolean } {
    return { index: this.index, value: this.value, selected: this.selected };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    "sc-select": SelectEvent;
  }
}
