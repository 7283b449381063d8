// The shell
import { installTheme } from "./base/theme.js";

// Output elements
export { ScAnnotatedimage } from "./annotatedimage/annotatedimage.js";
export { ScApp } from "./app/app.js";
export { ExampleSelectEvent, ScExamples } from "./app/examples.js";
export { type JobStatus, ScStatus } from "./app/status.js";
// Input elements
export { type AudioSource, ScAudio } from "./audio/audio.js";
export { encodeWav, isWav, toWav } from "./audio/wav.js";
// The base every element extends, and the theme
export * from "./base/index.js";
export { ScButton } from "./button/button.js";
export { ChatbotEvent, type ChatbotEventData, ScChatbot } from "./chatbot/chatbot.js";
export { fileKind, renderFiles } from "./chatbot/files.js";
export { ScCheckbox } from "./checkbox/checkbox.js";
export { ScCheckboxgroup } from "./checkboxgroup/checkboxgroup.js";
// Issue 15, part B: tables, code and plots
export { ScCode } from "./code/code.js";
export { ScDataframe } from "./dataframe/dataframe.js";
export { ScDropdown } from "./dropdown/dropdown.js";
export { ScFile } from "./file/file.js";
export { ScGallery } from "./gallery/gallery.js";
export { type HighlightedSpan, ScHighlightedtext } from "./highlightedtext/highlightedtext.js";
export { type ImageSource, ScImage } from "./image/image.js";
export { ScJson } from "./json/json.js";
export { type LabelValue, ScLabel } from "./label/label.js";
export { CallerChangeEvent, ScLoginbutton } from "./loginbutton/loginbutton.js";
export { ScMarkdown } from "./markdown/markdown.js";
export { ScMultimodaltextbox } from "./multimodaltextbox/multimodaltextbox.js";
export { ScNativeplot } from "./nativeplot/nativeplot.js";
export { ScNumber } from "./number/number.js";
export { ScRadio } from "./radio/radio.js";
export { ScSlider } from "./slider/slider.js";
export { ScTextbox } from "./textbox/textbox.js";

// Elements used on their own get the theme's tokens (a Space's page installs them itself).
installTheme();
