import type { Problem } from '../../domain/errors.js';
import { formatMoney, type Money } from '../../domain/money.js';
import type { Firing, PlanEntry, Run, RunCounts, RunLine, Schedule } from '../../domain/payouts.types.js';
import type { PlanPage } from '../../domain/ports.js';
import { formatInZone } from '../../domain/schedule-time.js';
import { ACTION_IDS } from '../ids.js';
import { describeError, describeRecorded } from '../messages.js';
import { counted, escapeMrkdwn, mention } from '../mrkdwn.js';
import { button, confirmed, context, header, type KnownBlock, plain, type SlackMessage, section } from './common.js';
import { LIMITS } from './limits.js';
import { listBlocks, pageLabel, pastLastPage } from './list.js';

export const formatTotals = (totals: Money[]): string => totals.map((t) => formatMoney(t)).join(' + ') || 'nothing';

export function scheduleWhat(schedule: Pick<Schedule, 'action' | 'money' | 'time'>): string {
  return schedule.action === 'topup' && schedule.money
    ? `top-up of ${formatMoney(schedule.money)} ${schedule.time.label}`
    : `payout run ${schedule.time.label}`;
}

const BAR_WIDTH = 20;
export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `\`${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}\` ${total === 0 ? 100 : Math.floor((done / total) * 100)}%`;
}

/** A run's cards list its first lines; the rest are where the run came from. */
export const RUN_LINES_SHOWN = 10;
export const RUN_REST: Record<Run['source'], string> = {
  plan: '`/payout plan` lists everyone in the plan.',
  schedule: '`/payout plan` lists everyone in the plan.',
  csv: 'The CSV file has every line.',
  retry: "The run's *Failed lines as CSV* has every line.",
};

/** Who gets what (the first lines, then "…and N more"), who asked and who approved: the whole story, as on the request card. */
function runStoryBlocks(run: Run, head: RunLine[]): KnownBlock[] {
  const people = [
    run.requestedBy
      ? `Requested by ${mention(run.requestedBy)}`
      : run.scheduleId
        ? `Scheduled (\`${run.scheduleId}\`)`
        : '',
    run.approvedBy?.length ? `approved by ${run.approvedBy.map(mention).join(' and ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return [
    ...(head.length > 0
      ? [
          section('*Who gets what*'),
          ...listBlocks(head, payLine, {
            maxBlocks: 3,
            maxItems: RUN_LINES_SHOWN,
            page: { total: run.lineCount, before: 0 },
            moreLabel: RUN_REST[run.source],
          }),
        ]
      : []),
    ...(people ? [context(people)] : []),
  ];
}

const MAX_FAILED_SHOWN = 20;
const failedLine = (l: RunLine) =>
  `• ${mention(l.userId)} ${formatMoney(l.money)}: ${l.reason ? describeRecorded(l.reason) : 'failed'}`;

/**
 * A run's live view: who gets what, who asked and approved, counts and a bar while it runs; totals, failed lines and
 * a retry button at the end. `head` is the run's first lines (never all of them: a run may have 50,000).
 */
export function runProgressMessage(
  run: Run,
  counts: RunCounts,
  failed: RunLine[] = [],
  head: RunLine[] = [],
): SlackMessage {
  const done = counts.paid + counts.failed;
  const title =
    run.source === 'schedule'
      ? 'Scheduled payout run'
      : run.source === 'retry'
        ? 'Payout run (retrying failed lines)'
        : 'Payout run';
  const lines = [
    `*${run.lineCount} payments* · ${formatTotals(run.totals)}`,
    `:white_check_mark: ${counts.paid} paid · :x: ${counts.failed} failed · :hourglass_flowing_sand: ${counts.pending} pending`,
    progressBar(done, run.lineCount),
    ...(counts.reversedTotals.length > 0
      ? [`:leftwards_arrow_with_hook: reversed after payment: ${formatTotals(counts.reversedTotals)}`]
      : []),
  ];
  const blocks: KnownBlock[] = [header(title), section(lines.join('\n')), ...runStoryBlocks(run, head)];
  if (run.status === 'held')
    blocks.push(section(`:raised_hand: *Held*: short by ${formatTotals(run.shortfall)}. Top up, then press Start.`), {
      type: 'actions',
      elements: [startRunButton(run)],
    });
  if (run.status === 'done') {
    blocks.push(
      section(
        `*Finished*: paid ${formatTotals(counts.paidTotals)} in ${counts.paid} transfers${counts.failed ? `; ${counts.failed} failed` : ''}.`,
      ),
    );
    if (failed.length > 0) {
      const after = 2; // the buttons and the run id
      blocks.push(
        section('*Failed lines*'),
        ...listBlocks(failed, failedLine, {
          maxBlocks: LIMITS.messageBlocks - blocks.length - 1 - after,
          maxItems: MAX_FAILED_SHOWN,
          moreLabel: 'Press *Failed lines as CSV* for all of them.',
        }),
        {
          type: 'actions',
          elements: [
            button(ACTION_IDS.runRetry, 'Retry failed lines', run.id),
            button(ACTION_IDS.runFailedCsv, 'Failed lines as CSV', run.id),
          ],
        },
      );
    }
  }
  blocks.push(context(`Run \`${run.id}\``));
  return { text: `${title}: ${counts.paid} paid, ${counts.failed} failed, ${counts.pending} pending`, blocks };
}

