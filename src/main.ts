import { RedisPolicyError } from './adapters/redis/connection.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { installProcessGuards } from './process-guards.js';
import { startBot } from './server.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`payout-ops cannot start.\n${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  const bot = startBot(config, logger);

  let stopping = false;
  const drainAndExit = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'bot.draining', reason }, 'draining: no new requests, finishing running jobs');
    const timer = setTimeout(() => {
      logger.error({ event: 'bot.drain_timeout' }, 'drain took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    timer.unref();
    bot
      .then((running) => running.stop())
      .then(
        () => process.exit(exitCode),
        (error: unknown) => {
          logger.error({ err: error }, 'error while draining');
          process.exit(1);
        },
      );
  };
  // Listening before start-up ends: /healthz answers while the workers still start, and a SIGTERM then must drain
  // (once start-up ends) rather than kill the process.
  process.on('SIGTERM', () => drainAndExit('SIGTERM', 0));
  process.on('SIGINT', () => drainAndExit('SIGINT', 0));

  try {
    await bot;
  } catch (error) {
    if (error instanceof RedisPolicyError) {
      logger.fatal({ event: 'bot.refused_redis' }, error.message);
      process.exit(78);
    }
    throw error;
  }
  installProcessGuards(process, logger, drainAndExit);
}

main().catch((error: unknown) => {
  process.stderr.write(`payout-ops failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
