import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join, resolve } from "node:path";
import { formatBytes } from "spacecraft/format";
import type { ScaffoldSdk, SpaceColor, SpaceFrontMatter } from "spacecraft/space-card";
import { ISOLATION_HEADERS, preloadList, validateFrontMatter, writeFrontMatter } from "spacecraft/space-card";
import { UsageError } from "./errors.js";
import type { ModelReport } from "./models.js";
import type { TemplateInfo, TemplateModel } from "./templates.js";
import { editApp, filesRoot, readTemplateModel, templatesRoot } from "./templates.js";
import type { SpacecraftPackage } from "./vendor.js";

/** Versions of the dev tools a new project lists, so `tsc --noEmit` type-checks app.ts. */
export const DEV_DEPENDENCIES: Readonly<Record<string, string>> = {
  "@types/node": "20.19.43",
  typescript: "7.0.2",
};
/** Entries a target folder may hold and still count as empty. */
const IGNORED_ENTRIES = new Set([".git", ".DS_Store", "Thumbs.db"]);
/** Template files that are never copied (leftovers of running a template in the monorepo). */
const NOT_COPIED = new Set(["node_modules", "dist", ".cache", "package.json", "README.md"]);

/** Everything a project is made from, after prompts, flags and the model check. */
export interface ProjectPlan {
  /** Absolute path of the project folder. */
  dir: string;
  /** npm package name and Space name (the folder's name). */
  name: string;
  template: TemplateInfo;
  /** The model the app runs (the template's own unless one was chosen). */
  model?: TemplateModel;
  sdk: ScaffoldSdk;
  title: string;
  emoji: string;
  colorFrom: SpaceColor;
  colorTo: SpaceColor;
  shortDescription: string;
  license: string;
  modelReport?: ModelReport;
  /** The command that recreates this project without prompts. */
  oneShot: string;
}

/** The files in a folder that make it non-empty (everything but `.git` and OS litter). */
export function conflictingEntries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) {
    throw new UsageError(`${dir} is a file, not a folder. Choose another project folder.`);
  }
  return readdirSync(dir).filter((entry) => !IGNORED_ENTRIES.has(entry));
}

/** The template's folder and its app.ts, as the single source of each template. */
export function readTemplate(name: string): { dir: string; app: string; model?: TemplateModel } {
  const dir = join(templatesRoot(), name);
  const app = readFileSync(join(dir, "app.ts"), "utf8");
  const model = readTemplateModel(app);
  return { dir, app, ...(model ? { model } : {}) };
}

/** The README front matter of a planned project. */
export function frontMatterOf(plan: ProjectPlan): SpaceFrontMatter {
  return {
    title: plan.title,
    emoji: plan.emoji,
    colorFrom: plan.colorFrom,
    colorTo: plan.colorTo,
    sdk: plan.sdk,
    ...(plan.sdk === "docker" ? { app_port: 7860 } : { app_file: "dist/index.html" }),
    pinned: false,
    license: plan.license,
    short_description: plan.shortDescription,
    ...(plan.model ? { models: [plan.model.id] } : {}),
    // The image then holds the model: a cold start downloads nothing.
    ...(plan.sdk === "docker" && plan.model && !plan.model.remote
      ? { preload_from_hub: preloadList([plan.model.id]) }
      : {}),
    ...(plan.sdk === "docker" ? { suggested_hardware: "cpu-basic" } : {}),
    ...(plan.sdk === "static" && plan.model ? { custom_headers: { ...ISOLATION_HEADERS } } : {}),
  };
}

/**
 * Writes the project: the template's app.ts (with the chosen model and title), package.json,
 * tsconfig.json, .gitignore, .npmrc, README.md with the Space front matter, the Dockerfile and
 * .dockerignore for a Docker Space, and the spacecraft tarball in vendor/. A non-empty folder is
 * emptied first (keeping .git); the caller has checked that this is wanted. Returns the files written.
 */
