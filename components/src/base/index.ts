export { baseStyles } from "./base.styles.js";
export { ScElement, ScInputElement } from "./base-element.js";
export type { Choice, ChoiceConfig } from "./choices.js";
export { normalizeChoices } from "./choices.js";
export { renderMarkdown, simpleMarkdown } from "./markdown.js";
export { installTheme, setTheme, themeStyles } from "./theme.js";
