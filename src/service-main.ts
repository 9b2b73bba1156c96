import 'reflect-metadata';
import { createLogger } from './lib/logger.js';
import { SECOND } from './lib/time.js';
import { startService } from './server/app.js';
import { ConfigError, loadConfig } from './server/config.js';

/** Past this, a shutdown that hangs is cut short: better a restart than a stuck process. */
const SHUTDOWN_HARD_LIMIT_MS = 60 * SECOND;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel });
  const service = await startService(config, log);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_HARD_LIMIT_MS).unref();
    service.close().then(
      () => {
        log.info('shutdown complete');
        process.exit(0);
      },
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
