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
export function reminderPoints(request: Pick<PayoutRequest, 'requestedAt' | 'expiresAt'>): { point: ReminderPoint; at: number }[] {
  const start = Date.parse(request.requestedAt);
  const end = Date.parse(request.expiresAt);
  const ttl = end - start;
  return [
    { point: 'halfway', at: start + ttl / 2 },
    { point: 'closing', at: ttl > 2 * HOUR_MS ? end - HOUR_MS : start + ttl * 0.9 },
  ];
}

export interface ReminderDeps {
  store: Pick<RequestStore, 'open' | 'get'>;
  /** Posts the reminder in the approval message's thread, mentioning who may still decide. */
  remind(request: PayoutRequest, point: ReminderPoint): Promise<void>;
  /** True for the first caller only, across processes and restarts. */
  claimOnce(scope: string, id: string, ttlSeconds: number): Promise<boolean>;
  clock: Clock;
}

export interface ReminderService {
  /** Reminds about each pending request whose latest point has come; returns how many reminders went out. */
  remindDue(): Promise<number>;
}

export function createReminderService(deps: ReminderDeps): ReminderService {
  return {
    async remindDue() {
      const now = deps.clock.now().getTime();
      let sent = 0;
      for (const request of await deps.store.open()) {
        if (request.state !== 'pending' || !request.message || Date.parse(request.expiresAt) <= now) continue;
        // Only the latest point that has come: a sweeper that was down for both sends one reminder, not two.
        const due = reminderPoints(request).filter((p) => p.at <= now).at(-1);
        if (!due) continue;
        const ttlSeconds = Math.ceil((Date.parse(request.expiresAt) - now) / 1000) + 86_400;
        if (!(await deps.claimOnce('reminder', `${request.id}:${due.point}`, ttlSeconds))) continue;
        // Decided since the list was read: nobody needs reminding.
        const current = await deps.store.get(request.id);
        if (current?.state !== 'pending') continue;
        await deps.remind(current, due.point);
        sent++;
      }
      return sent;
    },
  };
}
