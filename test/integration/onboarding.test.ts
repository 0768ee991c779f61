import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANNELS,
  type Harness,
  messageText,
  PEOPLE,
  startHarness,
  WEBHOOK_SECRETS,
} from '../../emulators/local-stack.js';
import { loadConfig } from '../../src/config.js';
import { createConnectTokens } from '../../src/domain/connect-tokens.js';
import { completeHostedOnboarding, inviteSeller } from '../support/onboarding.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const accountsOf = (userId: string) => h.stripe.control.accounts().filter((a) => a.metadata.slack_user_id === userId);
const opsTexts = () => h.slack.messages(CHANNELS.ops).map((m) => m.text ?? '');
const lastEphemeral = (userId: string) => h.slack.ephemerals(userId).at(-1);

describe('seller onboarding, end to end over HTTP', () => {
  it('when ops invites a seller and the seller completes Stripe onboarding, then ops is told the seller can be paid', async () => {
    const startUrl = await inviteSeller(h, PEOPLE.seller1, '<mailto:ana@example.com|ana@example.com> US');

    const [account] = accountsOf(PEOPLE.seller1);
    expect(account).toMatchObject({
      type: 'express',
      country: 'US',
      email: 'ana@example.com',
      metadata: { slack_user_id: PEOPLE.seller1, slack_team_id: 'T0TEAM' },
    });
    expect(account!.capabilities.transfers).toBe('inactive');
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes(`invited <@${PEOPLE.seller1}>`)));
    await h.slack.waitFor(() => lastEphemeral(PEOPLE.requester)?.text?.includes('Invited'));

    const { returnPage } = await completeHostedOnboarding(startUrl, 'complete');
    expect(returnPage.status).toBe(200);
    expect(await returnPage.text()).toContain('all set');

    await h.slack.waitFor(
      () =>
        h.stripe.control.events().length > 0 &&
        h.stripe.control.events().every((e) => e.deliveries.every((d) => d.delivered)),
    );
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes(`<@${PEOPLE.seller1}> can be paid now`)));
    // Both the return URL and the account.updated webhook saw the change: ops hears about it once.
    await new Promise((r) => setTimeout(r, 300));
    expect(opsTexts().filter((t) => t.includes(`<@${PEOPLE.seller1}> can be paid now`))).toHaveLength(1);
    expect(h.slack.messages(PEOPLE.seller1).some((m) => m.text?.includes("You're all set"))).toBe(true);

    await h.sender.slashCommand({ text: `status <@${PEOPLE.seller1}|ana>`, userId: PEOPLE.approver1 });
    const status = await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver1).find((e) => messageText(e).includes(account!.id)),
    );
    expect(messageText(status)).toContain('Payable');
  });

  it('when a seller leaves requirements due, then the seller gets a DM with what is missing and ops is told', async () => {
    const startUrl = await inviteSeller(h, PEOPLE.seller2);
    const { returnPage } = await completeHostedOnboarding(startUrl, 'leave_due');
    expect(await returnPage.text()).toContain('still needs');
    await h.slack.waitFor(() =>
      opsTexts().find((t) => t.includes(`<@${PEOPLE.seller2}> came back from onboarding but is not payable yet`)),
    );
    const dm = await h.slack.waitFor(() =>
      h.slack.messages(PEOPLE.seller2).find((m) => m.text?.includes('Stripe still needs')),
    );
    expect(messageText(dm)).toMatch(/individual verification document/);
  });

  it('when a seller already has an account, then a second invite sends a fresh link to the same account', async () => {
    const before = accountsOf(PEOPLE.seller1).length;
    await inviteSeller(h, PEOPLE.seller1);
    expect(accountsOf(PEOPLE.seller1)).toHaveLength(before);
    await h.slack.waitFor(() =>
      opsTexts().find((t) => t.includes(`sent <@${PEOPLE.seller1}> a fresh onboarding link`)),
    );
  });

  it('when two invites for one new seller arrive at once, then Stripe makes one account', async () => {
    const newcomer = 'UNEWCOMER';
    h.slack.addUser({ id: newcomer, name: 'newcomer' });
    await Promise.all(
      [1, 2].map(() => h.sender.slashCommand({ text: `invite <@${newcomer}|n>`, userId: PEOPLE.requester })),
    );
    await h.slack.waitFor(() => h.slack.messages(newcomer).length >= 2);
    expect(accountsOf(newcomer)).toHaveLength(1);
  });

  it('when someone outside PAYOUT_REQUESTERS invites, then they are refused politely and nothing is created', async () => {
    const accounts = h.stripe.control.accounts().length;
    await h.sender.slashCommand({ text: `invite <@${PEOPLE.outsider}|x>`, userId: PEOPLE.outsider });
    const refusal = await h.slack.waitFor(() => lastEphemeral(PEOPLE.outsider));
    expect(refusal.text).toMatch(/not on the list/);
    expect(h.stripe.control.accounts()).toHaveLength(accounts);
  });

  it('when the command is unknown or malformed, then the reply says how to write it', async () => {
    await h.sender.slashCommand({ text: 'frobnicate', userId: PEOPLE.requester });
    await h.slack.waitFor(() => lastEphemeral(PEOPLE.requester)?.text?.includes("I don't know `/payout frobnicate`"));
    await h.sender.slashCommand({ text: 'invite bob', userId: PEOPLE.requester });
    await h.slack.waitFor(() => lastEphemeral(PEOPLE.requester)?.text?.includes('Mention the seller'));
    await h.sender.slashCommand({ text: 'help', userId: PEOPLE.outsider });
    await h.slack.waitFor(() =>
      lastEphemeral(PEOPLE.outsider)?.text?.includes('/payout invite @user [email] [country]'),
    );
  });

  it('when invite has no arguments, then a modal opens, and a bad email is shown in place', async () => {
    await h.sender.slashCommand({ text: 'invite', userId: PEOPLE.requester });
    const view = await h.slack.waitFor(() => h.slack.views().find((v) => v.callback_id === 'invite_modal'));
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'invite_modal',
      viewId: view.id,
      values: {
        invite_user: { user: { type: 'users_select', selected_user: PEOPLE.seller1 } },
        invite_email: { email: { type: 'email_text_input', value: 'not-an-email' } },
        invite_country: { country: { type: 'plain_text_input', value: 'ZZ' } },
      },
    });
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { invite_email: expect.any(String), invite_country: expect.any(String) },
    });
  });

  it('when a Slack request has a forged signature or a stale timestamp, then it is refused and nothing runs', async () => {
    const accounts = h.stripe.control.accounts().length;
    const forged = await h.sender.slashCommand(
      { text: `invite <@${PEOPLE.outsider}|x>`, userId: PEOPLE.requester },
      { signature: 'v0=deadbeef' },
    );
    expect(forged.status).toBe(401);
    const stale = await h.sender.slashCommand(
      { text: `invite <@${PEOPLE.outsider}|x>`, userId: PEOPLE.requester },
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    );
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.stripe.control.accounts()).toHaveLength(accounts);
  });

  it('when a Connect URL token is tampered with, expired or meant for another URL, then a 400 page is shown and no link is made', async () => {
    const config = loadConfig(h.env);
    const accountId = accountsOf(PEOPLE.seller1)[0]!.id;
    const links = () => h.stripe.control.requests.filter((r) => r.path === '/v1/account_links').length;
    const before = links();
    const weekAgo = createConnectTokens(config.connectTokenSecret, {
      now: () => new Date(Date.now() - 8 * 86_400_000),
    });
    const fresh = createConnectTokens(config.connectTokenSecret, { now: () => new Date() });
    const forged = createConnectTokens('someone-elses-secret', { now: () => new Date() });
    for (const [path, token] of [
      ['start', weekAgo.issue('start', accountId)],
      ['start', forged.issue('start', accountId)],
      ['start', fresh.issue('return', accountId)],
      ['refresh', `${fresh.issue('refresh', accountId)}x`],
      ['return', ''],
    ] as const) {
      const res = await fetch(`${h.baseUrl}/connect/${path}?token=${encodeURIComponent(token)}`, {
        redirect: 'manual',
      });
      expect(res.status, `${path} ${token.slice(0, 12)}`).toBe(400);
    }
    expect(links()).toBe(before);
    const refresh = await fetch(
      `${h.baseUrl}/connect/refresh?token=${encodeURIComponent(fresh.issue('refresh', accountId))}`,
      { redirect: 'manual' },
    );
    expect(refresh.status).toBe(302);
    expect(refresh.headers.get('location')).toContain(accountId);
  });

  it('when a webhook is forged, stale or from the other mode, then it changes nothing', async () => {
    const sdk = new Stripe('sk_test_x');
    const payload = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'account.updated',
      livemode: false,
      account: accountsOf(PEOPLE.seller2)[0]!.id,
      data: { object: {} },
    });
    const post = (body: string, header: string) =>
      fetch(`${h.baseUrl}/stripe/webhooks`, {
        method: 'POST',
        headers: { 'stripe-signature': header, 'content-type': 'application/json' },
        body,
      });
    expect(
      (await post(payload, sdk.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' }))).status,
    ).toBe(400);
    expect(
      (
        await post(
          payload,
          sdk.webhooks.generateTestHeaderString({
            payload,
            secret: WEBHOOK_SECRETS.connect,
            timestamp: Math.floor(Date.now() / 1000) - 3_600,
          }),
        )
      ).status,
    ).toBe(400);
    expect((await post(payload, 't=1,v1=abc')).status).toBe(400);
    const live = payload.replace('"livemode":false', '"livemode":true').replace('evt_forged', 'evt_live');
    const liveRes = await post(
      live,
      sdk.webhooks.generateTestHeaderString({ payload: live, secret: WEBHOOK_SECRETS.connect }),
    );
    expect(liveRes.status).toBe(200);
    expect(await liveRes.json()).toMatchObject({ ignored: 'livemode' });
    expect(await h.bot.deps.queues.stripeEvents.getJob('evt_live')).toBeUndefined();
  });

  it('when Stripe delivers the same event again, then it is acknowledged and handled once', async () => {
    const accountId = accountsOf(PEOPLE.seller2)[0]!.id;
    await h.stripe.control.completeOnboarding(accountId, { complete: true });
    const event = h.stripe.control
      .events()
      .filter((e) => e.event.type === 'account.updated' && e.event.account === accountId)
      .at(-1)!;
    const redelivery = await h.stripe.control.redeliver(event.event.id);
    expect(redelivery.deliveries.length).toBeGreaterThan(0);
    expect(redelivery.deliveries.every((d) => d.delivered)).toBe(true);
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes(`<@${PEOPLE.seller2}> can be paid now`)));
    await new Promise((r) => setTimeout(r, 300));
    const handled = h.logs.lines.filter((l) => l.event === 'seller.synced' && l.eventId === event.event.id);
    expect(handled).toHaveLength(1);
    expect(opsTexts().filter((t) => t.includes(`<@${PEOPLE.seller2}> can be paid now`))).toHaveLength(1);
  });

  it('when a payable seller is restricted by Stripe, then ops is told and the seller gets a link to fix it', async () => {
    const accountId = accountsOf(PEOPLE.seller2)[0]!.id;
    await h.stripe.control.restrictAccount(accountId);
    await h.slack.waitFor(() => opsTexts().find((t) => t.includes(`<@${PEOPLE.seller2}> can no longer be paid`)));
    await h.slack.waitFor(() =>
      h.slack.messages(PEOPLE.seller2).find((m) => m.text?.includes('before you can be paid again')),
    );
  });

  it('lists sellers with their state for requesters and approvers only', async () => {
    await h.sender.slashCommand({ text: 'sellers', userId: PEOPLE.approver2 });
    const list = await h.slack.waitFor(() =>
      h.slack.ephemerals(PEOPLE.approver2).find((e) => messageText(e).includes('Sellers')),
    );
    expect(messageText(list)).toContain(`<@${PEOPLE.seller1}>`);
    await h.sender.slashCommand({ text: 'sellers', userId: PEOPLE.outsider });
    await h.slack.waitFor(() => lastEphemeral(PEOPLE.outsider)?.text?.includes('only payout requesters and approvers'));
  });

  it('health answers 200 while Redis answers', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
  });

  it('never writes a secret or token to the logs', () => {
    const all = h.logs.raw.join('\n');
    expect(h.logs.raw.length).toBeGreaterThan(10);
    for (const secret of [
      'xoxb-test-token',
      'sk_test_payoutops',
      'test-signing-secret',
      WEBHOOK_SECRETS.connect,
      WEBHOOK_SECRETS.platform,
      'token=ey',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(h.logs.lines.some((l) => typeof l.traceId === 'string' && l.traceId.startsWith('trc_'))).toBe(true);
  });
});
