// Housekeeping on a timer: at start, for what a crash left behind; then every
// few minutes (src/services/housekeeping.ts says what it clears). Also, once
// at start, the posts an older version rendered (or none did) are rendered
// in the background, so no reader waits for one.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const EVERY_MS = 5 * 60 * 1000;
/** A periodic sweep leaves alone files listed this recently: their upload may be in flight. */
const SWEEP_GRACE_MS = 60 * 1000;

export default fp(
  function maintenance(app: FastifyInstance, _options: unknown, done: () => void) {
    const { housekeeping, posts } = app.services;
    let closing = false;

    async function renderStalePosts() {
      try {
        const rendered = await posts.renderStale({ stopped: () => closing });
        if (rendered) app.log.info({ rendered }, 'rendered the posts an older version had not');
      } catch (error) {
        if (!closing) app.log.error({ err: error }, 'rendering older posts failed; they are rendered when first read');
      }
    }

    async function run(graceMs: number) {
      try {
        const { picturesRemoved } = await housekeeping.run(graceMs);
        if (picturesRemoved) app.log.info({ removed: picturesRemoved }, 'removed picture files left without a user');
      } catch (error) {
        app.log.error({ err: error }, 'maintenance failed; it will run again');
      }
    }

    // At start nothing of this process is in flight: sweep everything listed.
    app.addHook('onReady', async () => {
      await run(0);
      // Not awaited: a large site serves its readers meanwhile.
      void renderStalePosts();
    });
    const timer = setInterval(() => void run(SWEEP_GRACE_MS), EVERY_MS).unref();
    app.addHook('onClose', (_instance, closed) => {
      closing = true;
      clearInterval(timer);
      closed();
    });
    done();
  },
  { name: 'maintenance', dependencies: ['services'] },
);
