import { execFileSync } from "node:child_process";
import { isAbsolute, relative, resolve } from "node:path";
import * as prompts from "@clack/prompts";
import { formatBytes } from "spacecraft/format";
import type { ScaffoldSdk, SpaceColor } from "spacecraft/space-card";
import { isEmoji, LICENSES, SCAFFOLD_SDKS, SHORT_DESCRIPTION_MAX, SPACE_COLORS } from "spacecraft/space-card";
import type { CliArgs } from "./args.js";
import { helpText, parseCliArgs } from "./args.js";
import { CancelledError, UsageError } from "./errors.js";
import { runInstall } from "./install.js";
import type { ModelReport } from "./models.js";
import {
  checkModel,
  defaultDtype,
  estimateBytes,
  ModelNotFoundError,
  spaceLicenseFromModel,
} from "./models.js";
import { modelIdProblem, projectNameProblems, toValidProjectName } from "./names.js";
import type { PackageManager } from "./package-manager.js";
import {
  cdCommand,
  commandLine,
  createCommand,
  detectPackageManager,
  installCommand,
  runCommand,
} from "./package-manager.js";
import type { ProjectPlan } from "./scaffold.js";
import { conflictingEntries, projectNameOf, readTemplate, writeProject } from "./scaffold.js";
import type { TemplateInfo, TemplateModel } from "./templates.js";
import { createSpaceRoot, createSpaceVersion, findTemplate, TEMPLATES } from "./templates.js";
import { findSpacecraft } from "./vendor.js";

/** Where create-space reads and writes: the process's, or a test's. */
export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** True when stdin and stdout are a terminal a person can answer in. */
  isTTY: boolean;
  out(text: string): void;
  err(text: string): void;
}

const DEFAULT_DIR = "my-space";
const DEFAULT_HUB = "https://huggingface.co";
const AGENT_VARIABLES = [
  "CLAUDECODE",
  "CLAUDE_CODE",
  "CURSOR_AGENT",
  "GEMINI_CLI",
  "AI_AGENT",
  "REPL_ID",
  "CODEX_SANDBOX",
];

/** Messages while creating: clack's in a terminal, plain lines otherwise. */
interface Reporter {
  info(text: string): void;
  warn(text: string): void;
  step(text: string): void;
}

