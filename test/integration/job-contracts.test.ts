import { type Queue, UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { type Harness, startHarness } from '../../emulators/local-stack.js';
import { MAINTENANCE_JOBS } from '../../jobs/maintenance.job.js';
import { eventually } from '../support/eventually.js';

let h: Harness;
/** The error each failed job ended with, as its worker saw it (BullMQ keeps only the message in Redis). */
const failures = new Map<string, Error>();

beforeAll(async () => {
  h = await startHarness();
  for (const worker of h.bot.workers!.current())
    worker.on('failed', (job, error) => job && failures.set(`${worker.name}/${job.id}`, error));
});
afterAll(async () => {
  await h?.stop();
});

/** One malformed job per queue: a payload that breaks that queue's contract. */
const malformed: [queue: (h: Harness) => Queue, name: string, data: unknown, issue: string][] = [
  [
    (h) => h.bot.deps.queues.stripeEvents,
    'account.updated',
    {
      eventId: 'not-an-event',
      type: 'account.updated',
      accountId: null,
      payoutRef: null,
      objectId: 'acct_1',
      traceId: 't',
    },
    'eventId',
  ],
  [(h) => h.bot.deps.queues.executions, 'pay', { payoutRef: 'pay_zz.nothing' }, 'not a payment reference'],
  [(h) => h.bot.deps.queues.runLines, 'pay', { payoutRef: 42 }, 'payoutRef'],
  [(h) => h.bot.deps.queues.schedules, 'topup', { scheduleId: 'req_1' }, 'scheduleId'],
  [(h) => h.bot.deps.queues.maintenance, MAINTENANCE_JOBS.runFinish, { run: 'run_1' }, 'runId'],
  [(h) => h.bot.deps.queues.maintenance, MAINTENANCE_JOBS.reconcile, { trigger: 'weekly' }, 'trigger'],
];

describe('job contracts', () => {
  it.each(malformed.map(([queue, name, data, issue], i) => [name, i, queue, data, issue] as const))(
    'when a %s job (#%i) carries data its contract refuses, then it fails once, not retried, naming the queue and the issue, the zod error kept as cause',
    async (name, i, queueOf, data, issue) => {
      const queue = queueOf(h);
      const job = await queue.add(name, data as never, { jobId: `malformed-${i}` });
      const failed = await eventually(
        async () => ((await job.getState()) === 'failed' ? queue.getJob(job.id!) : undefined),
        { what: `${queue.name} job failed` },
      );
      expect(failed!.attemptsMade).toBe(1);
      expect(failed!.failedReason).toContain(`malformed job data on ${queue.name}`);
      expect(failed!.failedReason).toContain(issue);
      const error = failures.get(`${queue.name}/${job.id}`);
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect(error!.cause).toBeInstanceOf(ZodError);
    },
  );
});
