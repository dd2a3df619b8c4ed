// The floor: the least a Node server can do to answer the two JSON reads the
// blog serves most (a page of posts, one post): node:http, better-sqlite3
// (read-only), prepared statements, JSON.stringify. No framework, no
// validation library, no schema serializer. Same SQL, same JSON, same order
// as the blog; the harness checks the bytes are identical before measuring.
//
//   FLOOR_DB=/path/blog.db PORT=8001 node --import tsx bench/floor.ts
//
// With BENCH_METRICS=true it also answers GET /__bench/metrics and POST
// /__bench/reset like the blog, so both are measured the same way.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';

const file = process.env.FLOOR_DB;
if (!file) {
  console.error('FLOOR_DB (the SQLite file) is required');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 8001);
const host = process.env.HOST ?? '127.0.0.1';
const perPage = Number(process.env.POSTS_PER_PAGE ?? 10);
const benchMetrics = ['true', '1', 'yes', 'on'].includes((process.env.BENCH_METRICS ?? '').toLowerCase());

const db = new Database(file, { readonly: true, fileMustExist: true });

interface Row {
  id: number;
  title: string;
  content: string;
  content_html: string;
  excerpt: string;
  status: string;
  user_id: number;
  date_posted: string;
  updated_at: string | null;
  author_username: string;
  author_image_file: string | null;
}

const COLUMNS = `select "posts"."id", "posts"."title", "posts"."content", "posts"."content_html", "posts"."excerpt", "posts"."status",
  "posts"."user_id", "posts"."date_posted", "posts"."updated_at",
  "users"."username" as "author_username", "users"."image_file" as "author_image_file"
  from "posts" inner join "users" on "users"."id" = "posts"."user_id"`;
// Listed posts only (published, author not suspended), as the blog lists them (the literals let SQLite take
// the partial index of listed posts).
const PUBLISHED = `"posts"."status" = 'published' and "posts"."author_suspended" = 0`;
const pageStatement = db.prepare<[number, number], Row>(
  `${COLUMNS} where ${PUBLISHED} order by "posts"."date_posted" desc, "posts"."id" desc limit ? offset ?`,
);
const countStatement = db.prepare<[], number>(`select count(*) as "total" from "posts" where ${PUBLISHED}`).pluck();
// Counting the published posts walks their index (about 2 ms at 100,000): like the blog, the floor
// counts once per posts_revision, the counter the database keeps for every change to the posts.
const revisionStatement = db.prepare<[], number>('select "value" from "posts_revision" where "id" = 1').pluck();
let counted = { revision: -1, total: 0 };
function publishedTotal(): number {
  const revision = revisionStatement.get() ?? 0;
  if (counted.revision !== revision) counted = { revision, total: countStatement.get() ?? 0 };
  return counted.total;
}
const oneStatement = db.prepare<[number], Row>(`${COLUMNS} where "posts"."id" = ? and ${PUBLISHED}`);

const toPost = (row: Row) => ({
  id: row.id,
  title: row.title,
  content: row.content,
  content_html: row.content_html,
  excerpt: row.excerpt,
  status: row.status,
  user_id: row.user_id,
  date_posted: row.date_posted,
  updated_at: row.updated_at,
  author: {
    id: row.user_id,
    username: row.author_username,
    image_file: row.author_image_file,
    image_path: row.author_image_file
      ? `/media/profile_pics/${row.author_image_file}`
      : '/static/profile_pics/default.jpg',
  },
});

function send(res: ServerResponse, status: number, body: unknown) {
  const json = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

const invalid = (field: string) => ({ detail: [{ loc: ['query', field], msg: 'Invalid value', type: 'invalid' }] });

/** A non-negative integer query value, the default when absent, or undefined when invalid. */
function integerParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

const delay = monitorEventLoopDelay({ resolution: 1 });
if (benchMetrics) delay.enable();
const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);

  if (req.method === 'GET' && (path === '/api/posts' || path === '/api/posts/')) {
    const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    const skip = integerParam(params, 'skip', 0, 0, 1_000_000_000);
    if (skip === undefined) {
      send(res, 422, invalid('skip'));
      return;
    }
    const limit = integerParam(params, 'limit', perPage, 1, 100);
    if (limit === undefined) {
      send(res, 422, invalid('limit'));
      return;
    }
    const posts = pageStatement.all(limit, skip).map(toPost);
    const total = publishedTotal();
    send(res, 200, { posts, total, skip, limit, has_more: skip + posts.length < total });
    return;
  }

  const one = /^\/api\/posts\/(\d+)\/?$/.exec(path);
  if (req.method === 'GET' && one) {
    const id = Number(one[1]);
    const row = id <= 2_147_483_647 ? oneStatement.get(id) : undefined;
    if (row) send(res, 200, toPost(row));
    else send(res, 404, { detail: 'Post not found' });
    return;
  }

  if (benchMetrics && req.method === 'GET' && path === '/__bench/metrics') {
    send(res, 200, {
      event_loop_delay_ms: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      rss_bytes: process.memoryUsage().rss,
      pid: process.pid,
    });
    return;
  }
  if (benchMetrics && req.method === 'POST' && path === '/__bench/reset') {
    delay.reset();
    res.writeHead(204).end();
    return;
  }
  if (req.method === 'GET' && path === '/healthz') send(res, 200, { status: 'ok' });
  else send(res, 404, { detail: 'Not Found' });
}

const server = createServer((req, res) => {
  try {
    handle(req, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) send(res, 500, { detail: 'Internal Server Error' });
    else res.destroy();
  }
});
server.keepAliveTimeout = 5_000;

function shutdown() {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.error(`floor listening on http://${host}:${actual}`);
});
