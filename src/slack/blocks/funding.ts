import { type Day, startOfDay } from '../../domain/business-days.js';
import type { CurrencyForecast, FlowLabel, ForecastDay, Shortfall } from '../../domain/forecast.js';
import type { FundingForecast } from '../../domain/funding.js';
import type { AutoFunding, AutoTopup, ShortfallNotice } from '../../domain/funding.types.js';
import { formatMoney } from '../../domain/money.js';
import { ACTION_IDS } from '../ids.js';
import { describeRecorded } from '../messages.js';
import { mention } from '../mrkdwn.js';
import { button, context, divider, header, type KnownBlock, plain, type SlackMessage, section } from './common.js';
import { LIMITS } from './limits.js';
import { listBlocks } from './list.js';

/** 'Mon 14 Dec'. */
export const formatDay = (day: Day): string =>
  startOfDay(day).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

/** 'as of 09:30 UTC': when the balance was read. */
export const asOf = (at: Date): string => `as of ${at.toISOString().slice(11, 16)} UTC`;

const FLOW_WORDS: { [K in FlowLabel['kind']]: (label: Extract<FlowLabel, { kind: K }>) => string } = {
  pending_funds: () => 'pending funds',
  topup: (l) => `top-up \`${l.id}\``,
  scheduled_topup: (l) => `scheduled top-up (${l.schedule})`,
  transfer: (l) => `transfer \`${l.requestId}\``,
  run_request: (l) => `run \`${l.requestId}\``,
  run: (l) => `${l.status} run \`${l.runId}\``,
  scheduled_run: (l) => `run ${l.schedule}`,
};

/** "top-up `tu_1`", "run every Monday at 09:00 (UTC)": what a flow is. A notice written before labels were facts kept these words. */
const flowWords = (label: FlowLabel | string): string =>
  typeof label === 'string' ? label : (FLOW_WORDS[label.kind] as (l: FlowLabel) => string)(label);

/** One shortfall in words: the day, the amount, what it would hold and the last day to top up. */
export function shortfallText(shortfall: Shortfall | ShortfallNotice, topupCurrency: string): string {
  const money = formatMoney({ amount: shortfall.amount, currency: shortfall.currency });
  const what = shortfall.leaving.length > 0 ? ` (${shortfall.leaving.map(flowWords).join(', ')})` : '';
  const below = shortfall.belowZero ? 'short' : 'below the buffer';
  const deadline =
    shortfall.currency !== topupCurrency
      ? `top-ups are made in ${topupCurrency.toUpperCase()} only: move ${shortfall.currency.toUpperCase()} funds in another way`
      : shortfall.tooLate
        ? `a top-up requested now arrives after it (the last day was ${formatDay(shortfall.lastTopupDay)})`
        : `request a top-up by *${formatDay(shortfall.lastTopupDay)}*`;
  return `*${formatDay(shortfall.day)}*: ${below} by *${money}*${what}; ${deadline}.`;
}

function dayRow(currency: string, day: ForecastDay): string {
  const money = (amount: number) => formatMoney({ amount, currency });
  const moves = [day.arrivals ? `+${money(day.arrivals)}` : '', day.departures ? `−${money(day.departures)}` : '']
    .filter(Boolean)
    .join(' ');
  const flag = day.balance < 0 ? ' :red_circle:' : '';
  return `\`${formatDay(day.day)}\` ${moves || '·'} → *${money(day.balance)}*${flag}${day.leaving.length ? ` _${day.leaving.map(flowWords).join(', ')}_` : ''}`;
}

function currencyBlocks(forecast: CurrencyForecast, topupCurrency: string, maxBlocks: number): KnownBlock[] {
  const money = (amount: number) => formatMoney({ amount, currency: forecast.currency });
  const lowest = Math.min(forecast.availableNow, ...forecast.days.map((d) => d.balance));
  const summary = [
    `*${forecast.currency.toUpperCase()}*: ${money(forecast.availableNow)} available now · lowest ${money(lowest)}${forecast.buffer ? ` · buffer ${money(forecast.buffer)}` : ''}`,
    forecast.shortfalls[0]
      ? `:warning: ${shortfallText(forecast.shortfalls[0], topupCurrency)}`
      : ':white_check_mark: No shortfall in this period.',
    ...(forecast.shortfalls.length > 1 ? [`…and ${forecast.shortfalls.length - 1} more short day(s) after it.`] : []),
  ];
  // Only the days when something moves: a quiet day only repeats the balance.
  const moving = forecast.days.filter((d) => d.arrivals || d.departures);
  return [
    section(summary.join('\n')),
    ...listBlocks(moving, (d) => dayRow(forecast.currency, d), {
      maxBlocks: Math.max(1, maxBlocks - 1),
      moreLabel: 'Ask for fewer days.',
    }),
  ];
}

