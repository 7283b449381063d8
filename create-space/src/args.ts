import { parseArgs } from "node:util";
import { SCAFFOLD_SDKS, SPACE_COLORS } from "spacecraft/space-card";
import { UsageError } from "./errors.js";
import { TEMPLATES } from "./templates.js";

/** The command line as given: only what was passed, so prompts can ask for the rest. */
export interface CliArgs {
  dir?: string;
  template?: string;
  model?: string;
  sdk?: string;
  title?: string;
  emoji?: string;
  colorFrom?: string;
  colorTo?: string;
  shortDescription?: string;
  license?: string;
  hubUrl?: string;
  install?: boolean;
  git?: boolean;
  overwrite?: boolean;
  interactive?: boolean;
  help?: boolean;
  version?: boolean;
}

const OPTIONS = {
  template: { type: "string", short: "t" },
  model: { type: "string", short: "m" },
  sdk: { type: "string" },
  title: { type: "string" },
  emoji: { type: "string" },
  "color-from": { type: "string" },
  "color-to": { type: "string" },
  "short-description": { type: "string" },
  license: { type: "string" },
  "hub-url": { type: "string" },
  install: { type: "boolean" },
  git: { type: "boolean" },
  overwrite: { type: "boolean" },
  interactive: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** Reads create-space's command line; a mistake throws a {@link UsageError} that says what to do. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; allowNegative: true }>
  >;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(-[^']+)'/.exec(message)?.[1];
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
      throw new UsageError(`Unknown option ${option}. Run "create-space --help" to see the options.`);
    }
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
      throw new UsageError(
        `${option.split(" ")[0]} needs a value. Run "create-space --help" to see the options.`,
      );
    }
    throw new UsageError(`${message} Run "create-space --help" to see the options.`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(
      `One project folder only, got ${positionals.map((word) => `"${word}"`).join(" and ")}. Quote a path that has spaces.`,
    );
  }
  const dir = positionals[0] === undefined ? undefined : formatTargetDir(positionals[0]);
  const args: CliArgs = {
    dir: dir === "" ? undefined : dir,
    template: values.template,
    model: values.model,
    sdk: values.sdk,
    title: values.title,
    emoji: values.emoji,
    colorFrom: values["color-from"],
    colorTo: values["color-to"],
    shortDescription: values["short-description"],
    license: values.license,
    hubUrl: values["hub-url"],
    install: values.install,
    git: values.git,
    overwrite: values.overwrite,
    interactive: values.yes ? false : values.interactive,
    help: values.help,
    version: values.version,
  };
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined)) as CliArgs;
}

/** A folder argument trimmed of spaces and trailing slashes (`my-app/` → `my-app`). */
export function formatTargetDir(dir: string): string {
  const trimmed = dir.trim();
  return trimmed === "/" ? trimmed : trimmed.replace(/[/\\]+$/, "");
}

/** The text of `create-space --help`. */
export function helpText(version: string): string {
  const templates = TEMPLATES.map((t) => `  ${t.name.padEnd(22)}${t.hint}`).join("\n");
  return `create-space ${version}: a Spacecraft demo, ready to run and to deploy as a Hugging Face Space.

Usage: create-space [DIRECTORY] [OPTIONS]
       npm create space@latest [DIRECTORY] -- [OPTIONS]

Asks what to build, which model, and where it runs when the terminal is interactive (and not CI).
Every question has an option below; without a terminal, or with --no-interactive, the options
and these defaults decide: folder my-space, --template hello, the template's model, --sdk static.

Options:
  -t, --template NAME         what to build (see the list below)
  -m, --model ID              a Hub model for the template's task (default: the template's own)
      --sdk static|docker     where the model runs: static = in the visitor's browser (free
                              static Space), docker = on a server (Docker Space, paid plan)
      --title TEXT            the Space's title (default: the template's)
      --emoji EMOJI           one emoji for the Space's card
      --color-from COLOR      card gradient: ${SPACE_COLORS.join(", ")}
      --color-to COLOR
      --short-description T   the card's line, at most 60 characters
      --license ID            a Hub licence id (default: the model's, else apache-2.0)
      --hub-url URL           the Hub that model checks ask (default: $HF_ENDPOINT or
                              https://huggingface.co); HF_TOKEN opens gated models
      --no-install            do not install dependencies
      --no-git                do not create a git repository
      --overwrite             empty a non-empty folder first (keeps .git)
      --no-interactive, -y    never ask; use the options and defaults
  -h, --help                  show this help
  -v, --version               show the version

Templates:
${templates}

SDKs: ${SCAFFOLD_SDKS.join(", ")}

Non-interactive example:
  npx create-space my-demo --template sentiment --sdk static --no-interactive
`;
}
