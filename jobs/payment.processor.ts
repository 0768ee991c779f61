import type { Job } from 'bullmq';
import type { AppDeps } from '../src/deps.js';
import { parseJobData } from './job-failure.js';
import { paymentJob } from './payment.job.js';

/**
 * One payment, whatever its kind: an approved request, a run line, a scheduled top-up or an automatic top-up. Transient Stripe failures
 * throw a retryable AppError, which the worker retries with the same reference (so the same idempotency key).
 */
export async function processPayment(
  job: Pick<Job, 'queueName' | 'data'>,
  deps: Pick<AppDeps, 'execution' | 'runs' | 'schedules' | 'autoFunding' | 'logger'>,
): Promise<string> {
  const { payoutRef, ref } = parseJobData(job, paymentJob);
  const result =
    ref.kind === 'request'
      ? await deps.execution.execute(ref.requestId)
      : ref.kind === 'run-line'
        ? await deps.runs.payLine(ref.runId, ref.lineKey)
        : ref.kind === 'scheduled-topup'
          ? await deps.schedules.payFiring(ref.periodKey)
          : await deps.autoFunding.pay(ref.currency, ref.day);
  deps.logger.info({ payoutRef, event: `payment.job_${result}` }, 'payment job finished');
  return result;
}
