import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { type PaymentService, paymentRef } from './payments.js';
import type { PaymentRef, StripeState } from './payments.types.js';
import { type PlanEntry, type Schedule, unpausedLines } from './payouts.types.js';
import type { FiringStore, PaymentQueue, PayoutNotifier, PlanStore, Scheduler, ScheduleStore } from './ports.js';
import type { RequestService } from './requests.js';
import type { PayoutRequest, RequestOf, RunLineDraft } from './requests.types.js';
import type { RunService } from './runs.js';
import { intendedFiring, periodKey } from './schedule-time.js';

export interface ScheduleServiceDeps {
  schedules: ScheduleStore;
  firings: FiringStore;
  scheduler: Scheduler;
  plan: PlanStore;
  runs: RunService;
  payments: PaymentService;
  paymentQueue: PaymentQueue;
  notifier: PayoutNotifier;
  audit: AuditLog;
  /** Resuming turns money back on, so it is a request approved like any other. */
  requests: Pick<RequestService, 'create'>;
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
  activate(request: RequestOf<'schedule'>): Promise<Schedule>;
  /** An approved `resume` request turns a paused schedule back on. */
  resume(request: RequestOf<'resume'>): Promise<Schedule>;
  /** Asks for approval to resume a paused schedule (it turns money back on); the approved request calls `resume`. */
  requestResume(scheduleId: string, userId: string, teamId: string): Promise<PayoutRequest>;
  /** Pausing and deleting stop money at once, so they need no approval. */
  pause(scheduleId: string, userId: string): Promise<Schedule>;
  remove(scheduleId: string, userId: string): Promise<Schedule>;
  get(scheduleId: string): Promise<Schedule | undefined>;
  list(teamId: string): Promise<{ schedule: Schedule; next: Date | undefined }[]>;
  /** One firing; `at` is when BullMQ meant it to run. Pays its period at most once, whatever fires it twice. */
  fire(scheduleId: string, at: Date): Promise<FiringResult>;
  /** Makes the top-up of a firing that `fire` queued; once per period. */
  payFiring(periodKey: string): Promise<'paid' | 'failed' | 'skipped'>;
  /** Records what Stripe now shows for a firing's top-up: ops is told once per change. */
  topupSettled(periodKey: string, state: StripeState): Promise<boolean>;
  /** Alerts ops, once per period, about firings that have not happened `graceMs` after their time. */
  checkMissed(graceMs: number): Promise<number>;
}

/** The plan as a run's lines, a page at a time (a plan of 50,000 sellers is never read at once); paused lines wait. */
async function* runLinesOf(
  pages: AsyncIterable<PlanEntry[]>,
  description: string | null,
): AsyncIterable<RunLineDraft[]> {
  for await (const page of pages)
    yield unpausedLines(page).map((e) => ({
      key: e.userId,
      userId: e.userId,
      accountId: e.accountId,
      money: e.money,
      description: e.description ?? description,
    }));
}

