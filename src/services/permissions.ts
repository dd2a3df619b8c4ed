// Who may change what. Every ownership rule is here, so the services apply
// the same one and the routes carry none. Existence is checked first: 404
// comes before 403. An admin may also edit and delete any post and delete
// any account: a moderator's action, which the caller records in the audit log.
import { conflict, forbidden, notFound } from '../errors.js';
import type { User, UserRepository } from '../repositories/users.js';

export const isAdmin = (user: User | null | undefined): boolean => user?.role === 'admin';

/** Who is reading: a user, nobody, or a way to find out, asked only when it matters (a draft, a suspended author). */
export type Viewer = User | null | (() => Promise<User | null>);

export const resolveViewer = async (viewer: Viewer) => (typeof viewer === 'function' ? await viewer() : viewer);

/** Whether the action is the owner's own, or a moderator's on someone else's. */
export type Acting = 'owner' | 'moderator';

/**
 * An account (its profile, its picture) is changed only by its owner; it is
 * deleted by its owner or by an admin.
 */
export async function accountToChange(
  users: UserRepository,
  actor: User,
  userId: number,
  action: 'update' | 'delete' = 'update',
): Promise<{ account: User; acting: Acting }> {
  const account = await users.findById(userId);
  if (!account) throw notFound('User not found');
  if (account.id === actor.id) return { account, acting: 'owner' };
  if (action === 'delete' && isAdmin(actor)) return { account, acting: 'moderator' };
  throw forbidden('Not authorized to modify this user');
}

/** A post is changed or deleted by its author, or by an admin. */
export function mayChangePost(actor: User, post: { user_id: number }, action: 'update' | 'delete'): Acting {
  if (post.user_id === actor.id) return 'owner';
  if (isAdmin(actor)) return 'moderator';
  throw forbidden(`Not authorized to ${action} this post`);
}

/** The admin-only operations (/api/admin). */
export function assertAdmin(actor: User): void {
  if (!isAdmin(actor)) throw forbidden('Admins only');
}

/**
 * Refuses a change that would leave no admin in good standing. `admins` are
 * the ids lockActiveAdmins() returned, in the same transaction.
 */
export function assertKeepsAnAdmin(admins: readonly number[], leaving: number): void {
  if (admins.includes(leaving) && admins.length <= 1) throw conflict('The site must keep at least one admin');
}
