import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../../emulators/local-stack.js';
import { eventually } from '../support/eventually.js';
import { onboardPayableSeller } from '../support/onboarding.js';
import { approvalMessageNow, requestViaSlack, waitForState } from '../support/requests.js';

let h: Harness;
const seller = `<@${PEOPLE.seller1}|ana>`;
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/;

beforeAll(async () => {
  h = await startHarness();
  await onboardPayableSeller(h);
});
afterAll(async () => {
  await h?.stop();
});

/** Requests stored (or stored and withdrawn) since `since`, by the audit log: none means nothing was requested. */
const requestedSince = async (since: string) =>
  (await h.bot.deps.audit.latest(50)).filter((e) => e.at >= since && /\.requested$|\.withdrawn$/.test(e.action));

/** Types a command that must be refused: waits for the reply and checks nothing was requested. */
async function expectRefused(text: string, reply: string) {
  const posted = h.slack.messages(CHANNELS.approvals).length;
  const replied = h.slack.ephemerals(PEOPLE.requester).length;
  const since = new Date().toISOString();
  const res = await h.sender.slashCommand({ text, userId: PEOPLE.requester });
  expect(res.status).toBe(200);
  const answer = await h.slack.waitFor(() =>
    h.slack
      .ephemerals(PEOPLE.requester)
      .slice(replied)
      .find((e) => e.text?.includes(reply)),
  );
  await new Promise((r) => setTimeout(r, 200));
  expect(h.slack.messages(CHANNELS.approvals)).toHaveLength(posted);
  expect(await requestedSince(since)).toEqual([]);
  return answer;
}

describe('amounts mean one thing', () => {
  it('when "/payout topup 1.500 eur" is typed, then the reply shows both readings and nothing is requested', async () => {
    await expectRefused('topup 1.500 eur', '1.500 has 3 decimals but EUR has 2: did you mean €1,500.00 or €1.50?');
  });

  it('when a transfer or a plan line has more decimals than its currency, zeros included, then it is refused the same way', async () => {
    await expectRefused(`transfer ${seller} 2.000 eur`, 'did you mean €2,000.00 or €2.00?');
    await expectRefused(`plan ${seller} 12.50 jpy`, '12.50 has 2 decimals but JPY takes whole amounts only.');
  });

  it('when a requester opens the transfer modal, then the currency is a select of the held balances and the amount a number field; the top-up modal offers only the platform currency; a choice from them is requested', async () => {
    const before = h.slack.views().length;
    await h.sender.slashCommand({ text: 'transfer', userId: PEOPLE.requester });
    const view = await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(before)
        .find((v) => v.callback_id === 'transfer_modal'),
    );
    const element = (blockId: string) =>
      (view.blocks as { block_id?: string; element?: Record<string, unknown> }[]).find((b) => b.block_id === blockId)
        ?.element;
    const held = (await h.bot.deps.treasury.heldCurrencies()) ?? [];
    expect(element('money_currency')).toMatchObject({ type: 'static_select' });
    expect((element('money_currency')!.options as { value: string }[]).map((o) => o.value)).toEqual(held);
    expect(element('money_amount')).toMatchObject({ type: 'number_input', is_decimal_allowed: true });

    const topupFrom = h.slack.views().length;
    await h.sender.slashCommand({ text: 'topup', userId: PEOPLE.requester });
    const topup = await h.slack.waitFor(() =>
      h.slack
        .views()
        .slice(topupFrom)
        .find((v) => v.callback_id === 'topup_modal'),
    );
    const platform = await h.bot.deps.treasury.defaultCurrency();
    expect(JSON.stringify(topup.blocks)).toContain(
      `"initial_option":{"text":{"type":"plain_text","text":"${platform.toUpperCase()}"},"value":"${platform}"}`,
    );

    const posted = h.slack.messages(CHANNELS.approvals).length;
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'transfer_modal',
      viewId: view.id,
      values: {
        money_seller: { seller_picker: { type: 'external_select', selected_option: { value: PEOPLE.seller1 } } },
        money_amount: { amount: { type: 'number_input', value: '12.5' } },
        money_currency: { currency: { type: 'static_select', selected_option: { value: held[0] } } },
        money_description: { description: { type: 'plain_text_input', value: 'from the select' } },
      },
    });
    expect(res.status).toBe(200);
    const card = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    expect(messageText(card)).toContain('from the select');
  });

  it('when the top-up modal is given 1.500 eur, then the amount field shows both readings and nothing is requested', async () => {
    await h.sender.slashCommand({ text: 'topup', userId: PEOPLE.requester });
    const view = await h.slack.waitFor(() => h.slack.views().find((v) => v.callback_id === 'topup_modal'));
    const since = new Date().toISOString();
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'topup_modal',
      viewId: view.id,
      values: {
        money_amount: { amount: { type: 'plain_text_input', value: '1.500' } },
        money_currency: { currency: { type: 'plain_text_input', value: 'eur' } },
        money_description: { description: { type: 'plain_text_input', value: '' } },
      },
    });
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { money_amount: '1.500 has 3 decimals but EUR has 2: did you mean €1,500.00 or €1.50?' },
    });
    expect(await requestedSince(since)).toEqual([]);
  });
});

