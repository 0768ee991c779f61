import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import type { Schedule } from './payouts.types.js';
import type { FiringStore, MoneyGateway, PayoutNotifier, PlanStore, ScheduleStore, Scheduler } from './ports.js';
import type { PayoutRequest } from './requests.types.js';
import type { RunService } from './runs.js';
import { intendedFiring, periodKey } from './schedule-time.js';

export interface ScheduleServiceDeps {
  schedules: ScheduleStore;
  firings: FiringStore;
  scheduler: Scheduler;
  plan: PlanStore;
  runs: RunService;
  gateway: MoneyGateway;
  notifier: PayoutNotifier;
  audit: AuditLog;
  /** Remembers alerts already sent. */
  claimOnce(scope: string, id: string): Promise<boolean>;
  clock: Clock;
  /** A firing that starts later than this after its time is reported as late. */
  lateAfterMs: number;
}

export type FiringResult = 'fired' | 'duplicate' | 'skipped';

export interface ScheduleService {
  newScheduleId(): string;
  /** An approved `schedule` request becomes a live schedule with its BullMQ job scheduler. */
  activate(request: PayoutRequest): Promise<Schedule>;
  /** An approved `resume` request turns a paused schedule back on. */
  resume(request: PayoutRequest): Promise<Schedule>;
  /** Pausing and deleting stop money at once, so they need no approval. */
  pause(scheduleId: string, userId: string): Promise<Schedule>;
  remove(scheduleId: string, userId: string): Promise<Schedule>;
  get(scheduleId: string): Promise<Schedule | undefined>;
  list(teamId: string): Promise<{ schedule: Schedule; next: Date | undefined }[]>;
  /** One firing; `at` is when BullMQ meant it to run. Pays its period at most once, whatever fires it twice. */
  fire(scheduleId: string, at: Date): Promise<FiringResult>;
  /** A top-up made by a firing settled (or failed) at Stripe: ops is told once per outcome. */
  topupSettled(periodKey: string, topupId: string, settlement: string, reason: string | null): Promise<boolean>;
  /** Alerts ops, once per period, about firings that have not happened `graceMs` after their time. */
  checkMissed(graceMs: number): Promise<number>;
}

