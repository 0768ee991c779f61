import { CHANNELS, type Harness, messageText, PEOPLE } from '../emulators/local-stack.js';
import { ratio } from './stats.js';
import type { Benchmark } from './types.js';
import { reportChildLogs, startRunBench, until, type WorkerChild } from './worker-child.js';

/** Goals (issue 15): done within 1.10× of the floor counting from the click; the first transfer within 1 s of it. */
const GOAL_RATIO = 1.1;
const GOAL_FIRST_TRANSFER_MS = 1_000;

/**
 * A CSV run as people make it: `/payout run csv`, the modal submitted, then Approve clicked, against a Stripe that
 * allows `perSecond` transfers a second with the bot at the same pace. Timed from the click (the floor is
 * lines / perSecond): until the first transfer reached Stripe, and until the run is done.
 */
export function runFromApproval(options: { lines?: number; perSecond?: number } = {}): Benchmark {
  const lineCount = options.lines ?? 100;
  const perSecond = options.perSecond ?? 25;
  const floorS = lineCount / perSecond;
  return {
    name: 'run-approval',
    description: `CSV run of ${lineCount} transfers approved in Slack, Stripe limit and STRIPE_TRANSFERS_PER_SECOND ${perSecond}/s, timed from the Approve click (floor ${floorS} s); goals: ≤ ${GOAL_RATIO}× floor, first transfer ≤ ${GOAL_FIRST_TRANSFER_MS} ms`,
    async run() {
      let h: Harness | undefined;
      let worker: WorkerChild | undefined;
      try {
        let sellerAccount: string;
        ({ h, sellerAccount, worker } = await startRunBench(perSecond, perSecond));
        const harness = h;
        await harness.sender.slashCommand({ text: 'run csv', userId: PEOPLE.requester, channelId: CHANNELS.general });
        const view = await harness.slack.waitFor(() =>
          harness.slack
            .views()
            .filter((v) => v.callback_id === 'run_csv_modal')
            .at(-1),
        );
        const posted = harness.slack.messages(CHANNELS.approvals).length;
        const csv = Array.from(
          { length: lineCount },
          (_, i) => `${sellerAccount},${(1 + (i % 9)).toFixed(2)},eur,bench line ${i + 1}`,
        ).join('\n');
        await harness.sender.viewSubmission({
          userId: PEOPLE.requester,
          callbackId: 'run_csv_modal',
          viewId: view.id,
          values: { csv_text: { text: { type: 'plain_text_input', value: csv } } },
        });
        const message = await harness.slack.waitFor(() => harness.slack.messages(CHANNELS.approvals)[posted], {
          timeoutMs: 10_000,
        });
        const requestId = /Request `(req_\w+)`/.exec(messageText(message))?.[1];
        if (!requestId) throw new Error(`run-approval: no request id in ${messageText(message)}`);

        const isLineTransfer = (r: { method: string; path: string; status: number; idempotencyKey?: string }) =>
          r.method === 'POST' &&
          r.path === '/v1/transfers' &&
          r.status === 200 &&
          (r.idempotencyKey ?? '').includes(requestId);
        const rateLimitedBefore = harness.stripe.control.stats().rateLimited;
        const clickedAt = Date.now();
        const click = await harness.sender.blockAction({
          userId: PEOPLE.approver1,
          actionId: 'request_approve',
          value: requestId,
          channelId: CHANNELS.approvals,
          messageTs: message.ts,
        });
        if (click.status !== 200) throw new Error(`run-approval: the Approve click answered ${click.status}`);
        await until(
          async () => (await harness.bot.deps.runs.get(requestId))?.status === 'done',
          floorS * 3_000 + 30_000,
          `run ${requestId} to be done`,
          10,
        );
        const doneMs = Date.now() - clickedAt;
        const first = harness.stripe.control.requests.find(isLineTransfer);
        if (process.env.BENCH_TIMELINE) {
          const stripeCalls = harness.stripe.control.requests
            .filter((r) => Date.parse(r.at) >= clickedAt)
            .slice(0, 6)
            .map((r) => [Date.parse(r.at) - clickedAt, `stripe ${r.method} ${r.path}`] as const);
          const slackCalls = (['chat.postMessage', 'chat.update', 'chat.postEphemeral'] as const).flatMap((m) =>
            harness.slack
              .callsTo(m)
              .filter((c) => c.at >= clickedAt)
              .slice(0, 3)
              .map((c) => [c.at - clickedAt, `slack ${m}`] as const),
          );
          const last = harness.stripe.control.requests.filter(isLineTransfer).at(-1);
          console.error(
            `last transfer at ${last ? Date.parse(last.at) - clickedAt : Number.NaN} ms, done seen at ${doneMs} ms`,
          );
          console.error(
            [...stripeCalls, ...slackCalls]
              .sort((a, b) => a[0] - b[0])
              .map(([t, what]) => `${t} ms ${what}`)
              .join('\n'),
          );
        }
        const firstTransferMs = first ? Date.parse(first.at) - clickedAt : Number.NaN;
        const transfers = harness.stripe.control
          .transfers()
          .filter((t) => t.transfer_group?.startsWith(`pay_rl.${requestId}.`)).length;
        await worker.stop();
        reportChildLogs('run-approval', worker);
        const elapsedS = doneMs / 1000;
        const elapsedToFloor = ratio(elapsedS, floorS);
        return {
          lines: lineCount,
          perSecond,
          floorS,
          elapsedFromClickS: Math.round(elapsedS * 100) / 100,
          'ratio.elapsedToFloor': elapsedToFloor,
          'goal.elapsedToFloor': GOAL_RATIO,
          'goal.elapsedToFloor.check': elapsedToFloor <= GOAL_RATIO ? 'met' : 'not met',
          firstTransferMs,
          'goal.firstTransferMs': GOAL_FIRST_TRANSFER_MS,
          'goal.firstTransferMs.check': firstTransferMs <= GOAL_FIRST_TRANSFER_MS ? 'met' : 'not met',
          'stripe.rateLimited429': harness.stripe.control.stats().rateLimited - rateLimitedBefore,
          'transfers.created': transfers,
          'transfers.check': transfers === lineCount ? 'ok' : 'MISMATCH',
        };
      } finally {
        await worker
          ?.stop()
          .catch((error: unknown) => console.error('run-approval: stopping the worker process failed:', error));
        await h?.stop().catch((error: unknown) => console.error('run-approval: stopping the harness failed:', error));
      }
    },
  };
}
