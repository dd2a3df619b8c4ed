// Accounts: registration, login, profile changes, pictures and deletion.
// Every rule that decides a status code (404, 403, 400) lives here, so the
// routes only translate HTTP to calls.
import type { FastifyBaseLogger } from 'fastify';
import { DuplicateUserError, type UniqueField, type User, type UserRepository } from '../repositories/users.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { PictureStore } from './picture-store.js';
import { processProfilePicture, InvalidImageError } from './images.js';

const DUPLICATE_DETAIL: Record<UniqueField, string> = {
  username: 'Username already exists',
  email: 'Email already exists',
};

// Verified when the email is unknown, so a login takes as long either way.
const DUMMY_HASH = hashPassword('not a real password: equalises login timing');

export function createAccountService(deps: { users: UserRepository; pictures: PictureStore; log: FastifyBaseLogger }) {
  const { users, pictures, log } = deps;

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

  /** Removes a picture that no user points at any more; failure only leaves an orphan to sweep. */
  async function discardPicture(name: string | null) {
    if (!name) return;
    try {
      await pictures.remove(name);
    } catch (error) {
      log.error({ err: error, picture: name }, 'could not remove a replaced profile picture');
    }
  }

  return {
    async register(values: { username: string; email: string; password: string }): Promise<User> {
      await assertAvailable(values);
      const passwordHash = await hashPassword(values.password);
      return translateDuplicate(() => users.create({ username: values.username, email: values.email, passwordHash }));
    },

    /** The user with this email and password, or null; the same work is done either way. */
    async authenticate(email: string, password: string): Promise<User | null> {
      const user = await users.findByEmail(email);
      const matches = await verifyPassword(user?.password_hash ?? (await DUMMY_HASH), password);
      return user && matches ? user : null;
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
      const name = await pictures.save(jpeg);
      let result;
      try {
        result = await users.replaceImageFile(userId, name);
      } catch (error) {
        await discardPicture(name);
        throw error;
      }
      if (!result) {
        await discardPicture(name);
        throw notFound('User not found');
      }
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