/**
 * Runs create-space with `argv` (without node and the script) and returns the exit code:
 * 0 when the project was created (or help/version shown), 1 for a mistake, a refusal or a cancel.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let interactive = false;
  try {
    const args = parseCliArgs(argv);
    const version = createSpaceVersion();
    if (args.help || args.version) {
      io.out(args.help ? helpText(version) : `${version}\n`);
      return 0;
    }
    checkFlags(args);
    interactive = args.interactive ?? (io.isTTY && !isCI(io.env));
    const reporter = interactive ? clackReporter() : plainReporter(io);
    if (interactive) {
      prompts.intro(`create-space ${version}`);
      if (
        AGENT_VARIABLES.some((name) => io.env[name]) ||
        Object.keys(io.env).some((name) => name.startsWith("CODEX_"))
      ) {
        reporter.info(
          'To create in one go, run: create-space <DIRECTORY> --template <NAME> --no-interactive (see "create-space --help").',
        );
      }
    }
    const plan = await decide(args, io, interactive, reporter, version);
    return await create(plan, args, io, interactive, reporter);
  } catch (error) {
    if (error instanceof CancelledError) {
      if (interactive) prompts.cancel(error.message);
      else io.err(`${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError || error instanceof ModelNotFoundError) {
      if (interactive) prompts.cancel(error.message);
      else io.err(`Error: ${error.message}\n`);
      return 1;
    }
    io.err(
      `create-space failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

/** Checks every value given on the command line before anything is asked or written. */
export function checkFlags(args: CliArgs): void {
  if (args.template !== undefined) findTemplate(args.template);
  if (args.sdk !== undefined && !SCAFFOLD_SDKS.includes(args.sdk as ScaffoldSdk)) {
    throw new UsageError(
      `--sdk: "${args.sdk}" is not an SDK create-space makes. Use static (runs in the visitor's browser, free) or docker (runs on a server).`,
    );
  }
  if (args.model !== undefined) {
    const problem = modelIdProblem(args.model);
    if (problem) throw new UsageError(`--model: ${problem}`);
  }
  if (args.title !== undefined) {
    const problem = titleProblem(args.title);
    if (problem) throw new UsageError(`--title: ${problem}`);
  }
  if (args.emoji !== undefined && !isEmoji(args.emoji)) {
    throw new UsageError(`--emoji: "${args.emoji}" is not a single emoji. Give one emoji, e.g. --emoji 🚀.`);
  }
  for (const [flag, value] of [
    ["--color-from", args.colorFrom],
    ["--color-to", args.colorTo],
  ] as const) {
    if (value !== undefined && !SPACE_COLORS.includes(value as SpaceColor)) {
      throw new UsageError(
        `${flag}: "${value}" is not a Space colour. Use one of ${SPACE_COLORS.join(", ")}.`,
      );
    }
  }
  if (args.shortDescription !== undefined) {
    const length = [...args.shortDescription].length;
    if (length > SHORT_DESCRIPTION_MAX || args.shortDescription.trim() === "") {
      throw new UsageError(
        `--short-description: ${length === 0 ? "it is empty" : `${length} characters is too long`}. The Hub allows 1 to ${SHORT_DESCRIPTION_MAX}.`,
      );
    }
  }
  if (args.license !== undefined) {
    if (args.license === "other") {
      throw new UsageError(
        "--license: other needs a license_name and a LICENSE file, which create-space does not write. Use a licence id (e.g. apache-2.0, mit), then edit README.md.",
      );
    }
    if (!LICENSES.includes(args.license)) {
      const lower = args.license.toLowerCase();
      const hint = LICENSES.includes(lower) ? ` Did you mean "${lower}"?` : "";
      throw new UsageError(
        `--license: "${args.license}" is not a licence id the Hub knows.${hint} Use e.g. apache-2.0, mit or cc-by-4.0 (list: https://huggingface.co/docs/hub/repositories-licenses).`,
      );
    }
  }
  if (args.hubUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(args.hubUrl)) {
    throw new UsageError(`--hub-url: "${args.hubUrl}" is not a URL. Use e.g. https://huggingface.co.`);
  }
}

function titleProblem(title: string): string | undefined {
  if (title.trim() === "") return "the title is empty. Give the Space a title.";
  if (/[\r\n]/.test(title)) return "the title must fit on one line.";
  if ([...title].length > 80) return "the title is too long. Keep it under 80 characters.";
  return undefined;
}

function nameProblem(dir: string, cwd: string): string | undefined {
  const name = projectNameOf(resolve(cwd, dir));
  const problems = projectNameProblems(name);
  if (problems.length === 0) return undefined;
  return `The folder name "${name}" can't name the project and its Space: ${problems.join("; ")}. Try "${toValidProjectName(name)}".`;
}

