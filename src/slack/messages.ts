import { AppError, type ErrorCode, type ErrorParams, type Problem, type RecordedProblem } from '../domain/errors.js';
import { formatMoney } from '../domain/money.js';
import type { RequestState } from '../domain/request-kinds.js';
import { escapeMrkdwn, mention } from './mrkdwn.js';

/**
 * How the words name a person, a command or an id (as code), and text that came from elsewhere (a person, Stripe). Slack gets
 * mentions, code spans and escaping; plain text (configuration problems, CSV files, logs) gets none of them.
 */
export interface Words {
  person(userId: string): string;
  code(text: string): string;
  foreign(text: string): string;
}

export const slackWords: Words = { person: mention, code: (text) => `\`${text}\``, foreign: escapeMrkdwn };
export const plainWords: Words = { person: (userId) => userId, code: (text) => text, foreign: (text) => text };

type Phrase<C extends ErrorCode> = (params: ErrorParams[C], w: Words) => string;

const upper = (codes: readonly string[]) => codes.map((c) => c.toUpperCase());
const stripeSaid = (detail: string | undefined, w: Words) => (detail ? ` Stripe said: ${w.foreign(detail)}` : '');
const refused = (p: { action: string; detail?: string }, w: Words) =>
  `Stripe refused to ${p.action}.${stripeSaid(p.detail, w)}`;
const busy = (p: { action: string }) =>
  `Stripe is busy or unavailable right now while trying to ${p.action}; it will be tried again.`;

const COLUMNS_HELP =
  'Each line needs seller, amount, currency and an optional description; quote a description that has commas.';
const QUOTING = 'put the whole value in quotes and double any quote inside it ("").';
const CSV_SYNTAX: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED:
    'This line is not valid CSV: a quote opened here is never closed, so the lines after it could not be read.',
  INVALID_OPENING_QUOTE: `This line is not valid CSV: a quote appears inside a value; ${QUOTING}`,
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: `This line is not valid CSV: text follows a closing quote; ${QUOTING}`,
  CSV_INVALID_CLOSING_QUOTE: `This line is not valid CSV: text follows a closing quote; ${QUOTING}`,
};

const CRON_HELP = (w: Words) =>
  `A cron expression has 5 fields (minute hour day-of-month month day-of-week) and goes in quotes, e.g. ${w.code('cron "0 9 * * 1-5" UTC')}.`;
/** '"9am" is not a time of day. ': the word a person typed where a part of a `<when>` goes, when there was one. */
const notA = (p: { typed?: string }, what: string) => (p.typed ? `"${p.typed}" is not ${what}. ` : '');

const AMOUNT_PROBLEMS: Record<ErrorParams['amount_invalid']['problem'], (typed: string) => string> = {
  negative: () => 'The amount must be positive.',
  not_a_number: (typed) => `"${typed}" is not an amount: write it like 10.50 or 1500`,
  too_large: () => 'That amount is too large to be real.',
  not_positive: () => 'The amount must be greater than zero.',
};

const INCOMPLETE: Record<ErrorParams['request_incomplete']['missing'], string> = {
  seller: 'a seller',
  schedule: 'a schedule',
  lines: 'lines to pay',
  scope: 'something to unfreeze',
  payment: 'a held payment',
};

const STATE_WORDS: Record<RequestState, string> = {
  pending: 'still pending',
  approved: 'already approved',
  executing: 'already approved and being paid',
  completed: 'already done',
  failed: 'already approved, and it failed',
  rejected: 'already rejected',
  expired: 'expired',
};

/** "already approved (approved by @ana and @ben)", "already rejected by @ana": where a request a click meets stands. */
function decision(p: ErrorParams['request_decided'], w: Words): string {
  if (p.state === 'rejected' && p.rejectedBy) return `already rejected by ${w.person(p.rejectedBy)}`;
  if (p.state === 'expired') return 'expired';
  const by = p.approvedBy.map(w.person).join(' and ');
  return by ? `${STATE_WORDS[p.state]} (approved by ${by})` : STATE_WORDS[p.state];
}

/** "1.500 has 3 decimals but EUR has 2: did you mean €1,500.00 or €1.50?" */
const tooPrecise: Phrase<'amount_too_precise'> = (p) => {
  const code = p.currency.toUpperCase();
  if ('lastDigitNotZero' in p) return `${code} amounts have at most 2 decimals at Stripe: make the third one 0.`;
  const has = p.allowed === 0 ? `${code} takes whole amounts only` : `${code} has ${p.allowed}`;
  const question =
    p.readings.length > 0 ? `: did you mean ${p.readings.map((m) => formatMoney(m)).join(' or ')}?` : '.';
  return `${p.typed} has ${p.decimals} decimal${p.decimals === 1 ? '' : 's'} but ${has}${question}`;
};

