import { describe, expect, it } from 'vitest';
import { tokenize } from '../../commands/args.js';
import {
  formatInZone,
  intendedFiring,
  nextFirings,
  parseScheduleTime,
  periodKey,
  type ScheduleTime,
} from '../../src/domain/schedule-time.js';
import { describeError } from '../../src/slack/messages.js';

function time(text: string): ScheduleTime {
  const parsed = parseScheduleTime(tokenize(text));
  if ('error' in parsed) throw new Error(describeError(parsed.error));
  return parsed.time;
}

function error(text: string): string {
  const parsed = parseScheduleTime(tokenize(text));
  if (!('error' in parsed)) throw new Error(`"${text}" parsed`);
  return describeError(parsed.error);
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (text: string) => new Date(text);

describe('parsing <when>', () => {
  it('when a daily time is given in any case, then it becomes a cron pattern in the canonical zone and the rest is returned', () => {
    const parsed = parseScheduleTime(tokenize('DAILY 18:00 europe/paris 100 EUR weekly rent'));
    expect(parsed).toEqual({
      time: {
        kind: 'daily',
        pattern: '0 18 * * *',
        tz: 'Europe/Paris',
        granularity: 'day',
        label: 'every day at 18:00 (Europe/Paris)',
      },
      rest: ['100', 'EUR', 'weekly', 'rent'],
    });
  });

  it('when a weekly time is given, then the weekday (short or long, any case) and a one-digit hour are understood', () => {
    expect(time('Weekly MON 9:05 America/New_York')).toEqual({
      kind: 'weekly',
      pattern: '5 9 * * 1',
      tz: 'America/New_York',
      granularity: 'day',
      label: 'every Monday at 09:05 (America/New_York)',
    });
    expect(time('weekly Sunday 23:59 UTC').pattern).toBe('59 23 * * 0');
  });

  it('when a quoted cron expression is given, then it is kept as one token, normalised, at minute granularity', () => {
    const parsed = parseScheduleTime(tokenize('Cron "0  9 * * 1-5" Asia/Tokyo 10 usd'));
    expect(parsed).toEqual({
      time: {
        kind: 'cron',
        pattern: '0 9 * * 1-5',
        tz: 'Asia/Tokyo',
        granularity: 'minute',
        label: 'on cron "0 9 * * 1-5" (Asia/Tokyo)',
      },
      rest: ['10', 'usd'],
    });
  });

  it('when the time of day is not 24-hour HH:MM, then the person is told how to write it', () => {
    expect(error('daily 25:00 UTC')).toBe('"25:00" is not a time of day. Use 24-hour HH:MM, e.g. 09:00.');
    expect(error('daily 9am UTC')).toMatch(/Use 24-hour HH:MM, e.g. 09:00\./);
    expect(error('daily 09:60 UTC')).toMatch(/Use 24-hour HH:MM/);
    expect(error('weekly mon')).toMatch(/Use 24-hour HH:MM/);
  });

  it('when the weekday is wrong, then the valid weekdays are listed', () => {
    expect(error('weekly mnd 09:00 UTC')).toBe(
      '"mnd" is not a weekday. Pick a weekday: mon, tue, wed, thu, fri, sat or sun.',
    );
    expect(error('weekly 09:00 mon UTC')).toMatch(/"09:00" is not a weekday/);
  });

  it('when the zone is unknown or missing, then an IANA name is asked for', () => {
    expect(error('daily 09:00 Europe/Pariss')).toBe(
      'Unknown time zone "Europe/Pariss": use an IANA name such as Europe/Paris.',
    );
    expect(error('daily 09:00 100 usd')).toMatch(/Add an IANA time zone/);
    expect(error('daily 09:00')).toMatch(/Add an IANA time zone/);
    expect(error('cron "0 9 * * *" +02:00')).toMatch(/Add an IANA time zone/);
  });

  it('when a cron expression does not have 5 valid fields, then it is refused with the reason', () => {
    expect(error('cron "0 9 * *" UTC')).toMatch(/^A cron expression has 5 fields/);
    expect(error('cron "0 0 9 * * *" UTC')).toMatch(/^A cron expression has 5 fields/);
    expect(error('cron 0 9 * * 1 UTC')).toMatch(/5 fields .* goes in quotes/);
    expect(error('cron "@daily" UTC')).toMatch(/5 fields/);
    expect(error('cron "61 9 * * *" UTC')).toMatch(/^"61 9 \* \* \*" is not a valid cron expression \(.*59.*\)\./);
    expect(error('cron "0 9 31 2 *" UTC')).toMatch(/is not a valid cron expression/);
    expect(error('cron "0 nine * * *" UTC')).toMatch(/is not a valid cron expression/);
  });

  it('when a cron expression fires often, then it is still allowed', () => {
    expect(time('cron "* * * * *" UTC').pattern).toBe('* * * * *');
  });

  it('when the first word is not a schedule kind, then the three kinds are offered', () => {
    expect(error('monthly 1 09:00 UTC')).toMatch(/"monthly" is not a schedule\. Start with daily, weekly or cron/);
    expect(error('')).toMatch(/^Start with daily, weekly or cron/);
  });
});

describe('weekly mon 09:00 America/New_York across the US daylight-saving changes', () => {
  const weekly = time('weekly mon 09:00 America/New_York');

  it('when the clocks go forward on 2026-03-08, then Monday firings stay at 09:00 local: 14:00 UTC before, 13:00 UTC after', () => {
    const firings = nextFirings(weekly, at('2026-02-25T00:00:00Z'), 3);
    expect(iso(firings)).toEqual(['2026-03-02T14:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-16T13:00:00.000Z']);
    expect(firings.map((f) => periodKey('sch_1', weekly, f))).toEqual([
      'sch_1-2026-03-02',
      'sch_1-2026-03-09',
      'sch_1-2026-03-16',
    ]);
  });

  it('when the clocks go back on 2026-11-01, then Monday firings stay at 09:00 local: 13:00 UTC before, 14:00 UTC after', () => {
    const firings = nextFirings(weekly, at('2026-10-20T00:00:00Z'), 2);
    expect(iso(firings)).toEqual(['2026-10-26T13:00:00.000Z', '2026-11-02T14:00:00.000Z']);
    expect(firings.map((f) => periodKey('sch_1', weekly, f))).toEqual(['sch_1-2026-10-26', 'sch_1-2026-11-02']);
  });

  it('when a firing arrives at the wrong UTC hour around a change, then it pays the same period as the intended one', () => {
    const intended = at('2026-03-09T13:00:00Z');
    const key = periodKey('sch_1', weekly, intended);
    // BullMQ's clock an hour off either way still lands on the same local date.
    expect(periodKey('sch_1', weekly, at('2026-03-09T14:00:00Z'))).toBe(key);
    expect(periodKey('sch_1', weekly, at('2026-03-09T12:00:00Z'))).toBe(key);
    expect(intendedFiring(weekly, at('2026-03-09T14:00:00Z'))).toEqual(intended);
    expect(periodKey('sch_1', weekly, intendedFiring(weekly, at('2026-03-09T14:00:00Z')))).toBe(key);
    expect(periodKey('sch_1', weekly, at('2026-11-02T13:00:00Z'))).toBe(
      periodKey('sch_1', weekly, at('2026-11-02T14:00:00Z')),
    );
  });
});

describe('daily 18:00 Europe/Paris', () => {
  const daily = time('daily 18:00 Europe/Paris');

  it('when the clocks go back on 2026-10-25, then consecutive firings keep 18:00 local and distinct local-date keys', () => {
    const firings = nextFirings(daily, at('2026-10-23T20:00:00Z'), 3);
    expect(iso(firings)).toEqual(['2026-10-24T16:00:00.000Z', '2026-10-25T17:00:00.000Z', '2026-10-26T17:00:00.000Z']);
    expect(firings.map((f) => periodKey('sch_p', daily, f))).toEqual([
      'sch_p-2026-10-24',
      'sch_p-2026-10-25',
      'sch_p-2026-10-26',
    ]);
  });

  it('when the year ends, then keys carry the Paris date across 2026-12-31 → 2027-01-01', () => {
    const firings = nextFirings(daily, at('2026-12-30T12:00:00Z'), 3);
    expect(iso(firings)).toEqual(['2026-12-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z', '2027-01-01T17:00:00.000Z']);
    const keys = firings.map((f) => periodKey('sch_p', daily, f));
    expect(keys).toEqual(['sch_p-2026-12-30', 'sch_p-2026-12-31', 'sch_p-2027-01-01']);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) expect(key).not.toContain(':');
  });

  it('when a cron schedule fires at 00:30 Paris on New Year, then its key is the Paris minute, not the UTC one', () => {
    const cron = time('cron "30 0 * * *" Europe/Paris');
    const [firing] = nextFirings(cron, at('2026-12-31T12:00:00Z'), 1);
    expect(firing?.toISOString()).toBe('2026-12-31T23:30:00.000Z');
    expect(periodKey('sch_c', cron, at('2026-12-31T23:30:00Z'))).toBe('sch_c-2027-01-01T0030');
  });

  it('when the worker was down for 3 days, then the late job belongs to the latest occurrence, not the first missed one', () => {
    expect(intendedFiring(daily, at('2026-03-12T10:00:00Z'))).toEqual(at('2026-03-11T17:00:00Z'));
    expect(periodKey('sch_p', daily, intendedFiring(daily, at('2026-03-12T10:00:00Z')))).toBe('sch_p-2026-03-11');
  });

  it('when a job runs up to a second early, then it still belongs to that firing; earlier, to the previous one', () => {
    expect(intendedFiring(daily, at('2026-03-11T16:59:59.500Z'))).toEqual(at('2026-03-11T17:00:00Z'));
    expect(intendedFiring(daily, at('2026-03-11T17:00:00Z'))).toEqual(at('2026-03-11T17:00:00Z'));
    expect(intendedFiring(daily, at('2026-03-11T16:59:58Z'))).toEqual(at('2026-03-10T17:00:00Z'));
  });
});

