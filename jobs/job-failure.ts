import { type Job, UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import { isAppError } from '../src/domain/errors.js';

/** Job data that does not fit its queue's contract: no retry can fix it, so the job ends at once, the zod error kept as cause. */
export class MalformedJobError extends UnrecoverableError {
  constructor(queue: string, error: z.ZodError) {
    const issues = error.issues.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`).join('; ');
    super(`malformed job data on ${queue}: ${issues}`);
    this.cause = error;
  }
}

/** Validates a job's data against its contract at the top of a processor. */
export function parseJobData<S extends z.ZodType>(job: Pick<Job, 'queueName' | 'data'>, schema: S): z.output<S> {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new MalformedJobError(job.queueName, parsed.error);
  return parsed.data;
}

/** A permanent refusal (an AppError that is not retryable) ends the job at once; its message keeps the code, the error is the cause. */
export function finalOrRetry(error: unknown): unknown {
  if (isAppError(error) && !error.retryable)
    return Object.assign(new UnrecoverableError(error.message), { cause: error });
  return error;
}
