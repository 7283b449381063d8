/** Keyword names of an endpoint's inputs, from their labels: snake_case, unique, else `param_N`. */
export function parameterNames(labels: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  return labels.map((label, i) => {
    const base =
      (label ?? "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "")
        .replace(/^(\d)/, "_$1") || `param_${i}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}
