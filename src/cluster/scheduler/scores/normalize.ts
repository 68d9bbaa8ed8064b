// Score normalization helpers shared by the score plugins (framework/plugins/helper/normalize_score.go).
export const MAX_NODE_SCORE = 100

/** Scale to 0-100 by the highest score; with reverse, the highest becomes 0 and zero becomes 100. */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  const max = Math.max(0, ...scores)
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE)
    return
  }
  for (let i = 0; i < scores.length; i++) {
    const scaled = Math.floor((MAX_NODE_SCORE * scores[i]) / max)
    scores[i] = reverse ? MAX_NODE_SCORE - scaled : scaled
  }
}

/** Min-max scaling to 0-100, for raw scores that may be negative (inter-pod affinity). */
export function minMaxNormalize(scores: number[]): void {
  if (scores.length === 0) return
  const min = Math.min(...scores)
  const diff = Math.max(...scores) - min
  for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.floor((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0
}
