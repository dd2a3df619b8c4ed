// Values built at a posts_revision (the counter that moves on every change
// to what a listing shows), kept until it moves. Requests that miss together
// share one build (no stampede after a change); a failed build is not kept.
// At most `max` keys, the one used longest ago dropped first.

export function createRevisionCache<Value>(max: number) {
  const kept = new Map<string, { revision: string; value: Promise<Value> }>();
  return function cached(key: string, revision: string, build: () => Promise<Value>): Promise<Value> {
    const known = kept.get(key);
    kept.delete(key);
    // Built from what was read after `revision`: if the posts moved meanwhile, the next request sees a newer one.
    const entry = known?.revision === revision ? known : { revision, value: build() };
    kept.set(key, entry);
    entry.value.catch(() => {
      if (kept.get(key) === entry) kept.delete(key);
    });
    const oldest = kept.keys().next();
    if (kept.size > max && !oldest.done) kept.delete(oldest.value);
    return entry.value;
  };
}

export type RevisionCache<Value> = ReturnType<typeof createRevisionCache<Value>>;