/** Asks (or takes from the flags and defaults) everything the project is made from. */
async function decide(
  args: CliArgs,
  io: Io,
  interactive: boolean,
  reporter: Reporter,
  version: string,
): Promise<ProjectPlan> {
  const dir =
    args.dir ??
    (interactive
      ? answer(
          await prompts.text({
            message: "Project folder (its name is also the package and Space name):",
            placeholder: DEFAULT_DIR,
            defaultValue: DEFAULT_DIR,
            validate: (value) => (value ? nameProblem(value.trim(), io.cwd) : undefined),
          }),
        ).trim() || DEFAULT_DIR
      : DEFAULT_DIR);
  const problem = nameProblem(dir, io.cwd);
  if (problem) throw new UsageError(problem);
  const absolute = resolve(io.cwd, dir);
  const conflicts = conflictingEntries(absolute);
  if (conflicts.length > 0 && !args.overwrite) {
    const listed = `${conflicts.slice(0, 5).join(", ")}${conflicts.length > 5 ? `, and ${conflicts.length - 5} more` : ""}`;
    if (!interactive) {
      throw new UsageError(
        `The folder ${shownPath(absolute, io.cwd)} is not empty (${listed}). Choose a new or empty folder, or pass --overwrite to remove its files (.git is kept).`,
      );
    }
    const overwrite = answer(
      await prompts.confirm({
        message: `${shownPath(absolute, io.cwd)} is not empty (${listed}). Remove its files (keeping .git) and continue?`,
        initialValue: false,
      }),
    );
    if (!overwrite) throw new CancelledError();
  }

  const template =
    args.template !== undefined
      ? findTemplate(args.template)
      : interactive
        ? findTemplate(
            answer(
              await prompts.select({
                message: "What do you want to build?",
                options: TEMPLATES.map((t) => ({ value: t.name, label: t.label, hint: t.hint })),
                initialValue: "hello",
              }),
            ),
          )
        : findTemplate("hello");
  const templateModel = readTemplate(template.name).model;
  if (args.model !== undefined && !templateModel) {
    const withModels = TEMPLATES.filter((t) => t.models.length > 0).map((t) => t.name);
    throw new UsageError(
      `--model: the ${template.name} template has no model. Use a template with one: ${withModels.join(", ")}.`,
    );
  }

  // A remote model is whatever Inference Providers serve: no size to weigh, nothing to choose from.
  const remote = templateModel?.remote === true;
  let modelId = args.model ?? (templateModel && (remote || !interactive) ? templateModel.id : undefined);
  if (templateModel && modelId === undefined) modelId = await askModel(template, templateModel);
  if (remote && args.sdk === "static") {
    throw new UsageError(
      `--sdk static: the ${template.name} template calls Inference Providers with the Space's HF_TOKEN, ` +
        "which must stay on a server. Use --sdk docker.",
    );
  }
  const sdk: ScaffoldSdk =
    (args.sdk as ScaffoldSdk | undefined) ??
    (remote ? "docker" : undefined) ??
    (interactive
      ? answer(
          await prompts.select<ScaffoldSdk>({
            message: "Where should it run?",
            options: [
              {
                value: "static",
                label: "In the visitor's browser (free static Space)",
                hint: templateModel ? "the model downloads into each visitor's tab" : "no server at all",
              },
              {
                value: "docker",
                label: "On a server (Docker Space)",
                hint: "Node on the Hub's hardware; creating one needs a paid plan",
              },
            ],
            initialValue: "static",
          }),
        )
      : "static");

  let model: TemplateModel | undefined;
  let modelReport: ModelReport | undefined;
  if (templateModel?.remote && modelId) {
    model = { task: templateModel.task, id: modelId, remote: true };
  } else if (templateModel && modelId) {
    const hubUrl = (args.hubUrl ?? io.env.HF_ENDPOINT ?? DEFAULT_HUB).replace(/\/+$/, "");
    const offline = ["1", "true", "yes"].includes((io.env.HF_HUB_OFFLINE ?? "").toLowerCase());
    for (;;) {
      const spinner = interactive ? prompts.spinner() : undefined;
      spinner?.start(`Asking ${hubUrl} about ${modelId}`);
      try {
        modelReport = await checkModel({
          id: modelId,
          sdk,
          task: templateModel.task,
          hubUrl,
          offline,
          ...(templateModel.dtype ? { dtype: templateModel.dtype } : {}),
          ...(io.env.HF_TOKEN ? { token: io.env.HF_TOKEN } : {}),
        });
        spinner?.stop(modelReport.summary);
        break;
      } catch (error) {
        spinner?.error(`${modelId}: not found`);
        if (!(error instanceof ModelNotFoundError) || !interactive || args.model !== undefined) throw error;
        reporter.warn(error.message.replace(/^--model: /, ""));
        modelId = await askModelId(templateModel.task);
      }
    }
    if (!interactive) reporter.info(modelReport.summary);
    for (const warning of modelReport.warnings) reporter.warn(warning);
    model = {
      task: templateModel.task,
      id: modelId,
      ...(templateModel.dtype ? { dtype: templateModel.dtype } : {}),
    };
  }

  const appTitle =
    /^\s*title:\s*"((?:[^"\\]|\\.)*)"/m.exec(readTemplate(template.name).app)?.[1] ?? template.label;
  const title =
    args.title ??
    (interactive
      ? answer(
          await prompts.text({
            message: "Title of the Space:",
            placeholder: appTitle,
            defaultValue: appTitle,
            validate: (value) => (value ? titleProblem(value) : undefined),
          }),
        ).trim() || appTitle
      : appTitle);
  const emoji =
    args.emoji ??
    (interactive
      ? answer(
          await prompts.text({
            message: "Emoji for its card:",
            placeholder: template.emoji,
            defaultValue: template.emoji,
            validate: (value) =>
              value && !isEmoji(value.trim()) ? "One emoji, please (e.g. 🚀)." : undefined,
          }),
        ).trim() || template.emoji
      : template.emoji);

  const catalogued = template.models.find((choice) => choice.id === modelId);
  const license =
    args.license ??
    spaceLicenseFromModel(modelReport?.license) ??
    (modelReport?.status === "checked" ? undefined : spaceLicenseFromModel(catalogued?.license)) ??
    "apache-2.0";
  const plan: Omit<ProjectPlan, "oneShot"> = {
    dir: absolute,
    name: projectNameOf(absolute),
    template,
    ...(model ? { model } : {}),
    sdk,
    title,
    emoji,
    colorFrom: (args.colorFrom as SpaceColor | undefined) ?? template.colorFrom,
    colorTo: (args.colorTo as SpaceColor | undefined) ?? template.colorTo,
    shortDescription: args.shortDescription ?? template.shortDescription,
    license,
    ...(modelReport ? { modelReport } : {}),
  };
  const pm = detectPackageManager(io.env.npm_config_user_agent);
  return { ...plan, oneShot: oneShotCommand(plan, dir, args, appTitle, templateModel, pm, version) };
}

