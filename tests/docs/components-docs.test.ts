// The components reference stays true to the code: the manifest (built by `npm run build`) lists
// every element, docs/components.md is what `npm run docs:components` makes of it, and the package
// ships the manifest.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Manifest } from "../../scripts/components-doc.js";
import { elementsOf, formattedComponentsDoc, isShell } from "../../scripts/components-doc.js";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const manifestPath = "components/custom-elements.json";

function manifest(): Manifest {
  if (!existsSync(new URL(manifestPath, root))) {
    throw new Error(
      `${manifestPath} is missing: run \`npm run build\` (or \`npm run manifest -w @spacecraft/components\`).`,
    );
  }
  return JSON.parse(read(manifestPath)) as Manifest;
}

/** Every tag registered with `@customElement("…")` in components/src/<dir>/*.ts. */
function tagsInSource(): string[] {
  const tags: string[] = [];
  const src = new URL("components/src/", root);
  for (const dir of readdirSync(src, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(new URL(`${dir.name}/`, src))) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
      const text = readFileSync(new URL(`${dir.name}/${file}`, src), "utf8");
      for (const match of text.matchAll(/@customElement\("([a-z0-9-]+)"\)/g)) tags.push(match[1] as string);
    }
  }
  return tags.sort();
}

describe("components reference", () => {
  it("the manifest lists every element in components/src, with a description", () => {
    const source = tagsInSource();
    expect(source.length, "no @customElement found under components/src/*/").toBeGreaterThan(30);
    const listed = elementsOf(manifest());
    expect(
      listed.map((element) => element.tag),
      `${manifestPath} differs from components/src: run \`npm run build\`; an element the analyzer misses needs a JSDoc block on its class`,
    ).toEqual(source);
    const undescribed = listed.filter(({ element }) => !(element.summary ?? element.description)?.trim());
    expect(
      undescribed.map((e) => e.tag),
      "these elements need a `@summary` in their class's JSDoc",
    ).toEqual([]);
  });

  it("docs/components.md is what the manifest makes, and its pictures exist", () => {
    const committed = read("docs/components.md");
    const pictures = new Set(
      [...committed.matchAll(/\]\(components\/([a-z0-9-]+)\.png\)/g)].map((match) => match[1] as string),
    );
    expect(
      committed,
      "docs/components.md is out of date with the elements' JSDoc: run `npm run build && npm run docs:components`",
    ).toBe(formattedComponentsDoc(manifest(), pictures));
    for (const tag of pictures) {
      expect(
        existsSync(new URL(`docs/components/${tag}.png`, root)),
        `docs/components/${tag}.png is missing`,
      ).toBe(true);
    }
    const components = elementsOf(manifest()).filter(({ path }) => !isShell(path));
    expect(
      components.filter(({ tag }) => !pictures.has(tag)).map(({ tag }) => tag),
      "every component but the timer (it shows nothing) has a picture: run `npm run docs:components`",
    ).toEqual(["sc-timer"]);
  });

  it("npm pack of the components package includes custom-elements.json", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["pack", "-w", "@spacecraft/components", "--dry-run", "--json"],
      {
        cwd: new URL(".", root),
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const files = (pack?.files ?? []).map((file) => file.path);
    expect(files, "components/package.json `files` must list custom-elements.json").toContain(
      "custom-elements.json",
    );
    const pkg = JSON.parse(read("components/package.json")) as { customElements?: string };
    expect(pkg.customElements, "components/package.json needs `customElements`").toBe("custom-elements.json");
  }, 60_000);
});
