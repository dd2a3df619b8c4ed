// Probes for load balancers and orchestrators.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';

const Status = Type.Object({ status: Type.String() });

const healthRoutes: FastifyPluginCallbackTypebox = (app, _options, done) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: Status } } }, () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true, response: { 200: Status, 503: Status } } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(app.db);
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'database not reachable');
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });
  done();
};

export default healthRoutes;
