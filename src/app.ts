import { App, type CustomRoute } from '@slack/bolt';
import type { Worker } from 'bullmq';
import { register as registerActions } from '../actions/index.js';
import { register as registerCommands } from '../commands/index.js';
import { register as registerEvents } from '../events/index.js';
import { register as registerShortcuts } from '../shortcuts/index.js';
import { register as registerViews } from '../views/index.js';
import type { AppDeps, CommandDeps } from './deps.js';
import { commandDeps, slackClientOptions } from './deps.js';
import { connectRoutes } from './http/connect-routes.js';
import { opsRoutes } from './http/ops-routes.js';
import { createSlackReceiver } from './http/slack-receiver.js';
import { stripeWebhookRoute } from './http/stripe-webhook-route.js';
import { createBoltLogger } from './slack/bolt-logger.js';
import { inertInput } from './slack/inert-input.js';
import { originGuard } from './slack/origin-guard.js';

export function httpRoutes(deps: AppDeps, workers?: () => Worker[] | undefined): CustomRoute[] {
  return [...opsRoutes(deps, workers), stripeWebhookRoute(deps), ...connectRoutes(deps)];
}

/** Every Bolt listener, one folder per kind as in Slack's bolt-ts-starter-template; they see only CommandDeps. */
export function registerListeners(app: App, deps: CommandDeps): void {
  // Before every listener, so no button, modal or picker query can skip it.
  app.use(originGuard(deps));
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  registerShortcuts(app, deps);
}

/**
 * The Bolt app with every listener and HTTP route. Over HTTP Slack posts to /slack/events;
 * with SLACK_APP_TOKEN it uses Socket Mode and Bolt serves the same routes on PORT.
 */
export function createApp(deps: AppDeps, workers?: () => Worker[] | undefined): App {
  const { config } = deps;
  const clientOptions = slackClientOptions(config, deps.logger);
  const logger = createBoltLogger(deps.logger.child({ component: 'bolt' }));
  const common = { token: config.SLACK_BOT_TOKEN, logger, clientOptions };
  const customRoutes = httpRoutes(deps, workers);
  const app = config.SLACK_APP_TOKEN
    ? new App({
        ...common,
        customRoutes,
        socketMode: true,
        appToken: config.SLACK_APP_TOKEN,
        installerOptions: { port: config.PORT, clientOptions },
      })
    : new App({
        ...common,
        receiver: createSlackReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET,
          customRoutes,
          boltLogger: logger,
          logger: deps.logger,
        }),
      });
  app.use(inertInput);
  registerListeners(app, commandDeps(deps));
  app.error(async (error) => {
    deps.logger.error({ err: error, event: 'bolt.error' }, 'unhandled error in a Slack listener');
  });
  return app;
}
