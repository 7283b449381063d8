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
