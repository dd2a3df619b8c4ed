// `npm run admin -- grant <email>`, `revoke <email>`, `list`: who administers
// the configured site (DATABASE_URL / DATA_DIR, as the server reads them).
// Whoever can run this owns the machine, so it needs no admin to act: it names
// the first admin, and it is the way back in when no admin can sign in. The
// audit log records its changes as the "command line". The rules (the last
// admin in good standing stays) are the moderation service's, as for the API.
import { existsSync } from 'node:fs';
import type { App } from '../app.js';
import { loadConfigOrExit } from '../config/index.js';
import type { Role } from '../db/schema.js';
import { isPostgresUrl, sqliteFileOf } from '../db/url.js';
import { HttpError } from '../errors.js';

const USAGE = `Usage:
  npm run admin -- grant <email>    make that account an admin
  npm run admin -- revoke <email>   make that admin an ordinary user again
  npm run admin -- list             list the admins`;

/** Exit codes: 1 for a refusal (an unknown email, the last admin), 2 for a command line that means nothing. */
const REFUSED = 1;
const BAD_USAGE = 2;

type Command = { name: 'grant' | 'revoke'; email: string } | { name: 'list' };

function parseCommand(argv: readonly string[]): Command | undefined {
  const [name, ...rest] = argv;
  if (name === 'list' && rest.length === 0) return { name };
  const [email, ...extra] = rest;
  if ((name === 'grant' || name === 'revoke') && email && !email.startsWith('-') && extra.length === 0) {
    return { name, email };
  }
  return undefined;
}

/** An expected failure: printed as one line, without a stack trace. */
class Refusal extends Error {}

async function setRole(app: App, email: string, role: Role): Promise<string> {
  const { user, changed } = await app.services.moderation.setRoleByEmail(null, email, role);
  const who = `${user.email} (${user.username})`;
  if (role === 'admin') {
    const line = changed ? `${who} is now an admin` : `${who} was already an admin`;
    // A suspended admin cannot sign in, and does not count towards the last-admin rule.
    return user.suspended_at === null
      ? line
      : `${line}, but the account is suspended: it cannot sign in until reinstated`;
  }
  return changed ? `${who} is no longer an admin` : `${who} was not an admin`;
}

async function listAdmins(app: App): Promise<string> {
  const admins = await app.db
    .selectFrom('users')
    .select(['id', 'username', 'email', 'suspended_at'])
    .where('role', '=', 'admin')
    .orderBy('id')
    .execute();
  if (admins.length === 0) return 'No admins yet; `npm run admin -- grant <email>` makes one.';
  const rows = [
    ['id', 'username', 'email', 'standing'],
    ...admins.map((admin) => [
      String(admin.id),
      admin.username,
      admin.email,
      admin.suspended_at === null ? 'active' : 'suspended',
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    console.log(USAGE);
    return;
  }
  const command = parseCommand(argv);
  if (!command) {
    console.error(USAGE);
    process.exitCode = BAD_USAGE;
    return;
  }

  const config = loadConfigOrExit();
  if (!isPostgresUrl(config.databaseUrl)) {
    // Opening a missing SQLite file would create an empty site: a typo in DATA_DIR must not look like one.
    const file = sqliteFileOf(config.databaseUrl);
    if (!existsSync(file)) throw new Refusal(`No SQLite database at ${file}; check DATA_DIR or DATABASE_URL`);
  }
  // The app's own composition (and migrations), never started: no mail sender, no housekeeping runs. Loaded
  // only now, so a usage error answers at once.
  const { buildApp } = await import('../app.js');
  const app = await buildApp({ ...config, logLevel: 'warn' });
  try {
    console.log(
      command.name === 'list'
        ? await listAdmins(app)
        : await setRole(app, command.email, command.name === 'grant' ? 'admin' : 'user'),
    );
  } catch (error) {
    // The service's refusals (404 unknown email, 409 the last admin) are answers, not crashes.
    if (error instanceof HttpError) throw new Refusal(error.detail);
    throw error;
  } finally {
    await app.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Refusal ? error.message : `admin failed: ${(error as Error).message}`);
  process.exitCode = REFUSED;
}
