// Who may change what. Every ownership rule is here, so the services apply
// the same one and the routes carry none. Existence is checked first: 404
// comes before 403.
import { forbidden, notFound } from '../errors.js';
import type { User, UserRepository } from '../repositories/users.js';

/** An account (its profile, its picture, the account itself) is changed only by its owner. */
export async function accountToChange(users: UserRepository, actor: User, userId: number): Promise<User> {
  const account = await users.findById(userId);
  if (!account) throw notFound('User not found');
  if (account.id !== actor.id) throw forbidden('Not authorized to modify this user');
  return account;
}

/** A post is changed or deleted only by its author. */
export function assertMayChangePost(actor: User, post: { user_id: number }, action: 'update' | 'delete'): void {
  if (post.user_id !== actor.id) throw forbidden(`Not authorized to ${action} this post`);
}