/** Stripe shows a paid run line reversed: for the ops channel. */
export function runLineReversedNotice(run: Run, line: RunLine, reversedNow: Money): SlackMessage {
  const total = `${formatMoney({ amount: line.amountReversed ?? 0, currency: line.money.currency })} of ${formatMoney(line.money)}`;
  return plain(
    `:leftwards_arrow_with_hook: A transfer of payout run \`${run.id}\` was reversed: ${formatMoney(reversedNow)} back from ${mention(line.userId)} (${total} reversed in all, \`${line.stripeId}\`).`,
  );
}

/** Start run, on a held run's message and on ops' notice: it asks first, naming what the run pays. */
function startRunButton(run: Run) {
  return confirmed(
    button(ACTION_IDS.runStart, 'Start run', run.id, 'primary'),
    'Start this run?',
    `It pays ${run.lineCount} lines, ${formatTotals(run.totals)} in all.`,
    'Start run',
  );
}

export function runHeldNotice(run: Run, available: Money[]): SlackMessage {
  return {
    text: `Payout run held: short by ${formatTotals(run.shortfall)}`,
    blocks: [
      section(
        `:raised_hand: *Payout run held* (\`${run.id}\`): it needs ${formatTotals(run.totals)} but the balance is short by *${formatTotals(run.shortfall)}* (available: ${formatTotals(available)}). Top up (\`/payout topup\`), then start it.`,
      ),
      {
        type: 'actions',
        elements: [startRunButton(run)],
      },
    ],
  };
}

export function scheduleFiredNotice(
  schedule: Schedule,
  firing: Firing,
  outcome: { stripeId?: string; runId?: string; error?: Problem },
): SlackMessage {
  const when = formatInZone(new Date(firing.intendedAt), schedule.time.tz);
  const late = firing.late
    ? ` :snail: It ran late: due ${when}, started ${formatInZone(new Date(firing.startedAt), schedule.time.tz)}.`
    : '';
  if (outcome.error)
    return plain(`:x: Scheduled ${scheduleWhat(schedule)} for ${when} failed: ${describeError(outcome.error)}${late}`);
  if (outcome.runId)
    return plain(`:alarm_clock: Scheduled payout run for ${when} started (\`${outcome.runId}\`).${late}`);
  return plain(
    `:alarm_clock: Scheduled ${scheduleWhat(schedule)} for ${when}: top-up \`${outcome.stripeId}\` created; its settlement follows.${late}`,
  );
}

export function scheduledTopupSettledNotice(
  schedule: Schedule,
  firing: Firing,
  topupId: string,
  settlement: string,
  reason: string | null,
): SlackMessage {
  const when = formatInZone(new Date(firing.intendedAt), schedule.time.tz);
  return settlement === 'succeeded'
    ? plain(`:white_check_mark: The scheduled top-up for ${when} settled: funds are available (\`${topupId}\`).`)
    : plain(
        `:x: The scheduled top-up for ${when} was ${settlement} (\`${topupId}\`)${reason ? `: ${escapeMrkdwn(reason)}` : ''}. Payout runs may be held until the balance is topped up.`,
      );
}

export function firingMissedNotice(schedule: Schedule, intendedAt: Date): SlackMessage {
  return plain(
    `:warning: The scheduled ${scheduleWhat(schedule)} due ${formatInZone(intendedAt, schedule.time.tz)} has not run yet (\`${schedule.id}\`). No worker may be running, or Redis was unreachable; it runs once as soon as a worker is back.`,
  );
}

/** Each schedule comes with its buttons (two blocks), so the list is paged rather than cut. */
export const SCHEDULES_PER_PAGE = 20;