describe('text stays inert', () => {
  it('when a description hides bidi overrides and zero-width characters, then the approval message and the request show it neutralised', async () => {
    const { message, requestId } = await requestViaSlack(
      h,
      `transfer ${seller} 10.00 eur Invoice \u202E0001 EUR 99\u202C\u200B for \u2066ana\u2069\uFEFF`,
    );
    const text = messageText(message);
    expect(text).toContain('Invoice 0001 EUR 99 for ana');
    expect(text).not.toMatch(INVISIBLE);
    expect((await h.bot.deps.requests.get(requestId))?.description).toBe('Invoice 0001 EUR 99 for ana');
  });

  it('when a reject reason hides a right-to-left override, then the rejected message shows it neutralised', async () => {
    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 3.00 eur`);
    await h.sender.blockAction({
      userId: PEOPLE.approver1,
      actionId: 'request_reject',
      value: requestId,
      channelId: CHANNELS.approvals,
      messageTs: message.ts,
    });
    const view = await h.slack.waitFor(() =>
      h.slack.views().find((v) => v.callback_id === 'reject_modal' && v.private_metadata.includes(requestId)),
    );
    await h.sender.viewSubmission({
      userId: PEOPLE.approver1,
      callbackId: 'reject_modal',
      viewId: view.id,
      values: { reject_reason: { reason: { type: 'plain_text_input', value: 'Wrong \u202Eseller\u202C\u200D' } } },
    });
    await waitForState(h, requestId, ['rejected']);
    const shown = await h.slack.waitFor(() =>
      messageText(approvalMessageNow(h, message.ts)).includes('Rejected')
        ? approvalMessageNow(h, message.ts)
        : undefined,
    );
    expect(messageText(shown)).toContain('Wrong seller');
    expect(messageText(shown)).not.toMatch(INVISIBLE);
  });

  it("when a seller's Slack name hides a right-to-left override, then the name kept for the seller picker is neutralised", async () => {
    h.slack.addUser({ id: PEOPLE.seller2, name: 'bo \u202E)1ccaB_tcca(\u202C' });
    await h.sender.slashCommand({
      text: `invite <@${PEOPLE.seller2}|bo>`,
      userId: PEOPLE.requester,
      channelId: CHANNELS.general,
    });
    const invited = await eventually(
      async () => (await h.bot.deps.sellers.list('T0TEAM')).find((s) => s.userId === PEOPLE.seller2),
      { what: 'seller2 invited' },
    );
    expect(invited.displayName).toBe('bo )1ccaB_tcca(');
  });

  it('when a CSV line describes itself with hidden characters, then the run stores the line neutralised', async () => {
    await h.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
    const view = await h.slack.waitFor(() =>
      h.slack
        .views()
        .filter((v) => v.callback_id === 'run_csv_modal')
        .at(-1),
    );
    const posted = h.slack.messages(CHANNELS.approvals).length;
    const csv = `${seller},4.00,eur,"bonus \u202E05\u202C\u200B"`;
    await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'run_csv_modal',
      viewId: view.id,
      values: { csv_text: { text: { type: 'plain_text_input', value: csv } } },
    });
    const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[posted]);
    const requestId = /Request `(req_\w+)`/.exec(messageText(message))![1]!;
    const request = await h.bot.deps.requests.get(requestId);
    expect(request?.kind === 'run' && request.run.head[0]?.description).toBe('bonus 05');
  });
});

describe('text fits', () => {
  const long = 'x'.repeat(5_000);

  it('when a plan line is described in 5,000 characters, then it is refused at input with the limit and nothing is requested', async () => {
    const answer = await expectRefused(
      `plan ${seller} 10.00 eur ${long}`,
      'The description is 5,000 characters long: keep it to 500.',
    );
    expect(answer.text).not.toMatch(/try again/);
  });

  it('when a top-up or a transfer is described in 5,000 characters, then it is refused the same way', async () => {
    await expectRefused(`topup 10.00 usd ${long}`, 'The description is 5,000 characters long: keep it to 500.');
    await expectRefused(
      `transfer ${seller} 10.00 eur ${long}`,
      'The description is 5,000 characters long: keep it to 500.',
    );
    await expectRefused(
      `schedule topup daily 09:00 UTC 10.00 usd ${long}`,
      'The description is 5,000 characters long: keep it to 500.',
    );
  });

  it('when the schedule modal or the reject modal gets 5,000 characters, then the field says the limit and nothing changes', async () => {
    await h.sender.slashCommand({ text: 'schedule', userId: PEOPLE.requester });
    const schedule = await h.slack.waitFor(() => h.slack.views().find((v) => v.callback_id === 'schedule_modal'));
    const since = new Date().toISOString();
    const res = await h.sender.viewSubmission({
      userId: PEOPLE.requester,
      callbackId: 'schedule_modal',
      viewId: schedule.id,
      values: {
        schedule_action: { action: { type: 'static_select', selected_option: { value: 'run' } } },
        schedule_when: { when: { type: 'plain_text_input', value: 'weekly mon 09:00 UTC' } },
        money_amount: { amount: { type: 'plain_text_input', value: '' } },
        money_description: { description: { type: 'plain_text_input', value: long } },
      },
    });
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: { money_description: 'The description is 5,000 characters long: keep it to 500.' },
    });
    expect(await requestedSince(since)).toEqual([]);

    const { message, requestId } = await requestViaSlack(h, `transfer ${seller} 2.00 eur`);
    await h.sender.blockAction({
      userId: PEOPLE.approver1,
      actionId: 'request_reject',
      value: requestId,
      channelId: CHANNELS.approvals,
      messageTs: message.ts,
    });
    const reject = await h.slack.waitFor(() =>
      h.slack.views().find((v) => v.callback_id === 'reject_modal' && v.private_metadata.includes(requestId)),
    );
    const refused = await h.sender.viewSubmission({
      userId: PEOPLE.approver1,
      callbackId: 'reject_modal',
      viewId: reject.id,
      values: { reject_reason: { reason: { type: 'plain_text_input', value: long } } },
    });
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { reject_reason: 'The reason is 5,000 characters long: keep it to 500.' },
    });
    expect((await h.bot.deps.requests.get(requestId))?.state).toBe('pending');
  });
});
