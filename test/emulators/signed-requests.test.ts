import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../emulators/slack/fake-slack.js';
import { createSlackSender, type SlackSender, slackSignature } from '../../emulators/slack/signed-requests.js';

const signingSecret = 'test-signing-secret';
let fake: FakeSlack;
let app: App;
let slack: SlackSender;
const submissions: Array<{ callbackId: string; privateMetadata: string; amount: unknown }> = [];

beforeAll(async () => {
  fake = await startFakeSlack({ botToken: 'xoxb-test', users: [{ id: 'U0ALICE', name: 'alice' }] });
  app = new App({
    token: 'xoxb-test',
    signingSecret,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });

  app.command('/payout', async ({ ack, respond, command }) => {
    await ack();
    await respond({ text: `Queued payout for ${command.text} (asked by ${command.user_name})` });
  });
  app.action('approve_payout', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !body.message) return;
    const [action] = body.actions;
    await client.chat.update({
      channel: body.channel.id,
      ts: body.message.ts,
      text: `Approved ${action?.type === 'button' ? action.value : ''} by <@${body.user.id}>`,
      blocks: [],
    });
  });
  app.view('payout_modal', async ({ ack, view }) => {
    const amount = view.state.values.amount?.amount_input?.value;
    submissions.push({ callbackId: view.callback_id, privateMetadata: view.private_metadata, amount });
    if (Number(amount) > 0) await ack();
    else await ack({ response_action: 'errors', errors: { amount: 'Enter a positive amount' } });
  });
  app.options('seller_select', async ({ ack, options }) => {
    await ack({
      options: [{ text: { type: 'plain_text', text: `acct_${options.value}` }, value: `acct_${options.value}` }],
    });
  });

  // The default HTTPReceiver takes ListenOptions, so bind loopback on a spare port.
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  slack = createSlackSender({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret, fakeSlack: fake });
});

afterAll(async () => {
  await app.stop();
  await fake.close();
});

beforeEach(() => fake.reset());

describe('signed Slack requests against a real Bolt app', () => {
  it('reproduces the worked example from Slack\'s "Verifying requests" guide', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('accepts a signed slash command and records respond() on the response_url', async () => {
    const result = await slack.slashCommand({ text: 'acct_1 $12', userId: 'U0ALICE', channelId: 'C0PAYOUTS' });
    expect(result.status).toBe(200);
    expect(result.elapsedMs).toBeGreaterThan(0);
    const reply = await fake.waitFor(() => fake.ephemerals('U0ALICE')[0]);
    expect(reply).toMatchObject({
      via: 'response_url',
      channel: 'C0PAYOUTS',
      text: 'Queued payout for acct_1 $12 (asked by alice)',
    });
    expect(fake.callsTo('response_url')).toHaveLength(1);
  });

  it('refuses forged signatures, wrong secrets and stale timestamps with 401', async () => {
    const command = { text: 'acct_1', userId: 'U0ALICE' };
    expect((await slack.slashCommand(command, { signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await slack.slashCommand(command, { secret: 'not-the-secret' })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await slack.slashCommand(command, { timestamp: sixMinutesAgo })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.callsTo('response_url')).toEqual([]);
  });

  it('delivers a button click whose handler updates the original message', async () => {
    const posted = await app.client.chat.postMessage({ channel: 'C0PAYOUTS', text: 'Approve po_1?' });
    const result = await slack.blockAction({
      userId: 'U0ALICE',
      actionId: 'approve_payout',
      value: 'po_1',
      channelId: 'C0PAYOUTS',
      messageTs: posted.ts!,
    });
    expect(result.status).toBe(200);
    const updated = await fake.waitFor(() => {
      const message = fake.message('C0PAYOUTS', posted.ts!);
      return message?.updatedCount ? message : undefined;
    });
    expect(updated.text).toBe('Approved po_1 by <@U0ALICE>');
  });

  it('round-trips a modal: private_metadata from views.open, errors in the ack body', async () => {
    await app.client.views.open({
      trigger_id: '1.1.abc',
      view: {
        type: 'modal',
        callback_id: 'payout_modal',
        private_metadata: 'acct_9',
        title: { type: 'plain_text', text: 'Payout' },
        blocks: [],
      },
    });
    const rejected = await slack.viewSubmission({
      userId: 'U0ALICE',
      callbackId: 'payout_modal',
      values: { amount: { amount_input: { type: 'plain_text_input', value: '-5' } } },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.json).toEqual({ response_action: 'errors', errors: { amount: 'Enter a positive amount' } });

    const accepted = await slack.viewSubmission({
      userId: 'U0ALICE',
      callbackId: 'payout_modal',
      values: { amount: { amount_input: { type: 'plain_text_input', value: '25' } } },
    });
    expect(accepted).toMatchObject({ status: 200, body: '' });
    expect(submissions.at(-1)).toEqual({ callbackId: 'payout_modal', privateMetadata: 'acct_9', amount: '25' });
  });

  it('answers external_select option requests', async () => {
    const result = await slack.blockSuggestion({
      userId: 'U0ALICE',
      actionId: 'seller_select',
      blockId: 'seller',
      value: '42',
    });
    expect(result.json).toEqual({ options: [{ text: { type: 'plain_text', text: 'acct_42' }, value: 'acct_42' }] });
  });

  it('sends raw bodies signed, with extra headers', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    const result = await slack.raw(body, 'application/json', { headers: { 'X-Slack-Retry-Num': '1' } });
    expect(result).toMatchObject({ status: 200, json: { challenge: 'c-123' } });
  });
});
