// Accounts: registration, login, profile changes, pictures and deletion.
// Every rule that decides a status code (404, 403, 400) lives here, so the
// routes only translate HTTP to calls.
import type { FastifyBaseLogger } from 'fastify';
import type { PictureCleanupRepository } from '../repositories/picture-cleanup.js';
import { DuplicateUserError, PictureClaimLostError, type UniqueField, type User, type UserRepository } from '../repositories/users.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { newPictureName, type PictureStore } from './picture-store.js';
import { processProfilePicture, InvalidImageError } from './images.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';

const DUPLICATE_DETAIL: Record<UniqueField, string> = {
  username: 'Username already exists',
  email: 'Email already exists',
};

// Verified when the email is unknown, so a login takes as long either way.
const DUMMY_HASH = hashPassword('not a real password: equalises login timing');

export interface AccountServiceDeps {
  users: UserRepository;
  pictures: PictureStore;
  pictureCleanup: PictureCleanupRepository;
  limiter: RateLimiter;
  rules: { login: RateRule; registration: RateRule };
  log: FastifyBaseLogger;
}

/** How often an upload retries when a clean-up sweep took its fresh file (only at another instance's start). */
const PICTURE_ATTEMPTS = 3;

export function createAccountService(deps: AccountServiceDeps) {
  const { users, pictures, pictureCleanup, limiter, rules, log } = deps;

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

  async function ownAccount(actor: User, userId: number): Promise<User> {
    const user = await users.findById(userId);
    if (!user) throw notFound('User not found');
    if (user.id !== actor.id) throw forbidden('Not authorized to modify this user');
    return user;
  }

  /** Removes a picture no user points at, then its clean-up entry; a failure leaves both for the sweep. */
  async function discardPicture(name: string | null) {
    if (!name) return;
    try {
      await pictures.remove(name);
      await pictureCleanup.remove(name);
    } catch (error) {
      log.error({ err: error, picture: name }, 'could not remove a profile picture; the clean-up sweep will retry');
    }
  }

  /** Lists, writes and then points the user at a new picture file; see migration 0002. */
  async function storePicture(userId: number, jpeg: Buffer) {
    for (let attempt = 1; ; attempt++) {
      const name = newPictureName();
      await pictureCleanup.add(name);
      await pictures.save(name, jpeg);
      try {
        const result = await users.replaceImageFile(userId, name);
        if (!result) await discardPicture(name); // the user is gone
        return result;
      } catch (error) {
        await discardPicture(name);
        if (!(error instanceof PictureClaimLostError) || attempt >= PICTURE_ATTEMPTS) throw error;
      }
    }
  }

  return {
    /**
     * Deletes picture files that a crash left without a user (listed more than
     * `graceMs` ago); run at start and from time to time.
     */
    async sweepPictures(graceMs: number): Promise<number> {
      let removed = 0;
      for (const name of await pictureCleanup.listedBefore(Date.now() - graceMs)) {
        if (await pictureCleanup.claimForSweep(name)) {
          await pictures.remove(name);
          removed += 1;
        }
        await pictureCleanup.remove(name);
      }
      return removed;
    },

    /** Creates an account; rate-limited per address when it is made for a client at `clientAddress`. */
    async register(values: { username: string; email: string; password: string }, clientAddress?: string): Promise<User> {
      if (clientAddress !== undefined) {
        await limiter.attempt([`register:address:${clientAddress}`], rules.registration, 'Too many registrations from this address.');
      }
      await assertAvailable(values);
      const passwordHash = await hashPassword(values.password);
      return translateDuplicate(() => users.create({ username: values.username, email: values.email, passwordHash }));
    },

    /**
     * The user with this email and password, or null; the same work is done
     * whether or not the email exists. Failures are limited per account and
     * per client address (429).
     */
    async authenticate(email: string, password: string, clientAddress: string): Promise<User | null> {
      const buckets = [`login:account:${email.toLowerCase()}`, `login:address:${clientAddress}`];
      await limiter.attempt(buckets, rules.login, 'Too many failed login attempts.');
      const user = await users.findByEmail(email);
      const matches = await verifyPassword(user?.password_hash ?? (await DUMMY_HASH), password);
      if (!user || !matches) return null;
      await limiter.forgive(buckets);
      return user;
    },

    /** Checks the current password, sets the new one and ends every earlier session. */
    async changePassword(actor: User, currentPassword: string, newPassword: string): Promise<User> {
      if (!(await verifyPassword(actor.password_hash, currentPassword))) throw badRequest('Incorrect password');
      const updated = await users.changePassword(actor.id, await hashPassword(newPassword));
      if (!updated) throw notFound('User not found');
      return updated;
    },

    async getPublic(userId: number): Promise<User> {
      const user = await users.findById(userId);
      if (!user) throw notFound('User not found');
      return user;
    },

    async update(actor: User, userId: number, changes: { username?: string; email?: string }): Promise<User> {
      await ownAccount(actor, userId);
      await assertAvailable(changes, userId);
      const updated = await translateDuplicate(() => users.update(userId, changes));
      if (!updated) throw notFound('User not found');
      return updated;
    },

    async delete(actor: User, userId: number): Promise<void> {
      await ownAccount(actor, userId);
      const deleted = await users.delete(userId);
      if (!deleted) throw notFound('User not found');
      await discardPicture(deleted.image_file);
    },

    /**
     * Stores the new picture, then points the user at it; the old file goes
     * only after that commit, and the new one goes if the commit fails.
     */
    async setPicture(actor: User, userId: number, upload: Buffer): Promise<User> {
      await ownAccount(actor, userId);
      let jpeg: Buffer;
      try {
        jpeg = await processProfilePicture(upload);
      } catch (error) {
        if (error instanceof InvalidImageError) {
          throw badRequest('Invalid image file. Upload a JPEG, PNG, GIF or WebP image.');
        }
        throw error;
      }
      const result = await storePicture(userId, jpeg);
      if (!result) throw notFound('User not found');
      await discardPicture(result.previous);
      return result.user;
    },

    async removePicture(actor: User, userId: number): Promise<User> {
      const user = await ownAccount(actor, userId);
      if (!user.image_file) throw badRequest('No profile picture to delete');
      const result = await users.replaceImageFile(userId, null);
      if (!result) throw notFound('User not found');
      await discardPicture(result.previous);
      return result.user;
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
