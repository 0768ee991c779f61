import { describe, expect, it } from 'vitest';
import { createReminderService, reminderPoints } from '../../src/domain/reminders.js';
import type { PayoutRequest } from '../../src/domain/requests.types.js';

const at = (iso: string) => Date.parse(iso);

describe('reminderPoints', () => {
  it('when a request lives 24 hours, then it is reminded about at 12 hours and one hour before it expires', () => {
    expect(reminderPoints({ requestedAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-02T00:00:00.000Z' })).toEqual([
      { point: 'halfway', at: at('2026-03-01T12:00:00.000Z') },
      { point: 'closing', at: at('2026-03-01T23:00:00.000Z') },
    ]);
  });

  it('when a request lives an hour, then the second reminder comes at 90% instead of before it was made', () => {
    expect(reminderPoints({ requestedAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-01T01:00:00.000Z' })).toEqual([
      { point: 'halfway', at: at('2026-03-01T00:30:00.000Z') },
      { point: 'closing', at: at('2026-03-01T00:54:00.000Z') },
    ]);
  });
});

describe('reminder jobs and the sweeper', () => {
  const request = (state: PayoutRequest['state'] = 'pending') =>
    ({
      id: 'req_1',
      state,
      requestedAt: '2026-03-01T00:00:00.000Z',
      expiresAt: '2026-03-02T00:00:00.000Z',
      message: { channel: 'CAPPROVALS', ts: '1.0' },
    }) as PayoutRequest;

  function service(stored: PayoutRequest, nowIso: string) {
    const claims = new Set<string>();
    const sent: string[] = [];
    const scheduled: { requestId: string; points: { point: string; at: number }[] }[] = [];
    const reminders = createReminderService({
      store: { get: async () => stored, open: async () => [stored] },
      queue: { schedule: async (requestId, points) => void scheduled.push({ requestId, points }) },
      remind: async (r, point) => void sent.push(`${r.id}:${point}`),
      claimOnce: async (_scope, id) => !claims.has(id) && Boolean(claims.add(id)),
      clock: { now: () => new Date(nowIso) },
    });
    return { reminders, sent, scheduled };
  }

  it('when a request is made, then one job per point is queued, at that point', async () => {
    const { reminders, scheduled } = service(request(), '2026-03-01T00:00:00.000Z');
    await reminders.schedule(request());
    expect(scheduled).toEqual([{ requestId: 'req_1', points: reminderPoints(request()) }]);
  });

  it("when a point's job runs and then the sweeper passes, then the thread gets one reminder, not two", async () => {
    const { reminders, sent } = service(request(), '2026-03-01T12:00:01.000Z');
    expect(await reminders.remind('req_1', 'halfway')).toBe(true);
    expect(await reminders.remind('req_1', 'halfway')).toBe(false);
    expect(await reminders.remindDue()).toBe(0);
    expect(sent).toEqual(['req_1:halfway']);
  });

  it('when a request was decided before its reminder job runs, then nothing is posted', async () => {
    const { reminders, sent } = service(request('approved'), '2026-03-01T12:00:01.000Z');
    expect(await reminders.remind('req_1', 'halfway')).toBe(false);
    expect(sent).toEqual([]);
  });

  it('when the halfway job runs only after the closing point has come, then it leaves the one reminder to the closing job', async () => {
    const { reminders, sent } = service(request(), '2026-03-01T23:00:01.000Z');
    expect(await reminders.remind('req_1', 'halfway')).toBe(false);
    expect(await reminders.remind('req_1', 'closing')).toBe(true);
    expect(sent).toEqual(['req_1:closing']);
  });
});
