// The server page's hydration (its own chunk, run as a script only by a page the server drew with
// Lit's markers, `server/page.ts`): elements render onto the server's DOM instead of drawing it
// again, and `<sc-app>` renders its components from the templates the server drew them with.
import { hydrate } from "@lit-labs/ssr-client";
import { hydration } from "../base/hydration.js";
import { componentTemplate } from "./component-template.js";

hydration.hydrate = hydrate as typeof hydration.hydrate;
hydration.componentTemplate = componentTemplate;
