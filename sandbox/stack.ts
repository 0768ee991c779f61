import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { DestinationStream } from 'pino';
import { CHANNELS, PEOPLE, seededBotEnv } from '../emulators/local-stack.js';
import { listenOnLoopback, sparePort } from '../emulators/loopback.js';
import { startRedisServer } from '../emulators/redis-server.js';
import { type FakeSlack, startFakeSlack } from '../emulators/slack/fake-slack.js';
import { createSlackSender } from '../emulators/slack/signed-requests.js';
import { type StripeEmulator, startStripeEmulator } from '../emulators/stripe/server.js';
import { advanceOneDay, type TimeMachine } from '../emulators/time-travel.js';
import { loadConfig } from '../src/config.js';
import { dayOf, isBusinessDay } from '../src/domain/business-days.js';
import { createLogger } from '../src/logger.js';
import { type RunningBot, startBot } from '../src/server.js';
import {
  type ConsoleServer,
  type SandboxChannel,
  type SandboxPerson,
  type SandboxTime,
  startConsoleServer,
} from './console-server.js';

/** Only in the sandbox: a person on both lists, to try the rule that nobody approves their own request. */
const LEAD = 'ULEAD';

/** The seeded people, in the order the person switcher lists them. */
export const SANDBOX_PEOPLE: SandboxPerson[] = [
  { id: PEOPLE.requester, name: 'requester', role: 'requester: invites sellers, asks for top-ups and transfers' },
  { id: PEOPLE.approver1, name: 'approver1', role: 'approver (listed in PAYOUT_APPROVERS)' },
  { id: PEOPLE.approver2, name: 'approver2', role: 'approver (through the SAPPROVERS user group)' },
  { id: LEAD, name: 'lead', role: "requester and approver: may decide the others' requests, never their own" },
  { id: PEOPLE.seller1, name: 'seller1', role: 'seller' },
  { id: PEOPLE.seller2, name: 'seller2', role: 'seller' },
  { id: PEOPLE.outsider, name: 'outsider', role: 'on no list: sees what refusals look like' },
];

export const SANDBOX_CHANNELS: SandboxChannel[] = [
  { id: CHANNELS.ops, name: 'ops', topic: 'SLACK_OPS_CHANNEL: onboarding and top-up news' },
  { id: CHANNELS.approvals, name: 'approvals', topic: 'SLACK_APPROVALS_CHANNEL: requests with Approve and Reject' },
  { id: CHANNELS.general, name: 'general', topic: 'Anyone can type /payout here' },
];

/**
 * Bot settings a sandbox user may change through the environment (e.g. `APPROVAL_TTL_SECONDS=60 npm run sandbox`).
 * Tokens, secrets and URLs always point at the emulators, so the sandbox never reaches Slack or Stripe.
 */
const POLICY_VARIABLES = [
  'DUAL_APPROVAL_THRESHOLDS',
  'MAX_REQUEST_AMOUNTS',
  'APPROVAL_TTL_SECONDS',
  'STRIPE_TRANSFERS_PER_SECOND',
  'SWEEP_INTERVAL_SECONDS',
  'EXECUTING_TIMEOUT_SECONDS',
  'WORKER_LOCK_SECONDS',
  'VELOCITY_DAILY_TOTAL',
  'VELOCITY_DAILY_PER_SELLER',
] as const;

export interface SandboxOptions {
  /** The console's port on 127.0.0.1; 0 picks a spare one. Default 3000. */
  port?: number;
  /** An existing Redis (must be `maxmemory-policy noeviction`); otherwise a private redis-server is started. */
  redisUrl?: string;
  /** The bot's pino level; default `info`. */
  logLevel?: string;
  /** Where the bot's log lines go; default stdout. */
  logDestination?: DestinationStream;
  /** Policy overrides, e.g. from process.env: only the keys in POLICY_VARIABLES are read. */
  env?: Record<string, string | undefined>;
  /** Initial platform balances in minor units; default usd 5,000.00 and eur 2,000.00. */
  balances?: Record<string, number>;
}

export interface Sandbox {
  consoleUrl: string;
  botUrl: string;
  stripeUrl: string;
  redisUrl: string;
  /** Whether the Redis is our own temporary redis-server (false with REDIS_URL). */
  ownRedis: boolean;
  stripe: StripeEmulator;
  slack: FakeSlack;
  bot: RunningBot;
  console: ConsoleServer;
  stop(): Promise<void>;
}

