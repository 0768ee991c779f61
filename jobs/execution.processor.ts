import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';
import type { ExecutionResult } from '../src/domain/execution.js';

const jobData = z.object({ requestId: z.string().regex(/^req_\w+$/) });

/** Pays one approved request. Transient Stripe failures throw a retryable AppError, which the worker retries. */
export async function processExecution(data: unknown, deps: Pick<AppDeps, 'execution' | 'logger'>): Promise<ExecutionResult> {
  const { requestId } = jobData.parse(data);
  const result = await deps.execution.execute(requestId);
  deps.logger.info({ requestId, event: `request.execution_${result}` }, 'execution finished');
  return result;
}
