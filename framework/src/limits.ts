/** Deepest nesting accepted in a value a client sends (arrays and objects). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests deeper than `max` levels. Iterative, so a hostile value
 * cannot overflow the stack while it is being checked.
 */
export function nestedTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    if (depth >= max) return true;
    for (const item of Array.isArray(current) ? current : Object.values(current)) {
      if (item !== null && typeof item === "object") stack.push([item, depth + 1]);
    }
  }
  return false;
}

/** What a client is told when its value nests too deep. */
export const TOO_DEEP = `it nests deeper than ${MAX_JSON_DEPTH} levels`;
