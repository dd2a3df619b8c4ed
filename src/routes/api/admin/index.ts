// /api/admin: moderation. Every route needs a signed-in admin (403 for
// anyone else), which the moderation and invitation services check.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import auditRoutes from './audit.js';
import invitationRoutes from './invitations.js';
import adminUserRoutes from './users.js';

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(adminUserRoutes);
  await app.register(invitationRoutes);
  await app.register(auditRoutes);
};

export default adminRoutes;
