import type { AutoFundingService } from './auto-funding.js';
import type { Clock } from './clock.js';
import { type FreezeService, type LimitOverrideService, scopeKey } from './controls.js';
import type { RecordEffect } from './execution.js';
import type { PlanStore, RequestStore } from './ports.js';
import type { RunService } from './runs.js';
import type { ScheduleService } from './schedules.js';

/** What an approved plan change, schedule, resume, run, unfreeze, limit override or funding permission does: our own records change, and runs start. */
export function createRecordEffects(deps: {
  plan: PlanStore;
  requests: Pick<RequestStore, 'runLines'>;
  schedules: ScheduleService;
  runs: RunService;
  freezes: FreezeService;
  overrides: Pick<LimitOverrideService, 'grant'>;
  autoFunding: Pick<AutoFundingService, 'enable'>;
  clock: Clock;
}): RecordEffect {
  return async (request) => {
    switch (request.kind) {
      case 'plan': {
        await deps.plan.set({
          teamId: request.teamId,
          userId: request.destination.userId,
          accountId: request.destination.accountId,
          money: request.money,
          description: request.description,
          approvedBy: request.approvals.map((a) => a.userId),
          requestId: request.id,
          updatedAt: deps.clock.now().toISOString(),
        });
        return `plan ${request.destination.userId}`;
      }
      case 'schedule':
        return (await deps.schedules.activate(request)).id;
      case 'resume':
        return (await deps.schedules.resume(request)).id;
      case 'unfreeze': {
        // Lifted already (another unfreeze of the same scope): nothing waits on it any more, which is what was asked.
        await deps.freezes.lift(
          request.unfreeze,
          request.approvals.map((a) => a.userId),
        );
        return `unfreeze ${scopeKey(request.unfreeze)}`;
      }
      case 'override': {
        await deps.overrides.grant(
          request.override.payoutRef,
          request.approvals.map((a) => a.userId),
        );
        return `override ${request.override.payoutRef}`;
      }
      case 'run': {
        // The run id is the request id: a re-run of this job finds the same run and resumes it.
        const run = await deps.runs.launch({
          id: request.id,
          teamId: request.teamId,
          source: request.run.source,
          requestId: request.id,
          scheduleId: null,
          requestedBy: request.requestedBy,
          approvedBy: request.approvals.map((a) => a.userId),
          lines: deps.requests.runLines(request.id),
          message: request.message,
        });
        return run.id;
      }
      case 'funding':
        return `funding ${(await deps.autoFunding.enable(request)).currency}`;
    }
  };
}
