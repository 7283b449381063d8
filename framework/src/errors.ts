/**
 * An error whose message is meant for the person using the demo. Throw it from `fn` to show
 * the message in the page; any other error shows a generic message and is logged on the server.
 * @example throw new SpaceError("Please upload an image smaller than 10 MB.")
 */
export class SpaceError extends Error {
  override name = "SpaceError";
}

/** A mistake in a Space's declaration, reported when the declaration runs. */
export class DeclarationError extends Error {
  override name = "DeclarationError";
}

/** A model failed to load; the message says why and what to do. */
export class ModelLoadError extends Error {
  override name = "ModelLoadError";
}

/** The closest of `candidates` to `word` when it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