async function askModel(template: TemplateInfo, templateModel: TemplateModel): Promise<string> {
  const other = "\0other";
  const choice = answer(
    await prompts.select({
      message: `Which model? (${templateModel.task}; size in the browser / on a server)`,
      options: [
        ...template.models.map((m) => {
          const browser = formatBytes(
            estimateBytes(m.millionParams, defaultDtype("static", templateModel.dtype)),
          );
          const server = formatBytes(
            estimateBytes(m.millionParams, defaultDtype("docker", templateModel.dtype)),
          );
          return { value: m.id, label: m.id, hint: `${m.note} · ≈ ${browser} / ${server} · ${m.license}` };
        }),
        { value: other, label: "Another model on the Hub…", hint: "any transformers.js model id" },
      ],
      initialValue: templateModel.id,
    }),
  );
  return choice === other ? askModelId(templateModel.task) : choice;
}

async function askModelId(task: string): Promise<string> {
  return answer(
    await prompts.text({
      message: `Hub id of a ${task} model with ONNX weights (owner/name):`,
      placeholder: "onnx-community/…",
      validate: (value) => (value ? modelIdProblem(value.trim()) : "Type a model id, e.g. Xenova/…"),
    }),
  ).trim();
}

/** Writes the project, then git and install as asked, and prints the next steps. */
async function create(
  plan: ProjectPlan,
  args: CliArgs,
  io: Io,
  interactive: boolean,
  reporter: Reporter,
): Promise<number> {
  const spacecraft = findSpacecraft(createSpaceRoot());
  const spinner = interactive ? prompts.spinner() : undefined;
  spinner?.start(`Writing ${shownPath(plan.dir, io.cwd)}`);
  const files = await writeProject(plan, spacecraft);
  spinner?.stop(`Wrote ${files.length} files in ${shownPath(plan.dir, io.cwd)}`);
  if (!interactive) {
    reporter.step(
      `Created ${shownPath(plan.dir, io.cwd)}: the ${plan.template.name} template as a ${plan.sdk} Space${plan.model ? ` with ${plan.model.id}` : ""} (${files.length} files).`,
    );
  }
  if (args.git !== false) reporter.info(initGit(plan.dir));
  const pm = detectPackageManager(io.env.npm_config_user_agent);
  let installed = false;
  if (args.install !== false) {
    // The package manager's output is kept from the terminal (its warnings would tear through
    // the spinner) and shown only if the install fails.
    const installing = interactive ? prompts.spinner() : undefined;
    if (installing) installing.start(`Installing dependencies with ${pm.name}`);
    else reporter.step(`Installing dependencies with ${pm.name}…`);
    const result = await runInstall(pm, plan.dir, io.env);
    if (!result.ok) {
      installing?.error(`Installing dependencies with ${pm.name} failed (${result.why})`);
      const output = result.output.trim();
      if (output) io.err(`${pm.name} said:\n${output}\n\n`);
      io.err(
        `Error: installing with ${pm.name} failed (${result.why})${output ? "; its output is above" : ""}. The project is written: fix what ${pm.name} reports (often the network, a proxy or the Node version), then run "${commandLine(installCommand(pm))}" in ${shownPath(plan.dir, io.cwd)}.\n`,
      );
      return 1;
    }
    installing?.stop(`Installed dependencies with ${pm.name}`);
    installed = true;
  }
  const steps = [
    cdCommand(relative(io.cwd, plan.dir)),
    installed ? undefined : commandLine(installCommand(pm)),
    // A remote model is called with the token of whoever runs it.
    `${plan.model?.remote ? "HF_TOKEN=hf_... " : ""}${commandLine(runCommand(pm, "dev"))}`,
  ].filter((step): step is string => step !== undefined);
  const deploy = `HF_TOKEN=hf_... ${commandLine(runCommand(pm, "deploy"))}`;
  const next = [
    "Next steps:",
    ...steps.map((step) => `  ${step}`),
    "",
    `Deploy it as a ${plan.sdk === "static" ? "static Space (free)" : "Docker Space (paid plan)"}:`,
    `  ${deploy}`,
    ...(plan.model?.remote
      ? [
          "  then add HF_TOKEN as a secret in the Space's settings (Settings → Variables and secrets):",
          "  a token with the “Make calls to Inference Providers” permission, which pays for the model.",
        ]
      : []),
    "",
    "To recreate this project without prompts:",
    `  ${plan.oneShot}`,
  ].join("\n");
  if (interactive) {
    prompts.note(next, "Done");
    prompts.outro(`${plan.emoji} ${plan.title} is ready.`);
  } else {
    io.out(`\n${next}\n`);
  }
  return 0;
}

