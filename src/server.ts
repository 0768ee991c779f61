import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { buildDeps, type AppDeps } from './deps.js';
import { createApp } from './app.js';
import { assertNoEviction } from './adapters/redis/connection.js';
import { healthRoute } from './http/health-route.js';
import { startWorkers, type Workers } from '../jobs/index.js';
import type { Clock } from './domain/clock.js';

export interface RunningBot {
  deps: AppDeps;
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
  if (config.ROLE === 'worker') {
    // Workers serve only /healthz, so an orchestrator can probe every role the same way.
    const health = healthRoute(deps.redis);
    healthServer = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.split('?')[0] === health.path) return void health.handler(req, res);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => healthServer!.listen(config.PORT, resolve));
    port = (healthServer.address() as AddressInfo).port;
  } else {
    app = createApp(deps);
    const started = (await app.start(config.PORT)) as Server | undefined;
    const address = started?.address?.();
    port = address && typeof address === 'object' ? address.port : config.PORT;
  }
  const workers: Workers | undefined = config.ROLE === 'web' ? undefined : await startWorkers(deps);
  logger.info({ event: 'bot.started', role: config.ROLE, port, socketMode: Boolean(config.SLACK_APP_TOKEN) }, 'payout-ops started');

  return {
    deps,
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
