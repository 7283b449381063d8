import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
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
