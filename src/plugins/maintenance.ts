// Housekeeping: at start, remove picture files a crash left without a user;
// then, every few minutes, the same for old leftovers and expired rows of
// the revocation and rate-limit tables.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const EVERY_MS = 5 * 60 * 1000;
/** A periodic sweep leaves alone files listed this recently: their upload may be in flight. */
const SWEEP_GRACE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export default fp(
  async function maintenance(app: FastifyInstance) {
    const { accounts, repositories, log } = app;

    async function run(graceMs: number) {
      try {
        const removed = await accounts.sweepPictures(graceMs);
        if (removed) log.info({ removed }, 'removed picture files left without a user');
        await repositories.revokedTokens.purgeExpired(Math.floor(Date.now() / 1000));
        await repositories.rateLimits.purgeOlderThan(Date.now() - DAY_MS);
      } catch (error) {
        log.error({ err: error }, 'maintenance failed; it will run again');
      }
    }

    // At start nothing of this process is in flight: sweep everything listed.
    app.addHook('onReady', () => run(0));
    const timer = setInterval(() => void run(SWEEP_GRACE_MS), EVERY_MS).unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'maintenance', dependencies: ['services'] },
);
