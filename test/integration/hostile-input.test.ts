import { type ChildProcess, spawn } from 'node:child_process';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE, SIGNING_SECRET, seededBotEnv, WEBHOOK_SECRETS } from '../../emulators/local-stack.js';
import { sparePort } from '../../emulators/loopback.js';
import { type RedisServerHandle, startRedisServer } from '../../emulators/redis-server.js';
import { type FakeSlack, startFakeSlack } from '../../emulators/slack/fake-slack.js';
import { createSlackSender, type SlackSender } from '../../emulators/slack/signed-requests.js';
import { type StripeEmulator, startStripeEmulator } from '../../emulators/stripe/server.js';
import { eventually } from '../support/eventually.js';

// The bot runs as its own process (src/main.ts), as in production: a request that kills it shows as an exit here.
let redis: RedisServerHandle;
let stripe: StripeEmulator;
let slack: FakeSlack;
let bot: ChildProcess;
let output = '';
let baseUrl: string;
let sender: SlackSender;

beforeAll(async () => {
  redis = await startRedisServer();
  stripe = await startStripeEmulator();
  slack = await startFakeSlack({ users: Object.entries(PEOPLE).map(([role, id]) => ({ id, name: role })) });
  const port = await sparePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...seededBotEnv({
      slackApiUrl: slack.apiUrl,
      stripeUrl: stripe.url,
      redisUrl: redis.url,
      port,
      signingSecret: SIGNING_SECRET,
      webhookSecrets: WEBHOOK_SECRETS,
    }),
    SLACK_BOT_TOKEN: slack.botToken,
    STRIPE_SECRET_KEY: 'sk_test_hostile',
    LOG_LEVEL: 'info',
  };
  bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bot.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  bot.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(
    async () =>
      (await fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )) || undefined,
    { timeoutMs: 20_000, what: 'the bot answering /healthz' },
  );
  sender = createSlackSender({ appUrl: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET, fakeSlack: slack });
}, 40_000);

afterAll(async () => {
  if (bot && bot.exitCode === null) {
    bot.kill('SIGTERM');
    await new Promise((resolve) => bot.once('exit', resolve));
  }
  await slack?.close();
  await stripe?.close();
  await redis?.stop();
});

const FORM = 'application/x-www-form-urlencoded';
const form = (payload: string) => new URLSearchParams({ payload }).toString();
const blockAction = (fields: Record<string, unknown>) =>
  form(
    JSON.stringify({
      type: 'block_actions',
      team: { id: 'T0TEAM' },
      api_app_id: 'A0APP',
      trigger_id: '1.2.abc',
      container: { type: 'message', channel_id: CHANNELS.approvals, message_ts: '1.000001' },
      ...fields,
    }),
  );
const webhookSignature = (payload: string) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRETS.platform });

/** Signed with the real secrets, so each body gets past the signature check and reaches the parsing behind it. */
const SLACK_BODIES: [string, string, string][] = [
  ['a null payload', form('null'), FORM],
  ['a payload that is not JSON', form('{not json'), FORM],
  ['a payload that is a JSON string', form('"block_actions"'), FORM],
  ['a payload that is an array', form('[1,2]'), FORM],
  ['an empty body', '', FORM],
  ['a JSON body with the form content type missing', '{"type":"block_actions"}', 'text/plain'],
  ['a JSON null body', 'null', 'application/json'],
  [
    'a block_actions without user',
    blockAction({ actions: [{ type: 'button', action_id: 'request_approve', value: 'req_x' }] }),
    FORM,
  ],
  ['a block_actions without actions', blockAction({ user: { id: PEOPLE.approver1 } }), FORM],
  [
    'a block_actions whose actions are not objects',
    blockAction({ user: { id: PEOPLE.approver1 }, actions: [null, 3] }),
    FORM,
  ],
  [
    'a view_submission without view',
    form(JSON.stringify({ type: 'view_submission', team: { id: 'T0TEAM' }, user: { id: PEOPLE.requester } })),
    FORM,
  ],
  [
    'a view_submission whose view has no state',
    form(
      JSON.stringify({
        type: 'view_submission',
        team: { id: 'T0TEAM' },
        user: { id: PEOPLE.requester },
        view: { id: 'V1', callback_id: 'topup_modal' },
      }),
    ),
    FORM,
  ],
  [
    'a block_suggestion without value',
    form(
      JSON.stringify({
        type: 'block_suggestion',
        team: { id: 'T0TEAM' },
        user: { id: PEOPLE.requester },
        action_id: 'seller',
        block_id: 'seller',
      }),
    ),
    FORM,
  ],
  [
    'a slash command without user_id',
    new URLSearchParams({
      command: '/payout',
      text: 'help',
      team_id: 'T0TEAM',
      channel_id: CHANNELS.general,
    }).toString(),
    FORM,
  ],
  ['a huge body', form('x'.repeat(5 * 1024 * 1024)), FORM],
];

const WEBHOOK_BODIES: [string, string][] = [
  ['a body that is not JSON', '{not json'],
  ['a JSON null', 'null'],
  ['a JSON array', '[]'],
  [
    'an object that is not an event',
    JSON.stringify({ object: 'balance', available: [{ amount: 100, currency: 'usd' }] }),
  ],
  [
    'an event without livemode',
    JSON.stringify({ id: 'evt_1', object: 'event', type: 'topup.succeeded', data: { object: { id: 'tu_1' } } }),
  ],
  ['an empty body', ''],
];

describe('hostile and malformed requests', () => {
  it.each(SLACK_BODIES)(
    'when Slack’s endpoint gets %s, validly signed, then it answers 400 (413 when huge) and runs nothing',
    async (name, body, contentType) => {
      const calls = slack.calls.length;
      const res = await sender.raw(body, contentType);
      expect(res.status).toBe(name === 'a huge body' ? 413 : 400);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(slack.calls.slice(calls).map((c) => c.method)).toEqual([]);
      expect(bot.exitCode).toBeNull();
    },
  );

  it.each(WEBHOOK_BODIES)(
    'when the Stripe webhook gets %s, validly signed, then it answers 400 saying it is not an event',
    async (_name, body) => {
      const res = await fetch(`${baseUrl}/stripe/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': webhookSignature(body) },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'the signed body is not a Stripe event' });
      expect(bot.exitCode).toBeNull();
    },
  );

  it('when every other route gets a body it does not expect, then it answers 4xx', async () => {
    for (const [method, path] of [
      ['POST', '/healthz'],
      ['POST', '/connect/start'],
      ['PUT', '/slack/events'],
      ['POST', '/nowhere'],
      ['GET', '/connect/return?token=%00'],
    ] as const) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: 'null' }),
      });
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  });

  it('when all of that is over, then the same process still answers /healthz and a normal command', async () => {
    expect(bot.exitCode).toBeNull();
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    const res = await sender.slashCommand({ text: 'help', userId: PEOPLE.outsider, channelId: CHANNELS.general });
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.ephemerals(PEOPLE.outsider).some((e) => e.text?.includes('/payout invite')), {
      timeoutMs: 5_000,
    });
    expect(output).not.toMatch(/"level":(50|60)/);
  });
});
