import { DeclarationError } from "./errors.js";
import type { FlaggingParts } from "./space.js";

/** The names of the flagging options `Interface` and `ChatInterface` take. */
export const flaggingOptionNames = ["flagging", "flaggingOptions", "flaggingDir"];

/** The options of a Space that flags runs (`Interface`, `ChatInterface`). */
export interface FlaggingOptions {
  /**
   * A Flag button under the outputs (`"manual"`), every successful run of the page flagged
   * (`"auto"`), or none (`"never"`, the default): flagged inputs and outputs go to
   * `<flaggingDir>/<apiName>.jsonl` on the server, their files to `<flaggingDir>/files/`.
   */
  flagging?: "manual" | "auto" | "never";
  /** Reasons a visitor picks from when flagging (e.g. `["Wrong", "Offensive"]`). */
  flaggingOptions?: readonly string[];
  /**
   * Where flagged runs are written, relative to the app's folder (default `flagged`);
   * `--flagging-dir` replaces it (a folder shared by replicas on several machines).
   */
  flaggingDir?: string;
}

/** The flagging options, checked; undefined when the Space flags nothing. */
export function checkFlagging(
  where: "Interface" | "ChatInterface",
  options: {
    flagging?: unknown;
    flaggingOptions?: unknown;
    flaggingDir?: unknown;
  },
): Omit<FlaggingParts, "endpoint"> | undefined {
  const mode = options.flagging ?? "never";
  if (mode !== "manual" && mode !== "auto" && mode !== "never") {
    throw new DeclarationError(
      `${where}: flagging must be "manual", "auto" or "never", not ${JSON.stringify(mode)}.`,
    );
  }
  const reasons = options.flaggingOptions ?? [];
  if (
    !Array.isArray(reasons) ||
    reasons.some((reason) => typeof reason !== "string" || reason.trim() === "" || reason.length > 200) ||
    new Set(reasons).size !== reasons.length
  ) {
    throw new DeclarationError(
      `${where}: flaggingOptions must be a list of different, non-empty strings of at most 200 characters, e.g. ["Wrong", "Offensive"].`,
    );
  }
  const dir = options.flaggingDir ?? "flagged";
  if (typeof dir !== "string" || dir.trim() === "") {
    throw new DeclarationError(`${where}: flaggingDir must be a folder path, e.g. "flagged".`);
  }
  if (mode === "never") {
    if (options.flaggingOptions !== undefined || options.flaggingDir !== undefined) {
      throw new DeclarationError(
        `${where}: flaggingOptions and flaggingDir need flagging: "manual" or "auto"; flagging is off by default.`,
      );
    }
    return undefined;
  }
  return { mode, options: [...reasons], dir };
}
