// `npm run admin -- grant <email>`, `revoke <email>`, `list`, `create <email>
// <username>`: who administers the configured site (DATABASE_URL / DATA_DIR,
// as the server reads them); `two-factor-off <email>` lets back in a user who
// lost both their phone and their recovery codes.
// Whoever can run this owns the machine, so it needs no admin to act: it names
// the first admin, and it is the way back in when no admin can sign in. The
// audit log records its changes as the "command line". The rules (the last
// admin in good standing stays) are the moderation service's, as for the API.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Type } from 'typebox';
import type { App } from '../app.js';
import { loadConfigOrExit } from '../config/index.js';
import type { Role } from '../db/schema.js';
import { isPostgresUrl, sqliteFileOf } from '../db/url.js';
import { HttpError } from '../errors.js';
import { createAjv } from '../schemas/compile.js';
import { Email, Username } from '../schemas/users.js';

const USAGE = `Usage:
  npm run admin -- grant <email>              make that account an admin
  npm run admin -- revoke <email>             make that admin an ordinary user again
  npm run admin -- list                       list the admins
  npm run admin -- create <email> <username>  a new admin account, whatever REGISTRATION says
                                              (its password is generated and shown once)
  npm run admin -- two-factor-off <email>     turn off that account's two-factor sign-in
                                              (after checking who asks: it then takes the password alone)`;

/** Exit codes: 1 for a refusal (an unknown email, the last admin), 2 for a command line that means nothing. */
const REFUSED = 1;
const BAD_USAGE = 2;

type Command =
  | { name: 'grant' | 'revoke' | 'two-factor-off'; email: string }
  | { name: 'list' }
  | { name: 'create'; email: string; username: string };

const isValue = (text: string | undefined): text is string => text !== undefined && !text.startsWith('-');

function parseCommand(argv: readonly string[]): Command | undefined {
  const [name, ...rest] = argv;
  if (name === 'list' && rest.length === 0) return { name };
  if (name === 'create') {
    const [email, username, ...extra] = rest;
    return isValue(email) && isValue(username) && extra.length === 0 ? { name, email, username } : undefined;
  }
  const [email, ...extra] = rest;
  const byEmail = name === 'grant' || name === 'revoke' || name === 'two-factor-off';
  if (byEmail && email && !email.startsWith('-') && extra.length === 0) {
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

/** The API's own rules for a new account's fields, so the command line makes none the API would refuse. */
const checkAccount = createAjv().compile(Type.Object({ email: Email, username: Username }));

/**
 * The first admin of a site that takes no registrations (REGISTRATION=invite
 * or closed), or a new one: the account is made as the command line's own,
 * with a generated password, printed once.
 */
async function createAdmin(app: App, email: string, username: string): Promise<string> {
  if (!checkAccount({ email, username })) {
    const [problem] = checkAccount.errors ?? [];
    throw new Refusal(`Not a valid ${problem?.instancePath.slice(1) || 'account'}: ${problem?.message ?? 'refused'}`);
  }
  const password = randomBytes(15).toString('base64url');
  const account = await app.services.accounts.register({ email, username, password });
  const { user } = await app.services.moderation.setRoleByEmail(null, account.email, 'admin');
  return `${user.email} (${user.username}) is a new admin. Password, shown only this once: ${password}\nSign in and change it from the account page.`;
}

async function turnOffTwoFactor(app: App, email: string): Promise<string> {
  const { user, changed } = await app.services.twoFactor.disableByOwner(email);
  const who = `${user.email} (${user.username})`;
  return changed
    ? `Two-factor sign-in is off for ${who}: the password alone signs in now, and the account was told by mail`
    : `${who} did not have two-factor sign-in on`;
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

function run(app: App, command: Command): Promise<string> {
  switch (command.name) {
    case 'list':
      return listAdmins(app);
    case 'create':
      return createAdmin(app, command.email, command.username);
    case 'two-factor-off':
      return turnOffTwoFactor(app, command.email);
    default:
      return setRole(app, command.email, command.name === 'grant' ? 'admin' : 'user');
  }
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
  // `create` may be the very first thing done on a new site; the others need one.
  if (command.name !== 'create' && !isPostgresUrl(config.databaseUrl)) {
    // Opening a missing SQLite file would create an empty site: a typo in DATA_DIR must not look like one.
    const file = sqliteFileOf(config.databaseUrl);
    if (!existsSync(file)) throw new Refusal(`No SQLite database at ${file}; check DATA_DIR or DATABASE_URL`);
  }
  // The app's own composition (and migrations), never started: no mail sender, no housekeeping runs. Loaded
  // only now, so a usage error answers at once.
  const { buildApp } = await import('../app.js');
  const app = await buildApp({ ...config, logLevel: 'warn' });
  try {
    console.log(await run(app, command));
  } catch (error) {
    // The service's refusals (404 unknown email, 409 the last admin, 400 a taken email) are answers, not crashes.
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
