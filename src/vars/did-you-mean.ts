/**
 * "Did you mean" for typos in names the user wrote (variables, groups,
 * hosts, keywords, helpers). Shared by every layer that reports an unknown
 * name; it only suggests, it never decides anything.
 */

/**
 * Edit distance (insert, delete, substitute, swap two neighbours: the
 * optimal-string-alignment form of Damerau-Levenshtein, because "prot" for
 * "port" is one slip of the fingers, not two), case-sensitive.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many of `word`'s letters `candidate` also has (as a multiset): breaks ties between equally distant candidates. */
function sharedLetters(word: string, candidate: string): number {
  const pool = [...candidate.toLowerCase()];
  let n = 0;
  for (const c of word.toLowerCase()) {
    const i = pool.indexOf(c);
    if (i >= 0) {
      pool.splice(i, 1);
      n++;
    }
  }
  return n;
}

/**
 * The candidate closest to `word`, if it is close enough to be a plausible
 * typo: at most a third of the word's length (min 1, max 3) edits away, or
 * the same ignoring case. Between equally distant candidates, the one
 * sharing more of the word's letters wins ("taks" → "tasks", not "tags"),
 * then the first given.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDist = Infinity;
  let bestShared = -1;
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c);
    const shared = d < bestDist || d === bestDist ? sharedLetters(word, c) : 0;
    if (d < bestDist || (d === bestDist && shared > bestShared)) {
      best = c;
      bestDist = d;
      bestShared = shared;
    }
  }
  return bestDist <= limit ? best : undefined;
}

/** ` Did you mean "x"?` or the empty string: for appending to a detail. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : `Did you mean "${s}"?`;
}
