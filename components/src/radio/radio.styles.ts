import { choiceStyles } from "../base/choice.styles.js";

/** Styles of `<sc-radio>`. */
export const radioStyles = choiceStyles;
