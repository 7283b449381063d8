/** Embedding and LM-head weights of a "next token is fixed" language model. */
export interface BigramWeights {
  hidden: number;
  embeddings: Float32Array;
  lmHead: Float32Array;
}

/** Logit given to the scripted next token; every other token gets 0. */
export const BIGRAM_LOGIT = 12;

/**
 * Weights for logits = onehot_state(token) · lmHead, where each token of `chain` (but the last) predicts
 * the token after it and every other token predicts `fallback`. State 0 is the fallback; state i is chain[i-1].
 */
export function bigramWeights(vocabSize: number, chain: readonly number[], fallback: number): BigramWeights {
  const hidden = roundUpTo(chain.length, 8);
  const embeddings = new Float32Array(vocabSize * hidden);
  const lmHead = new Float32Array(hidden * vocabSize);
  const stateOf = new Map(chain.slice(0, -1).map((token, index) => [token, index + 1]));
  for (let token = 0; token < vocabSize; token++) {
    embeddings[token * hidden + (stateOf.get(token) ?? 0)] = 1;
  }
  lmHead[fallback] = BIGRAM_LOGIT;
  for (const [token, state] of stateOf) {
    const next = chain[state];
    if (next === undefined) throw new Error(`Chain token ${token} has no successor.`);
    lmHead[state * vocabSize + next] = BIGRAM_LOGIT;
  }
  return { hidden, embeddings, lmHead };
}

function roundUpTo(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
