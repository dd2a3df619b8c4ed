// The composition root: the database, the repositories over it, the picture
// store, the mailer and the services, built once per app from the
// configuration, and the gauges read from them at a scrape (src/metrics).
// Routes and plugins reach the services through `app.services`; the
// repositories and the mailer are decorated too, for the command-line tools
// and the tests.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config/index.js';
import { createDatabase, migrateToLatest, poolOf, type DB } from '../db/database.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { createMarkdownRenderer } from '../markdown/index.js';
import type { Metrics } from '../metrics/index.js';
import { createRepositories, type Repositories } from '../repositories/index.js';
import { createServices, type Services } from '../services/index.js';
import { createLocalPictureStore, localPictureDirectory } from '../storage/local-picture-store.js';
import type { PictureStore } from '../storage/picture-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: DB;
    repositories: Repositories;
    pictureStore: PictureStore;
    mailer: Mailer;
    services: Services;
  }
}

export interface ServicesOptions {
  config: Config;
  /** The app's metrics: the services count into them. */
  metrics: Metrics;
  /** The clock of the services (epoch ms); tests move it. */
  now?: () => number;
}

export default fp(
  async function services(app: FastifyInstance, options: ServicesOptions) {
    const { config, metrics } = options;
    const now = options.now ?? (() => Date.now());
    const db = createDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }

    const repositories = createRepositories(db);
    metrics.watchOutbox(() => repositories.mailOutbox.countWaiting());
    const pool = poolOf(db);
    if (pool) metrics.watchPool(pool);
    // The AWS SDK is large: loaded only when the site stores pictures in S3.
    const store = config.s3
      ? (await import('../storage/s3-picture-store.js')).createS3PictureStore(config.s3)
      : createLocalPictureStore(localPictureDirectory(config.dataDir));

    const markdown = createMarkdownRenderer(config.publicUrl);
    let wakeMailer: () => void = () => undefined;
    const services = createServices({
      config,
      db,
      repositories,
      store,
      markdown,
      log: app.log,
      metrics,
      now,
      onMailQueued: () => {
        wakeMailer();
      },
    });
    const mailer = createMailer({
      settings: config.mail,
      dataDir: config.dataDir,
      outbox: repositories.mailOutbox,
      compose: services.composeMail,
      log: app.log.child({ component: 'mail' }),
      metrics,
      now,
    });
    wakeMailer = mailer.wake;

    app.addHook('onReady', (done) => {
      mailer.start();
      done();
    });
    // One hook, in order: the mail in flight may finish before the database closes.
    app.addHook('onClose', async () => {
      await mailer.stop();
      await markdown.close();
      store.close?.();
      await db.destroy();
    });

    app.decorate('config', config);
    app.decorate('db', db);
    app.decorate('repositories', repositories);
    app.decorate('pictureStore', store);
    app.decorate('mailer', mailer);
    app.decorate('services', services);
  },
  { name: 'services' },
);
