import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  LICENSES,
  readFrontMatter,
  SPACE_COLORS,
  validateFrontMatter,
  writeFrontMatter,
} from "spacecraft/space-card";
import { afterAll, describe, expect, it } from "vitest";
import { npmNameProblems, spaceNameProblems, toValidProjectName } from "../../create-space/src/names.js";
import {
  cdCommand,
  commandLine,
  createCommand,
  detectPackageManager,
  installCommand,
  runCommand,
} from "../../create-space/src/package-manager.js";
import { DEV_DEPENDENCIES } from "../../create-space/src/scaffold.js";
import { readTemplateModel, TEMPLATES } from "../../create-space/src/templates.js";
import { create, frontMatterOf, readProjectFile, root, tempDir } from "./helpers.js";

const temp = tempDir();
afterAll(() => temp.remove());

const valid = {
  title: "My Space",
  emoji: "🤗",
  colorFrom: "indigo",
  colorTo: "pink",
  sdk: "docker",
  app_port: 7860,
  pinned: false,
  license: "apache-2.0",
  short_description: "Text classification with transformers.js",
  models: ["Xenova/distilbert-base-uncased-finetuned-sst-2-english"],
  suggested_hardware: "cpu-basic",
};

describe("validateFrontMatter", () => {
  it("accepts the reference example", () => {
    expect(validateFrontMatter(valid)).toEqual([]);
  });

  it("accepts a static Space with COOP/COEP headers", () => {
    const { app_port: _, suggested_hardware: __, ...rest } = valid;
    expect(
      validateFrontMatter({
        ...rest,
        sdk: "static",
        app_file: "dist/index.html",
        custom_headers: {
          "cross-origin-embedder-policy": "require-corp",
          "cross-origin-opener-policy": "same-origin",
          "cross-origin-resource-policy": "cross-origin",
        },
      }),
    ).toEqual([]);
  });

  it.each([
    [{ title: undefined }, "title: give the Space a title (text)."],
    [{ emoji: "hug" }, 'emoji: "hug" is not a single emoji. Use one emoji, e.g. 🚀.'],
    [
      { colorFrom: "#ff0000" },
      'colorFrom: "#ff0000" is not a Space colour. Use one of red, yellow, green, blue, indigo, purple, pink, gray.',
    ],
    [{ colorTo: "Blue" }, 'colorTo: "Blue" is not a Space colour.'],
    [{ sdk: "streamlit" }, "sdk: streamlit is deprecated on the Hub. Use static or docker."],
    [{ sdk: "node" }, 'sdk: "node" is not a Space SDK.'],
    [{ app_port: "7860" }, 'app_port: "7860" is not a port.'],
    [{ app_port: 70000 }, "app_port: 70000 is not a port."],
    [{ app_file: "/index.html" }, 'app_file: "/index.html" must be a path inside the repo'],
    [
      { short_description: "x".repeat(61) },
      "short_description: 61 characters is too long. The Hub allows 60.",
    ],
    [{ license: "Apache 2.0" }, 'license: "Apache 2.0" is not a licence id the Hub knows.'],
    [{ license: "other" }, "license: other needs license_name (and a LICENSE file)."],
    [{ models: "Xenova/x" }, "models: must be a list of text"],
    [{ models: ["not a model"] }, 'models: "not a model" is not a Hub id. Use owner/name.'],
    [{ preload_from_hub: "Xenova/x" }, 'preload_from_hub: "Xenova/x" is not a repo to preload.'],
    [
      { preload_from_hub: ["Xenova/x onnx/model.onnx main"] },
      'preload_from_hub: "Xenova/x onnx/model.onnx main" is not a repo to preload. Use a list of "owner/name"',
    ],
    [{ pinned: "no" }, "pinned: must be true or false."],
    [{ header: "big" }, 'header: "big" is not allowed. Use mini or default.'],
    [{ suggested_hardware: "h100" }, 'suggested_hardware: "h100" is not a Space hardware flavour.'],
    [{ custom_headers: { "X-Frame-Options": "deny" } }, 'custom_headers: "X-Frame-Options" is not allowed.'],
    [
      { custom_headers: { "cross-origin-opener-policy": "Same-Origin" } },
      'custom_headers: cross-origin-opener-policy: "Same-Origin" is not allowed. Use one of same-origin',
    ],
  ])("names the key and the fix for %j", (change, message) => {
    const problems = validateFrontMatter({ ...valid, ...change });
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  it("accepts preload_from_hub entries as the Hub documents them", () => {
    const preload_from_hub = [
      "Xenova/distilbert-base-uncased-finetuned-sst-2-english",
      "Xenova/vit-base-patch16-224 config.json,onnx/model_quantized.onnx",
      `openai/whisper-base config.json ${"a".repeat(40)}`,
    ];
    expect(validateFrontMatter({ ...valid, preload_from_hub })).toEqual([]);
  });

  it("lists every problem at once", () => {
    expect(validateFrontMatter({ ...valid, colorFrom: "teal", colorTo: "cyan", emoji: "x" })).toHaveLength(3);
    expect(validateFrontMatter("title: x")).toEqual([
      "The front matter must be a YAML mapping of keys to values (title: …, sdk: …).",
    ]);
  });

  it("counts short_description in characters, not UTF-16 units", () => {
    expect(validateFrontMatter({ ...valid, short_description: "🚀".repeat(60) })).toEqual([]);
  });

  it("knows the reference's colours and licences", () => {
    expect(SPACE_COLORS).toEqual(["red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"]);
    expect(LICENSES).toHaveLength(83);
    expect(LICENSES).toContain("llama3.2");
  });

  it("writes front matter that reads back the same", () => {
    const { sdk: _, ...rest } = valid;
    const frontMatter = {
      ...rest,
      sdk: "docker" as const,
      colorFrom: "indigo" as const,
      colorTo: "pink" as const,
    };
    expect(readFrontMatter(`${writeFrontMatter(frontMatter)}\n# Body\n`)).toEqual(frontMatter);
    expect(() => readFrontMatter("# no front matter")).toThrow("README.md has no front matter");
  });
});

const modelOf = (name: string) =>
  readTemplateModel(readFileSync(join(root, "templates", name, "app.ts"), "utf8"));

describe("every template's README", () => {
  // A model run by Inference Providers needs the server's HF_TOKEN: Docker only (checked below).
  const cases = TEMPLATES.flatMap((template) =>
    (modelOf(template.name)?.remote ? (["docker"] as const) : (["static", "docker"] as const)).map(
      (sdk) => [template.name, sdk] as const,
    ),
  );
  it.each(cases)("%s as %s has front matter the Hub accepts", async (name, sdk) => {
    const project = join(temp.dir, `${name}-${sdk}`);
    const result = await create(
      [project, "--template", name, "--sdk", sdk, "--no-install", "--no-git"],
      temp.dir,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const frontMatter = frontMatterOf(project);
    expect(validateFrontMatter(frontMatter)).toEqual([]);
    const template = TEMPLATES.find((t) => t.name === name);
    const model = modelOf(name);
    expect(frontMatter).toMatchObject({
      emoji: template?.emoji,
      colorFrom: template?.colorFrom,
      colorTo: template?.colorTo,
      sdk,
      pinned: false,
      license: "apache-2.0",
      short_description: template?.shortDescription,
    });
    expect(frontMatter.models).toEqual(model ? [model.id] : undefined);
    if (sdk === "docker") {
      expect(frontMatter).toMatchObject({ app_port: 7860, suggested_hardware: "cpu-basic" });
      // The image holds a local model, so a cold start downloads nothing; a remote one has nothing to hold.
      expect(frontMatter.preload_from_hub).toEqual(model && !model.remote ? [model.id] : undefined);
      expect(frontMatter.app_file).toBeUndefined();
      expect(frontMatter.custom_headers).toBeUndefined();
    } else {
      expect(frontMatter.app_file).toBe("dist/index.html");
      expect(frontMatter.app_port).toBeUndefined();
      expect(frontMatter.preload_from_hub).toBeUndefined();
      expect(frontMatter.custom_headers).toEqual(
        model
          ? { "cross-origin-embedder-policy": "require-corp", "cross-origin-opener-policy": "same-origin" }
          : undefined,
      );
    }
    const files = readdirSync(project);
    expect(files.includes("Dockerfile")).toBe(sdk === "docker");
    expect(files.includes(".dockerignore")).toBe(sdk === "docker");
    // app.ts is the template's own, unchanged.
    expect(readProjectFile(project, "app.ts")).toBe(
      readFileSync(join(root, "templates", name, "app.ts"), "utf8"),
    );
  });
});

describe("a template whose model Inference Providers run", () => {
  it.each(["chat-inference", "text-to-image"])(
    "%s is a Docker Space without transformers.js, its README saying where HF_TOKEN goes",
    async (name) => {
      const refused = await create(
        [join(temp.dir, `${name}-static`), "--template", name, "--sdk", "static", "--no-install", "--no-git"],
        temp.dir,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `--sdk static: the ${name} template calls Inference Providers with the Space's HF_TOKEN, which must stay on a server. Use --sdk docker.`,
      );
      const project = join(temp.dir, `${name}-default`);
      const result = await create([project, "--template", name, "--no-install", "--no-git"], temp.dir);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(frontMatterOf(project)).toMatchObject({ sdk: "docker", models: [modelOf(name)?.id] });
      // The next steps run it with a token and say where the Space keeps its own.
      expect(result.stdout).toContain("HF_TOKEN=hf_... npm run dev");
      expect(result.stdout).toContain("then add HF_TOKEN as a secret in the Space's settings");
      const { dependencies } = JSON.parse(readProjectFile(project, "package.json"));
      expect(Object.keys(dependencies)).toEqual(["spacecraft"]);
      const readme = readProjectFile(project, "README.md");
      expect(readme).toContain("add it as the **`HF_TOKEN` secret**");
      expect(readme).toContain("--sdk docker");
    },
  );

  it("takes another model with --model, without asking the Hub (the providers serve it)", async () => {
    const project = join(temp.dir, "chat-other-model");
    const result = await create(
      [project, "--template", "chat-inference", "--model", "Qwen/Qwen3-32B", "--no-install", "--no-git"],
      temp.dir,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(readProjectFile(project, "app.ts")).toContain('sc.inference("chat-completion", "Qwen/Qwen3-32B")');
    expect(frontMatterOf(project).models).toEqual(["Qwen/Qwen3-32B"]);
  });
});

describe("the generated project", () => {
  it("has package.json, tsconfig, .gitignore, .npmrc and the vendored spacecraft", async () => {
    const project = join(temp.dir, "files-check");
    expect(
      (await create([project, "--template", "sentiment", "--no-install", "--no-git"], temp.dir)).code,
    ).toBe(0);
    const version = JSON.parse(readFileSync(join(root, "framework/package.json"), "utf8")).version;
    const pkg = JSON.parse(readProjectFile(project, "package.json"));
    expect(pkg).toEqual({
      name: "files-check",
      version: "0.1.0",
      private: true,
      type: "module",
      engines: { node: ">=20.19" },
      scripts: {
        dev: "spacecraft dev app.ts",
        start: "spacecraft start app.ts",
        build: "spacecraft build --static app.ts",
        deploy: "spacecraft deploy",
        typecheck: "tsc",
      },
      dependencies: {
        "@huggingface/transformers": "4.3.2",
        spacecraft: `file:vendor/spacecraft-${version}.tgz`,
      },
      devDependencies: DEV_DEPENDENCIES,
    });
    expect(existsSync(join(project, "vendor", `spacecraft-${version}.tgz`))).toBe(true);
    const tsconfig = JSON.parse(readProjectFile(project, "tsconfig.json"));
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: "NodeNext", types: ["node"] });
    expect(readProjectFile(project, ".gitignore").split("\n")).toEqual(
      expect.arrayContaining(["node_modules", "dist", ".env"]),
    );
    expect(readProjectFile(project, ".gitignore")).not.toContain("vendor");
    expect(readProjectFile(project, ".npmrc")).toContain("onnxruntime-node-install=skip");
    const readme = readProjectFile(project, "README.md");
    expect(readme).toContain("npm run dev");
    expect(readme).toContain("HF_TOKEN=hf_... npm run deploy");
    expect(readme).toContain(
      "## Recreate this project\n\n```sh\nnpx create-space@0.1.0 " +
        `files-check --template sentiment --sdk static --license apache-2.0 --no-install --no-git --no-interactive\n\`\`\``,
    );
  });

  it("lists the dev tools at the monorepo's versions", () => {
    const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    for (const [name, version] of Object.entries(DEV_DEPENDENCIES)) {
      expect(rootPackage.devDependencies[name]).toBe(version);
    }
  });

  it("has a hello without @huggingface/transformers", async () => {
    const project = join(temp.dir, "no-model");
    expect((await create([project, "--no-install", "--no-git"], temp.dir)).code).toBe(0);
    expect(Object.keys(JSON.parse(readProjectFile(project, "package.json")).dependencies)).toEqual([
      "spacecraft",
    ]);
  });

  it("for docker, runs as uid 1000 on 0.0.0.0:7860 with a writable model cache", async () => {
    const project = join(temp.dir, "docker-check");
    expect(
      (
        await create(
          [project, "--template", "image-classification", "--sdk", "docker", "--no-install", "--no-git"],
          temp.dir,
        )
      ).code,
    ).toBe(0);
    const dockerfile = readProjectFile(project, "Dockerfile");
    expect(dockerfile).toMatch(/^FROM node:22-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain("HF_HOME=/home/node/.cache/huggingface");
    expect(dockerfile).toContain("COPY --chown=node:node vendor ./vendor");
    expect(dockerfile).toMatch(/^EXPOSE 7860$/m);
    expect(dockerfile).toContain('"--host", "0.0.0.0", "--port", "7860"');
    expect(dockerfile.indexOf("USER node")).toBeLessThan(dockerfile.indexOf("RUN if"));
    expect(readProjectFile(project, ".dockerignore").split("\n")).toEqual(
      expect.arrayContaining(["node_modules", "dist", ".git", ".env"]),
    );
    expect(readProjectFile(project, "README.md")).toContain(
      "docker build -t docker-check . && docker run -p 7860:7860 docker-check",
    );
  });

  it("takes --title, --emoji, --color-from, --color-to, --short-description and --license", async () => {
    const project = join(temp.dir, "custom");
    const result = await create(
      [
        project,
        "--template",
        "text-generation",
        "--title",
        'Story "time"',
        "--emoji",
        "🦄",
        "--color-from",
        "red",
        "--color-to",
        "gray",
        "--short-description",
        "Stories from a small model",
        "--license",
        "mit",
        "--no-install",
        "--no-git",
      ],
      temp.dir,
    );
    expect(result.code).toBe(0);
    expect(frontMatterOf(project)).toMatchObject({
      title: 'Story "time"',
      emoji: "🦄",
      colorFrom: "red",
      colorTo: "gray",
      short_description: "Stories from a small model",
      license: "mit",
    });
    expect(readProjectFile(project, "app.ts")).toContain('title: "Story \\"time\\"",');
    expect(result.stdout).toContain(
      `--template text-generation --sdk static --title 'Story "time"' --emoji '🦄' --color-from red --color-to gray --short-description 'Stories from a small model' --license mit`,
    );
  });

  it("puts the --model in app.ts and the front matter", async () => {
    const project = join(temp.dir, "other-model");
    const result = await create(
      [
        project,
        "--template",
        "image-classification",
        "--model",
        "Xenova/resnet-50",
        "--no-install",
        "--no-git",
      ],
      temp.dir,
    );
    expect(result.code).toBe(0);
    const app = readProjectFile(project, "app.ts");
    expect(app).toContain('sc.pipeline("image-classification", "Xenova/resnet-50")');
    expect(app).not.toContain("vit-base");
    expect(app).toContain("Model: [Xenova/resnet-50](https://huggingface.co/Xenova/resnet-50).");
    expect(frontMatterOf(project).models).toEqual(["Xenova/resnet-50"]);
    expect(result.stdout).toContain("--template image-classification --model Xenova/resnet-50 --sdk static");
  });
});

describe("names", () => {
  it("accept what npm and the Hub both accept", () => {
    for (const name of ["my-space", "demo.v2", "a_b", "x1"]) {
      expect([...npmNameProblems(name), ...spaceNameProblems(name)]).toEqual([]);
    }
  });

  it("suggest a valid name", () => {
    expect(toValidProjectName("My Cool App!")).toBe("my-cool-app");
    expect(toValidProjectName("__init__")).toBe("init__");
    expect(toValidProjectName("...")).toBe("my-space");
    expect(toValidProjectName("a..b--c")).toBe("a.b-c");
  });
});

describe("package managers", () => {
  it.each([
    [undefined, "npm install", "npm run dev", "npx create-space@1.0.0"],
    ["npm/11.19.1 node/v20.20.2 linux x64", "npm install", "npm run dev", "npx create-space@1.0.0"],
    ["pnpm/9.1.0 npm/? node/v20", "pnpm install", "pnpm dev", "pnpm dlx create-space@1.0.0"],
    ["yarn/1.22.22 npm/? node/v20", "yarn", "yarn dev", "yarn create space"],
    ["yarn/4.5.0 npm/? node/v20", "yarn", "yarn dev", "yarn dlx create-space@1.0.0"],
    ["bun/1.1.0 npm/? node/v20", "bun install", "bun run dev", "bunx create-space@1.0.0"],
    ["deno/2.0.0 npm/? deno/2.0.0", "deno install", "deno task dev", "deno run -A npm:create-space@1.0.0"],
  ])("reads %s", (agent, install, dev, createWith) => {
    const pm = detectPackageManager(agent);
    expect(commandLine(installCommand(pm))).toBe(install);
    expect(commandLine(runCommand(pm, "dev"))).toBe(dev);
    expect(commandLine(createCommand(pm, "1.0.0"))).toBe(createWith);
  });

  it("quotes cd paths with spaces", () => {
    expect(cdCommand("my-app")).toBe("cd my-app");
    expect(cdCommand("")).toBeUndefined();
    expect(cdCommand("My App")).toBe('cd "My App"');
    expect(cdCommand('a "b"')).toBe('cd "a \\"b\\""');
  });
});
