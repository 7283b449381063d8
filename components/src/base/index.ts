export { baseStyles } from "./base.styles.js";
export { ScElement, ScInputElement } from "./base-element.js";
export type { Choice, ChoiceConfig } from "./choices.js";
export { normalizeChoices } from "./choices.js";
export { FILE_ROUTE, fileName, fileSrc, isFileData } from "./file-url.js";
export { renderMarkdown, simpleMarkdown } from "./markdown.js";
export { installTheme, setTheme, themeStyles } from "./theme.js";
export { UploadError, type UploadOptions, uploadFile } from "./upload.js";
export { ScUploadElement } from "./upload-element.js";