/**
 * Everything on one machine, on loopback: Redis, the Stripe emulator (with its hosted onboarding page), the Slack
 * Web API stand-in, the real bot pointed at both through SLACK_API_URL and STRIPE_API_BASE, and the console web page.
 * The bot is started exactly as in production (`startBot(loadConfig(env))`); it cannot tell it runs in a sandbox.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const port = options.port ?? 3000;
  // Fail before starting anything when the console's port is taken.
  if (port !== 0) await assertPortFree(port);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => console.error('sandbox: error while stopping:', error));
    stops.length = 0;
  };
  try {
    const redis = options.redisUrl ? undefined : await startRedisServer({ appendonly: false });
    const redisUrl = options.redisUrl ?? redis!.url;
    if (redis) stops.push(() => redis.stop());

    const stripe = await startStripeEmulator({ balances: options.balances ?? { usd: 5_000_00, eur: 2_000_00 } });
    stops.push(() => stripe.close());

    const slack = await startFakeSlack({
      botToken: 'xoxb-sandbox-token',
      users: SANDBOX_PEOPLE.map((p) => ({
        id: p.id,
        name: p.name,
        email: `${p.name}@example.com`,
        tz: 'Europe/Paris',
      })),
      usergroups: { SAPPROVERS: [PEOPLE.approver2] },
    });
    stops.push(() => slack.close());

    const signingSecret = randomBytes(16).toString('hex');
    const webhookSecrets = {
      platform: `whsec_${randomBytes(12).toString('hex')}`,
      connect: `whsec_${randomBytes(12).toString('hex')}`,
    };
    const botPort = await sparePort();
    const botUrl = `http://127.0.0.1:${botPort}`;
    const policy = Object.fromEntries(
      POLICY_VARIABLES.flatMap((name) => (options.env?.[name] ? [[name, options.env[name]] as const] : [])),
    );
    const env: Record<string, string> = {
      ...seededBotEnv({
        slackApiUrl: slack.apiUrl,
        stripeUrl: stripe.url,
        redisUrl,
        port: botPort,
        signingSecret,
        webhookSecrets,
      }),
      SLACK_BOT_TOKEN: slack.botToken,
      STRIPE_SECRET_KEY: 'sk_test_sandbox',
      PAYOUT_REQUESTERS: `${PEOPLE.requester},${LEAD}`,
      PAYOUT_APPROVERS: `${PEOPLE.approver1},${LEAD},SAPPROVERS`,
      LOG_LEVEL: options.logLevel ?? 'info',
      ...policy,
    };
    const logger = createLogger({
      level: env.LOG_LEVEL ?? 'info',
      ...(options.logDestination ? { destination: options.logDestination } : {}),
    });
    // The bot's clock and the emulator's move together when the console's "next day" is pressed.
    const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
    const bot = await startBot(loadConfig(env), logger, { clock });
    stops.push(() => bot.stop());
    stripe.control.addWebhookEndpoint({
      url: `${botUrl}/stripe/webhooks`,
      secret: webhookSecrets.connect,
      connect: true,
    });
    stripe.control.addWebhookEndpoint({
      url: `${botUrl}/stripe/webhooks`,
      secret: webhookSecrets.platform,
      connect: false,
    });

    const sender = createSlackSender({ appUrl: `${botUrl}/slack/events`, signingSecret, fakeSlack: slack });
    const consoleServer = await startConsoleServer({
      port,
      slack,
      stripe,
      sender,
      people: SANDBOX_PEOPLE,
      channels: SANDBOX_CHANNELS,
      botUrl,
      time: sandboxTime({ stripe, deps: bot.deps, clock, teamId: SANDBOX_TEAM_ID }),
    });
    stops.push(() => consoleServer.close());

    let stopping: Promise<void> | undefined;
    return {
      consoleUrl: consoleServer.url,
      botUrl,
      stripeUrl: stripe.url,
      redisUrl,
      ownRedis: redis !== undefined,
      stripe,
      slack,
      bot,
      console: consoleServer,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function assertPortFree(port: number): Promise<void> {
  const probe = createServer();
  try {
    await listenOnLoopback(probe, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `Port ${port} on 127.0.0.1 is already in use: stop what uses it, or pick another with SANDBOX_PORT=${port === 3000 ? 3100 : 3000} npm run sandbox`,
    );
  }
  await new Promise((resolve) => probe.close(resolve));
}

/** The team the fake Slack signs requests for. */
const SANDBOX_TEAM_ID = 'T0TEAM';

function sandboxTime(machine: TimeMachine): SandboxTime {
  return {
    async summary() {
      const forecast = await machine.deps.funding.forecast();
      const shortfalls = forecast.currencies.flatMap((c) =>
        c.shortfalls
          .slice(0, 1)
          .map((s) => ({ currency: s.currency, day: s.day, amount: s.amount, lastTopupDay: s.lastTopupDay })),
      );
      return { today: forecast.today, shortfalls };
    },
    async nextDay() {
      const fired: string[] = [];
      do fired.push(...(await advanceOneDay(machine)));
      while (!isBusinessDay(dayOf(machine.deps.clock.now()), machine.deps.config.FUNDING_HOLIDAYS));
      return { fired };
    },
  };
}
