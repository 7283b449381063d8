import { choiceStyles } from "../base/choice.styles.js";

/** Styles of `<sc-checkboxgroup>`. */
export const checkboxgroupStyles = choiceStyles;
