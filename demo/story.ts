/**
 * `npm run demo`: the onboarding and payout story, played against the built-in emulators (a private
 * redis-server, the Stripe emulator and a fake Slack), printing what Slack would show. No Slack workspace,
 * no Stripe account. Exits 0 when the story played to its end, 1 on any error; it never hangs.
 */
import { buttonUrl, CHANNELS, type Harness, messageText, PEOPLE, startHarness } from '../emulators/local-stack.js';
import type { RecordedCall } from '../emulators/slack/fake-slack.js';
import { formatMoney } from '../src/domain/money.js';
import type { PayoutRequest } from '../src/domain/requests.types.js';
import { describeRecorded, plainWords } from '../src/slack/messages.js';
import { bold, card, colorByDefault, dim, type SlackLike, where, who } from './render.js';

/** However the story goes, the process ends within this time. */
const WATCHDOG_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const WAIT = { timeoutMs: 8_000 };

const color = colorByDefault();
const out = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

let chapterNo = 0;
function chapter(title: string, blurb: string): void {
  chapterNo += 1;
  out();
  out(bold(color, `━━━ ${chapterNo}. ${title} ${'━'.repeat(Math.max(3, 64 - title.length))}`));
  out(dim(color, blurb));
  out();
}

/** A line of narration: what a person or a browser does. */
const act = (text: string): void => out(`▶ ${text}`);
const show = (label: string, message: SlackLike | undefined): void => {
  if (message) out(card(label, message));
};

/** Polls an async probe (e.g. a Redis read); the fake Slack's waitFor takes synchronous probes only. */
async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = WAIT.timeoutMs,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The title (and first paragraph) of an HTML page, as a browser tab and a quick glance would show it. */
function pageGist(html: string): { title: string; text: string } {
  const strip = (s: string) =>
    s
      .replace(/<[^>]*>/g, '')
      .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
      .replace(/&amp;/g, '&')
      .trim();
  return {
    title: strip(/<title>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '(no title)'),
    text: strip(/<p>([\s\S]*?)<\/p>/i.exec(html)?.[1] ?? ''),
  };
}

const shortUrl = (url: string): string => url.replace(/([?&]token=)[^&]{12,}/, (_m, key: string) => `${key}…`);

