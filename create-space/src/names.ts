/** Names that npm refuses for a new package, whatever their spelling. */
const NPM_BLOCKLIST = new Set(["node_modules", "favicon.ico"]);

/**
 * Why `name` cannot be an npm package name (the rules of validate-npm-package-name for new
 * packages, unscoped). Empty when it can.
 */
export function npmNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0) return ["it is empty"];
  if (name.length > 214) problems.push("npm names are at most 214 characters");
  if (name !== name.toLowerCase()) problems.push("npm names can't contain capital letters");
  if (/^[._]/.test(name)) problems.push("npm names can't start with a dot or an underscore");
  if (name.trim() !== name || /\s/.test(name)) problems.push("npm names can't contain spaces");
  if (/[~'!()*]/.test(name) || encodeURIComponent(name.toLowerCase()) !== name.toLowerCase()) {
    problems.push("npm names can only contain URL-friendly characters (a-z, 0-9, - . _)");
  }
  if (NPM_BLOCKLIST.has(name.toLowerCase())) problems.push(`"${name}" is a reserved npm name`);
  return problems;
}

/**
 * Why `name` cannot be the name of a Space repository (the Hub's rules: 1–96 characters of
 * `A-Z a-z 0-9 - _ .`, no `-` or `.` at either end, no `--` or `..`, no `.git` at the end).
 */
export function spaceNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0) return ["it is empty"];
  if (name.length > 96) problems.push("Space names are at most 96 characters");
  if (/[^A-Za-z0-9._-]/.test(name)) problems.push("Space names may only use letters, digits, -, _ and .");
  if (/^[-.]|[-.]$/.test(name)) problems.push("Space names can't start or end with - or .");
  if (/--|\.\./.test(name)) problems.push("Space names can't contain -- or ..");
  if (/\.git$/i.test(name)) problems.push('Space names can\'t end with ".git"');
  return problems;
}

/** Problems with a project name as both an npm package and a Space name (no duplicates). */
export function projectNameProblems(name: string): string[] {
  return [...new Set([...npmNameProblems(name), ...spaceNameProblems(name)])];
}

/**
 * A valid project name close to `name`: lower case, other characters turned into `-`,
 * no leading dots or dashes, no runs of `-`/`.`, at most 96 characters.
 * @example toValidProjectName("My App!") // "my-app"
 */
export function toValidProjectName(name: string): string {
  const cleaned = name
    .trim()
    .toLowerCase()
    .replace(/\.git$/, "")
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/([-.])[-.]+/g, "$1")
    .replace(/^[-._]+|[-.]+$/g, "")
    .slice(0, 96)
    .replace(/[-.]+$/, "");
  return cleaned === "" || NPM_BLOCKLIST.has(cleaned) ? "my-space" : cleaned;
}

/** A Hub model id: `owner/name` by the Hub's repo-name rules. */
export function modelIdProblem(id: string): string | undefined {
  const parts = id.split("/");
  if (parts.length !== 2 || parts.some((part) => part === "")) {
    return `"${id}" is not a Hub model id: use owner/name, e.g. Xenova/distilbert-base-uncased-finetuned-sst-2-english.`;
  }
  for (const part of parts) {
    const problems = spaceNameProblems(part);
    if (problems.length > 0)
      return `"${id}" is not a Hub model id: ${problems[0]?.replace("Space", "repo")}.`;
  }
  return undefined;
}