export function createScheduleService(deps: ScheduleServiceDeps): ScheduleService {
  const { schedules, scheduler, clock } = deps;
  const nowIso = () => clock.now().toISOString();

  const record = (schedule: Schedule, actor: string, action: string, detail?: string) =>
    deps.audit.append({
      at: nowIso(),
      actor,
      action,
      requestId: schedule.id,
      kind: `schedule-${schedule.action}`,
      amount: schedule.money?.amount ?? 0,
      currency: schedule.money?.currency ?? '',
      state: schedule.status,
      ...(detail ? { detail } : {}),
    });

  async function setStatus(scheduleId: string, actor: string, from: Schedule['status'][], to: Schedule['status'], extra: Partial<Schedule> = {}): Promise<Schedule> {
    const result = await schedules.update(scheduleId, (s) => (from.includes(s.status) ? { ...s, ...extra, status: to, updatedAt: nowIso() } : undefined));
    if (!result) throw new AppError('schedule_unknown', `There is no schedule ${scheduleId}.`);
    if (!result.changed) throw new AppError('schedule_state', `That schedule is already ${result.before.status}.`);
    await record(result.after, actor, `schedule.${to}`);
    return result.after;
  }

  return {
    newScheduleId: () => newId('sch', clock.now().getTime()),

    async activate(request) {
      const draft = request.schedule;
      if (!draft) throw new AppError('not_a_schedule', 'This request creates no schedule.');
      const schedule: Schedule = {
        id: draft.scheduleId,
        teamId: request.teamId,
        action: draft.action,
        time: draft.time,
        money: draft.money,
        description: request.description,
        status: 'active',
        requestedBy: request.requestedBy,
        approvedBy: request.approvals.map((a) => a.userId),
        activeSince: nowIso(),
        updatedAt: nowIso(),
      };
      // A re-run after a crash finds it there already.
      if (await schedules.create(schedule)) await record(schedule, request.approvals.at(-1)?.userId ?? 'system', 'schedule.created', schedule.time.label);
      const stored = (await schedules.get(schedule.id)) ?? schedule;
      if (stored.status === 'active') await scheduler.upsert(stored);
      return stored;
    },

    async resume(request) {
      const scheduleId = request.schedule?.scheduleId ?? '';
      const current = await schedules.get(scheduleId);
      if (current?.status === 'active') return current;
      const schedule = await setStatus(scheduleId, request.approvals.at(-1)?.userId ?? 'system', ['paused'], 'active', { activeSince: nowIso(), approvedBy: request.approvals.map((a) => a.userId) });
      await scheduler.upsert(schedule);
      return schedule;
    },

    async pause(scheduleId, userId) {
      const schedule = await setStatus(scheduleId, userId, ['active'], 'paused');
      await scheduler.remove(scheduleId);
      return schedule;
    },

    async remove(scheduleId, userId) {
      const schedule = await setStatus(scheduleId, userId, ['active', 'paused'], 'deleted');
      await scheduler.remove(scheduleId);
      return schedule;
    },

    get: (scheduleId) => schedules.get(scheduleId),

    async list(teamId) {
      const all = await schedules.list(teamId);
      return Promise.all(all.map(async (schedule) => ({ schedule, next: schedule.status === 'active' ? await scheduler.next(schedule.id) : undefined })));
    },

    async fire(scheduleId, at) {
      const schedule = await schedules.get(scheduleId);
      if (!schedule || schedule.status !== 'active') return 'skipped';
      const now = clock.now();
      const intended = intendedFiring(schedule.time, at);
      const key = periodKey(schedule.id, schedule.time, intended);
      const { firing } = await deps.firings.begin({
        periodKey: key,
        scheduleId,
        intendedAt: intended.toISOString(),
        startedAt: now.toISOString(),
        status: 'started',
        late: now.getTime() - intended.getTime() > deps.lateAfterMs,
        result: null,
      });
      if (firing.status === 'done') return 'duplicate';

      if (schedule.action === 'topup' && schedule.money) {
        let outcome: { stripeId?: string; error?: string };
        try {
          // The period key names the top-up: two firings of one period replay one Stripe request.
          const topup = await deps.gateway.createTopup({ money: schedule.money, description: schedule.description, statementDescriptor: null, requestId: key }, `topup-${key}`);
          outcome = { stripeId: topup.id };
        } catch (error) {
          if (!(error instanceof AppError) || error.retryable) throw error;
          outcome = { error: error.userMessage };
        }
        if (await deps.firings.finish(key, outcome.stripeId ?? `failed: ${outcome.error}`)) {
          await record(schedule, 'system', outcome.stripeId ? 'schedule.topup_created' : 'schedule.topup_failed', outcome.stripeId ?? outcome.error);
          await deps.notifier.scheduleFired(schedule, firing, outcome);
        }
        return 'fired';
      }

      const entries = await deps.plan.list(schedule.teamId);
      const run = await deps.runs.launch({
        id: `run-${key}`,
        teamId: schedule.teamId,
        source: 'schedule',
        requestId: null,
        scheduleId,
        requestedBy: null,
        lines: entries.map((e) => ({ key: e.userId, userId: e.userId, accountId: e.accountId, money: e.money, description: e.description ?? schedule.description })),
        message: null,
      });
      if (await deps.firings.finish(key, run.id)) {
        await record(schedule, 'system', 'schedule.run_started', run.id);
        await deps.notifier.scheduleFired(schedule, firing, { runId: run.id });
      }
      return 'fired';
    },

    async topupSettled(key, topupId, settlement, reason) {
      const firing = await deps.firings.get(key);
      const schedule = firing ? await schedules.get(firing.scheduleId) : undefined;
      if (!firing || !schedule || !(await deps.claimOnce('topup-settled', `${topupId}-${settlement}`))) return false;
      await record(schedule, 'stripe', `schedule.topup_${settlement}`, topupId);
      await deps.notifier.scheduledTopupSettled(schedule, firing, topupId, settlement, reason);
      return true;
    },

    async checkMissed(graceMs) {
      let alerts = 0;
      const before = new Date(clock.now().getTime() - graceMs);
      for (const schedule of await schedules.list()) {
        if (schedule.status !== 'active') continue;
        const expected = intendedFiring(schedule.time, before);
        if (expected.getTime() < Date.parse(schedule.activeSince)) continue;
        const key = periodKey(schedule.id, schedule.time, expected);
        if ((await deps.firings.get(key)) || !(await deps.claimOnce('missed-firing', key))) continue;
        await deps.notifier.firingMissed(schedule, expected);
        alerts++;
      }
      return alerts;
    },
  };
}
