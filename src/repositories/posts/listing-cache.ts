// What a process remembers of the post listings (all posts, each user's, each author's own by status), so
// that a page stays one cheap query: where deep pages start, and each
// listing's total. Both hold only while posts_revision is unchanged, and are
// checked against it on every use, so every instance stays correct.
import { createPageCheckpoints } from './page-checkpoints.js';
import { scopeKey, type ListingScope, type PostQueries } from './queries.js';

/** Listings whose total is kept; past this many they are all forgotten at once. */
const MAX_KEPT_TOTALS = 10_000;

export function createListingCache(queries: PostQueries, checkpointInterval: number) {
  const checkpoints = createPageCheckpoints({
    interval: checkpointInterval,
    async revision() {
      const [row] = await queries.revision({});
      return String(row?.value);
    },
    async idAt(scope, checkpointId, offset) {
      const [row] = await queries.idAt({ ...scope, checkpointId }, 1, offset);
      return row?.id;
    },
  });

  /**
   * Counting a listing walks all of it (100,000 posts: about 20 µs on
   * SQLite, far more on PostgreSQL), and its result only changes with the
   * revision: each listing's total is kept with the revision it was counted at.
   */
  const totals = new Map<string, { revision: string; total: number }>();

  return {
    /** One page's rows; deep pages start from the nearest checkpoint. */
    async pageRows(scope: ListingScope, limit: number, skip: number) {
      const checkpoint = await checkpoints.before(scope, skip);
      if (checkpoint) {
        const rows = await queries.page({ ...scope, checkpointId: checkpoint.id }, limit, skip - checkpoint.position);
        // None: past the end, or the checkpoint post was deleted a moment ago. The plain walk tells which.
        if (rows.length > 0) return rows;
      }
      return queries.page(scope, limit, skip);
    },

    /** The listing's total; `revision` is what its page was read at (undefined: counted afresh). */
    async total(scope: ListingScope, revision: string | undefined): Promise<number> {
      const key = scopeKey(scope);
      const known = totals.get(key);
      if (known && known.revision === revision) return known.total;
      const [row] = await queries.count(scope);
      // PostgreSQL returns count(*) and bigint as strings.
      const total = Number(row?.total ?? 0);
      if (totals.size >= MAX_KEPT_TOTALS) totals.clear();
      totals.set(key, { revision: String(row?.revision), total });
      return total;
    },
  };
}
