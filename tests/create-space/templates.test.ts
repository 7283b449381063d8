import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEMPLATES, templatesRoot } from "../../create-space/src/templates.js";

/** Words that place the model on a server or in the browser. */
const PLACE = /\b(server|browser|in the cloud|on[- ]device|locally)\b/i;

describe("template descriptions", () => {
  // One app.ts becomes a Docker Space (the model runs on the server) or a static one (in the
  // visitor's browser), so what it says must hold in both.
  it.each(TEMPLATES.map((template) => template.name))("%s does not say where its model runs", (name) => {
    const app = readFileSync(join(templatesRoot(), name, "app.ts"), "utf8");
    const description = /^\s*description:\s*("(?:[^"\\]|\\.)*")/m.exec(app)?.[1];
    expect(description, `templates/${name}/app.ts has a description`).toBeDefined();
    expect(JSON.parse(description as string)).not.toMatch(PLACE);
    const generic = TEMPLATES.find((template) => template.name === name)?.genericDescription ?? "";
    expect(generic).not.toMatch(PLACE);
  });
});