describe('cron schedules on the daylight-saving nights of America/New_York', () => {
  it('when 01:30 happens twice on the fall-back night, then both instants map to one period key', () => {
    const cron = time('cron "30 1 * * *" America/New_York');
    const first = at('2026-11-01T05:30:00Z'); // 01:30 EDT
    const second = at('2026-11-01T06:30:00Z'); // 01:30 EST
    expect(periodKey('sch_n', cron, first)).toBe('sch_n-2026-11-01T0130');
    expect(periodKey('sch_n', cron, second)).toBe('sch_n-2026-11-01T0130');
    // cron-parser's next() fires only the first 01:30; a job at the second still maps to it.
    expect(iso(nextFirings(cron, at('2026-10-31T12:00:00Z'), 2))).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    expect(intendedFiring(cron, second)).toEqual(first);
  });

  it('when a half-hourly cron repeats the 01:00 hour, then the repeated slots share their keys', () => {
    const cron = time('cron "*/30 * * * *" America/New_York');
    const keys = nextFirings(cron, at('2026-11-01T04:45:00Z'), 5).map((f) => periodKey('sch_h', cron, f));
    expect(keys).toEqual([
      'sch_h-2026-11-01T0100',
      'sch_h-2026-11-01T0130',
      'sch_h-2026-11-01T0100',
      'sch_h-2026-11-01T0130',
      'sch_h-2026-11-01T0200',
    ]);
  });

  it('when 02:30 does not exist on the spring-forward night, then the firing moves to 03:30 and a job then belongs to it', () => {
    const cron = time('cron "30 2 * * *" America/New_York');
    const [moved] = nextFirings(cron, at('2026-03-08T00:00:00Z'), 1);
    expect(moved?.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(periodKey('sch_g', cron, at('2026-03-08T07:30:00Z'))).toBe('sch_g-2026-03-08T0330');
    // cron-parser's prev() skips this moved firing: intendedFiring must not.
    expect(intendedFiring(cron, at('2026-03-08T08:00:00Z'))).toEqual(at('2026-03-08T07:30:00Z'));
  });
});

describe('zones where the local date is not the UTC date', () => {
  it('when 08:00 in Tokyo is still the previous day in UTC, then the key uses the Tokyo date', () => {
    const daily = time('daily 08:00 Asia/Tokyo');
    const [firing] = nextFirings(daily, at('2026-03-09T00:00:00Z'), 1);
    expect(firing?.toISOString()).toBe('2026-03-09T23:00:00.000Z');
    expect(periodKey('sch_t', daily, at('2026-03-09T23:00:00Z'))).toBe('sch_t-2026-03-10');
  });

  it('when 08:00 in Auckland (daylight time) is the previous UTC day, then the key uses the Auckland date', () => {
    const weekly = time('weekly tue 08:00 Pacific/Auckland');
    const [firing] = nextFirings(weekly, at('2026-03-01T00:00:00Z'), 1);
    expect(firing?.toISOString()).toBe('2026-03-02T19:00:00.000Z');
    expect(periodKey('sch_a', weekly, at('2026-03-02T19:00:00Z'))).toBe('sch_a-2026-03-03');
  });
});

describe('formatInZone', () => {
  it('when a date is shown to people, then it reads with the weekday, local time and zone abbreviation', () => {
    expect(formatInZone(at('2026-11-30T14:00:00Z'), 'America/New_York')).toBe('Mon 30 Nov 2026, 09:00 EST');
    expect(formatInZone(at('2026-07-06T13:00:00Z'), 'America/New_York')).toBe('Mon 6 Jul 2026, 09:00 EDT');
    expect(formatInZone(at('2026-12-31T23:30:00Z'), 'UTC')).toBe('Thu 31 Dec 2026, 23:30 UTC');
  });
});