async function play(h: Harness): Promise<void> {
  const slack = h.slack;
  const requestOf = (id: string) => h.bot.deps.requests.get(id);
  const ephemeralsFor = (userId: string, from: number) => slack.ephemerals(userId).slice(from);
  const updatesOf = (ts: string): RecordedCall[] =>
    slack.calls.filter((c) => c.method === 'chat.update' && c.ok && c.args.ts === ts);
  const asMessage = (call: RecordedCall): SlackLike => ({
    ...(typeof call.args.text === 'string' ? { text: call.args.text } : {}),
    ...(Array.isArray(call.args.blocks) ? { blocks: call.args.blocks } : {}),
  });
  const showEphemerals = (userId: string, from: number) => {
    for (const e of ephemeralsFor(userId, from)) show(`only visible to ${who(userId)}`, e);
  };
  const typeCommand = async (userId: string, typed: string, sent: string) => {
    act(`${who(userId)} types in ${where(CHANNELS.general)}:  ${bold(color, `/payout ${typed}`)}`);
    out();
    const res = await h.sender.slashCommand({
      text: sent,
      userId,
      channelId: CHANNELS.general,
      channelName: 'general',
    });
    if (res.status !== 200) throw new Error(`/payout ${typed}: the bot answered HTTP ${res.status} ${res.body}`);
  };
  const click = async (userId: string, label: string, actionId: string, requestId: string, ts: string) => {
    act(`${who(userId)} clicks ${bold(color, `[${label}]`)} in ${where(CHANNELS.approvals)}`);
    out();
    const res = await h.sender.blockAction({
      userId,
      actionId,
      value: requestId,
      channelId: CHANNELS.approvals,
      messageTs: ts,
    });
    if (res.status !== 200) throw new Error(`clicking ${label}: the bot answered HTTP ${res.status} ${res.body}`);
  };
  /** Types a money request and returns its approval message and request id. */
  const requestMoney = async (typed: string, sent: string) => {
    const posted = slack.messages(CHANNELS.approvals).length;
    const replies = slack.ephemerals(PEOPLE.requester).length;
    await typeCommand(PEOPLE.requester, typed, sent);
    const message = await slack.waitFor(() => slack.messages(CHANNELS.approvals)[posted], WAIT);
    const requestId = /Request `(req_\w+)`/.exec(messageText(message))?.[1];
    if (!requestId) throw new Error(`no request id in the approval message: ${message.text ?? ''}`);
    await slack.waitFor(() => ephemeralsFor(PEOPLE.requester, replies).some((e) => e.text?.includes(requestId)), WAIT);
    showEphemerals(PEOPLE.requester, replies);
    show(`${where(CHANNELS.approvals)} (new message)`, message);
    return { message, requestId };
  };
  const waitForState = (requestId: string, states: PayoutRequest['state'][]) =>
    until(
      async () => {
        const request = await requestOf(requestId);
        return request && states.includes(request.state) ? request : undefined;
      },
      `request ${requestId} to be ${states.join(' or ')}`,
    );

  // ── 2. invite ─────────────────────────────────────────────────────────────
  chapter(
    'Ops invites a seller',
    'The requester asks the bot to create a Stripe Connect account for @seller1 and send them an onboarding link.',
  );
  const seller = PEOPLE.seller1;
  const invitedReplies = slack.ephemerals(PEOPLE.requester).length;
  const sellerDms = slack.messages(seller).length;
  await typeCommand(
    PEOPLE.requester,
    'invite @seller1 ana@example.com US',
    `invite <@${seller}|seller1> <mailto:ana@example.com|ana@example.com> US`,
  );
  const inviteDm = await slack.waitFor(() => slack.messages(seller)[sellerDms], WAIT);
  const invitedNotice = await slack.waitFor(
    () => slack.messages(CHANNELS.ops).find((m) => m.text?.includes(`invited <@${seller}>`)),
    WAIT,
  );
  await slack.waitFor(
    () => ephemeralsFor(PEOPLE.requester, invitedReplies).some((e) => e.text?.includes('Invited')),
    WAIT,
  );
  showEphemerals(PEOPLE.requester, invitedReplies);
  show(`DM to ${who(seller)}`, inviteDm);
  show(where(CHANNELS.ops), invitedNotice);

  // ── 3. onboarding ─────────────────────────────────────────────────────────
  chapter(
    'The seller onboards',
    "@seller1 presses the DM's button; their browser goes through our /connect/start to Stripe's hosted page (the emulator's) and back.",
  );
  const startUrl = buttonUrl(inviteDm.blocks);
  if (!startUrl) throw new Error('the invite DM has no onboarding button');
  act(`${who(seller)}'s browser opens ${shortUrl(startUrl)}`);
  const start = await fetch(startUrl, { redirect: 'manual' });
  const hostedUrl = start.headers.get('location');
  if (start.status !== 302 || !hostedUrl)
    throw new Error(`/connect/start answered ${start.status}, not a redirect to Stripe`);
  out(`    302 → ${hostedUrl}`);
  const hosted = pageGist(await (await fetch(hostedUrl)).text());
  out(`    the tab reads “${hosted.title}”: ${hosted.text}`);
  act(
    `${who(seller)} fills in Stripe's form and presses ${bold(color, '[Complete onboarding]')} (POST action=complete)`,
  );
  const submitted = await fetch(hostedUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'action=complete',
  });
  const returnUrl = submitted.headers.get('location');
  if (submitted.status !== 302 || !returnUrl)
    throw new Error(`Stripe's hosted page answered ${submitted.status}, not a redirect back to us`);
  out(`    302 → ${shortUrl(returnUrl)}`);
  const returned = await fetch(returnUrl, { redirect: 'manual' });
  const page = pageGist(await returned.text());
  if (returned.status !== 200) throw new Error(`/connect/return answered ${returned.status}: ${page.title}`);
  out(`    the seller sees a page titled ${bold(color, `“${page.title}”`)}: ${page.text}`);
  out();
  const payableDm = await slack.waitFor(
    () => slack.messages(seller).find((m) => m.text?.includes("You're all set")),
    WAIT,
  );
  const payableNotice = await slack.waitFor(
    () => slack.messages(CHANNELS.ops).find((m) => m.text?.includes(`<@${seller}> can be paid now`)),
    WAIT,
  );
  show(`DM to ${who(seller)}`, payableDm);
  show(where(CHANNELS.ops), payableNotice);

  // ── 4. top-up ─────────────────────────────────────────────────────────────
  chapter(
    'Ops tops up the platform balance',
    '2,000 USD is at or above the 1,000 USD threshold, so two different approvers must approve.',
  );
  const topup = await requestMoney(
    'topup 2000.00 usd Top-up for week of May 31',
    'topup 2000.00 usd Top-up for week of May 31',
  );
  const topupTs = topup.message.ts;
  const approver1Replies = slack.ephemerals(PEOPLE.approver1).length;
  await click(PEOPLE.approver1, 'Approve', 'request_approve', topup.requestId, topupTs);
  const firstUpdate = await slack.waitFor(
    () => updatesOf(topupTs).find((c) => messageText(asMessage(c)).includes('1 of 2 approvals')),
    WAIT,
  );
  await slack
    .waitFor(() => ephemeralsFor(PEOPLE.approver1, approver1Replies).length > 0 || undefined, { timeoutMs: 1_000 })
    .catch(() => undefined);
  showEphemerals(PEOPLE.approver1, approver1Replies);
  show(`${where(CHANNELS.approvals)} (updated)`, asMessage(firstUpdate));

  const seenUpdates = updatesOf(topupTs).length;
  const approver2Replies = slack.ephemerals(PEOPLE.approver2).length;
  const requesterDms = slack.messages(PEOPLE.requester).length;
  const opsBefore = slack.messages(CHANNELS.ops).length;
  await click(PEOPLE.approver2, 'Approve', 'request_approve', topup.requestId, topupTs);
  const created = await waitForState(topup.requestId, ['completed', 'failed']);
  if (created.state !== 'completed' || !created.stripeId)
    throw new Error(
      `the top-up ${created.state}: ${created.failure ? describeRecorded(created.failure, plainWords) : 'no Stripe id'}`,
    );
  await slack.waitFor(
    () =>
      updatesOf(topupTs)
        .slice(seenUpdates)
        .some((c) => messageText(asMessage(c)).includes('Top-up created')),
    WAIT,
  );
  const topupDm = await slack.waitFor(
    () =>
      slack
        .messages(PEOPLE.requester)
        .slice(requesterDms)
        .find((m) => m.text?.includes(topup.requestId)),
    WAIT,
  );
  const createdNotice = await slack.waitFor(
    () =>
      slack
        .messages(CHANNELS.ops)
        .slice(opsBefore)
        .find((m) => m.text?.includes(topup.requestId)),
    WAIT,
  );
  showEphemerals(PEOPLE.approver2, approver2Replies);
  for (const update of updatesOf(topupTs).slice(seenUpdates))
    show(`${where(CHANNELS.approvals)} (updated)`, asMessage(update));
  show(`DM to ${who(PEOPLE.requester)}`, topupDm);
  show(where(CHANNELS.ops), createdNotice);

  act(
    `Days later, the bank transfer arrives: Stripe marks top-up ${created.stripeId} succeeded and sends the topup.succeeded webhook`,
  );
  out();
  const settledFrom = updatesOf(topupTs).length;
  await h.stripe.control.settleTopup(created.stripeId, 'succeeded');
  const settledNotice = await slack.waitFor(
    () =>
      slack.messages(CHANNELS.ops).find((m) => m.text?.includes('Top-up settled') && m.text.includes(topup.requestId)),
    WAIT,
  );
  const settledUpdate = await slack.waitFor(
    () =>
      updatesOf(topupTs)
        .slice(settledFrom)
        .find((c) => messageText(asMessage(c)).includes('Top-up settled')),
    WAIT,
  );
  show(`${where(CHANNELS.approvals)} (updated)`, asMessage(settledUpdate));
  show(where(CHANNELS.ops), settledNotice);

  // ── 5. transfer ───────────────────────────────────────────────────────────
  chapter('Ops pays the seller', '120 EUR is under the 1,000 EUR threshold: one approver is enough.');
  const transfer = await requestMoney(
    'transfer @seller1 120.00 eur weekly earnings',
    `transfer <@${seller}|seller1> 120.00 eur weekly earnings`,
  );
  const transferTs = transfer.message.ts;
  const paidDms = slack.messages(PEOPLE.requester).length;
  const approverReplies = slack.ephemerals(PEOPLE.approver1).length;
  await click(PEOPLE.approver1, 'Approve', 'request_approve', transfer.requestId, transferTs);
  const paid = await waitForState(transfer.requestId, ['completed', 'failed']);
  if (paid.state !== 'completed')
    throw new Error(
      `the transfer failed: ${paid.failure ? describeRecorded(paid.failure, plainWords) : 'unknown reason'}`,
    );
  const paidUpdate = await slack.waitFor(
    () => updatesOf(transferTs).findLast((c) => messageText(asMessage(c)).includes('Paid')),
    WAIT,
  );
  const paidDm = await slack.waitFor(
    () =>
      slack
        .messages(PEOPLE.requester)
        .slice(paidDms)
        .find((m) => m.text?.includes(transfer.requestId) && m.text.includes('Paid')),
    WAIT,
  );
  showEphemerals(PEOPLE.approver1, approverReplies);
  show(`${where(CHANNELS.approvals)} (updated, final)`, asMessage(paidUpdate));
  show(`DM to ${who(PEOPLE.requester)}`, paidDm);

  // ── 6. balance and audit ──────────────────────────────────────────────────
  chapter('Balance and audit log', 'Anyone on the payout staff can read the balance and the append-only audit log.');
  for (const [typed, marker] of [
    ['balance', 'Platform balance'],
    ['audit 10', 'Audit log'],
  ] as const) {
    const from = slack.ephemerals(PEOPLE.requester).length;
    await typeCommand(PEOPLE.requester, typed, typed);
    await slack.waitFor(() => ephemeralsFor(PEOPLE.requester, from).some((e) => messageText(e).includes(marker)), WAIT);
    showEphemerals(PEOPLE.requester, from);
  }

  // ── 7. summary ────────────────────────────────────────────────────────────
  chapter('What happened at Stripe (the emulator)', 'Read straight from the emulator, not from the bot.');
  const money = (amount: number, currency: string) => formatMoney({ amount, currency });
  const sellerName = (accountId: string) => {
    const userId = h.stripe.control.accounts().find((a) => a.id === accountId)?.metadata.slack_user_id;
    return userId ? who(userId) : accountId;
  };
  const accounts = h.stripe.control.accounts();
  out(`Connected accounts: ${accounts.length}`);
  for (const a of accounts)
    out(
      `  ${a.id}  ${sellerName(a.id)}  ${a.country}  ${a.email ?? ''}  transfers ${a.capabilities.transfers ?? 'n/a'}`,
    );
  const transfers = h.stripe.control.transfers();
  out(`Transfers: ${transfers.length}`);
  for (const t of transfers)
    out(
      `  ${t.id}  ${money(t.amount, t.currency)} → ${sellerName(t.destination)} (${t.destination})  “${t.description ?? ''}”`,
    );
  const topups = h.stripe.control.topups();
  out(`Top-ups: ${topups.length}`);
  for (const t of topups) out(`  ${t.id}  ${money(t.amount, t.currency)}  ${t.status}  “${t.description ?? ''}”`);
  const balance = h.stripe.control.balance();
  out(`Platform balance: ${balance.available.map((b) => `${money(b.amount, b.currency)} available`).join(' · ')}`);
  const calls = slack.calls.filter((c) => !c.method.startsWith('response_url')).length;
  out(
    `Slack Web API calls the bot made: ${calls} (${slack.callsTo('chat.postMessage').length} posts, ${slack.callsTo('chat.update').length} updates)`,
  );
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    process.stderr.write(`\ndemo: still running after ${WATCHDOG_MS / 1000} s; giving up.\n`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  out(bold(color, 'payout-ops demo: onboarding a seller and paying them, behind approval buttons'));
  out(
    dim(
      color,
      'Everything runs locally: a private redis-server, the Stripe emulator, a fake Slack Web API and the real bot over HTTP.',
    ),
  );
  out(
    dim(
      color,
      `Cast: ${who(PEOPLE.requester)} asks, ${who(PEOPLE.approver1)} and ${who(PEOPLE.approver2)} approve, ${who(PEOPLE.seller1)} gets paid; channels ${where(CHANNELS.ops)} and ${where(CHANNELS.approvals)}.`,
    ),
  );

  let h: Harness | undefined;
  const started = Date.now();
  try {
    // The bot's pino logs go into h.logs (never stdout); only warnings and errors are kept.
    h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
    await play(h);
    out();
    out(bold(color, `The story played to its end in ${((Date.now() - started) / 1000).toFixed(1)} s.`));
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
    process.stderr.write(`\ndemo failed: ${message}\n${frames.length > 0 ? `${frames.join('\n')}\n` : ''}`);
    const logs = h?.logs.raw.slice(-10) ?? [];
    if (logs.length > 0) process.stderr.write(`\nthe bot's last log lines:\n${logs.join('\n')}\n`);
    return 1;
  } finally {
    if (h)
      await withTimeout(h.stop(), STOP_TIMEOUT_MS, 'stopping the local stack').catch((error: unknown) =>
        process.stderr.write(`demo: ${String(error)}\n`),
      );
    clearTimeout(watchdog);
  }
}

// Exit explicitly: a socket or timer left behind by any part of the stack must not keep the demo alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${String(error)}\n`);
    process.exit(1);
  },
);
