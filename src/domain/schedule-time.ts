import { CronExpressionParser } from 'cron-parser';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import type { Problem } from './errors.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export interface ScheduleTime {
  kind: 'daily' | 'weekly' | 'cron';
  /** 5-field cron, e.g. '0 9 * * 1', read in `tz`. */
  pattern: string;
  /** Canonical IANA zone, e.g. 'America/New_York'. */
  tz: string;
  /** What one period is: a local day (daily, weekly) or a local minute (cron). */
  granularity: 'day' | 'minute';
  /** For people: 'every Monday at 09:00 (America/New_York)'. */
  label: string;
}

const WEEKDAYS = [
  { short: 'sun', name: 'Sunday' },
  { short: 'mon', name: 'Monday' },
  { short: 'tue', name: 'Tuesday' },
  { short: 'wed', name: 'Wednesday' },
  { short: 'thu', name: 'Thursday' },
  { short: 'fri', name: 'Friday' },
  { short: 'sat', name: 'Saturday' },
] as const;

/** What is wrong with a `<when>`: which part, and what was typed in its place. */
export type WhenProblem = Problem<
  | 'when_kind'
  | 'when_weekday'
  | 'when_clock'
  | 'when_zone_missing'
  | 'when_zone_unknown'
  | 'when_cron_fields'
  | 'when_cron_invalid'
>;

/** The word in a part's place, when there was one. */
const typed = (token: string | undefined) => (token ? { typed: token } : {});

/**
 * Consumes the leading `<when>` tokens: `daily HH:MM <zone>`, `weekly <day> HH:MM <zone>` or `cron "<expr>" <zone>`,
 * and returns the tokens after them.
 */
export function parseScheduleTime(tokens: string[]): { time: ScheduleTime; rest: string[] } | { error: WhenProblem } {
  const [word, ...after] = tokens;
  switch (word?.toLowerCase()) {
    case 'daily': {
      const [at, zone, ...rest] = after;
      const hm = parseHourMinute(at);
      if ('error' in hm) return hm;
      const tz = parseZone(zone);
      if ('error' in tz) return tz;
      const clock = formatHourMinute(hm);
      return {
        time: {
          kind: 'daily',
          pattern: `${hm.minute} ${hm.hour} * * *`,
          tz: tz.zone,
          granularity: 'day',
          label: `every day at ${clock} (${tz.zone})`,
        },
        rest,
      };
    }
    case 'weekly': {
      const [day, at, zone, ...rest] = after;
      const dow = WEEKDAYS.findIndex(
        (d) => d.short === day?.toLowerCase() || d.name.toLowerCase() === day?.toLowerCase(),
      );
      const weekday = WEEKDAYS[dow];
      if (!weekday) return { error: { code: 'when_weekday', params: typed(day) } };
      const hm = parseHourMinute(at);
      if ('error' in hm) return hm;
      const tz = parseZone(zone);
      if ('error' in tz) return tz;
      const clock = formatHourMinute(hm);
      return {
        time: {
          kind: 'weekly',
          pattern: `${hm.minute} ${hm.hour} * * ${dow}`,
          tz: tz.zone,
          granularity: 'day',
          label: `every ${weekday.name} at ${clock} (${tz.zone})`,
        },
        rest,
      };
    }
    case 'cron': {
      const [expr, zone, ...rest] = after;
      const fields = expr?.trim().split(/\s+/).filter(Boolean) ?? [];
      if (fields.length !== 5) return { error: { code: 'when_cron_fields', params: {} } };
      const pattern = fields.join(' ');
      const tz = parseZone(zone);
      if ('error' in tz) return tz;
      try {
        // Parsing alone accepts some expressions that can never fire (31 Feb): asking for one occurrence catches them.
        CronExpressionParser.parse(pattern, { tz: tz.zone, currentDate: new Date() }).next();
      } catch (error) {
        const reason = error instanceof Error ? { reason: error.message.replace(/\.$/, '') } : {};
        return { error: { code: 'when_cron_invalid', params: { pattern, ...reason } } };
      }
      return {
        time: { kind: 'cron', pattern, tz: tz.zone, granularity: 'minute', label: `on cron "${pattern}" (${tz.zone})` },
        rest,
      };
    }
    default:
      return { error: { code: 'when_kind', params: typed(word) } };
  }
}

