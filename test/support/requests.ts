import { expect } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE } from '../../emulators/local-stack.js';
import type { PayoutRequest } from '../../src/domain/requests.types.js';
import { eventually } from './eventually.js';

/** Types a `/payout` command as the requester and returns the approval message it posted. */
export async function requestViaSlack(h: Harness, text: string, userId: string = PEOPLE.requester) {
  const before = h.slack.messages(CHANNELS.approvals).length;
  const res = await h.sender.slashCommand({ text, userId, channelId: CHANNELS.general });
  expect(res.status).toBe(200);
  const message = await h.slack.waitFor(() => h.slack.messages(CHANNELS.approvals)[before], { timeoutMs: 5_000 });
  const requestId = /Request `(req_\w+)`/.exec(messageText(message))?.[1];
  expect(requestId).toBeDefined();
  return { message, requestId: requestId! };
}

export function clickApprove(
  h: Harness,
  message: { ts: string },
  requestId: string,
  userId: string,
  options: { channelId?: string; teamId?: string } = {},
) {
  return h.sender.blockAction({
    userId,
    actionId: 'request_approve',
    value: requestId,
    channelId: options.channelId ?? CHANNELS.approvals,
    messageTs: message.ts,
    ...(options.teamId ? { teamId: options.teamId } : {}),
  });
}

export async function waitForState(
  h: Harness,
  requestId: string,
  states: PayoutRequest['state'][],
  timeoutMs = 10_000,
): Promise<PayoutRequest> {
  let last: PayoutRequest | undefined;
  return eventually(
    async () => {
      last = await h.bot.deps.requests.get(requestId);
      return last && states.includes(last.state) ? last : undefined;
    },
    { timeoutMs, what: `request ${requestId} reaching ${states.join(' or ')} (it is ${last?.state ?? 'missing'})` },
  );
}

export const approvalMessageNow = (h: Harness, ts: string) => h.slack.message(CHANNELS.approvals, ts);

/** POSTs the emulator received for an endpoint (every attempt, replays included). */
export const stripePosts = (h: Harness, path: string) =>
  h.stripe.control.requests.filter((r) => r.method === 'POST' && r.path === path);