export async function writeProject(plan: ProjectPlan, spacecraft: SpacecraftPackage): Promise<string[]> {
  const frontMatter = frontMatterOf(plan);
  const problems = validateFrontMatter(frontMatter);
  if (problems.length > 0)
    throw new UsageError(`The Space's README would be refused by the Hub:\n- ${problems.join("\n- ")}`);
  const template = readTemplate(plan.template.name);
  const modelChanged = plan.model && template.model && plan.model.id !== template.model.id;

  mkdirSync(plan.dir, { recursive: true });
  for (const entry of conflictingEntries(plan.dir))
    rmSync(join(plan.dir, entry), { recursive: true, force: true });

  for (const entry of readdirSync(template.dir)) {
    if (NOT_COPIED.has(entry) || entry === "app.ts") continue;
    cpSync(join(template.dir, entry), join(plan.dir, entry), { recursive: true });
  }
  const appTitle = /^\s*title:\s*"((?:[^"\\]|\\.)*)"/m.exec(template.app)?.[1];
  writeFileSync(
    join(plan.dir, "app.ts"),
    editApp(template.app, {
      ...(modelChanged && plan.model ? { model: plan.model.id, description: describeModel(plan) } : {}),
      ...(plan.title !== appTitle ? { title: plan.title } : {}),
    }),
  );
  copyExtraFiles(join(filesRoot(), "common"), plan.dir);
  if (plan.sdk === "docker") copyExtraFiles(join(filesRoot(), "docker"), plan.dir);

  const tarball = await spacecraft.packInto(join(plan.dir, "vendor"));
  const templatePackage = JSON.parse(readFileSync(join(template.dir, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  const dependencies: Record<string, string> = { ...templatePackage.dependencies };
  dependencies.spacecraft = `file:vendor/${tarball}`;
  const transformers = spacecraft.peerDependencies["@huggingface/transformers"];
  if (plan.model && !plan.model.remote && transformers) {
    dependencies["@huggingface/transformers"] = transformers;
  }
  const packageJson = {
    name: plan.name,
    version: "0.1.0",
    private: true,
    type: "module",
    engines: { node: ">=20.19" },
    scripts: {
      ...templatePackage.scripts,
      dev: "spacecraft dev app.ts",
      start: "spacecraft start app.ts",
      build: "spacecraft build --static app.ts",
      deploy: "spacecraft deploy",
      typecheck: "tsc",
    },
    dependencies: sortKeys(dependencies),
    devDependencies: { ...DEV_DEPENDENCIES },
  };
  writeFileSync(join(plan.dir, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
  writeFileSync(join(plan.dir, "README.md"), readmeOf(plan, frontMatter, tarball));
  return listFiles(plan.dir);
}

/** Copies create-space's own files, renaming `_gitignore` to `.gitignore` and so on. */
function copyExtraFiles(from: string, to: string): void {
  for (const entry of readdirSync(from)) {
    const target = entry.startsWith("_") ? `.${entry.slice(1)}` : entry;
    cpSync(join(from, entry), join(to, target), { recursive: true });
  }
}

function describeModel(plan: ProjectPlan): string {
  const id = plan.model?.id ?? "";
  return `${plan.template.genericDescription} Model: [${id}](https://huggingface.co/${id}).`;
}

function readmeOf(plan: ProjectPlan, frontMatter: SpaceFrontMatter, tarball: string): string {
  const report = plan.modelReport;
  const model = plan.model;
  const lines = [
    writeFrontMatter(frontMatter),
    `# ${plan.emoji} ${plan.title}`,
    "",
    `${plan.shortDescription}. Made with Spacecraft from the \`${plan.template.name}\` template: edit \`app.ts\` to change it.`,
    "",
    "## Run it",
    "",
    "Node 20.19 or newer.",
    "",
    "```sh",
    "npm install",
    "npm run dev        # http://localhost:7860, restarts when you save app.ts",
    "```",
    "",
    "`npm start` serves it for production, `npm run typecheck` checks app.ts, and `npm run build` builds",
    "the static page into `dist/` (try it with `npx spacecraft preview`).",
    "",
  ];
  if (model?.remote) {
    lines.push(
      "## Model",
      "",
      `[${model.id}](https://huggingface.co/${model.id}) (${model.task}), run by Hugging Face`,
      "[Inference Providers](https://huggingface.co/docs/inference-providers): nothing to download, and each",
      "request is billed to the owner of the token (or to the organization `billTo` names in `app.ts`).",
      "",
      "The server needs a token with the “Make calls to Inference Providers” permission",
      "([create one](https://huggingface.co/settings/tokens)). On the Space, add it as the **`HF_TOKEN` secret**",
      "(Settings → Variables and secrets); on your machine, `HF_TOKEN=hf_... npm run dev`. It stays on the",
      "server: the page never sees it. A missing token, spent credits (402), rate limits (429) and a model",
      "still loading (503) are explained in the page.",
      "",
    );
  } else if (model) {
    const size =
      report?.sizeBytes !== undefined ? `, ${formatBytes(report.sizeBytes)} (${report.dtype})` : "";
    const license = report?.license ? `, licence ${report.license}` : "";
    lines.push(
      "## Model",
      "",
      `[${model.id}](https://huggingface.co/${model.id}) (${model.task}${license}${size}).`,
      plan.sdk === "static"
        ? "It runs in each visitor's browser with transformers.js (WebGPU when there is one, WASM otherwise), downloaded once and cached by the browser."
        : "It runs on the server with transformers.js. On the Space the image holds it (`preload_from_hub` above), so a cold start downloads nothing; on your machine it is downloaded to `$HF_HOME` the first time.",
      "",
    );
  }
  lines.push("## Deploy to Hugging Face", "", "```sh", "HF_TOKEN=hf_... npm run deploy", "```", "");
  if (plan.sdk === "static") {
    lines.push(
      "This is a **static** Space (`sdk: static`): `spacecraft deploy` builds the page into `dist/` and uploads",
      "it, and the Hub serves `dist/index.html`. Everything runs in the visitor's browser, so it is free to host.",
    );
  } else {
    lines.push(
      "This is a **Docker** Space (`sdk: docker`): the Hub builds the `Dockerfile` and runs the server on port",
      "7860 as user 1000. Creating a Docker Space needs a paid Hugging Face plan (PRO, Team or Enterprise);",
      model?.remote
        ? "it is the only kind that can hold the HF_TOKEN secret this model needs. Try the image locally:"
        : "a static Space is free (recreate the project with `--sdk static`). Try the image locally:",
      "",
      "```sh",
      `docker build -t ${plan.name} . && docker run -p 7860:7860${model?.remote ? " -e HF_TOKEN" : ""} ${plan.name}`,
      "```",
    );
  }
  lines.push(
    "",
    "## vendor/",
    "",
    `\`vendor/${tarball}\` is the Spacecraft framework, packed. Spacecraft is not on the npm registry yet,`,
    'so the project installs it from this file (`"spacecraft": "file:vendor/…"`); keep it in the repository,',
    "as the Space installs from it too.",
    "",
    "## Recreate this project",
    "",
    "```sh",
    plan.oneShot,
    "```",
    "",
  );
  return lines.join("\n");
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== ".git")
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

/** The project name a folder gives: its own name (the current folder's for "."). */
export function projectNameOf(dir: string): string {
  return basename(resolve(dir));
}