/** The next `count` firings strictly after `from`. */
export function nextFirings(time: ScheduleTime, from: Date, count: number): Date[] {
  const it = CronExpressionParser.parse(time.pattern, { tz: time.tz, currentDate: from });
  const firings: Date[] = [];
  try {
    while (firings.length < count) firings.push(it.next().toDate());
  } catch {
    // cron-parser throws once it runs out of occurrences: return the ones found.
  }
  return firings;
}

/** The firings after `from` and up to `until` (at most `max`): stops at the first one past `until`. */
export function firingsBetween(time: ScheduleTime, from: Date, until: Date, max: number): Date[] {
  const it = CronExpressionParser.parse(time.pattern, { tz: time.tz, currentDate: from, endDate: until });
  const firings: Date[] = [];
  try {
    while (firings.length < max) firings.push(it.next().toDate());
  } catch {
    // cron-parser throws once it passes endDate: those are all.
  }
  return firings;
}

/** The firing a job at `at` belongs to: the latest scheduled instant <= at (+1 s tolerance). */
export function intendedFiring(time: ScheduleTime, at: Date): Date {
  const limit = at.getTime() + 1000;
  // cron-parser's prev() is not the mirror of next() across daylight-saving changes: it skips the occurrence that
  // next() shifts out of the spring gap and returns both instants of a repeated autumn hour. So prev() only finds a
  // safe starting point a few occurrences back, and the answer is the last of next()'s occurrences up to the limit.
  const back = CronExpressionParser.parse(time.pattern, { tz: time.tz, currentDate: new Date(limit + 1) });
  let anchor: Date | undefined;
  for (let i = 0; i < 3; i++) {
    try {
      anchor = back.prev().toDate();
    } catch {
      break;
    }
  }
  if (!anchor)
    throw new Error(`The schedule "${time.pattern}" (${time.tz}) has no firing at or before ${at.toISOString()}.`);
  const forward = CronExpressionParser.parse(time.pattern, {
    tz: time.tz,
    currentDate: new Date(anchor.getTime() - 1000),
  });
  let latest = anchor;
  for (;;) {
    let next: Date;
    try {
      next = forward.next().toDate();
    } catch {
      break;
    }
    if (next.getTime() > limit) break;
    latest = next;
  }
  return latest;
}

/**
 * A stable key for the period a firing pays: the schedule id and the firing's local date (daily, weekly) or local
 * minute (cron) in the schedule's zone, so two workers, a restart, a re-created scheduler or a daylight-saving change
 * can never pay one period twice. No ':' in it, as it becomes a BullMQ job id.
 */
export function periodKey(scheduleId: string, time: ScheduleTime, firing: Date): string {
  const local = dayjs(firing).tz(time.tz);
  return `${scheduleId}-${local.format(time.granularity === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM-DD[T]HHmm')}`;
}

/** 'Mon 30 Nov 2026, 09:00 EST', for people. */
export function formatInZone(date: Date, tz: string): string {
  const zoneName = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value;
  return `${dayjs(date).tz(tz).format('ddd D MMM YYYY, HH:mm')}${zoneName ? ` ${zoneName}` : ''}`;
}

function parseHourMinute(token: string | undefined): { hour: number; minute: number } | { error: WhenProblem } {
  const match = token ? /^(\d{1,2}):(\d{2})$/.exec(token) : null;
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) return { error: { code: 'when_clock', params: typed(token) } };
  return { hour, minute };
}

function formatHourMinute({ hour, minute }: { hour: number; minute: number }): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** An IANA zone in its canonical spelling ('europe/paris' → 'Europe/Paris'). */
function parseZone(token: string | undefined): { zone: string } | { error: WhenProblem } {
  // Offsets and amounts are not zones: a missing zone usually means the amount came next.
  if (!token || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(token)) return { error: { code: 'when_zone_missing', params: {} } };
  try {
    return { zone: new Intl.DateTimeFormat(undefined, { timeZone: token }).resolvedOptions().timeZone };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { error: { code: 'when_zone_unknown', params: { zone: token } } };
  }
}
