const MAX_WORD = 64;
// reused rows: edit distances are computed for many candidates in a row
let prev2 = new Array<number>(MAX_WORD + 2).fill(0);
let prev = new Array<number>(MAX_WORD + 2).fill(0);
let cur = new Array<number>(MAX_WORD + 2).fill(0);

/** Edit distance (Damerau-Levenshtein, optimal string alignment), giving up above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > MAX_WORD || b.length > MAX_WORD) return Math.max(a.length, b.length);
  const cols = b.length + 1;
  for (let j = 0; j < cols; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[cols - 1]!;
}

/**
 * The candidate nearest to `word`, when it is near enough to be a plausible typo:
 * case-insensitive equality, a distance of at most a third of the word (min 1, max 3),
 * or one being a prefix of the other (`instruction` -> `instructions`).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (typeof word !== 'string' || word.length === 0 || word.length > MAX_WORD) return undefined;
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate === word || candidate.length > MAX_WORD) continue;
    if (Math.abs(candidate.length - word.length) > 3) continue;
    const c = candidate.toLowerCase();
    let score: number;
    if (c === lower) score = 0;
    else {
      const d = editDistance(lower, c, limit);
      if (d <= limit) score = d;
      else if (lower.length >= 3 && (c.startsWith(lower) || lower.startsWith(c))) score = limit + 0.5;
      else continue;
    }
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
      if (score === 0) break;
    }
  }
  return best;
}

/** "did you mean `x`?" or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const best = closest(word, candidates);
  return best === undefined ? undefined : `did you mean \`${best}\`?`;
}
