// Entry point: read the configuration, start listening, stop cleanly.
import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';

const config = loadConfigOrExit();

const app = await buildApp(config);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing requests in flight');
  // Keep-alive connections that become idle while requests finish would hold
  // the process until their timeout: close them as they go idle.
  setInterval(() => app.server.closeIdleConnections(), 100).unref();
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
