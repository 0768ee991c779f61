import type { Clock } from './clock.js';
import type { RequestStore } from './ports.js';
import type { PayoutRequest } from './requests.types.js';

/** Halfway through a request's time to live, and near its end. */
export type ReminderPoint = 'halfway' | 'closing';

const HOUR_MS = 3_600_000;

/**
 * When a pending request is reminded about: at half its time to live, and one hour before it expires; a TTL of two
 * hours or less has no room for "one hour before" after halfway, so its second reminder comes at 90%.
 */
export function reminderPoints(
  request: Pick<PayoutRequest, 'requestedAt' | 'expiresAt'>,
): { point: ReminderPoint; at: number }[] {
  const start = Date.parse(request.requestedAt);
  const end = Date.parse(request.expiresAt);
  const ttl = end - start;
  return [
    { point: 'halfway', at: start + ttl / 2 },
    { point: 'closing', at: ttl > 2 * HOUR_MS ? end - HOUR_MS : start + ttl * 0.9 },
  ];
}

/** Reminder jobs: one delayed job per request and point, keyed by both, so queuing twice queues once. */
export interface ReminderQueue {
  schedule(requestId: string, points: { point: ReminderPoint; at: number }[]): Promise<void>;
}

export interface ReminderDeps {
  store: Pick<RequestStore, 'open' | 'get'>;
  /** Delayed jobs, one per request and point: each calls remind() at its time. */
  queue: ReminderQueue;
  /** Posts the reminder in the approval message's thread, mentioning who may still decide. */
  remind(request: PayoutRequest, point: ReminderPoint): Promise<void>;
  /** True for the first caller only, across processes and restarts. */
  claimOnce(scope: string, id: string, ttlSeconds: number): Promise<boolean>;
  clock: Clock;
}

export interface ReminderService {
  /** Queues the request's reminders (at creation): one delayed job per point. */
  schedule(request: PayoutRequest): Promise<void>;
  /** A reminder job's time has come: reminds once, only while the request still waits for a decision. True when sent. */
  remind(requestId: string, point: ReminderPoint): Promise<boolean>;
  /**
   * The safety net (the sweeper): reminds about each pending request whose latest point has come and was not
   * reminded of (a job lost with its Redis, a request made before reminders were jobs); how many went out.
   */
  remindDue(): Promise<number>;
}

export function createReminderService(deps: ReminderDeps): ReminderService {
  const stillWaiting = (request: PayoutRequest | undefined, now: number): request is PayoutRequest =>
    request?.state === 'pending' && request.message !== null && Date.parse(request.expiresAt) > now;

  /** The one claim per request and point, shared by the jobs and the sweeper: whoever comes first sends it. */
  async function sendOnce(request: PayoutRequest, point: ReminderPoint, now: number): Promise<boolean> {
    const ttlSeconds = Math.ceil((Date.parse(request.expiresAt) - now) / 1000) + 86_400;
    if (!(await deps.claimOnce('reminder', `${request.id}:${point}`, ttlSeconds))) return false;
    // Decided since it was read: nobody needs reminding.
    const current = await deps.store.get(request.id);
    if (!stillWaiting(current, now)) return false;
    await deps.remind(current, point);
    return true;
  }

  return {
    schedule: (request) => deps.queue.schedule(request.id, reminderPoints(request)),

    async remind(requestId, point) {
      const now = deps.clock.now().getTime();
      const request = await deps.store.get(requestId);
      if (!stillWaiting(request, now)) return false;
      // A job that ran late, after the next point had come too: that one says it (one reminder, not two at once).
      const points = reminderPoints(request);
      const own = points.find((p) => p.point === point)!;
      if (points.some((p) => p.at > own.at && p.at <= now)) return false;
      return sendOnce(request, point, now);
    },

    async remindDue() {
      const now = deps.clock.now().getTime();
      let sent = 0;
      for (const request of await deps.store.open()) {
        if (!stillWaiting(request, now)) continue;
        // Only the latest point that has come: a sweeper that was down for both sends one reminder, not two.
        const due = reminderPoints(request)
          .filter((p) => p.at <= now)
          .at(-1);
        if (due && (await sendOnce(request, due.point, now))) sent++;
      }
      return sent;
    },
  };
}
