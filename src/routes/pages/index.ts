// The web pages. They are rendered on the server already knowing who is
// signed in (from the HttpOnly session cookie), and use the same services as
// the API; errors on these paths are pages in the same layout.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toUserPrivate } from '../../presenters/users.js';
import { sendHtml } from '../../views/html.js';
import { errorPage } from '../../views/pages/index.js';
import accountPages from './account.js';
import adminPages from './admin.js';
import readingPages from './reading.js';
import recoveryPages from './recovery.js';
import searchPages from './search.js';
import signInPages from './sign-in.js';
import twoFactorPages from './two-factor.js';

const pagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', async (request) => {
    await app.loadCurrentUser(request);
  });

  // Error pages for every non-/api path, in the site's layout.
  app.setErrorPageRenderer(async (status, message, request, reply) => {
    const user = request.currentUser ?? (await app.loadCurrentUser(request).catch(() => null));
    return sendHtml(reply, status, errorPage(user ? toUserPrivate(user) : null, status, message));
  });

  await app.register(readingPages);
  await app.register(signInPages);
  await app.register(accountPages);
  await app.register(twoFactorPages);
  await app.register(recoveryPages);
  await app.register(searchPages);
  await app.register(adminPages);
};

export default pagesRoutes;
