// The suggestion a CLI makes for a mistyped flag or command: the closest known name within two
// edits (a swap of neighbours counts as one), or one the typed text begins.

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps, each one edit. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

const MAX_EDITS = 2;

/** The known name `typed` most likely meant, if any is close: fewest edits first, a name it begins before one it merely resembles. */
export function didYouMean(typed: string, known: Iterable<string>): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const name of known) {
    const edits = editDistance(typed, name);
    // Replacing every character of a one- or two-letter word is not a typo.
    const close = edits <= MAX_EDITS && edits < typed.length;
    const prefix = typed.length > 0 && name.startsWith(typed);
    if (!close && !prefix) continue;
    const score = prefix ? Math.min(edits, 0.5) : edits;
    if (!best || score < best.score) best = { name, score };
  }
  return best?.name;
}
