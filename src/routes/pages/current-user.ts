import type { FastifyRequest } from 'fastify';
import { toUserPrivate } from '../../presenters/users.js';
import type { UserPrivateBody } from '../../schemas/users.js';

/** The signed-in user as the pages show them, or null. */
export const presentCurrentUser = (request: FastifyRequest): UserPrivateBody | null =>
  request.currentUser ? toUserPrivate(request.currentUser) : null;
