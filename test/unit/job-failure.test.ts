import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { ZodError, z } from 'zod';
import { finalOrRetry, MalformedJobError, parseJobData } from '../../jobs/job-failure.js';
import { paymentJob } from '../../jobs/payment.job.js';
import { AppError } from '../../src/domain/errors.js';

describe('job failures', () => {
  it('when job data breaks its contract, then the error is unrecoverable, names the queue and each issue, and keeps the zod error', () => {
    const error = (() => {
      try {
        parseJobData({ queueName: 'payout-executions', data: { payoutRef: 'pay_zz.x' } }, paymentJob);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(MalformedJobError);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe(
      'malformed job data on payout-executions: payoutRef: not a payment reference: pay_zz.x',
    );
    expect((error as Error).cause).toBeInstanceOf(ZodError);
  });

  it('when the data is missing altogether, then the issue is named for the data itself', () => {
    expect(() => parseJobData({ queueName: 'q', data: undefined }, z.object({ runId: z.string() }))).toThrow(
      /^malformed job data on q: \(data\): /,
    );
  });

  it('when job data fits, then the processor gets it parsed', () => {
    expect(parseJobData({ queueName: 'q', data: { payoutRef: 'pay_rq.req_1' } }, paymentJob)).toEqual({
      payoutRef: 'pay_rq.req_1',
      ref: { kind: 'request', requestId: 'req_1' },
    });
  });

  it('when a refusal is permanent, then the job ends at once with the code in its message and the refusal as cause; a transient one is retried', () => {
    const refusal = new AppError('seller_not_payable', { userId: 'U1', transfers: 'inactive' });
    const final = finalOrRetry(refusal) as Error;
    expect(final).toBeInstanceOf(UnrecoverableError);
    expect(final.message).toContain('seller_not_payable');
    expect(final.cause).toBe(refusal);
    const transient = new AppError('stripe_unavailable', { action: 'pay' }, { retryable: true });
    expect(finalOrRetry(transient)).toBe(transient);
  });
});
