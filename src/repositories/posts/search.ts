// Full-text search of the published posts (index: migration 0007). The
// order is one both engines compute alike: the posts with every word in the
// title first, then the others, each group newest first (date_posted desc,
// then id desc). No relevance score is computed: a page is two ordered walks,
// one per group. Totals and each page's ids are kept per posts_revision
// (which moves on every change to a published post), so a search asked
// again, or by many readers at once, costs one walk in all.
//
// The engines differ only in `matchText` (FTS5 MATCH or tsquery text, built
// from the parsed words, which hold letters and digits only) and `matches`
// (the SQL that applies it); the text always travels as a parameter.
import { sql, type Compilable, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/database.js';
import { dialectOf, type DialectName } from '../../db/dialect.js';
import { prepareQuery, type Placeholders } from '../../db/prepared.js';
import { createRevisionCache } from '../../shared/revision-cache.js';
import type { SearchTerm } from '../../shared/search-terms.js';
import { isListed, postsWithAuthor, toPost, type PostWithAuthor } from './queries.js';

/** The posts a search walk goes through: every word anywhere, every word in the title, or the former but not the latter. */
type Group = 'all' | 'title' | 'rest';

export function matchText(dialect: DialectName, terms: readonly SearchTerm[], group: Group): string {
  if (dialect === 'sqlite') {
    const every = terms.map((term) => `"${term.word}"${term.prefix ? '*' : ''}`).join(' AND ');
    const inTitle = `{title} : (${every})`;
    return group === 'all' ? every : group === 'title' ? inTitle : `(${every}) NOT (${inTitle})`;
  }
  const lexemes = (weight: string) =>
    terms.map((term) => `'${term.word}':${term.prefix ? '*' : ''}${weight}`).join(' & ');
  const every = lexemes('');
  const inTitle = lexemes('A');
  return group === 'all' ? every : group === 'title' ? inTitle : `(${every}) & !(${inTitle})`;
}

/**
 * How a walk finds its posts on SQLite: along the posts' date index, asking
 * the search index about each post ('walk': cheap when matches are dense),
 * or from the search index's matches, then sorted ('sort': cheap when they
 * are few). PostgreSQL's planner makes this choice itself from its statistics.
 */
type Plan = 'walk' | 'sort';

function matches(dialect: DialectName, plan: Plan, match: string): RawBuilder<SqlBool> {
  if (dialect === 'postgres') return sql<SqlBool>`posts.search @@ to_tsquery('simple', ${match})`;
  return plan === 'walk'
    ? sql<SqlBool>`exists (select 1 from posts_search where posts_search match ${match} and posts_search.rowid = posts.id)`
    : sql<SqlBool>`posts.id in (select rowid from posts_search where posts_search match ${match})`;
}

/** Matches counted among listed posts only (published, author not suspended): the SQLite index holds no others. */
function countMatches(db: DB, match: string): Compilable<{ total: number | string }> {
  const query =
    dialectOf(db) === 'postgres'
      ? sql<{ total: number | string }>`select count(*) as total from posts
        where status = 'published' and author_suspended = 0 and search @@ to_tsquery('simple', ${match})`
      : sql<{ total: number | string }>`select count(*) as total from posts_search where posts_search match ${match}`;
  return { compile: () => query.compile(db) };
}

/**
 * A walk on SQLite visits about (skip + limit) * published / matches posts,
 * each costing a look-up in the search index; sorting costs about one row
 * read per match. Measured on the bench set (100,000 posts, a word in 66% of
 * them): a look-up about 100 µs, a sorted match about 5 µs.
 */
const WALK_COST = 20;

/** Totals and pages kept; past this many, the one used longest ago is dropped. */
const MAX_KEPT_TOTALS = 1_000;
const MAX_KEPT_PAGES = 1_000;

export function createPostSearch(db: DB) {
  const dialect = dialectOf(db);
  type Name = 'match' | 'limit' | 'skip';
  const walkOf = (plan: Plan) =>
    prepareQuery(db, ['match', 'limit', 'skip'], (p: Placeholders<Name>) =>
      db
        .selectFrom('posts')
        .select('posts.id')
        .where(isListed)
        .where(matches(dialect, plan, p.match))
        .orderBy('posts.date_posted', 'desc')
        .orderBy('posts.id', 'desc')
        .limit(p.limit)
        .offset(p.skip),
    );
  const walks: Record<Plan, ReturnType<typeof walkOf>> = { walk: walkOf('walk'), sort: walkOf('sort') };
  const count = prepareQuery(db, ['match'], (p: Placeholders<'match'>) => countMatches(db, p.match));
  const revision = prepareQuery(db, [], () =>
    db.selectFrom('posts_revision').select('value').where('posts_revision.id', '=', 1),
  );
  const published = prepareQuery(db, [], () =>
    db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .where(isListed),
  );

  // Counting a common word's matches reads every one of them: kept until the posts change.
  const totals = createRevisionCache<number>(MAX_KEPT_TOTALS);
  const kept = (key: string, at: string, counting: () => Promise<{ total: number | string }[]>) =>
    totals(key, at, async () => Number((await counting())[0]?.total ?? 0));
  const pages = createRevisionCache<{ ids: number[]; total: number }>(MAX_KEPT_PAGES);

  async function walk(match: string, groupTotal: number, publishedTotal: number, limit: number, skip: number) {
    const visited = ((skip + limit) * publishedTotal) / Math.max(groupTotal, 1);
    const plan: Plan = dialect === 'sqlite' && visited * WALK_COST < groupTotal ? 'walk' : 'sort';
    return walks[plan]({ match, limit, skip });
  }

  /** The ids of one page, in order, and the total, at revision `now`. */
  async function findPage(terms: readonly SearchTerm[], skip: number, limit: number, now: string) {
    const [all, title, rest] = [
      matchText(dialect, terms, 'all'),
      matchText(dialect, terms, 'title'),
      matchText(dialect, terms, 'rest'),
    ];
    const total = await kept(`all:${all}`, now, () => count({ match: all }));
    if (total === 0 || skip >= total) return { ids: [], total };
    const inTitle = await kept(`title:${title}`, now, () => count({ match: title }));
    const everyone = dialect === 'sqlite' ? await kept('published', now, () => published({})) : 0;

    const rows = skip < inTitle ? await walk(title, inTitle, everyone, limit, skip) : [];
    if (rows.length < limit && total > inTitle) {
      rows.push(...(await walk(rest, total - inTitle, everyone, limit - rows.length, Math.max(0, skip - inTitle))));
    }
    return { ids: rows.map((row) => row.id), total };
  }

  /** The posts of these ids, in this order; one no longer listed (unpublished, its author suspended) is left out. */
  async function postsOf(ids: readonly number[]): Promise<PostWithAuthor[]> {
    if (ids.length === 0) return [];
    const rows = await postsWithAuthor(db).where('posts.id', 'in', ids).where(isListed).execute();
    const byId = new Map(rows.map((row) => [row.id, toPost(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * One page of the published posts that hold every term, title matches
   * first, each group newest first; and how many there are in all.
   */
  return async function search(options: {
    terms: readonly SearchTerm[];
    skip: number;
    limit: number;
  }): Promise<{ posts: PostWithAuthor[]; total: number }> {
    const { terms, skip, limit } = options;
    if (terms.length === 0) return { posts: [], total: 0 };
    const [at] = await revision({});
    const now = String(at?.value);
    const key = `${matchText(dialect, terms, 'all')}:${skip}:${limit}`;
    const page = await pages(key, now, () => findPage(terms, skip, limit, now));
    return { posts: await postsOf(page.ids), total: page.total };
  };
}
