import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const node = (code: string) =>
  execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: root }).toString();

describe("built packages", () => {
  it("import with plain Node from the repo root", () => {
    expect(
      node(`const sc = await import("spacecraft"); console.log(typeof sc.Interface, typeof sc.Textbox)`),
    ).toBe("function function\n");
    expect(node(`const s = await import("spacecraft/server"); console.log(typeof s.serve)`)).toBe(
      "function\n",
    );
    expect(
      node(`const c = await import("spacecraft/client"); console.log(typeof c.WebSocketTransport)`),
    ).toBe("function\n");
  });

  it("ship the built page inside the spacecraft package", () => {
    expect(
      node(`import { existsSync } from "node:fs"; console.log(existsSync("framework/ui/index.html"))`),
    ).toBe("true\n");
  });

  it("ship a server rendering that imports at load only what an installed spacecraft has", () => {
    // A Space's server installs spacecraft and its dependencies, not the page's (DOMPurify, Lit…):
    // a package the rendering imports at load that spacecraft lacks makes every page unrendered.
    const { dependencies } = JSON.parse(readFileSync(`${root}framework/package.json`, "utf8")) as {
      dependencies: Record<string, string>;
    };
    // Static imports, from `page.js` through its own chunks (dynamic ones never run on a server).
    const imported: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      // Block comments out first: Lit's document `import … from '@lit-labs/ssr'` in examples.
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      for (const [, specifier = ""] of code.matchAll(
        /(?:^|[;}\s])import\s*(?:[\w$*{},\s]+from\s*)?["']([^"']+)["']/g,
      )) {
        if (specifier.startsWith(".")) visit(fileURLToPath(new URL(specifier, pathToFileURL(file))));
        else imported.push(specifier);
      }
    };
    visit(`${root}framework/ui/ssr/page.js`);
    expect(imported.length, "the rendering's imports were found").toBeGreaterThan(0);
    const packageOf = (specifier: string) =>
      specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");
    const missing = imported.filter(
      (specifier) =>
        !specifier.startsWith("node:") &&
        !builtinModules.includes(specifier) &&
        packageOf(specifier) !== "spacecraft" &&
        !(packageOf(specifier) in dependencies),
    );
    expect(missing).toEqual([]);
  });

  it("install a spacecraft command that explains itself", () => {
    const bin = `${root}node_modules/.bin/spacecraft`;
    expect(execFileSync(bin, ["--help"]).toString()).toContain("spacecraft dev <app.ts>");
    expect(execFileSync(bin, ["--version"]).toString().trim()).toMatch(/^\d+\.\d+\.\d+$/);
    let stderr = "";
    try {
      execFileSync(bin, ["serve", "app.ts"], { stdio: "pipe" });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain(
      'Unknown command "serve". Use "spacecraft dev app.ts", "spacecraft start app.ts", "spacecraft worker app.ts", "spacecraft build --static app.ts", "spacecraft preview" or "spacecraft deploy".',
    );
  });
});
