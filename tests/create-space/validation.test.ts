import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { create, readProjectFile, tempDir } from "./helpers.js";

const temp = tempDir();
afterAll(() => temp.remove());
let count = 0;
/** A new empty folder to run create-space in. */
function cwd(): string {
  const dir = join(temp.dir, `run-${++count}`);
  mkdirSync(dir);
  return dir;
}

/** Runs create-space and expects a refusal that writes nothing. */
async function refuses(argv: string[], message: string | RegExp): Promise<string> {
  const dir = cwd();
  const result = await create([...argv, "--no-install", "--no-git"], dir);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(typeof message === "string" ? new RegExp(escape(message)) : message);
  expect(result.stderr).toMatch(/^Error: /);
  expect(readdirSync(dir)).toEqual([]);
  return result.stderr;
}
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("project names", () => {
  it.each([
    ["My App", 'The folder name "My App" can\'t name the project and its Space', 'Try "my-app"'],
    [".hidden", "npm names can't start with a dot or an underscore", 'Try "hidden"'],
    ["a--b", "Space names can't contain -- or ..", 'Try "a-b"'],
    ["demo.git", 'Space names can\'t end with ".git"', 'Try "demo"'],
    ["node_modules", '"node_modules" is a reserved npm name', 'Try "my-space"'],
    ["caf\u00e9", "npm names can only contain URL-friendly characters", 'Try "caf"'],
    ["x".repeat(97), "Space names are at most 96 characters", `Try "${"x".repeat(96)}"`],
  ])("refuses %j and suggests a valid name", async (name, problem, suggestion) => {
    const stderr = await refuses([name], problem);
    expect(stderr).toContain(suggestion);
  });

  it("takes the name of the current folder for '.'", async () => {
    const dir = join(cwd(), "dot-demo");
    mkdirSync(dir);
    const result = await create([".", "--no-install", "--no-git"], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(readProjectFile(dir, "package.json")).name).toBe("dot-demo");
    expect(result.stdout).not.toContain("cd ");
  });
});