export function createScheduleService(deps: ScheduleServiceDeps): ScheduleService {
  const { schedules, scheduler, clock } = deps;
  const nowIso = () => clock.now().toISOString();

  const record = (
    schedule: Schedule,
    actor: string,
    action: string,
    extra: { detail?: string; ref?: PaymentRef; stripeId?: string } = {},
  ) =>
    deps.audit.append({
      at: nowIso(),
      actor,
      action,
      subject: schedule.id,
      ...(extra.ref ? { payoutRef: paymentRef(extra.ref) } : {}),
      kind: `schedule-${schedule.action}`,
      amounts: schedule.money ? [schedule.money] : [],
      state: schedule.status,
      ...(extra.stripeId ? { stripeId: extra.stripeId } : {}),
      ...(extra.detail ? { detail: extra.detail } : {}),
    });

  async function setStatus(
    scheduleId: string,
    actor: string,
    from: Schedule['status'][],
    to: Schedule['status'],
    extra: Partial<Schedule> = {},
  ): Promise<Schedule> {
    const result = await schedules.update(scheduleId, (s) =>
      from.includes(s.status) ? { ...s, ...extra, status: to, updatedAt: nowIso() } : undefined,
    );
    if (!result) throw new AppError('schedule_unknown', { scheduleId });
    if (!result.changed) throw new AppError('schedule_state', { status: result.before.status });
    await record(result.after, actor, `schedule.${to}`);
    return result.after;
  }

  return {
    newScheduleId: () => newId('sch', clock.now().getTime()),

    async activate(request) {
      const draft = request.schedule;
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
      if (await schedules.create(schedule))
        await record(schedule, request.approvals.at(-1)?.userId ?? 'system', 'schedule.created', {
          detail: schedule.time.label,
        });
      const stored = (await schedules.get(schedule.id)) ?? schedule;
      if (stored.status === 'active') await scheduler.upsert(stored);
      return stored;
    },

    async resume(request) {
      const { scheduleId } = request.schedule;
      const current = await schedules.get(scheduleId);
      if (current?.status === 'active') return current;
      const schedule = await setStatus(scheduleId, request.approvals.at(-1)?.userId ?? 'system', ['paused'], 'active', {
        activeSince: nowIso(),
        approvedBy: request.approvals.map((a) => a.userId),
      });
      await scheduler.upsert(schedule);
      return schedule;
    },

    async requestResume(scheduleId, userId, teamId) {
      const schedule = await schedules.get(scheduleId);
      if (schedule?.status !== 'paused')
        throw new AppError('schedule_state', { status: schedule?.status ?? 'deleted', expected: 'paused' });
      return deps.requests.create({
        kind: 'resume',
        teamId,
        requestedBy: userId,
        description: schedule.description,
        schedule: { scheduleId, action: schedule.action, time: schedule.time, money: schedule.money },
      });
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
      return Promise.all(
        all.map(async (schedule) => ({
          schedule,
          next: schedule.status === 'active' ? await scheduler.next(schedule.id) : undefined,
        })),
      );
    },

    async fire(scheduleId, at) {
      const schedule = await schedules.get(scheduleId);
      if (schedule?.status !== 'active') return 'skipped';
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

      if (schedule.action === 'topup') {
        // The top-up is its own job, keyed by the period: two firings of one period queue one payment.
        await deps.paymentQueue.enqueue({ kind: 'scheduled-topup', periodKey: key });
        return 'fired';
      }

      const run = await deps.runs.launch({
        id: `run-${key}`,
        teamId: schedule.teamId,
        source: 'schedule',
        requestId: null,
        scheduleId,
        requestedBy: null,
        approvedBy: schedule.approvedBy,
        lines: runLinesOf(deps.plan.pages(schedule.teamId), schedule.description),
        message: null,
      });
      if (await deps.firings.finish(key, run.id)) {
        await record(schedule, 'system', 'schedule.run_started', { detail: run.id });
        await deps.notifier.scheduleFired(schedule, firing, { runId: run.id });
      }
      return 'fired';
    },

    async payFiring(key) {
      const firing = await deps.firings.get(key);
      const schedule = firing ? await schedules.get(firing.scheduleId) : undefined;
      if (!firing || firing.status === 'done' || !schedule?.money) return 'skipped';
      const ref = { kind: 'scheduled-topup', periodKey: key } as const;
      // Paused or deleted since it fired: pausing stops money at once.
      if (schedule.status !== 'active') {
        if (await deps.firings.finish(key, `skipped: schedule ${schedule.status}`))
          await record(schedule, 'system', 'schedule.topup_skipped', { ref });
        return 'skipped';
      }
      const outcome = await deps.payments.pay(ref, {
        action: 'topup',
        money: schedule.money,
        description: schedule.description,
        statementDescriptor: null,
      });
      const result = outcome.status === 'paid' ? { stripeId: outcome.stripeId } : { error: outcome.error.problem };
      if (
        await deps.firings.finish(
          key,
          result.stripeId ?? `failed: ${outcome.status === 'failed' ? outcome.error.code : ''}`,
        )
      ) {
        const audit = outcome.status === 'paid' ? { stripeId: outcome.stripeId } : { detail: outcome.error.code };
        await record(schedule, 'system', result.stripeId ? 'schedule.topup_created' : 'schedule.topup_failed', {
          ref,
          ...audit,
        });
        await deps.notifier.scheduleFired(schedule, firing, result);
      }
      return outcome.status;
    },

    async topupSettled(key, state) {
      if (state.object !== 'topup') return false;
      const firing = await deps.firings.get(key);
      const schedule = firing ? await schedules.get(firing.scheduleId) : undefined;
      if (!firing || !schedule || firing.result !== state.stripeId || !(await deps.firings.settle(key, state.status)))
        return false;
      await record(schedule, 'stripe', `schedule.topup_${state.status}`, {
        ref: { kind: 'scheduled-topup', periodKey: key },
        stripeId: state.stripeId,
      });
      await deps.notifier.scheduledTopupSettled(schedule, firing, state.stripeId, state.status, state.failureMessage);
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
