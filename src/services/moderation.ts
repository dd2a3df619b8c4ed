// Moderation: what admins do to accounts (suspend, reinstate, grant and
// revoke the admin role) and what they read (every account, the audit log).
// Each change and its audit entry are one transaction, and none may leave
// the site without an admin in good standing. Post edits and account
// deletions by admins go through the post and account services, under the
// same rules (permissions.ts).
import { badRequest, notFound } from '../errors.js';
import type { Role } from '../db/schema.js';
import type { AuditLog } from '../repositories/audit-log.js';
import type { User, UserRepository } from '../repositories/users.js';
import { assertAdmin, assertKeepsAnAdmin } from './permissions.js';
import type { Transact } from './unit-of-work.js';

export interface ModerationServiceDeps {
  users: UserRepository;
  auditLog: AuditLog;
  transact: Transact;
  now: () => number;
}

/** An actor: an admin, or null for the command line (whoever runs it owns the machine). */
type Actor = User | null;

export function createModerationService(deps: ModerationServiceDeps) {
  const { users, auditLog, transact, now } = deps;

  const asAdmin = (actor: Actor) => {
    if (actor) assertAdmin(actor);
  };

  async function existing(userId: number): Promise<User> {
    const user = await users.findById(userId);
    if (!user) throw notFound('User not found');
    return user;
  }

  /** The account as admins see it (with its post count). */
  async function adminView(userId: number) {
    const [user] = (await users.listForAdmin({ userId, skip: 0, limit: 1 })).users;
    if (!user) throw notFound('User not found');
    return user;
  }

  /** Suspends or reinstates; doing it again changes nothing and logs nothing. */
  async function setSuspended(actor: User, userId: number, suspended: boolean) {
    assertAdmin(actor);
    const target = await existing(userId);
    if (suspended && target.id === actor.id) throw badRequest('You cannot suspend your own account');
    if ((target.suspended_at !== null) === suspended) return adminView(userId);
    const changed = await transact(async (scope) => {
      if (suspended && target.role === 'admin') assertKeepsAnAdmin(await scope.users.lockActiveAdmins(), userId);
      const user = await scope.users.setSuspended(userId, suspended ? now() : null);
      if (user) {
        await scope.audit({
          actor,
          action: suspended ? 'user.suspend' : 'user.unsuspend',
          target: { type: 'user', id: userId, label: target.username },
        });
      }
      return user;
    });
    if (!changed) throw notFound('User not found');
    return adminView(userId);
  }

  /** Gives or takes the admin role; a change to no effect logs nothing. */
  async function setRole(actor: Actor, target: User, role: Role): Promise<{ user: User; changed: boolean }> {
    asAdmin(actor);
    if (target.role === role) return { user: target, changed: false };
    const user = await transact(async (scope) => {
      if (role !== 'admin') assertKeepsAnAdmin(await scope.users.lockActiveAdmins(), target.id);
      const updated = await scope.users.setRole(target.id, role);
      if (updated) {
        await scope.audit({
          actor,
          action: role === 'admin' ? 'role.grant' : 'role.revoke',
          target: { type: 'user', id: target.id, label: target.username },
          details: { role: { from: target.role, to: role } },
        });
      }
      return updated;
    });
    if (!user) throw notFound('User not found');
    return { user, changed: true };
  }

  return {
    suspend: (actor: User, userId: number) => setSuspended(actor, userId, true),
    unsuspend: (actor: User, userId: number) => setSuspended(actor, userId, false),

    /** The role by email, for the command line (`npm run admin`). */
    async setRoleByEmail(actor: Actor, email: string, role: Role) {
      const target = await users.findByEmail(email);
      if (!target) throw notFound(`No account has the email ${email}`);
      return setRole(actor, target, role);
    },

    async listUsers(actor: User, options: { search?: string | undefined; skip: number; limit: number }) {
      assertAdmin(actor);
      return users.listForAdmin(options);
    },

    async auditPage(actor: User, options: { skip: number; limit: number }) {
      assertAdmin(actor);
      return auditLog.page(options.skip, options.limit);
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
