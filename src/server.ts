import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Workers } from '../jobs/index.js';
import { assertNoEviction } from './adapters/redis/connection.js';
import type { Config } from './config.js';
import { type AppDeps, buildDeps } from './deps.js';
import type { Clock } from './domain/clock.js';
import { opsRoutes } from './http/ops-routes.js';
import { routeListener } from './http/route-listener.js';
import type { Logger } from './logger.js';

export interface RunningBot {
  deps: AppDeps;
  /** The BullMQ workers this process runs (none on the web role). */
  workers: Workers | undefined;
  /** The HTTP port actually listened on (PORT=0 picks a spare one). */
  port: number;
  stop(): Promise<void>;
}

/** Starts what ROLE asks for: the Slack front and HTTP routes (web), the BullMQ workers (worker), or both (all). */
export async function startBot(config: Config, logger: Logger, overrides: { clock?: Clock } = {}): Promise<RunningBot> {
  const deps = buildDeps(config, logger, overrides);
  try {
    await assertNoEviction(deps.redis, logger);
    await deps.queues.ready();
  } catch (error) {
    await deps.close();
    throw error;
  }
  let app: App | undefined;
  let healthServer: Server | undefined;
  let port: number;
  let workers: Workers | undefined;
  // Readiness on roles that run workers waits for them; the HTTP server is up first so liveness answers meanwhile.
  const runningWorkers = config.ROLE === 'web' ? undefined : () => workers?.current();
  if (config.ROLE === 'worker') {
    // Workers serve the operator routes only (no Slack), so an orchestrator can probe every role the same way.
    healthServer = createServer(routeListener(opsRoutes(deps, runningWorkers)));
    await new Promise<void>((resolve) => healthServer!.listen(config.PORT, resolve));
    port = (healthServer.address() as AddressInfo).port;
  } else {
    // Bolt, its receivers and the listener tree load only on roles that serve Slack (about 20 MB the worker role saves).
    const { createApp } = await import('./app.js');
    app = createApp(deps, runningWorkers);
    const started = (await app.start(config.PORT)) as Server | undefined;
    const address = started?.address?.();
    port = address && typeof address === 'object' ? address.port : config.PORT;
  }
  if (runningWorkers) workers = await (await import('../jobs/index.js')).startWorkers(deps);
  logger.info(
    { event: 'bot.started', role: config.ROLE, port, socketMode: Boolean(config.SLACK_APP_TOKEN) },
    'payout-ops started',
  );

  return {
    deps,
    workers,
    port,
    async stop() {
      // Stop taking requests, let running jobs finish, then close Redis.
      await app?.stop().catch((error: unknown) => logger.warn({ err: error }, 'error stopping the Slack app'));
      if (healthServer) await new Promise((resolve) => healthServer!.close(resolve));
      await workers?.close();
      await deps.close();
      logger.info({ event: 'bot.stopped' }, 'payout-ops stopped');
    },
  };
}