function initGit(dir: string): string {
  const git = (...gitArgs: string[]) =>
    execFileSync("git", gitArgs, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
      .toString()
      .trim();
  try {
    git("--version");
  } catch {
    return "git is not installed: no repository created.";
  }
  try {
    if (git("rev-parse", "--is-inside-work-tree") === "true")
      return "Already inside a git repository: none created.";
  } catch {
    // Not inside a repository: make one.
  }
  git("init", "-q");
  git("add", "-A");
  try {
    git("commit", "-q", "-m", "Initial commit from create-space");
    return "Created a git repository with a first commit.";
  } catch {
    return 'Created a git repository (no commit: set git\'s user.name and user.email, then "git commit").';
  }
}

/** The command line that makes the same project without a question. */
function oneShotCommand(
  plan: Omit<ProjectPlan, "oneShot">,
  dir: string,
  args: CliArgs,
  appTitle: string,
  templateModel: TemplateModel | undefined,
  pm: PackageManager,
  version: string,
): string {
  const words = [
    ...createCommand(pm, version),
    isAbsolute(dir) ? plan.name : dir,
    "--template",
    plan.template.name,
  ];
  if (plan.model && plan.model.id !== templateModel?.id) words.push("--model", plan.model.id);
  words.push("--sdk", plan.sdk);
  if (plan.title !== appTitle) words.push("--title", plan.title);
  if (plan.emoji !== plan.template.emoji) words.push("--emoji", plan.emoji);
  if (plan.colorFrom !== plan.template.colorFrom) words.push("--color-from", plan.colorFrom);
  if (plan.colorTo !== plan.template.colorTo) words.push("--color-to", plan.colorTo);
  if (plan.shortDescription !== plan.template.shortDescription) {
    words.push("--short-description", plan.shortDescription);
  }
  words.push("--license", plan.license);
  if (args.install === false) words.push("--no-install");
  if (args.git === false) words.push("--no-git");
  words.push("--no-interactive");
  return commandLine(words);
}

function answer<T>(value: T): Exclude<T, symbol> {
  if (prompts.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

function isCI(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI && env.CI !== "false" && env.CI !== "0");
}

function shownPath(dir: string, cwd: string): string {
  const shown = relative(cwd, dir);
  return shown === "" ? "." : shown.startsWith("..") ? dir : shown;
}

function clackReporter(): Reporter {
  return {
    info: (text) => prompts.log.info(text),
    warn: (text) => prompts.log.warn(text),
    step: (text) => prompts.log.step(text),
  };
}

function plainReporter(io: Io): Reporter {
  return {
    info: (text) => io.out(`${text}\n`),
    warn: (text) => io.err(`Warning: ${text}\n`),
    step: (text) => io.out(`${text}\n`),
  };
}