describe("a non-empty folder", () => {
  it("is refused with the files it holds, and left alone", async () => {
    const dir = cwd();
    mkdirSync(join(dir, "taken"));
    writeFileSync(join(dir, "taken", "notes.txt"), "mine");
    const result = await create(["taken", "--no-install", "--no-git"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "Error: The folder taken is not empty (notes.txt). Choose a new or empty folder, or pass --overwrite to remove its files (.git is kept).\n",
    );
    expect(readdirSync(join(dir, "taken"))).toEqual(["notes.txt"]);
  });

  it("counts as empty when it holds only .git", async () => {
    const dir = cwd();
    mkdirSync(join(dir, "repo", ".git"), { recursive: true });
    const result = await create(["repo", "--no-install", "--no-git"], dir);
    expect(result.code).toBe(0);
  });

  it("is emptied with --overwrite, keeping .git", async () => {
    const dir = cwd();
    mkdirSync(join(dir, "taken", ".git"), { recursive: true });
    writeFileSync(join(dir, "taken", ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(dir, "taken", "notes.txt"), "mine");
    const result = await create(["taken", "--overwrite", "--no-install", "--no-git"], dir);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, "taken", "notes.txt"))).toBe(false);
    expect(readProjectFile(join(dir, "taken"), ".git/HEAD")).toBe("ref: refs/heads/main\n");
    expect(existsSync(join(dir, "taken", "app.ts"))).toBe(true);
  });

  it("is refused when the path is a file", async () => {
    const dir = cwd();
    writeFileSync(join(dir, "file"), "");
    const result = await create(["file", "--no-install", "--no-git"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is a file, not a folder. Choose another project folder.");
  });
});

describe("flags", () => {
  it.each([
    [["--emoji", "rocket"], '--emoji: "rocket" is not a single emoji. Give one emoji, e.g. --emoji 🚀.'],
    [["--emoji", "🚀🚀"], '--emoji: "🚀🚀" is not a single emoji.'],
    [["--license", "MIT"], '--license: "MIT" is not a licence id the Hub knows. Did you mean "mit"?'],
    [
      ["--license", "beerware"],
      '--license: "beerware" is not a licence id the Hub knows. Use e.g. apache-2.0',
    ],
    [["--license", "other"], "--license: other needs a license_name and a LICENSE file"],
    [["--sdk", "gradio"], '--sdk: "gradio" is not an SDK create-space makes. Use static'],
    [["--sdk", "streamlit"], '--sdk: "streamlit" is not an SDK create-space makes.'],
    [
      ["--template", "translation"],
      '--template: "translation" is not a template. Use one of: hello, sentiment, text-generation, chatbot,',
    ],
    [["--template", "sentimen"], 'Did you mean "sentiment"?'],
    [["--color-from", "teal"], '--color-from: "teal" is not a Space colour. Use one of red, yellow'],
    [["--color-to", "#ff0000"], '--color-to: "#ff0000" is not a Space colour.'],
    [
      ["--short-description", "x".repeat(61)],
      "--short-description: 61 characters is too long. The Hub allows 1 to 60.",
    ],
    [["--title", " "], "--title: the title is empty."],
    [["--model", "distilbert"], '--model: "distilbert" is not a Hub model id: use owner/name'],
    [["--model", "a/b/c"], '--model: "a/b/c" is not a Hub model id'],
    [
      ["--model", "Xenova/x", "--template", "hello"],
      "--model: the hello template has no model. Use a template with one: sentiment",
    ],
    [["--hub-url", "hub.local"], '--hub-url: "hub.local" is not a URL.'],
    [["--frobnicate"], 'Unknown option --frobnicate. Run "create-space --help" to see the options.'],
    [["--template"], "--template needs a value."],
    [["one", "two"], 'One project folder only, got "one" and "two".'],
  ])("refuses %j with a message that says what to do", async (argv, message) => {
    await refuses(argv[0] === "one" ? argv : ["demo", ...argv], message);
  });

  it("--help lists every option and template, and exits 0", async () => {
    const result = await create(["--help"], cwd());
    expect(result.code).toBe(0);
    for (const option of [
      "--template",
      "--model",
      "--sdk static|docker",
      "--title",
      "--emoji",
      "--color-from",
      "--color-to",
      "--short-description",
      "--license",
      "--hub-url",
      "--no-install",
      "--no-git",
      "--overwrite",
      "--no-interactive",
      "--help",
      "--version",
    ]) {
      expect(result.stdout).toContain(option);
    }
    for (const template of [
      "hello",
      "sentiment",
      "text-generation",
      "chatbot",
      "image-classification",
      "speech-recognition",
    ]) {
      expect(result.stdout).toContain(`  ${template} `);
    }
  });

  it("--version prints the version", async () => {
    const result = await create(["-v"], cwd());
    expect(result).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });
});

describe("without flags or a terminal", () => {
  it("makes the hello template in my-space as a static Space, with git, and says what to do next", async () => {
    const dir = cwd();
    const result = await create(["--no-install"], dir);
    expect(result.code).toBe(0);
    const project = join(dir, "my-space");
    expect(readdirSync(project).sort()).toEqual(
      [
        ".git",
        ".gitignore",
        ".npmrc",
        "README.md",
        "app.ts",
        "package.json",
        "tsconfig.json",
        "vendor",
      ].sort(),
    );
    expect(result.stdout).toContain("Created my-space: the hello template as a static Space (7 files).");
    expect(result.stdout).toContain("Created a git repository with a first commit.");
    expect(result.stdout).toContain("Next steps:\n  cd my-space\n  npm install\n  npm run dev\n");
    expect(result.stdout).toContain(
      "npx create-space@0.1.0 my-space --template hello --sdk static --license apache-2.0 --no-install --no-interactive",
    );
  });

  it("--no-git makes no repository", async () => {
    const dir = cwd();
    expect((await create(["plain", "--no-install", "--no-git"], dir)).code).toBe(0);
    expect(existsSync(join(dir, "plain", ".git"))).toBe(false);
  });
});

describe("next steps", () => {
  it("quote a path with spaces and use the package manager that ran create-space", async () => {
    const dir = cwd();
    mkdirSync(join(dir, "My Projects"));
    const result = await create(["My Projects/pnpm-demo", "--no-install", "--no-git"], dir, {
      ...process.env,
      HF_HUB_OFFLINE: "1",
      npm_config_user_agent: "pnpm/9.12.0 npm/? node/v20.20.2 linux x64",
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Next steps:\n  cd "My Projects/pnpm-demo"\n  pnpm install\n  pnpm dev\n',
    );
    expect(result.stdout).toContain("HF_TOKEN=hf_... pnpm deploy");
    expect(result.stdout).toContain("pnpm dlx create-space@0.1.0 'My Projects/pnpm-demo' --template hello");
  });
});
