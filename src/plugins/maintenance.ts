// Housekeeping on a timer: at start, for what a crash left behind; then every
// few minutes (src/services/housekeeping.ts says what it clears).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const EVERY_MS = 5 * 60 * 1000;
/** A periodic sweep leaves alone files listed this recently: their upload may be in flight. */
const SWEEP_GRACE_MS = 60 * 1000;

export default fp(
  function maintenance(app: FastifyInstance, _options: unknown, done: () => void) {
    const { housekeeping } = app.services;

    async function run(graceMs: number) {
      try {
        const { picturesRemoved } = await housekeeping.run(graceMs);
        if (picturesRemoved) app.log.info({ removed: picturesRemoved }, 'removed picture files left without a user');
      } catch (error) {
        app.log.error({ err: error }, 'maintenance failed; it will run again');
      }
    }

    // At start nothing of this process is in flight: sweep everything listed.
    app.addHook('onReady', () => run(0));
    const timer = setInterval(() => void run(SWEEP_GRACE_MS), EVERY_MS).unref();
    app.addHook('onClose', (_instance, closed) => {
      clearInterval(timer);
      closed();
    });
    done();
  },
  { name: 'maintenance', dependencies: ['services'] },
);
