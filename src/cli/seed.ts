// `npm run seed`: demo users and posts for a new site, the first user an
// admin (so /admin has someone to show it to). The demo passwords are
// generated on this run and printed once; running it again adds nothing.
import { randomBytes } from 'node:crypto';
import { buildApp } from '../app.js';
import { loadConfigOrExit } from '../config/index.js';

const DEMO_USERS: [{ username: string; email: string }, ...{ username: string; email: string }[]] = [
  { username: 'ada', email: 'ada@example.com' },
  { username: 'grace', email: 'grace@example.com' },
  { username: 'linus', email: 'linus@example.com' },
];

const TOPICS: [[title: string, content: string], ...[title: string, content: string][]] = [
  [
    'Getting started with the blog',
    'Register, log in, and press "New Post". Your posts appear on the home page, newest first.',
  ],
  ['Why Argon2id', 'Passwords are hashed with Argon2id, a memory-hard function that makes guessing expensive on GPUs.'],
  ['401 or 403?', '401 means we do not know who you are. 403 means we know, and the answer is still no.'],
  [
    'Paging through posts',
    'The home page shows the first page; "Load more" asks the API for the next one with skip and limit.',
  ],
  [
    'Profile pictures',
    'Uploads are decoded, rotated upright, cropped to a square and saved as a fresh JPEG without metadata.',
  ],
  [
    'SQLite is enough',
    'One file, no server, thousands of reads a second. PostgreSQL is there when you outgrow one machine.',
  ],
  ['Dark mode', 'The theme follows your system unless you choose one; the choice is remembered.'],
  ['Writing good titles', 'A title is a promise. Keep it short, specific, and true to what follows.'],
];

const config = loadConfigOrExit();
const app = await buildApp({ ...config, logLevel: 'warn' });
try {
  if (await app.repositories.users.findByEmail(DEMO_USERS[0].email)) {
    console.log('Demo content is already there; nothing added.');
  } else {
    const created = [];
    for (const demo of DEMO_USERS) {
      const password = randomBytes(9).toString('base64url');
      created.push({ ...demo, password, user: await app.services.accounts.register({ ...demo, password }) });
    }
    const { user: admin } = await app.services.moderation.setRoleByEmail(null, DEMO_USERS[0].email, 'admin');
    // Three rounds of topics, spread over the past weeks, so "Load more" has pages to load.
    const count = TOPICS.length * 3;
    for (let i = 0; i < count; i++) {
      const round = Math.floor(i / TOPICS.length);
      const [title, content] = TOPICS[i % TOPICS.length] ?? TOPICS[0];
      const author = created[i % created.length];
      if (!author) throw new Error('no demo users were created');
      const post = await app.services.posts.create(author.user, {
        title: round ? `${title} (part ${round + 1})` : title,
        content,
      });
      const postedAt = new Date(Date.now() - (count - i) * 7 * 3600 * 1000).toISOString();
      await app.db.updateTable('posts').set({ date_posted: postedAt }).where('id', '=', post.id).execute();
    }
    console.log(`Added ${created.length} demo users and ${count} posts. Their passwords (shown only this once):`);
    for (const { email, password } of created)
      console.log(`  ${email}  ${password}${email === admin.email && admin.role === 'admin' ? '  (admin)' : ''}`);
  }
} finally {
  await app.close();
}
