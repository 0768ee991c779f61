// Placeholder until the full module lands: same API, minimal behaviour.
import cronParser from 'cron-parser';

export interface ScheduleTime {
  kind: 'daily' | 'weekly' | 'cron';
  pattern: string;
  tz: string;
  granularity: 'day' | 'minute';
  label: string;
}

export function parseScheduleTime(tokens: string[]): { time: ScheduleTime; rest: string[] } | { error: string } {
  return { error: `Schedules are not available yet (${tokens.length} words).` };
}

export function nextFirings(time: ScheduleTime, from: Date, count: number): Date[] {
  const it = cronParser.parseExpression(time.pattern, { tz: time.tz, currentDate: from });
  return Array.from({ length: count }, () => it.next().toDate());
}

export function intendedFiring(time: ScheduleTime, at: Date): Date {
  return cronParser.parseExpression(time.pattern, { tz: time.tz, currentDate: new Date(at.getTime() + 1000) }).prev().toDate();
}

export function periodKey(scheduleId: string, _time: ScheduleTime, firing: Date): string {
  return `${scheduleId}-${firing.toISOString().slice(0, 16).replace(':', '')}`;
}

export function formatInZone(date: Date, tz: string): string {
  return date.toLocaleString('en-GB', { timeZone: tz });
}
