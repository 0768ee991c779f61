import { describe, expect, it, vi } from 'vitest';
import type { Run } from '../../src/domain/payouts.types.js';
import type { RequestOf, RunLineDraft, ScheduleDraft } from '../../src/domain/requests.types.js';
import type { RunService } from '../../src/domain/runs.js';
import { parseScheduleTime, type ScheduleTime } from '../../src/domain/schedule-time.js';
import { createScheduleService } from '../../src/domain/schedules.js';
import {
  inMemoryRequests,
  memoryAudit,
  memoryClaims,
  memoryFiringStore,
  memoryPlanStore,
  memoryScheduleStore,
  STAFF,
  spyPayoutNotifier,
  TEAM,
  testClock,
} from '../support/memory-ports.js';
import { fakeMoneyGateway, payingThrough } from '../support/money-gateway.js';

const NOW = '2026-11-24T12:00:00.000Z';
const parsed = parseScheduleTime(['daily', '09:00', 'UTC']);
const DAILY_9: ScheduleTime = 'time' in parsed ? parsed.time : (undefined as never);
const NEXT_MORNING = new Date('2026-11-25T09:00:00Z');

function setup() {
  const clock = testClock(NOW);
  const plan = memoryPlanStore([
    {
      teamId: TEAM,
      userId: 'USELLER',
      accountId: 'acct_seller',
      money: { amount: 50_00, currency: 'eur' },
      description: null,
      approvedBy: [STAFF.approver1],
      requestId: 'req_p1',
      updatedAt: NOW,
    },
    {
      teamId: TEAM,
      userId: 'UGONE',
      accountId: 'acct_gone',
      money: { amount: 70_00, currency: 'eur' },
      description: null,
      approvedBy: [STAFF.approver1],
      requestId: 'req_p2',
      updatedAt: NOW,
      pausedReason: 'disconnected',
    },
  ]);
  const requests = inMemoryRequests({ clock, plan });
  const gateway = fakeMoneyGateway();
  const payments = payingThrough(gateway, clock);
  const scheduler = {
    upsert: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    next: vi.fn(async () => NEXT_MORNING),
  };
  const runs = {
    launch: vi.fn(async (input: { id: string }) => ({ id: input.id, status: 'running' }) as Run),
  } as unknown as RunService & { launch: ReturnType<typeof vi.fn> };
  const paymentQueue = { enqueue: vi.fn(async () => undefined), requeue: vi.fn(async () => undefined) };
  const notifier = spyPayoutNotifier();
  const audit = memoryAudit();
  const service = createScheduleService({
    schedules: memoryScheduleStore(),
    firings: memoryFiringStore(),
    scheduler,
    plan,
    runs,
    payments,
    paymentQueue,
    notifier,
    audit,
    requests: requests.service,
    claimOnce: memoryClaims(),
    clock,
    lateAfterMs: 60_000,
  });
  /** Asks for a schedule (or a resume) the way a person does, and approves it (a second approver when the policy wants one). */
  async function approved<K extends 'schedule' | 'resume'>(kind: K, draft: ScheduleDraft): Promise<RequestOf<K>> {
    const request = await requests.service.create({
      kind,
      teamId: TEAM,
      requestedBy: STAFF.requester,
      description: 'weekly float',
      schedule: draft,
    });
    let result = await requests.service.approve(request.id, STAFF.approver1);
    if (result.outcome === 'awaiting_second') result = await requests.service.approve(request.id, STAFF.approver2);
    expect(result.outcome).toBe('approved');
    if (result.request?.kind !== kind) throw new Error(`expected an approved ${kind} request`);
    return result.request as RequestOf<K>;
  }
  const topupDraft = () => ({
    scheduleId: service.newScheduleId(),
    action: 'topup' as const,
    time: DAILY_9,
    money: { amount: 500_00, currency: 'usd' },
  });
  return { service, clock, scheduler, runs, paymentQueue, notifier, audit, gateway, approved, topupDraft };
}

