// Fills a fresh SQLite database with a realistic volume of users and posts.
//
//   BENCH_DB=/tmp/x/blog.db BENCH_USERS=1000 BENCH_POSTS=100000 node --import tsx bench/seed.ts
//
// The schema comes from the application's own migrations; the rows are then
// written directly with better-sqlite3 in large transactions (the API would
// take minutes). Deterministic: the same counts give the same data, except
// that dates are relative to now. Prints a SeedSummary JSON line on stdout and
// a progress bar on stderr.
import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDatabase, migrateToLatest } from '../src/db/database.js';
import { createPasswordHasher } from '../src/heavy-work/passwords.js';
import { excerptOf } from '../src/markdown/excerpt.js';
import { RENDERER_VERSION, renderMarkdown } from '../src/markdown/index.js';
import { argon2Settings } from './settings.js';
import {
  BENCH_PASSWORD,
  benchEmail,
  benchUsername,
  LONG_POST_ID,
  prng,
  RARE_WORD,
  RARE_WORD_EVERY,
  type SeedSummary,
} from './dataset.js';
import { element } from './lists.js';

const WORDS = (
  'the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not ' +
  'what all were we when your can said there use an each which she do how their if will up other about out many then ' +
  'them these so some her would make like him into time has look two more write go see number no way could people my ' +
  'than first water been call who oil its now find long down day did get come made may part sqlite fastify server ' +
  'request latency throughput index query page cache memory thread event loop hash argon2 picture upload token blog post ' +
  'reader writer commit journal transaction kernel socket buffer stream garden river mountain coffee morning evening ' +
  'winter summer autumn spring travel music history science letter window street market station library history ' +
  'simple careful quick quiet bright gentle curious honest patient steady modern ancient golden silver hidden'
).split(' ');

const random = prng(20240601);
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const word = () => element(WORDS, Math.floor(random() * WORDS.length));
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function title(): string {
  const words = Array.from({ length: between(3, 9) }, word);
  return capitalize(words.join(' ')).slice(0, 100);
}

/** Sentences of words, exactly `length` characters (200-2,000), ending with a full stop. */
function content(length: number): string {
  let text = '';
  while (text.length < length) {
    const sentence = Array.from({ length: between(6, 16) }, word);
    text += (text ? ' ' : '') + capitalize(sentence.join(' ')) + '.';
  }
  let body = text.slice(0, length - 1);
  if (body.endsWith(' ')) body = `${body.slice(0, -1)}s`;
  return `${body}.`;
}

/**
 * About 40,000 characters of Markdown using every construct the renderer
 * knows. Made without the random source, so the other posts stay the same.
 */
function longMarkdown(): string {
  const sections = Array.from({ length: 24 }, (_, i) =>
    [
      `## Part ${i + 1}: notes on the **event loop** and _latency_`,
      '',
      `Paragraph with a [link](https://example.com/${i}), \`inline code\`, ~~old~~ and an autolink https://example.org/${i}.`,
      'A second line of the same paragraph, and a third one that is a little longer than the others.',
      '',
      '- [x] measured the first page',
      '- [ ] measured the deep page',
      '  - nested item with *emphasis*',
      '',
      '| scenario | req/s | p99 |',
      '|:---------|------:|:---:|',
      ...Array.from({ length: 6 }, (_, row) => `| row ${row} | ${1000 + row * 37} | ${row + 3} ms |`),
      '',
      '```ts',
      'const answer = await app.inject({ url: "/api/posts" });',
      'console.log(answer.statusCode, answer.json());',
      '```',
      '',
      `> A quotation in part ${i + 1}, with <b>raw HTML</b> shown as text.`,
      '',
      '1. first',
      '2. second',
      '3. third',
      '',
    ].join('\n'),
  );
  return `# A long post\n\n${sections.join('\n')}`;
}

/** `[#####-----]  42%  42,000/100,000 posts` in place on a terminal; every 10% otherwise. */
function progressBar(label: string, total: number) {
  const tty = process.stderr.isTTY;
  let lastShown = -1;
  return {
    update(done: number) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      const step = tty ? percent : Math.floor(percent / 10) * 10;
      if (step === lastShown) return;
      lastShown = step;
      const filled = Math.round(percent / 5);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(percent).padStart(3)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${label}`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
    done() {
      this.update(total);
      if (tty) process.stderr.write('\n');
    },
  };
}

export async function seed(options: { file: string; users: number; posts: number }): Promise<SeedSummary> {
  const started = performance.now();
  const { file, users, posts } = options;

  // The application's schema, exactly as a new installation gets it.
  const kysely = createDatabase(`sqlite:${file}`);
  await migrateToLatest(kysely);
  await kysely.destroy();

  // The parameters the blog runs with in the bench (bench/settings.ts): a login needs no upgrade.
  const passwordHash = await createPasswordHasher({
    memoryKib: Number(argon2Settings.ARGON2_MEMORY_KIB),
    timeCost: Number(argon2Settings.ARGON2_TIME_COST),
    parallelism: Number(argon2Settings.ARGON2_PARALLELISM),
  }).hash(BENCH_PASSWORD);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = ON');

  const now = Date.now();
  const twoYears = 2 * 365 * 24 * 3600 * 1000;

  const insertUser = db.prepare(
    'insert into users (id, username, email, password_hash, image_file, created_at) values (?, ?, ?, ?, null, ?)',
  );
  db.transaction(() => {
    for (let i = 1; i <= users; i++) {
      insertUser.run(
        i,
        benchUsername(i, users),
        benchEmail(i, users),
        passwordHash,
        new Date(now - twoYears - (users - i) * 60_000).toISOString(),
      );
    }
  })();

  // Rendered (and its excerpt made) as the app does for a post it is given, so reads find every post rendered.
  const insertPost = db.prepare(
    'insert into posts (id, title, content, content_html, excerpt, render_version, user_id, date_posted) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const bar = progressBar('posts', posts);
  bar.update(0);
  const BATCH = 5_000;
  const insertBatch = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const datePosted = new Date(now - Math.floor(random() * twoYears)).toISOString();
      const generated = content(between(200, 2000));
      // The long post and the rare word change nothing the random source draws.
      const text =
        id === LONG_POST_ID
          ? longMarkdown()
          : id % RARE_WORD_EVERY === 0
            ? `${generated} A ${RARE_WORD} passed.`
            : generated;
      const html = renderMarkdown(text, 'http://127.0.0.1');
      insertPost.run(id, title(), text, html, excerptOf(html), RENDERER_VERSION, between(1, users), datePosted);
    }
  });
  for (let from = 1; from <= posts; from += BATCH) {
    insertBatch(from, Math.min(posts + 1, from + BATCH));
    bar.update(Math.min(posts, from + BATCH - 1));
  }
  bar.done();

  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    file,
    users,
    posts,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    bytes: statSync(file).size,
  };
}

function readCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}

const isMain =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const file = process.env.BENCH_DB;
  if (!file) {
    console.error('BENCH_DB (the SQLite file to create) is required');
    process.exit(1);
  }
  const summary = await seed({ file, users: readCount('BENCH_USERS', 1000), posts: readCount('BENCH_POSTS', 100_000) });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
