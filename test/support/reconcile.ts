import { expect } from 'vitest';
import { CHANNELS, type Harness, messageText, PEOPLE } from '../../emulators/local-stack.js';

/** `/payout reconcile …` as an approver; the answer, its first line read into numbers. */
export async function reconcileViaSlack(h: Harness, args = '', userId: string = PEOPLE.approver1) {
  const before = h.slack.ephemerals(userId).length;
  const res = await h.sender.slashCommand({ text: `reconcile ${args}`.trim(), userId, channelId: CHANNELS.general });
  expect(res.status).toBe(200);
  const answer = await h.slack.waitFor(
    () =>
      h.slack
        .ephemerals(userId)
        .slice(before)
        .find((e) => /payments compared|could not/.test(messageText(e))),
    { timeoutMs: 60_000 },
  );
  const text = messageText(answer);
  const [, compared, differences] = /(\d+) payments compared, (\d+) difference/.exec(text) ?? [];
  return { text, compared: Number(compared), differences: Number(differences) };
}