describe('schedules', () => {
  it('when an approved schedule request is activated, then the schedule is active with its approvers and its job scheduler, once however often it is activated', async () => {
    const { service, scheduler, audit, approved, topupDraft } = setup();
    const draft = topupDraft();
    const request = await approved('schedule', draft);
    const schedule = await service.activate(request);
    expect(schedule).toMatchObject({
      id: draft.scheduleId,
      status: 'active',
      action: 'topup',
      money: { amount: 500_00, currency: 'usd' },
      approvedBy: [STAFF.approver1, STAFF.approver2],
      activeSince: NOW,
    });
    await service.activate(request);
    expect(audit.actions()).toEqual(['schedule.created']);
    expect(scheduler.upsert).toHaveBeenCalledWith(expect.objectContaining({ id: draft.scheduleId, time: DAILY_9 }));
    await expect(service.list(TEAM)).resolves.toEqual([{ schedule, next: NEXT_MORNING }]);
  });

  it('when a request that creates no schedule is activated, then the compiler refuses it: only a schedule request carries one', () => {
    const { service } = setup();
    const topup = { kind: 'topup' } as RequestOf<'topup'>;
    // @ts-expect-error a top-up request creates no schedule (the union by kind; `npx tsc` fails when this line compiles)
    const activate = () => service.activate(topup);
    expect(activate).toBeTypeOf('function');
  });

  it('when a schedule is paused, then its job scheduler goes at once; pausing it again or an unknown one is refused with a code', async () => {
    const { service, scheduler, approved, topupDraft } = setup();
    const schedule = await service.activate(await approved('schedule', topupDraft()));
    await expect(service.pause(schedule.id, STAFF.approver1)).resolves.toMatchObject({ status: 'paused' });
    expect(scheduler.remove).toHaveBeenCalledWith(schedule.id);
    await expect(service.pause(schedule.id, STAFF.approver1)).rejects.toMatchObject({ code: 'schedule_state' });
    await expect(service.pause('sch_nope', STAFF.approver1)).rejects.toMatchObject({ code: 'schedule_unknown' });
  });

  it('when Resume is asked for, then a paused schedule gets a resume request carrying what it does; an active one is refused and nothing is requested', async () => {
    const { service, approved, topupDraft } = setup();
    const draft = topupDraft();
    const schedule = await service.activate(await approved('schedule', draft));
    await expect(service.requestResume(schedule.id, STAFF.requester, TEAM)).rejects.toMatchObject({
      code: 'schedule_state',
    });
    await service.pause(schedule.id, STAFF.approver1);
    const request = await service.requestResume(schedule.id, STAFF.requester, TEAM);
    expect(request).toMatchObject({
      kind: 'resume',
      state: 'pending',
      requestedBy: STAFF.requester,
      description: 'weekly float',
      schedule: draft,
    });
    await expect(service.requestResume('sch_nope', STAFF.requester, TEAM)).rejects.toMatchObject({
      code: 'schedule_state',
    });
  });

  it('when an approved resume request arrives, then a paused schedule is active again from now; an active one is left as it is; a deleted one stays deleted', async () => {
    const { service, scheduler, clock, approved, topupDraft } = setup();
    const draft = topupDraft();
    const schedule = await service.activate(await approved('schedule', draft));
    await service.pause(schedule.id, STAFF.approver1);
    clock.advance(3_600_000);
    const resume = await approved('resume', draft);
    await expect(service.resume(resume)).resolves.toMatchObject({
      status: 'active',
      activeSince: clock.now().toISOString(),
    });
    expect(scheduler.upsert).toHaveBeenCalledTimes(2);
    await expect(service.resume(resume)).resolves.toMatchObject({ status: 'active' });
    expect(scheduler.upsert).toHaveBeenCalledTimes(2);
    await service.remove(schedule.id, STAFF.approver1);
    await expect(service.resume(resume)).rejects.toMatchObject({ code: 'schedule_state' });
  });

  it('when a top-up schedule fires twice for one period, then one top-up is made for it, and a later firing of the period is a duplicate', async () => {
    const { service, clock, paymentQueue, gateway, notifier, approved, topupDraft } = setup();
    const schedule = await service.activate(await approved('schedule', topupDraft()));
    clock.advance(NEXT_MORNING.getTime() - clock.now().getTime());
    await expect(service.fire(schedule.id, NEXT_MORNING)).resolves.toBe('fired');
    await expect(service.fire(schedule.id, new Date(NEXT_MORNING.getTime() + 30_000))).resolves.toBe('fired');
    const periodKey = `${schedule.id}-2026-11-25`;
    expect(paymentQueue.enqueue.mock.calls).toEqual([
      [{ kind: 'scheduled-topup', periodKey }],
      [{ kind: 'scheduled-topup', periodKey }],
    ]);
    await expect(service.payFiring(periodKey)).resolves.toBe('paid');
    await expect(service.payFiring(periodKey)).resolves.toBe('skipped');
    await expect(service.fire(schedule.id, NEXT_MORNING)).resolves.toBe('duplicate');
    expect(gateway.createTopup).toHaveBeenCalledTimes(1);
    expect(gateway.createTopup).toHaveBeenCalledWith(
      expect.objectContaining({ money: { amount: 500_00, currency: 'usd' } }),
      expect.objectContaining({ idempotencyKey: `pay_st.${periodKey}` }),
    );
    expect(notifier.scheduleFired).toHaveBeenCalledTimes(1);
  });

  it('when a schedule is paused after it fired, then its top-up is skipped and Stripe is not called; a paused schedule does not fire', async () => {
    const { service, clock, gateway, audit, approved, topupDraft } = setup();
    const schedule = await service.activate(await approved('schedule', topupDraft()));
    clock.advance(NEXT_MORNING.getTime() - clock.now().getTime());
    await service.fire(schedule.id, NEXT_MORNING);
    await service.pause(schedule.id, STAFF.approver1);
    await expect(service.payFiring(`${schedule.id}-2026-11-25`)).resolves.toBe('skipped');
    expect(gateway.createTopup).not.toHaveBeenCalled();
    expect(audit.actions()).toContain('schedule.topup_skipped');
    await expect(service.fire(schedule.id, new Date(NEXT_MORNING.getTime() + 86_400_000))).resolves.toBe('skipped');
  });

  it('when a run schedule fires, then it launches one run of the unpaused plan lines named after the period, and firing the period again is a duplicate', async () => {
    const { service, clock, runs, notifier, approved } = setup();
    const schedule = await service.activate(
      await approved('schedule', { scheduleId: service.newScheduleId(), action: 'run', time: DAILY_9, money: null }),
    );
    clock.advance(NEXT_MORNING.getTime() - clock.now().getTime());
    await expect(service.fire(schedule.id, NEXT_MORNING)).resolves.toBe('fired');
    await expect(service.fire(schedule.id, NEXT_MORNING)).resolves.toBe('duplicate');
    expect(runs.launch).toHaveBeenCalledTimes(1);
    const [launched] = vi.mocked(runs.launch).mock.calls[0]!;
    expect(launched).toMatchObject({ id: `run-${schedule.id}-2026-11-25`, source: 'schedule' });
    // The plan arrives a page at a time.
    const lines: RunLineDraft[] = [];
    for await (const page of launched.lines as AsyncIterable<RunLineDraft[]>) lines.push(...page);
    expect(lines).toEqual([expect.objectContaining({ key: 'USELLER', money: { amount: 50_00, currency: 'eur' } })]);
    expect(notifier.scheduleFired).toHaveBeenCalledTimes(1);
  });

  it('when a firing has not happened well after its time, then ops hears once per period', async () => {
    const { service, clock, notifier, approved, topupDraft } = setup();
    const schedule = await service.activate(await approved('schedule', topupDraft()));
    clock.advance(NEXT_MORNING.getTime() + 30 * 60_000 - clock.now().getTime());
    await expect(service.checkMissed(10 * 60_000)).resolves.toBe(1);
    await expect(service.checkMissed(10 * 60_000)).resolves.toBe(0);
    expect(notifier.firingMissed).toHaveBeenCalledWith(expect.objectContaining({ id: schedule.id }), NEXT_MORNING);
  });
});
