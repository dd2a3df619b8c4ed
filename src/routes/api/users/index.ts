// /api/users, in the order the API document lists them: credentials, two-factor sign-in, recovery,
// the signed-in user, accounts, profile pictures.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import accountRoutes from './account.js';
import credentialRoutes from './credentials.js';
import meRoutes from './me.js';
import passwordResetRoutes from './password-reset.js';
import pictureRoutes from './picture.js';
import twoFactorRoutes from './two-factor.js';

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(credentialRoutes);
  await app.register(twoFactorRoutes);
  await app.register(passwordResetRoutes);
  await app.register(meRoutes);
  await app.register(accountRoutes);
  await app.register(pictureRoutes);
};

export default usersRoutes;
