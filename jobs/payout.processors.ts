import { z } from 'zod';
import type { AppDeps } from '../src/deps.js';

const scheduleJob = z.object({ scheduleId: z.string().startsWith('sch_') });
const finishJob = z.object({ runId: z.string().min(1) });

/** A schedule's firing; `intendedAt` is the instant BullMQ's job scheduler meant it for. */
export async function processScheduleFiring(data: unknown, intendedAt: Date, deps: Pick<AppDeps, 'schedules' | 'logger'>): Promise<string> {
  const { scheduleId } = scheduleJob.parse(data);
  const result = await deps.schedules.fire(scheduleId, intendedAt);
  deps.logger.info({ event: `schedule.${result}`, scheduleId, intendedAt: intendedAt.toISOString() }, 'schedule firing');
  return result;
}

export async function processRunFinish(data: unknown, deps: Pick<AppDeps, 'runs'>): Promise<void> {
  await deps.runs.finish(finishJob.parse(data).runId);
}
