// /api/users, in the order the API document lists them: credentials, accounts, profile pictures.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import accountRoutes from './account.js';
import credentialRoutes from './credentials.js';
import pictureRoutes from './picture.js';

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(credentialRoutes);
  await app.register(accountRoutes);
  await app.register(pictureRoutes);
};

export default usersRoutes;
