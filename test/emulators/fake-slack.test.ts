import { ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../emulators/slack/fake-slack.js';
import { FILE_DOWNLOAD_SCOPE, SCOPE_OF_METHOD } from '../../emulators/slack/scopes.js';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({
    botToken: 'xoxb-test',
    // Every scope the fake checks, so each method can be exercised; the narrow fake below shows the refusals.
    botScopes: [...new Set([...Object.values(SCOPE_OF_METHOD).filter((scope) => scope !== null), FILE_DOWNLOAD_SCOPE])],
    users: [
      { id: 'U0ALICE', name: 'alice', email: 'alice@example.com', tz: 'Europe/Paris' },
      { id: 'U0BOB', name: 'bob', email: 'bob@example.com' },
    ],
    usergroups: { S0FINANCE: ['U0ALICE', 'U0BOB'] },
  });
  client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => fake.reset());

async function platformError(promise: Promise<unknown>): Promise<string | undefined> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  expect(error?.code).toBe(ErrorCode.PlatformError);
  return error?.data.error;
}

describe('fake Slack Web API', () => {
  it('answers auth.test with the bot identity and rejects missing or malformed tokens', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: 'T0TEAM', user_id: 'UBOT', bot_id: expect.any(String) });
    expect(fake.callsTo('auth.test')[0]?.token).toBe('xoxb-test');

    expect(
      await platformError(
        new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }).auth.test(),
      ),
    ).toBe('not_authed');
    expect(await platformError(client.auth.test({ token: 'not-a-token' }))).toBe('invalid_auth');
    expect(await platformError(client.auth.test({ token: 'xoxb-someone-else' }))).toBe('invalid_auth');
    expect(await platformError(client.apiCall('payouts.magic'))).toBe('unknown_method');
  });

  it('posts and updates messages, parsing form-encoded blocks', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Pay *alice* $12.00?' } }];
    const first = await client.chat.postMessage({ channel: 'C0PAYOUTS', text: 'Pay alice?', blocks });
    const second = await client.chat.postMessage({ channel: 'C0PAYOUTS', text: 'Pay bob?' });
    expect(first).toMatchObject({
      ok: true,
      channel: 'C0PAYOUTS',
      message: { text: 'Pay alice?', user: 'UBOT', blocks },
    });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(fake.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);

    const updated = await client.chat.update({ channel: 'C0PAYOUTS', ts: first.ts!, text: 'Approved', blocks: [] });
    expect(updated).toMatchObject({ ok: true, ts: first.ts, text: 'Approved' });
    expect(fake.message('C0PAYOUTS', first.ts!)).toMatchObject({ text: 'Approved', blocks: [], updatedCount: 1 });
    expect(fake.messages('C0PAYOUTS').map((m) => m.text)).toEqual(['Approved', 'Pay bob?']);

    expect(await platformError(client.chat.update({ channel: 'C0PAYOUTS', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await platformError(client.chat.postMessage({ channel: '#nowhere', text: 'x' }))).toBe('channel_not_found');
  });

  it('accepts JSON bodies the way WebClient callers and curl send them', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
      body: JSON.stringify({ channel: 'C0JSON', text: 'from json', blocks: [{ type: 'divider' }] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0JSON' });
    expect(fake.messages('C0JSON')[0]).toMatchObject({ text: 'from json', blocks: [{ type: 'divider' }] });
  });

  it('records ephemerals and opens stable DM channels', async () => {
    const ephemeral = await client.chat.postEphemeral({ channel: 'C0PAYOUTS', user: 'U0ALICE', text: 'Only you' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemerals('U0ALICE')).toMatchObject([
      { via: 'chat.postEphemeral', text: 'Only you', channel: 'C0PAYOUTS' },
    ]);
    expect(fake.ephemerals('U0BOB')).toEqual([]);

    const dm = await client.conversations.open({ users: 'U0ALICE' });
    expect(dm.channel?.id).toBe('DU0ALICE');
    expect((await client.conversations.open({ users: 'U0ALICE' })).channel?.id).toBe('DU0ALICE');
    await client.chat.postMessage({ channel: dm.channel!.id!, text: 'Your payout is on its way' });
    expect(fake.messages('DU0ALICE')).toHaveLength(1);
    expect(fake.messages('U0ALICE')).toHaveLength(1);
    expect(await platformError(client.conversations.open({ users: 'U0GHOST' }))).toBe('user_not_found');
  });

  it('opens, updates and pushes views', async () => {
    const modal = {
      type: 'modal' as const,
      callback_id: 'payout_modal',
      private_metadata: '{"sellerId":"acct_1"}',
      title: { type: 'plain_text' as const, text: 'New payout' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: '1.2.abc', view: modal });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      callback_id: 'payout_modal',
      state: { values: {} },
    });
    const id = opened.view!.id!;

    expect(await platformError(client.views.update({ view_id: id, hash: 'stale', view: modal }))).toBe('hash_conflict');
    const updated = await client.views.update({
      view_id: id,
      hash: opened.view!.hash!,
      view: { ...modal, private_metadata: 'v2' },
    });
    expect(updated.view?.hash).not.toBe(opened.view!.hash);
    await client.views.push({ trigger_id: '1.3.abc', view: { ...modal, callback_id: 'confirm_modal' } });

    expect(fake.views().map((v) => [v.callback_id, v.opened_via])).toEqual([
      ['payout_modal', 'views.open'],
      ['confirm_modal', 'views.push'],
    ]);
    expect(fake.view(id)).toMatchObject({ private_metadata: 'v2', updatedCount: 1, trigger_id: '1.2.abc' });
    expect(await platformError(client.views.update({ view_id: 'V0NOPE', view: modal }))).toBe('not_found');
  });

  it('looks up users, timezones and usergroups', async () => {
    const info = await client.users.info({ user: 'U0ALICE' });
    expect(info.user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      tz: 'Europe/Paris',
      profile: { email: 'alice@example.com' },
    });
    expect([3600, 7200]).toContain(info.user?.tz_offset);
    expect((await client.users.lookupByEmail({ email: 'BOB@example.com' })).user?.id).toBe('U0BOB');
    expect(await platformError(client.users.info({ user: 'U0GHOST' }))).toBe('user_not_found');
    expect(await platformError(client.users.lookupByEmail({ email: 'ghost@example.com' }))).toBe('users_not_found');

    expect((await client.usergroups.users.list({ usergroup: 'S0FINANCE' })).users).toEqual(['U0ALICE', 'U0BOB']);
    fake.addUser({ id: 'U0CAROL', name: 'carol' });
    fake.setUsergroup('S0FINANCE', ['U0CAROL']);
    expect((await client.usergroups.users.list({ usergroup: 'S0FINANCE' })).users).toEqual(['U0CAROL']);
    expect(await platformError(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
  });

  it('receives filesUploadV2 through the external upload flow', async () => {
    const csv = 'seller,amount\nacct_1,1200\n';
    const result = await client.filesUploadV2({
      channel_id: 'C0PAYOUTS',
      content: csv,
      filename: 'payouts.csv',
      title: 'Payout report',
      initial_comment: 'Weekly payouts',
    });
    expect(result.ok).toBe(true);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'file_upload',
      'files.completeUploadExternal',
    ]);
    const [file] = fake.files('C0PAYOUTS');
    expect(file).toMatchObject({
      filename: 'payouts.csv',
      title: 'Payout report',
      channel: 'C0PAYOUTS',
      initial_comment: 'Weekly payouts',
    });
    expect(file?.content.toString()).toBe(csv);
  });

  it('when the token lacks the scope a method or a file download needs, then it answers Slack’s missing_scope and does nothing', async () => {
    const narrow = await startFakeSlack({
      botToken: 'xoxb-narrow',
      botScopes: ['chat:write'],
      users: [{ id: 'U0ALICE', name: 'alice' }],
    });
    try {
      const narrowClient = new WebClient('xoxb-narrow', { slackApiUrl: narrow.apiUrl, retryConfig: { retries: 0 } });
      expect(await narrowClient.chat.postMessage({ channel: 'C0PAYOUTS', text: 'allowed' })).toMatchObject({
        ok: true,
      });
      const refused = (await narrowClient.users
        .info({ user: 'U0ALICE' })
        .catch((e: WebAPIPlatformError) => e)) as WebAPIPlatformError;
      expect(refused.data).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'users:read',
        provided: 'chat:write',
      });
      expect(narrow.callsTo('users.info')[0]?.ok).toBe(false);

      // The file a person attached: served to a token with files:read only, with the same answer otherwise.
      const file = narrow.storeFile({ filename: 'lines.csv', content: Buffer.from('a,b\n') });
      const download = await fetch(file.url_private_download, { headers: { authorization: 'Bearer xoxb-narrow' } });
      expect(download.status).toBe(403);
      expect(await download.json()).toEqual({
        ok: false,
        error: 'missing_scope',
        needed: 'files:read',
        provided: 'chat:write',
      });
      expect((await fetch(file.url_private_download)).status).toBe(403);
    } finally {
      await narrow.close();
    }
  });

  it('when the token has files:read, then it downloads a stored file from url_private and url_private_download', async () => {
    const file = fake.storeFile({ filename: 'lines.csv', content: Buffer.from('a,b\n') });
    expect(file).toMatchObject({ name: 'lines.csv', filetype: 'csv', mimetype: 'text/csv', size: 4 });
    for (const url of [file.url_private, file.url_private_download]) {
      const response = await fetch(url, { headers: { authorization: 'Bearer xoxb-test' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('a,b\n');
    }
    expect(fake.callsTo('file_download')).toHaveLength(2);
  });

  it('mints response_urls and records what is posted to them', async () => {
    const url = fake.responseUrl({ userId: 'U0ALICE', channelId: 'C0PAYOUTS' });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Queued payout po_1' }),
    });
    expect(response.status).toBe(200);
    expect(fake.callsTo('response_url')).toMatchObject([{ args: { text: 'Queued payout po_1' }, url }]);
    expect(fake.ephemerals('U0ALICE').at(-1)).toMatchObject({ via: 'response_url', text: 'Queued payout po_1' });

    const posted = await client.chat.postMessage({ channel: 'C0PAYOUTS', text: 'Approve?' });
    const replaceUrl = fake.responseUrl({ userId: 'U0ALICE', channelId: 'C0PAYOUTS', messageTs: posted.ts! });
    await fetch(replaceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Approved by alice' }),
    });
    expect(fake.message('C0PAYOUTS', posted.ts!)).toMatchObject({ text: 'Approved by alice', updatedCount: 1 });
    expect((await fetch(`${fake.url}/response/unknown`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('when a message or a view is over Block Kit limits, then it is refused the way Slack refuses it and nothing is stored', async () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const postError = (args: Record<string, unknown>) =>
      platformError(client.chat.postMessage({ channel: 'C0LIMITS', ...args } as never));
    expect(await postError({ text: 'x', blocks: Array.from({ length: 51 }, () => section('row')) })).toBe(
      'invalid_blocks',
    );
    expect(await postError({ text: 'x', blocks: [section('y'.repeat(3_001))] })).toBe('invalid_blocks');
    expect(
      await postError({
        text: 'x',
        blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      }),
    ).toBe('invalid_blocks');
    expect(
      await postError({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }),
    ).toBe('invalid_blocks');
    expect(
      await postError({
        text: 'x',
        blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      }),
    ).toBe('invalid_blocks');
    const button = { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) }, value: 'v' };
    expect(await postError({ text: 'x', blocks: [{ type: 'actions', elements: [button] }] })).toBe('invalid_blocks');
    expect(
      await postError({
        text: 'x',
        blocks: [
          {
            type: 'actions',
            elements: [{ ...button, text: { type: 'plain_text', text: 'ok' }, value: 'v'.repeat(2_001) }],
          },
        ],
      }),
    ).toBe('invalid_blocks');
    expect(await postError({ text: 't'.repeat(40_001) })).toBe('msg_too_long');
    const refused = (await client.chat
      .postMessage({ channel: 'C0LIMITS', text: 'x', blocks: [section('')] })
      .catch((e: WebAPIPlatformError) => e.data)) as { errors?: string[] };
    expect(refused.errors).toEqual(['must be more than 0 characters [json-pointer:/blocks/0/text/text]']);
    expect(fake.messages('C0LIMITS')).toEqual([]);
    expect(
      await platformError(
        client.chat.postEphemeral({
          channel: 'C0LIMITS',
          user: 'U0ALICE',
          text: 'x',
          blocks: [section('y'.repeat(3_001))],
        }),
      ),
    ).toBe('invalid_blocks');

    const options = Array.from({ length: 101 }, (_, i) => ({
      text: { type: 'plain_text', text: `o${i}` },
      value: `${i}`,
    }));
    const view = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Limits' },
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Pick' },
          element: { type: 'static_select', action_id: 'pick', options },
        },
      ],
    };
    expect(await platformError(client.views.open({ trigger_id: '1.9.abc', view } as never))).toBe('invalid_arguments');
    expect(
      await platformError(
        client.views.open({
          trigger_id: '1.9.abc',
          view: { ...view, blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) },
        } as never),
      ),
    ).toBe('invalid_arguments');
    expect(
      (
        await client.views.open({
          trigger_id: '1.9.abc',
          view: { ...view, blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) },
        } as never)
      ).ok,
    ).toBe(true);

    const url = fake.responseUrl({ userId: 'U0ALICE', channelId: 'C0LIMITS' });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', blocks: [section('y'.repeat(3_001))] }),
    });
    expect([response.status, await response.text()]).toEqual([400, 'invalid_blocks']);
  });

  it('injects failures: 429 with Retry-After surfaces as a rate-limited error', async () => {
    fake.failNext('chat.postMessage', { retryAfter: 7 });
    const strict = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const error = (await strict.chat
      .postMessage({ channel: 'C0PAYOUTS', text: 'x' })
      .catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);

    fake.failNext('chat.postMessage', { status: 500, count: 2 });
    for (let i = 0; i < 2; i += 1) {
      const httpError = (await client.chat
        .postMessage({ channel: 'C0PAYOUTS', text: 'x' })
        .catch((e: unknown) => e)) as { code: string; statusCode: number };
      expect(httpError).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    }
    fake.failNext('chat.update', { error: 'cant_update_message' });
    expect(await platformError(client.chat.update({ channel: 'C0PAYOUTS', ts: '1.000001', text: 'x' }))).toBe(
      'cant_update_message',
    );

    expect((await client.chat.postMessage({ channel: 'C0PAYOUTS', text: 'recovered' })).ok).toBe(true);
    expect(fake.callsTo('chat.postMessage').map((c) => c.ok)).toEqual([false, false, false, true]);
  });

  it('waitFor polls until the probe is truthy and explains timeouts', async () => {
    setTimeout(() => void client.chat.postMessage({ channel: 'C0LATER', text: 'eventually' }), 30);
    const message = await fake.waitFor(() => fake.messages('C0LATER')[0]);
    expect(message.text).toBe('eventually');

    await expect(fake.waitFor(() => fake.messages('C0NEVER')[0], { timeoutMs: 50 })).rejects.toThrow(
      /timed out after 50ms.*chat\.postMessage/,
    );
  });

  // Its speed is the benchmarks' concern (npm run bench); a timed assertion here only measures the machine's load.
  it('when 2,000 messages are posted at once, then each is stored with its own ts', async () => {
    await Promise.all(
      Array.from({ length: 2000 }, (_, i) => client.chat.postMessage({ channel: 'C0LOAD', text: `m${i}` })),
    );
    const stamps = fake.messages('C0LOAD').map((m) => m.ts);
    expect(new Set(stamps).size).toBe(2000);
  });
});
