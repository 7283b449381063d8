import type { TemplateResult } from "lit";
import { html } from "lit";
import { ifDefined } from "lit/directives/if-defined.js";
import { live } from "lit/directives/live.js";

/** A choice as the config sends it: a value, or a `[label, value]` pair. */
export type ChoiceConfig = string | number | readonly [string, string | number];

/** A choice ready to render. */
export interface Choice {
  label: string;
  value: string | number;
}

/** Turns config choices into `{ label, value }` pairs. */
export function normalizeChoices(choices: readonly ChoiceConfig[] | undefined): Choice[] {
  return (choices ?? []).map((choice) =>
    Array.isArray(choice)
      ? { label: String(choice[0]), value: choice[1] as string | number }
      : { label: String(choice), value: choice as string | number },
  );
}

/**
 * The inputs of a radio or checkbox group: a `<label part="choice">` around each, `data-index`
 * giving its place in the choices.
 */
export function choiceInputs(
  choices: readonly ChoiceConfig[],
  options: {
    type: "radio" | "checkbox";
    checked: (value: string | number) => boolean;
    interactive: boolean;
    onEdit: (event: Event) => void;
  },
): TemplateResult[] {
  return normalizeChoices(choices).map(
    (choice, i) => html`<label part="choice" class="choice">
      <input
        type=${options.type}
        name=${ifDefined(options.type === "radio" ? "choice" : undefined)}
        data-index=${i}
        ?disabled=${!options.interactive}
        .checked=${live(options.checked(choice.value))}
        @input=${options.onEdit}
        @change=${options.onEdit}
      />${choice.label}
    </label>`,
  );
}
