// `npm run admin` (docs/api.md, "Moderation"): the real command in a child
// process, against a site's SQLite file and (with TEST_DATABASE_URL) a
// PostgreSQL schema, while that site's app is open on the same database. What
// it did is checked through the API: the account's role in UserPrivate, and
// the audit log, where the command line is the actor.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntryBody } from '../../src/schemas/admin.js';
import {
  bearer,
  createPostgresSchema,
  createTestApp,
  enableTwoFactor,
  grantAdmin,
  login,
  me,
  requestToken,
  signedInUser,
  runCommand,
  useCleanups,
  type CommandRun,
  type SignedIn,
  type TestContext,
} from '../helpers/index.js';

interface Site {
  context: TestContext;
  databaseUrl: string;
}

/** Runs `npm run admin -- <args>` against the site's database. */
const runAdmin = (args: string[], site: { dataDir: string; databaseUrl: string }, env: Record<string, string> = {}) =>
  runCommand('admin', args, site, env);

/** A refusal: this exit code, one line on stderr holding `message`, nothing on stdout, no stack trace. */
function expectRefused(run: CommandRun, status: number, message: string | RegExp) {
  expect(run.status, run.stderr).toBe(status);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

const succeeded = (run: CommandRun) => {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trim();
};

/** The audit log as an admin reads it, newest first. */
async function auditEntries(site: Site, admin: SignedIn): Promise<AuditEntryBody[]> {
  const response = await site.context.app.inject({ url: '/api/admin/audit?limit=100', headers: admin.headers });
  expect(response.statusCode).toBe(200);
  return response.json<{ entries: AuditEntryBody[] }>().entries;
}

const engines = [
  { engine: 'SQLite', postgres: false },
  { engine: 'PostgreSQL', postgres: true },
];

for (const { engine, postgres } of engines) {
  describe.skipIf(postgres && !process.env.TEST_DATABASE_URL)(`npm run admin on ${engine}`, () => {
    const closeAfter = useCleanups(afterEach);

    /** A fresh site on this engine, its app open (as a running server's would be). */
    async function newSite(): Promise<Site> {
      const schema = postgres ? await createPostgresSchema() : undefined;
      if (schema) closeAfter(() => schema.drop());
      const context = await createTestApp(schema ? { DATABASE_URL: schema.url } : {});
      closeAfter(() => context.close());
      return { context, databaseUrl: context.config.databaseUrl };
    }

    const admin = (site: Site, ...args: string[]) =>
      runAdmin(args, { dataDir: site.context.dataDir, databaseUrl: site.databaseUrl });

    it('grant makes the account an admin, in one line, audited as the command line', async () => {
      const site = await newSite();
      const alice = await signedInUser(site.context.app, 'alice');
      expect((await me(site.context.app, alice.headers)).role).toBe('user');

      // The email is matched as login matches it: case aside.
      const output = succeeded(await admin(site, 'grant', alice.email.toUpperCase()));
      expect(output).toBe(`${alice.email} (${alice.username}) is now an admin`);

      // The token she already had now carries the role: it is read from the account on every request.
      expect((await me(site.context.app, alice.headers)).role).toBe('admin');
      expect(await auditEntries(site, alice)).toEqual([
        {
          id: expect.any(Number) as number,
          actor: { id: null, username: 'command line' },
          action: 'role.grant',
          target: { type: 'user', id: alice.id, label: alice.username },
          details: { role: { from: 'user', to: 'admin' } },
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
        },
      ]);
    }, 60_000);

    it('grant again says so, and changes and logs nothing', async () => {
      const site = await newSite();
      const alice = await signedInUser(site.context.app, 'alice');
      succeeded(await admin(site, 'grant', alice.email));
      const before = await auditEntries(site, alice);

      const output = succeeded(await admin(site, 'grant', alice.email));
      expect(output).toBe(`${alice.email} (${alice.username}) was already an admin`);
      expect((await me(site.context.app, alice.headers)).role).toBe('admin');
      expect(await auditEntries(site, alice)).toEqual(before);
    }, 60_000);

    it('revoke makes an admin an ordinary user again, audited; revoking a user says so', async () => {
      const site = await newSite();
      const alice = await signedInUser(site.context.app, 'alice');
      const bob = await signedInUser(site.context.app, 'bob');
      succeeded(await admin(site, 'grant', alice.email));
      succeeded(await admin(site, 'grant', bob.email));

      const output = succeeded(await admin(site, 'revoke', bob.email));
      expect(output).toBe(`${bob.email} (${bob.username}) is no longer an admin`);
      expect((await me(site.context.app, bob.headers)).role).toBe('user');
      const [latest] = await auditEntries(site, alice);
      expect(latest).toMatchObject({
        actor: { id: null, username: 'command line' },
        action: 'role.revoke',
        target: { type: 'user', id: bob.id, label: bob.username },
        details: { role: { from: 'admin', to: 'user' } },
      });
      // Demoted, bob is refused the admin API at once.
      const refused = await site.context.app.inject({ url: '/api/admin/users', headers: bob.headers });
      expect(refused.statusCode).toBe(403);

      const again = succeeded(await admin(site, 'revoke', bob.email));
      expect(again).toBe(`${bob.email} (${bob.username}) was not an admin`);
      expect(await auditEntries(site, alice)).toHaveLength(3);
    }, 60_000);

    it('an unknown email is refused on stderr with exit code 1, and nothing changes', async () => {
      const site = await newSite();
      const alice = await signedInUser(site.context.app, 'alice');
      succeeded(await admin(site, 'grant', alice.email));

      for (const command of ['grant', 'revoke']) {
        expectRefused(
          await admin(site, command, 'nobody@example.com'),
          1,
          /^No account has the email nobody@example\.com\n$/,
        );
      }
      expect(await auditEntries(site, alice)).toHaveLength(1);
    }, 60_000);

    it('the last admin in good standing cannot be revoked (exit code 1, the 409 message); a suspended one can', async () => {
      const site = await newSite();
      const alice = await signedInUser(site.context.app, 'alice');
      const bob = await signedInUser(site.context.app, 'bob');
      succeeded(await admin(site, 'grant', alice.email));
      succeeded(await admin(site, 'grant', bob.email));
      const suspended = await site.context.app.inject({
        method: 'POST',
        url: `/api/admin/users/${bob.id}/suspend`,
        headers: alice.headers,
      });
      expect(suspended.statusCode).toBe(200);

      // Bob is an admin too, but suspended: alice is the only one who can act.
      expectRefused(await admin(site, 'revoke', alice.email), 1, /^The site must keep at least one admin\n$/);
      expect((await me(site.context.app, alice.headers)).role).toBe('admin');

      expect(succeeded(await admin(site, 'revoke', bob.email))).toBe(
        `${bob.email} (${bob.username}) is no longer an admin`,
      );
      expect((await auditEntries(site, alice)).map((entry) => entry.action)).toEqual([
        'role.revoke',
        'user.suspend',
        'role.grant',
        'role.grant',
      ]);
    }, 60_000);

    it('create makes a new admin with a generated password, shown once, even when REGISTRATION=closed', async () => {
      const site = await newSite();
      const closed = { REGISTRATION: 'closed' };
      const run = (...args: string[]) =>
        runAdmin(args, { dataDir: site.context.dataDir, databaseUrl: site.databaseUrl }, closed);

      const output = succeeded(await run('create', 'Owner@Example.com', 'owner'));
      const password = /Password, shown only this once: (\S+)\n/.exec(output)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(output).toMatch(/^owner@example\.com \(owner\) is a new admin\./);
      const token = await login(site.context.app, 'owner@example.com', password);
      expect((await me(site.context.app, bearer(token))).role).toBe('admin');

      expectRefused(await run('create', 'owner@example.com', 'another'), 1, /^Email already exists\n$/);
      expectRefused(await run('create', 'not-an-email', 'someone'), 1, /^Not a valid email: /);
      expectRefused(await run('create', 'someone@example.com', 'x'.repeat(51)), 1, /^Not a valid username: /);
    }, 60_000);

    it('list shows every admin with id, username, email and standing, and nobody else', async () => {
      const site = await newSite();
      expect(succeeded(await admin(site, 'list'))).toBe('No admins yet; `npm run admin -- grant <email>` makes one.');

      const alice = await signedInUser(site.context.app, 'alice');
      const bob = await signedInUser(site.context.app, 'bob');
      const carol = await signedInUser(site.context.app, 'carol');
      succeeded(await admin(site, 'grant', alice.email));
      succeeded(await admin(site, 'grant', bob.email));
      const suspended = await site.context.app.inject({
        method: 'POST',
        url: `/api/admin/users/${bob.id}/suspend`,
        headers: alice.headers,
      });
      expect(suspended.statusCode).toBe(200);

      const lines = succeeded(await admin(site, 'list')).split('\n');
      expect(lines.map((line) => line.split(/\s{2,}/))).toEqual([
        ['id', 'username', 'email', 'standing'],
        [String(alice.id), alice.username, alice.email, 'active'],
        [String(bob.id), bob.username, bob.email, 'suspended'],
      ]);
      expect(lines.join('\n')).not.toContain(carol.email);
    }, 60_000);

    it('two-factor-off lets a user who lost phone and recovery codes sign in with the password, audited', async () => {
      const site = await newSite();
      const { app } = site.context;
      const alice = await signedInUser(app, 'alice');
      await enableTwoFactor(app, alice, { now: Date.now });
      expect((await requestToken(app, alice.email, alice.password)).json()).toEqual({
        detail: 'Two-factor code required',
      });

      const output = succeeded(await admin(site, 'two-factor-off', alice.email));
      expect(output).toBe(
        `Two-factor sign-in is off for ${alice.email} (${alice.username}): the password alone signs in now, and the account was told by mail`,
      );
      expect((await requestToken(app, alice.email, alice.password)).statusCode).toBe(200);
      expect((await me(app, alice.headers)).two_factor).toBe(false);
      await grantAdmin(app, alice.email);
      expect((await auditEntries(site, alice)).map((entry) => [entry.action, entry.actor.username])).toEqual([
        ['role.grant', 'command line'],
        ['user.two-factor-off', 'command line'],
      ]);
      expect(succeeded(await admin(site, 'two-factor-off', alice.email))).toBe(
        `${alice.email} (${alice.username}) did not have two-factor sign-in on`,
      );
      expectRefused(await admin(site, 'two-factor-off', 'nobody@example.com'), 1, /^No account with this email\n$/);
    }, 60_000);
  });
}

describe('npm run admin, the command', () => {
  it('is the script src/cli/admin.ts, as the other commands are', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.admin).toBe('tsx src/cli/admin.ts');
  });

  it('a command line that means nothing prints the usage on stderr with exit code 2, and opens no database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'blog-admin-cli-'));
    try {
      const site = { dataDir, databaseUrl: '' };
      const meaningless = [
        [],
        ['grant'],
        ['revoke'],
        ['grant', 'a@example.com', 'b@example.com'],
        ['list', 'x'],
        ['promote', 'a@example.com'],
        ['grant', '--force'],
        ['create'],
        ['create', 'a@example.com'],
        ['create', 'a@example.com', 'a', 'b'],
        ['two-factor-off'],
      ];
      for (const run of await Promise.all(meaningless.map((args) => runAdmin(args, site)))) {
        expectRefused(run, 2, /^Usage:\n {2}npm run admin -- grant <email>/);
      }
      const help = await runAdmin(['--help'], site);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage:/);
      expect(existsSync(path.join(dataDir, 'blog.db'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a DATA_DIR without a SQLite database (exit code 1) rather than creating an empty site', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'blog-admin-cli-'));
    try {
      const run = await runAdmin(['grant', 'alice@example.com'], { dataDir, databaseUrl: '' });
      expectRefused(run, 1, /^No SQLite database at .*blog\.db; check DATA_DIR or DATABASE_URL\n$/);
      expect(existsSync(path.join(dataDir, 'blog.db'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