/** The one table of what a person reads for each code. A code without words here does not compile. */
const PHRASES: { [C in ErrorCode]: Phrase<C> } = {
  currency_unknown: (p) => `"${p.currency}" is not an ISO currency code (try usd, eur, gbp, jpy…)`,
  amount_invalid: (p) => AMOUNT_PROBLEMS[p.problem](p.typed),
  amount_too_precise: tooPrecise,
  amounts_invalid: (p) =>
    'part' in p ? `"${p.part}" should look like usd:1000` : `${p.listedTwice.toUpperCase()} is listed twice`,
  text_too_long: (p) => `The ${p.noun} is ${p.length.toLocaleString('en-US')} characters long: keep it to ${p.max}.`,
  bad_payment_ref: (p) => `Not a valid payment reference part: ${p.parts.join('.')}`,

  not_requester: () => "You're not on the list of people who may request payouts. Ask your finance lead to add you.",
  not_staff: (p) =>
    `Only payout requesters and approvers may ask to ${p.to === 'unfreeze' ? 'unfreeze payouts' : 'override a daily limit'}.`,
  not_held: (p, w) => `${w.code(p.payoutRef)} is not waiting on a daily limit (it may have gone out already).`,
  nothing_to_pay: (_, w) =>
    `There is nothing to pay: the payout plan is empty. Add sellers with ${w.code('/payout plan @seller <amount> <currency>')}.`,
  over_maximum: (p) => `The most a single ${p.per} may be is ${formatMoney(p.max)}.`,
  topup_currency: (p) =>
    `Top-ups are made in the platform's own currency (${p.platformCurrency.toUpperCase()}), not ${p.currency.toUpperCase()}.`,
  currency_not_held: (p) =>
    `The platform holds no ${p.currency.toUpperCase()} balance. It holds ${upper(p.held).join(', ') || 'no balance yet'}.`,
  seller_unknown: (p, w) =>
    'userId' in p
      ? `${w.person(p.userId)} is not a seller yet. Invite them first with ${w.code('/payout invite')}.`
      : p.link === 'onboarding'
        ? 'This onboarding link is not for a seller we know. Ask the ops team for a new invite.'
        : 'This link is not for a seller we can reach. Ask the ops team.',
  seller_disconnected: (p, w) =>
    `${w.person(p.userId)} disconnected their Stripe account from us, so they cannot be paid. They can connect again through a new ${w.code('/payout invite')}.`,
  seller_not_payable: (p, w) =>
    `${w.person(p.userId)} cannot be paid yet: their Stripe onboarding is not complete (transfers are ${p.transfers}).`,
  request_incomplete: (p) => `A ${p.kind} request needs ${INCOMPLETE[p.missing]}.`,
  not_posted: () =>
    'I could not post the approval request to the approvals channel, so nothing was requested. Please try again in a minute.',

  request_unknown: () => 'I could not find that request.',
  not_approver: () => "Sorry, you're not on the list of approvers, so this click changed nothing.",
  request_decided: (p, w) => `This request is ${decision(p, w)}.`,
  request_expired: () => 'This request has expired; nothing was paid. Ask for it again if it is still needed.',
  own_request: () => 'You asked for this one, so someone else has to approve or reject it.',
  pays_you: () => 'This one pays you, so someone else has to approve or reject it.',
  approved_already: () => 'You already approved this request; it needs a second, different approver.',

  when_kind: (p, w) =>
    `${notA(p, 'a schedule')}Start with daily, weekly or cron, e.g. ${w.code('weekly mon 09:00 Europe/Paris')}.`,
  when_weekday: (p) => `${notA(p, 'a weekday')}Pick a weekday: mon, tue, wed, thu, fri, sat or sun.`,
  when_clock: (p) => `${notA(p, 'a time of day')}Use 24-hour HH:MM, e.g. 09:00.`,
  when_zone_missing: (_, w) =>
    `Add an IANA time zone after the time, e.g. ${w.code('daily 09:00 Europe/Paris')} or ${w.code('UTC')}.`,
  when_zone_unknown: (p) => `Unknown time zone "${p.zone}": use an IANA name such as Europe/Paris.`,
  when_cron_fields: (_, w) => CRON_HELP(w),
  when_cron_invalid: (p, w) =>
    `"${p.pattern}" is not a valid cron expression${p.reason ? ` (${w.foreign(p.reason)})` : ''}. ${CRON_HELP(w)}`,

  schedule_unknown: (p) => `There is no schedule ${p.scheduleId}.`,
  schedule_state: (p) => (p.expected ? `That schedule is not ${p.expected}.` : `That schedule is already ${p.status}.`),
  run_unknown: (p) => `There is no run ${p.runId}.`,
  payments_frozen: (p, w) => `Payments are frozen (${w.foreign(p.reason)}); this one waits until they are unfrozen.`,
  daily_limit: (p) =>
    `This payment would pass the daily ${p.which === 'total' ? 'limit' : 'limit per seller'} of ${formatMoney(p.limit)}; it waits for the next UTC day or an override.`,
  auto_funding_off: () => 'automatic top-ups were turned off',
  csv_file: (p) =>
    p.status ? `Slack would not give me that file (HTTP ${p.status}).` : 'That file could not be read.',

  line_not_csv: (p) => CSV_SYNTAX[p.csvCode] ?? `This line is not valid CSV. ${COLUMNS_HELP}`,
  line_columns: (p) => `This line has ${p.count} ${p.count === 1 ? 'column' : 'columns'}, not 3 or 4. ${COLUMNS_HELP}`,
  line_seller_ref: (p, w) =>
    `"${w.foreign(p.ref)}" is not a seller: use a Slack user id (U…), a mention (<@U…>) or a Stripe account id (acct_…).`,
  line_seller_unknown: (p, w) =>
    `${w.foreign(p.ref)} is not a seller of this workspace: invite them first with /payout invite.`,
  line_seller_not_payable: (p, w) =>
    `${w.foreign(p.ref)} cannot be paid yet: their Stripe account is not ready for payouts.`,
  line_currency_not_held: (p) => {
    const list = upper(p.held).sort().join(', ');
    return `The platform holds no ${p.currency.toUpperCase()} balance to pay from${list ? `: use ${list}` : ''}.`;
  },
  line_repeats: (p) =>
    `This repeats line ${p.first}: same seller, amount, currency and description. Remove it, or make the descriptions differ if both are meant.`,
  batch_too_long: (p) => `A batch has at most ${p.max} lines: split the file into several batches.`,

  stripe_unreachable: (p) => `Stripe could not be reached while trying to ${p.action}. It will be tried again.`,
  stripe_rate_limited: busy,
  stripe_unavailable: busy,
  stripe_auth: () => 'The Stripe API key was refused. Check STRIPE_SECRET_KEY.',
  stripe_idempotency: (p, w) =>
    `Stripe refused a repeated request while trying to ${p.action}.${stripeSaid(p.detail, w)}`,
  stripe_balance_insufficient: (p, w) => {
    if (!p.needed) return refused(p, w);
    // A request's failure says what there was; a run line's only what it needed.
    if (p.available === undefined) return `balance too low for ${formatMoney(p.needed)}`;
    const have = p.available ? formatMoney(p.available) : 'unknown';
    return `The platform balance is too low: ${have} available, ${formatMoney(p.needed)} needed. Top it up (${w.code('/payout topup')}) and request this again.`;
  },
  stripe_insufficient_capabilities_for_transfer: (_, w) =>
    `The seller can no longer receive transfers (their Stripe account is restricted). Ask them to finish onboarding (${w.code('/payout invite')} sends a fresh link), then request this again.`,
  stripe_refused: refused,
};

const phrase = <C extends ErrorCode>(problem: Problem<C>, w: Words): string =>
  (PHRASES[problem.code] as Phrase<C>)(problem.params, w);

/** What a person reads for an error (or a problem a result carries): mrkdwn by default, plain with `plainWords`. */
export function describeError(error: AppError | Problem, w: Words = slackWords): string {
  return phrase(error instanceof AppError ? error.problem : error, w);
}

/** A failure a record keeps: a problem, or the words Stripe or an older record gave (shown as text, never as mrkdwn). */
export function describeRecorded(
  recorded: RecordedProblem | { code: string; message: string },
  w: Words = slackWords,
): string {
  if (typeof recorded === 'string') return w.foreign(recorded);
  return 'params' in recorded ? phrase(recorded, w) : w.foreign(recorded.message);
}

/** One problem of a CSV batch line, as a sentence. */
export function describeLineProblem(problem: Problem, w: Words = slackWords): string {
  const words = phrase(problem, w);
  return /[.?]$/.test(words) ? words : `${words}.`;
}
