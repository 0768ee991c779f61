import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { PlanEntry } from './payouts.types.js';
import type { PlanPage, PlanStore } from './ports.js';

/** The payout plan as people change it directly; setting an amount is a request (src/domain/requests.ts). */
export interface PlanService {
  list(teamId: string): Promise<PlanEntry[]>;
  /** One page of the plan by seller, with how many lines there are and the totals of all of them. */
  page(teamId: string, offset: number, limit: number): Promise<PlanPage>;
  /** Takes a seller out of the plan at once (it only stops money) and audits it; undefined when they were not in it. */
  remove(teamId: string, userId: string, by: string): Promise<PlanEntry | undefined>;
}

export function createPlanService(deps: { store: PlanStore; audit: AuditLog; clock: Clock }): PlanService {
  return {
    list: (teamId) => deps.store.list(teamId),
    page: (teamId, offset, limit) => deps.store.page(teamId, offset, limit),
    async remove(teamId, userId, by) {
      const removed = await deps.store.remove(teamId, userId);
      if (removed) {
        await deps.audit.append({
          at: deps.clock.now().toISOString(),
          actor: by,
          action: 'plan.removed',
          subject: removed.requestId,
          kind: 'plan',
          amounts: [removed.money],
          payee: { userId: removed.userId, accountId: removed.accountId },
          state: 'removed',
        });
      }
      return removed;
    },
  };
}
