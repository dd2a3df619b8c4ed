// Entry point: read the configuration, start listening, stop cleanly.
// With WORKERS=n (n > 1) a primary process applies the migrations once, then
// forks n workers that share the port (node:cluster) and restarts any that
// crash; SIGTERM/SIGINT to the primary stop every worker gracefully.
import cluster from 'node:cluster';
import { buildApp } from './app.js';
import { loadConfigOrExit, type Config } from './config/index.js';
import { createDatabase, migrateToLatest } from './db/database.js';

const config = loadConfigOrExit();

async function runServer(config: Config) {
  const app = await buildApp(config);

  let closing = false;
  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // Keep-alive connections that become idle while requests finish would hold
    // the process until their timeout: close them as they go idle.
    setInterval(() => {
      app.server.closeIdleConnections();
    }, 100).unref();
    try {
      await app.close(); // stops accepting, waits for in-flight requests, closes the database
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    const address = await app.listen({ port: config.port, host: config.host });
    app.log.info(`blog listening on ${address} (docs at ${address}/docs)`);
  } catch (error) {
    app.log.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
}

async function runPrimary(config: Config) {
  // Migrate once here, so the workers never race each other to do it.
  const db = createDatabase(config.databaseUrl, { poolSize: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  let stopping = false;
  // glibc gives each thread that mallocs its own arena and keeps what was
  // freed there: every thread-pool thread that ever hashed a password holds
  // on to Argon2's 19 MiB buffer (about +75 MB after a few logins). Two
  // arenas bound that; an explicit setting wins. Other C libraries ignore it.
  const workerEnv = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
  const fork = () => cluster.fork(workerEnv);
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const how = worker.process.signalCode ?? worker.process.exitCode ?? 'unknown';
    console.error(`worker ${worker.process.pid} exited (${how}); starting another`);
    fork();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (config.workers > 1 && cluster.isPrimary) await runPrimary(config);
else await runServer(config);
