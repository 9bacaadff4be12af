// When a provider's store last changed: the newest modification time of its SQLite file and
// write-ahead log. Providers report it with every answer so the operator can measure timeliness.

import { statSync } from 'node:fs';

export function storeUpdatedAt(file: string, cacheMs = 1_000): () => string {
  let checkedAt = 0;
  let value = new Date(0).toISOString();
  return () => {
    const now = Date.now();
    if (now - checkedAt < cacheMs) return value;
    checkedAt = now;
    const mtimes = [file, `${file}-wal`].map((f) => {
      try {
        return statSync(f).mtimeMs;
      } catch {
        return 0;
      }
    });
    value = new Date(Math.max(...mtimes)).toISOString();
    return value;
  };
}

/** The response extension a provider adds: `extensions.jointgraph.updatedAt`. */
export function providerExtension(updatedAt: () => string): { jointgraph: { updatedAt: string } } {
  return { jointgraph: { updatedAt: updatedAt() } };
}
