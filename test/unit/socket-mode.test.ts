import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { validEnv } from '../support/env.js';

/** createApp only closes over deps; nothing here connects anywhere. */
function appFor(env: Record<string, string>) {
  const deps = {
    config: loadConfig({ ...validEnv, ...env }),
    logger: createLogger({ level: 'silent' }),
  } as unknown as AppDeps;
  return createApp(deps) as unknown as {
    receiver: {
      constructor: { name: string };
      httpServerPort?: number;
      routes: Record<string, unknown>;
      client?: { webClient: { slackApiUrl: string } };
    };
  };
}

describe('Slack transport', () => {
  it('when SLACK_APP_TOKEN is set, then Socket Mode serves the Stripe and Connect routes on PORT and uses SLACK_API_URL', () => {
    const app = appFor({ SLACK_APP_TOKEN: 'xapp-1-abc', PORT: '4321', SLACK_API_URL: 'http://127.0.0.1:4100/api/' });
    expect(app.receiver.constructor.name).toBe('SocketModeReceiver');
    expect(app.receiver.httpServerPort).toBe(4321);
    expect(Object.keys(app.receiver.routes)).toEqual(
      expect.arrayContaining(['/healthz', '/stripe/webhooks', '/connect/start', '/connect/refresh', '/connect/return']),
    );
    expect(app.receiver.client?.webClient.slackApiUrl).toBe('http://127.0.0.1:4100/api/');
  });

  it('without SLACK_APP_TOKEN, Slack posts to /slack/events over HTTP', () => {
    const app = appFor({});
    expect(app.receiver.constructor.name).toBe('HTTPReceiver');
    expect(Object.keys(app.receiver.routes)).toContain('/stripe/webhooks');
  });
});
