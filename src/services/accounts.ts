// Accounts: registration, public profiles, changing and deleting your own.
// Every rule that decides a status code (404, 403, 400) lives in the
// services, so the routes only translate HTTP to calls.
import { badRequest, notFound } from '../errors.js';
import type { PasswordHasher } from '../heavy-work/passwords.js';
import { DuplicateUserError, type UniqueField, type User, type UserRepository } from '../repositories/users.js';
import type { Admission, InvitationService } from './invitations.js';
import { mails } from './mail-composer.js';
import { assertAcceptablePassword } from './password-policy.js';
import { accountToChange, assertKeepsAnAdmin, isAdmin, resolveViewer, type Viewer } from './permissions.js';
import type { ProfilePictureService } from './profile-pictures.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';
import type { Transact } from './unit-of-work.js';

const DUPLICATE_DETAIL: Record<UniqueField, string> = {
  username: 'Username already exists',
  email: 'Email already exists',
};

export interface AccountServiceDeps {
  passwords: PasswordHasher;
  users: UserRepository;
  invitations: InvitationService;
  profilePictures: ProfilePictureService;
  limiter: RateLimiter;
  registrationRule: RateRule;
  transact: Transact;
}

export function createAccountService(deps: AccountServiceDeps) {
  const { users, invitations, profilePictures, limiter, registrationRule, transact } = deps;

  async function assertAvailable(values: { username?: string; email?: string }, exceptUserId?: number) {
    const [taken] = await users.takenFields(values, exceptUserId);
    if (taken) throw badRequest(DUPLICATE_DETAIL[taken]);
  }

  /** A duplicate that slipped past the check (a concurrent request) is still a 400. */
  async function translateDuplicate<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DuplicateUserError) throw badRequest(DUPLICATE_DETAIL[error.field]);
      throw error;
    }
  }

  return {
    /**
     * Creates an account. One made for a client at `clientAddress` is
     * rate-limited per address and must be let in by REGISTRATION (with
     * `invite`, that mode's invitation, used up with the account); the
     * command line's (`npm run seed`) is the site owner's own.
     */
    async register(
      values: { username: string; email: string; password: string; invite?: string | undefined },
      clientAddress?: string,
    ): Promise<User> {
      let admission: Admission | undefined;
      if (clientAddress !== undefined) {
        await limiter.attempt(
          [{ bucket: `register:address:${clientAddress}`, rule: registrationRule }],
          'Too many registrations from this address.',
        );
        admission = await invitations.admit(values.email, values.invite);
      }
      assertAcceptablePassword(values.password, values, 'password');
      await assertAvailable(values);
      const passwordHash = await deps.passwords.hash(values.password);
      return translateDuplicate(() =>
        transact(async (scope) => {
          await admission?.(scope);
          return scope.users.create({ username: values.username, email: values.email, passwordHash });
        }),
      );
    },

    /** A suspended account is not found, except by an admin. */
    async getPublic(userId: number, viewer: Viewer = null): Promise<User> {
      const user = await users.findById(userId);
      if (!user || (user.suspended_at !== null && !isAdmin(await resolveViewer(viewer))))
        throw notFound('User not found');
      return user;
    },

    /** A new email address also ends any reset link, and the old address gets a notice. */
    async update(actor: User, userId: number, changes: { username?: string; email?: string }): Promise<User> {
      const { account } = await accountToChange(users, actor, userId);
      await assertAvailable(changes, userId);
      const updated = await translateDuplicate(() =>
        transact(async (scope) => {
          const changed = await scope.users.update(userId, changes);
          if (changed && changed.email !== account.email) {
            await scope.passwordResetTokens.revokeFor(userId);
            await scope.queueMail(mails.emailChanged(account.email, changed));
          }
          return changed;
        }),
      );
      if (!updated) throw notFound('User not found');
      return updated;
    },

    /**
     * Deletes the account, its posts (by cascade) and its picture; by its
     * owner, or by an admin (audited). The last admin in good standing stays.
     */
    async delete(actor: User, userId: number): Promise<void> {
      const { account, acting } = await accountToChange(users, actor, userId, 'delete');
      const deleted = await transact(async (scope) => {
        if (account.role === 'admin') assertKeepsAnAdmin(await scope.users.lockActiveAdmins(), userId);
        const gone = await scope.users.delete(userId);
        if (gone && acting === 'moderator') {
          await scope.audit({
            actor,
            action: 'user.delete',
            target: { type: 'user', id: userId, label: account.username },
            details: { email: account.email },
          });
        }
        return gone;
      });
      if (!deleted) throw notFound('User not found');
      await profilePictures.discard(deleted.image_file);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