function scheduleRow(schedule: Schedule, next: Date | undefined, viewerTz: string | undefined): KnownBlock[] {
  // A paused schedule has no next run: its status says so already.
  const nextText = next
    ? ` · next ${formatInZone(next, schedule.time.tz)}${viewerTz && viewerTz !== schedule.time.tz ? ` (your time: ${formatInZone(next, viewerTz)})` : ''}`
    : schedule.status === 'paused'
      ? ''
      : ' · no next run';
  return [
    section(
      `*${scheduleWhat(schedule)}* · ${schedule.status}${nextText}\n\`${schedule.id}\`${schedule.description ? ` · ${escapeMrkdwn(schedule.description)}` : ''}`,
    ),
    {
      type: 'actions',
      block_id: `schedule_${schedule.id}`,
      elements: [
        schedule.status === 'active'
          ? button(ACTION_IDS.schedulePause, 'Pause', schedule.id)
          : button(ACTION_IDS.scheduleResume, 'Resume…', schedule.id, 'primary'),
        confirmed(
          button(ACTION_IDS.scheduleDelete, 'Delete', schedule.id, 'danger'),
          'Delete this schedule?',
          `${scheduleWhat(schedule)} stops for good; a new one needs approval again.`,
          'Delete',
        ),
      ],
    },
  ];
}

/** One page (from 1) of the schedules. */
export function scheduleList(
  items: { schedule: Schedule; next: Date | undefined }[],
  viewerTz: string | undefined,
  page = 1,
): SlackMessage {
  if (items.length === 0)
    return plain(
      'No schedules. Create one with `/payout schedule topup weekly mon 09:00 America/New_York 2000 usd` or `/payout schedule run weekly fri 10:00 Europe/Paris`.',
    );
  const pages = Math.ceil(items.length / SCHEDULES_PER_PAGE);
  if (page > pages)
    return plain(
      `There are ${pages === 1 ? 'only 1 page' : `only ${pages} pages`} of schedules: \`/payout schedules ${pages}\` is the last.`,
    );
  const start = (page - 1) * SCHEDULES_PER_PAGE;
  const title = pages > 1 ? `Schedules (page ${page} of ${pages})` : 'Schedules';
  const rows = listBlocks(items.slice(start), ({ schedule, next }) => scheduleRow(schedule, next, viewerTz), {
    maxBlocks: LIMITS.messageBlocks - 1,
    maxItems: SCHEDULES_PER_PAGE,
    moreLabel: `\`/payout schedules ${page + 1}\` shows the next ${SCHEDULES_PER_PAGE}.`,
  });
  return { text: `${items.length} schedules`, blocks: [header(title), ...rows] };
}

/** "• @ana €12.50 · March": one line of a plan or a run. */
export const payLine = (line: { userId: string; money: Money; description: string | null }) =>
  `• ${mention(line.userId)} ${formatMoney(line.money)}${line.description ? ` · ${escapeMrkdwn(line.description)}` : ''}`;
const planLine = (e: PlanEntry) =>
  `${payLine(e)}${e.pausedReason ? ` · :double_vertical_bar: paused: ${escapeMrkdwn(e.pausedReason)}` : ''}`;

/** How many plan lines one page of `/payout plan` shows. */
export const PLAN_LINES_PER_PAGE = 100;

/** One page (from 1) of the payout plan, with the totals of all of it. */
export function planList(plan: PlanPage, page = 1): SlackMessage {
  if (plan.total === 0) return plain('The payout plan is empty. Add a seller with `/payout plan @seller 50.00 eur`.');
  const past = pastLastPage(page, plan.total, PLAN_LINES_PER_PAGE, '/payout plan', 'the plan');
  if (past) return plain(past);
  const totalLine = plan.totals
    .map((t) => `${formatMoney({ currency: t.currency, amount: t.amount })} (${counted(t.count, 'seller')})`)
    .join(' · ');
  const rows = listBlocks(plan.entries, planLine, {
    maxBlocks: LIMITS.messageBlocks - 2,
    maxItems: PLAN_LINES_PER_PAGE,
    page: { total: plan.total, before: (page - 1) * PLAN_LINES_PER_PAGE },
    moreLabel: `\`/payout plan export\` sends you the whole plan as a CSV file. \`/payout plan ${page + 1}\` shows the next ${PLAN_LINES_PER_PAGE}.`,
  });
  const title = `*Payout plan* (${counted(plan.total, 'seller')})${pageLabel(page, plan.total, PLAN_LINES_PER_PAGE)}`;
  return {
    text: `Payout plan: ${counted(plan.total, 'seller')}`,
    blocks: [section(title), ...rows, section(`*Totals per run*: ${totalLine}`)],
  };
}