/** `/payout forecast`: per currency, what is available now, what moves day by day, the projected balance and the first shortfall. */
export function forecastMessage(forecast: FundingForecast): SlackMessage {
  const intro: KnownBlock[] = [
    header(`Funding forecast: the next ${forecast.days} days`),
    context(`Balance ${asOf(forecast.at)} · top-ups take ${forecast.settlementDays} business days · days in UTC`),
  ];
  if (forecast.currencies.length === 0)
    return {
      text: 'Funding forecast: no balance yet.',
      blocks: [...intro, section('No balance and nothing scheduled yet.')],
    };
  // Each currency gets an equal share of the message; a divider between them.
  const shown = forecast.currencies.slice(0, Math.floor((LIMITS.messageBlocks - intro.length) / 3));
  const share = Math.floor((LIMITS.messageBlocks - intro.length) / shown.length) - 1;
  const blocks = [
    ...intro,
    ...shown.flatMap((c, i) => [...(i > 0 ? [divider] : []), ...currencyBlocks(c, forecast.topupCurrency, share)]),
  ];
  const first = forecast.currencies.flatMap((c) => c.shortfalls.slice(0, 1));
  const text =
    first.length > 0
      ? `Funding forecast: short in ${first.map((s) => s.currency.toUpperCase()).join(', ')}`
      : 'Funding forecast: no shortfall';
  return { text, blocks };
}

/** The ops notice of one shortfall, updated in place: a Request top-up button while it is open and can be topped up. */
export function shortfallNoticeMessage(notice: ShortfallNotice): SlackMessage {
  const money = formatMoney({ amount: notice.amount, currency: notice.currency });
  const when = formatDay(notice.day);
  if (notice.status !== 'open') {
    const outcome =
      notice.status === 'covered' ? 'covered: the forecast no longer shows it' : 'over: its day has passed';
    return {
      text: `Funding shortfall on ${when}: ${outcome}`,
      blocks: [
        section(`:white_check_mark: ~${notice.currency.toUpperCase()} short by ${money} on ${when}~: ${outcome}.`),
        context(`Shortfall \`${notice.key}\``),
      ],
    };
  }
  const blocks: KnownBlock[] = [
    section(
      `:warning: *Funding shortfall in ${notice.currency.toUpperCase()}*\n${shortfallText(notice, notice.topupCurrency)}`,
    ),
  ];
  if (notice.currency === notice.topupCurrency) {
    blocks.push({
      type: 'actions',
      elements: [button(ACTION_IDS.fundingRequestTopup, `Request top-up of ${money}`, notice.key, 'primary')],
    });
  }
  blocks.push(
    context(
      `Shortfall \`${notice.key}\` · updated ${asOf(new Date(notice.updatedAt))} · \`/payout forecast\` shows the days around it`,
    ),
  );
  return { text: `Funding shortfall: ${notice.currency.toUpperCase()} short by ${money} on ${when}`, blocks };
}

/** What a standing permission has left, in words. */
export function capText(permission: AutoFunding, used: number): string {
  const money = (amount: number) => formatMoney({ amount, currency: permission.currency });
  return `${money(used)} of ${money(permission.cap)} used in the last 7 days`;
}

/** An automatic top-up made (or refused by Stripe), for the ops channel. */
export function autoTopupNotice(topup: AutoTopup, permission: AutoFunding, used: number): SlackMessage {
  const money = formatMoney({ amount: topup.amount, currency: topup.currency });
  const text =
    topup.status === 'created'
      ? `:robot_face: *Automatic top-up* of ${money} for the shortfall on ${formatDay(topup.day)} (\`${topup.stripeId}\`), under the standing permission \`${permission.requestId}\`: ${capText(permission, used)}.`
      : `:x: *Automatic top-up* of ${money} for ${formatDay(topup.day)} was not made: ${topup.failure ? describeRecorded(topup.failure) : 'unknown reason'}. Top up by hand (\`/payout topup\`).`;
  return plain(text);
}

/** An automatic top-up Stripe shows failed, canceled or reversed. */
export function autoTopupSettledNotice(topup: AutoTopup): SlackMessage {
  const money = formatMoney({ amount: topup.amount, currency: topup.currency });
  return plain(
    `:x: The automatic top-up of ${money} for ${formatDay(topup.day)} (\`${topup.stripeId}\`) was ${topup.settlement}${topup.failure ? `: ${describeRecorded(topup.failure)}` : ''}. \`/payout forecast\` shows what is short now.`,
  );
}

/** `/payout funding`: the standing permissions and what their caps have left. */
export function fundingStatusMessage(
  status: { permission: AutoFunding; used: number }[],
  topupCurrency: string,
): SlackMessage {
  if (status.length === 0)
    return plain(
      `Automatic top-ups are off. \`/payout funding auto <cap> ${topupCurrency}\` asks for a standing permission (approved like a request of the cap).`,
    );
  const rows = status.map(
    ({ permission, used }) =>
      `• *${permission.currency.toUpperCase()}*: on, up to ${formatMoney({ amount: permission.cap, currency: permission.currency })} in any 7 days (${capText(permission, used)}), approved by ${permission.approvedBy.map(mention).join(' and ')} in \`${permission.requestId}\``,
  );
  return plain(`*Automatic top-ups*\n${rows.join('\n')}\n\`/payout funding off\` stops them at once.`);
}
