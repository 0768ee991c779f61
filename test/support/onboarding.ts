import { expect } from 'vitest';
import { buttonUrl, CHANNELS, type Harness, PEOPLE } from '../../emulators/local-stack.js';

/** What a seller's browser does: follow our start link to Stripe's hosted page and press one of its buttons. */
export async function completeHostedOnboarding(
  startUrl: string,
  action: 'complete' | 'leave_due',
): Promise<{ returnUrl: string; returnPage: Response }> {
  const start = await fetch(startUrl, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const hosted = start.headers.get('location')!;
  const submitted = await fetch(hosted, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `action=${action}`,
  });
  expect(submitted.status).toBe(302);
  const returnUrl = submitted.headers.get('location')!;
  return { returnUrl, returnPage: await fetch(returnUrl, { redirect: 'manual' }) };
}

/** `/payout invite` as the requester, then the onboarding link from the seller's DM. */
export async function inviteSeller(h: Harness, sellerId: string = PEOPLE.seller1, extra = ''): Promise<string> {
  const dmCount = h.slack.messages(sellerId).length;
  const res = await h.sender.slashCommand({
    text: `invite <@${sellerId}|seller> ${extra}`.trim(),
    userId: PEOPLE.requester,
    channelId: CHANNELS.general,
  });
  expect(res.status).toBe(200);
  const dm = await h.slack.waitFor(() => h.slack.messages(sellerId)[dmCount], { timeoutMs: 5_000 });
  const url = buttonUrl(dm.blocks);
  expect(url).toMatch(/\/connect\/start\?token=/);
  return url!;
}

/** Invites a seller and completes onboarding; resolves once ops has been told the seller is payable. */
export async function onboardPayableSeller(h: Harness, sellerId: string = PEOPLE.seller1): Promise<string> {
  const startUrl = await inviteSeller(h, sellerId);
  await completeHostedOnboarding(startUrl, 'complete');
  await h.slack.waitFor(
    () => h.slack.messages(CHANNELS.ops).find((m) => m.text?.includes(`<@${sellerId}> can be paid now`)),
    { timeoutMs: 5_000 },
  );
  return h.stripe.control.accounts().find((a) => a.metadata.slack_user_id === sellerId)!.id;
}
