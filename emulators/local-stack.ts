import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type RunningBot, startBot } from '../src/server.js';
import { sparePort } from './loopback.js';
import { type RedisServerHandle, startRedisServer } from './redis-server.js';
import { type FakeSlack, startFakeSlack } from './slack/fake-slack.js';
import { createSlackSender, type SlackSender } from './slack/signed-requests.js';
import { type StripeEmulator, type StripeEmulatorOptions, startStripeEmulator } from './stripe/server.js';

/** The seeded people of the local stack: tests, the demo, benchmarks and the sandbox use them. */
export const PEOPLE = {
  requester: 'UREQUESTER',
  approver1: 'UAPPROVER1',
  approver2: 'UAPPROVER2',
  seller1: 'USELLER1',
  seller2: 'USELLER2',
  outsider: 'UOUTSIDER',
} as const;
export const CHANNELS = { ops: 'COPS', approvals: 'CAPPROVALS', general: 'CGENERAL' } as const;
export const SIGNING_SECRET = 'test-signing-secret';
export const WEBHOOK_SECRETS = { platform: 'whsec_platform_test', connect: 'whsec_connect_test' } as const;

/** Every log line the bot wrote, parsed. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.raw.push(line);
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON: kept in raw only
      }
    }
    done();
  }
}

/** The bot's environment on the local stack: seeded channels and people, the emulators, a loopback URL. */
export function seededBotEnv(parts: {
  slackApiUrl: string;
  stripeUrl: string;
  redisUrl: string;
  port: number;
  signingSecret: string;
  webhookSecrets: { platform: string; connect: string };
}): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: parts.signingSecret,
    SLACK_API_URL: parts.slackApiUrl,
    SLACK_OPS_CHANNEL: CHANNELS.ops,
    SLACK_APPROVALS_CHANNEL: CHANNELS.approvals,
    PAYOUT_REQUESTERS: PEOPLE.requester,
    PAYOUT_APPROVERS: `${PEOPLE.approver1},SAPPROVERS`,
    DUAL_APPROVAL_THRESHOLDS: 'usd:1000,eur:1000',
    STRIPE_WEBHOOK_SECRET: `${parts.webhookSecrets.platform},${parts.webhookSecrets.connect}`,
    STRIPE_API_BASE: parts.stripeUrl,
    REDIS_URL: parts.redisUrl,
    PUBLIC_URL: `http://127.0.0.1:${parts.port}`,
    PORT: String(parts.port),
  };
}

/** A clock tests can move forward, e.g. past a request's expiry. */
export const testClock = { offsetMs: 0, now: () => new Date(Date.now() + testClock.offsetMs) };

export interface HarnessOptions {
  env?: Record<string, string>;
  stripe?: StripeEmulatorOptions;
  /** A private redis-server (default), or `env` naming a Redis already running (e.g. a Cluster or a Sentinel set). */
  redis?: { appendonly?: boolean } | { env: Record<string, string> };
}

/** Redis, the Stripe emulator, the fake Slack and the bot itself, wired together on loopback. */
export interface Harness {
  /** The private redis-server; undefined when the harness was given a Redis to use. */
  redis: RedisServerHandle | undefined;
  stripe: StripeEmulator;
  slack: FakeSlack;
  env: Record<string, string>;
  bot: RunningBot;
  sender: SlackSender;
  baseUrl: string;
  logs: LogCapture;
  /** Starts another bot process-alike on the same Redis and emulators (e.g. a second worker, or after a "crash"). */
  startAnotherBot(env?: Record<string, string>): Promise<RunningBot>;
  stop(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const redisOption = options.redis ?? {};
  const given = 'env' in redisOption ? redisOption.env : undefined;
  const redis =
    'env' in redisOption ? undefined : await startRedisServer({ appendonly: redisOption.appendonly ?? false });
  const stripe = await startStripeEmulator({
    balances: { usd: 5_000_00, eur: 2_000_00 },
    webhookRetry: { attempts: 3, delayMs: 50 },
    ...options.stripe,
  });
  const slack = await startFakeSlack({
    botToken: 'xoxb-test-token',
    users: Object.entries(PEOPLE).map(([role, id]) => ({
      id,
      name: role,
      email: `${role}@example.com`,
      tz: 'Europe/Paris',
    })),
    usergroups: { SAPPROVERS: [PEOPLE.approver2] },
  });
  const port = await sparePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...seededBotEnv({
      slackApiUrl: slack.apiUrl,
      stripeUrl: stripe.url,
      redisUrl: redis?.url ?? '',
      port,
      signingSecret: SIGNING_SECRET,
      webhookSecrets: WEBHOOK_SECRETS,
    }),
    ...given,
    SLACK_BOT_TOKEN: slack.botToken,
    STRIPE_SECRET_KEY: 'sk_test_payoutops',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const logs = new LogCapture();
  const bots: RunningBot[] = [];
  const launch = async (extra: Record<string, string> = {}) => {
    const bot = await startBot(
      loadConfig({ ...env, ...extra }),
      createLogger({ level: env.LOG_LEVEL ?? 'info', destination: logs }),
      { clock: testClock },
    );
    bots.push(bot);
    return bot;
  };
  const bot = await launch();
  stripe.control.addWebhookEndpoint({
    url: `${baseUrl}/stripe/webhooks`,
    secret: WEBHOOK_SECRETS.connect,
    connect: true,
  });
  stripe.control.addWebhookEndpoint({
    url: `${baseUrl}/stripe/webhooks`,
    secret: WEBHOOK_SECRETS.platform,
    connect: false,
  });
  const sender = createSlackSender({
    appUrl: `${baseUrl}/slack/events`,
    signingSecret: SIGNING_SECRET,
    fakeSlack: slack,
  });
  return {
    redis,
    stripe,
    slack,
    env,
    bot,
    sender,
    baseUrl,
    logs,
    startAnotherBot: (extra = {}) => launch({ PORT: '0', ...extra }),
    async stop() {
      for (const b of bots.reverse()) await b.stop().catch(() => undefined);
      await stripe.close();
      await slack.close();
      await redis?.stop();
    },
  };
}

/** The URL of the first URL button in a message's blocks. */
export function buttonUrl(blocks: unknown[] | undefined): string | undefined {
  for (const block of (blocks ?? []) as { type: string; elements?: { url?: string }[] }[]) {
    const url = block.elements?.find((e) => e.url)?.url;
    if (url) return url;
  }
  return undefined;
}

/** All text of a message, blocks included, for assertions. */
export function messageText(message: { text?: string; blocks?: unknown[] } | undefined): string {
  return message ? `${message.text ?? ''}\n${JSON.stringify(message.blocks ?? [])}` : '';
}
