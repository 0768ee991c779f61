import { formatMoney } from '../../domain/money.js';
import type { SellerPage } from '../../domain/ports.js';
import type { Seller, SellerPayout, SellerState } from '../../domain/sellers.types.js';
import { ACTION_IDS } from '../ids.js';
import { mention, slackDate } from '../mrkdwn.js';
import { context, header, type KnownBlock, plain, type SlackMessage, section } from './common.js';
import { LIMITS } from './limits.js';
import { listBlocks, pageLabel, pastLastPage } from './list.js';

const STATE_LABELS: Record<SellerState, string> = {
  invited: ':hourglass_flowing_sand: Invited — onboarding not finished',
  pending: ':mag: Submitted — Stripe is verifying',
  action_required: ':warning: Action required',
  payable: ':white_check_mark: Payable',
  restricted: ':no_entry: Restricted — cannot be paid',
  disconnected: ':electric_plug: Disconnected — removed our access to their Stripe account',
};

export const sellerStateLabel = (state: SellerState): string => STATE_LABELS[state];

/** "individual.verification.document" → "individual verification document". */
export const describeRequirement = (requirement: string): string => requirement.replace(/[._]+/g, ' ');

function dueLine(seller: Seller): string | undefined {
  if (seller.currentlyDue.length === 0 && !seller.disabledReason) return undefined;
  const due = seller.currentlyDue.map(describeRequirement).join(', ');
  const reason = seller.disabledReason ? ` (Stripe: ${describeRequirement(seller.disabledReason)})` : '';
  return `Still due: ${due || 'nothing listed'}${reason}`;
}

const startButton = (label: string, url: string): KnownBlock => ({
  type: 'actions',
  elements: [
    {
      type: 'button',
      action_id: ACTION_IDS.onboardingStart,
      text: { type: 'plain_text', text: label },
      url,
      style: 'primary',
    },
  ],
});

export function onboardingInviteDm(event: {
  seller: Seller;
  invitedBy: string;
  startUrl: string;
  reinvite: boolean;
}): SlackMessage {
  const intro = event.reinvite
    ? `Here is a fresh link to finish setting up payouts, sent by ${mention(event.invitedBy)}.`
    : `${mention(event.invitedBy)} invited you to receive payouts from us through Stripe.`;
  return {
    text: 'Set up your payouts with Stripe',
    blocks: [
      header('Set up your payouts'),
      section(
        `${intro}\nStripe asks for your details and bank account on its own secure page; it takes about five minutes.`,
      ),
      startButton('Start onboarding', event.startUrl),
      context('This button works for 7 days. If it has expired, ask the ops team for a new one.'),
    ],
  };
}

export function sellerInvitedNotice(event: { seller: Seller; invitedBy: string; reinvite: boolean }): SlackMessage {
  const who = mention(event.seller.userId);
  return plain(
    event.reinvite
      ? `:envelope: ${mention(event.invitedBy)} sent ${who} a fresh onboarding link (existing account \`${event.seller.accountId}\`, ${sellerStateLabel(event.seller.state)}).`
      : `:envelope: ${mention(event.invitedBy)} invited ${who}: Stripe account \`${event.seller.accountId}\` (${event.seller.country}) created, onboarding link sent by DM.`,
  );
}

export function sellerPayableNotice(seller: Seller): SlackMessage {
  const payouts = seller.payoutsEnabled
    ? 'their bank payouts are enabled'
    : 'their own bank payouts are not enabled yet';
  return plain(`:white_check_mark: ${mention(seller.userId)} can be paid now (\`${seller.accountId}\`; ${payouts}).`);
}

export function sellerPayableDm(): SlackMessage {
  return plain(":white_check_mark: You're all set: your Stripe account can now receive payouts from us.");
}

export function sellerRestrictedNotice(seller: Seller): SlackMessage {
  return plain(
    `:no_entry: ${mention(seller.userId)} can no longer be paid (\`${seller.accountId}\`). ${dueLine(seller) ?? ''}`.trim(),
  );
}

export function sellerNeedsMoreDm(seller: Seller, continueUrl: string, restricted: boolean): SlackMessage {
  const lead = restricted
    ? 'Stripe needs more information before you can be paid again.'
    : 'Thanks! Stripe still needs a few things before you can be paid.';
  return {
    text: lead,
    blocks: [
      section(`${lead}\n${dueLine(seller) ?? 'Stripe is checking what you sent.'}`),
      startButton('Continue onboarding', continueUrl),
    ],
  };
}

export function sellerStillDueNotice(seller: Seller): SlackMessage {
  return plain(
    `:hourglass_flowing_sand: ${mention(seller.userId)} came back from onboarding but is not payable yet (${sellerStateLabel(seller.state)}). ${dueLine(seller) ?? ''}`.trim(),
  );
}

/** Stripe's payout failure codes in plain words (docs.stripe.com/api/payouts/failures). */
const PAYOUT_FAILURES: Record<string, string> = {
  account_closed: 'the bank account has been closed',
  account_frozen: 'the bank account is frozen',
  bank_account_restricted: 'the bank account does not accept this kind of payment',
  bank_ownership_changed: 'the bank account has a new owner',
  could_not_process: 'the bank could not process the payout',
  debit_not_authorized: 'the bank account does not allow this transaction',
  declined: 'the bank declined the payout',
  incorrect_account_holder_name: 'the account holder name does not match the bank account',
  insufficient_funds: 'the bank account did not have enough funds',
  invalid_account_number: 'the account number is not valid',
  invalid_currency: 'the bank account cannot receive this currency',
  no_account: 'the bank could not find an account with those details',
  unsupported_card: 'the debit card can no longer receive payouts',
};

export const payoutFailureText = (payout: SellerPayout): string =>
  (payout.failureCode && PAYOUT_FAILURES[payout.failureCode]) ||
  payout.failureMessage ||
  'the bank returned it without a reason';

const payoutText = (payout: SellerPayout) =>
  `${formatMoney({ amount: payout.amount, currency: payout.currency })} (\`${payout.id}\`)`;

export function sellerPayoutFailedNotice(seller: Seller, payout: SellerPayout): SlackMessage {
  return plain(
    `:bank: ${mention(seller.userId)}'s bank rejected a payout of ${payoutText(payout)}: ${payoutFailureText(payout)} (Stripe: \`${payout.failureCode ?? 'unknown'}\`). ` +
      'The money is back in their Stripe balance; they have a DM with a link to fix their bank details.',
  );
}

export function sellerPayoutFailedDm(seller: Seller, payout: SellerPayout, dashboardUrl: string): SlackMessage {
  const lead = `Your bank could not take a payout of ${formatMoney({ amount: payout.amount, currency: payout.currency })}: ${payoutFailureText(payout)}.`;
  return {
    text: lead,
    blocks: [
      section(
        `:bank: ${lead}\nThe money is safe in your Stripe balance. Update your bank details in your Stripe dashboard and it will be paid out again.`,
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTION_IDS.onboardingStart,
            text: { type: 'plain_text', text: 'Open my Stripe dashboard' },
            url: dashboardUrl,
            style: 'primary',
          },
        ],
      },
      context(`This button works for 7 days; each click opens a fresh sign-in link. Account \`${seller.accountId}\`.`),
    ],
  };
}

export function sellerBankChangedNotice(seller: Seller, change: string, holdUntil: Date): SlackMessage {
  return plain(
    `:warning: ${mention(seller.userId)}'s bank account changed at Stripe (${change}; \`${seller.accountId}\`). ` +
      `Until ${slackDate(holdUntil.toISOString())}, every transfer or plan change to them needs one more approver. If they did not expect this, freeze them and call them.`,
  );
}

export function sellerDisconnectedNotice(seller: Seller, planPaused: boolean): SlackMessage {
  return plain(
    `:electric_plug: ${mention(seller.userId)} disconnected their Stripe account (\`${seller.accountId}\`) from us: they can no longer be paid` +
      `${planPaused ? ', and their payout plan line is paused' : ''}. Requests to pay them will be refused.`,
  );
}

function lastPayoutLine(payout: SellerPayout | undefined): string | undefined {
  if (!payout) return undefined;
  const outcome =
    payout.status === 'failed'
      ? `:x: failed: ${payoutFailureText(payout)}`
      : payout.status === 'paid'
        ? `:white_check_mark: paid, arriving ${slackDate(payout.arrivalDate, '{date_short_pretty}')}`
        : payout.status.replace('_', ' ');
  return `Last bank payout: ${payoutText(payout)} · ${outcome}`;
}

function sellerLine(seller: Seller): string {
  const due = dueLine(seller);
  return `${mention(seller.userId)} · \`${seller.accountId}\` · ${sellerStateLabel(seller.state)}${due ? ` · ${due}` : ''}`;
}

export function sellerStatus(seller: Seller): SlackMessage {
  const lines = [
    `*${mention(seller.userId)}* — ${sellerStateLabel(seller.state)}`,
    `Stripe account \`${seller.accountId}\` · ${seller.country}`,
    `Details submitted: ${seller.detailsSubmitted ? 'yes' : 'no'} · Transfers: ${seller.transfersCapability} · Bank payouts: ${seller.payoutsEnabled ? 'enabled' : 'not enabled'}`,
    dueLine(seller),
    lastPayoutLine(seller.lastPayout),
    seller.bankChangedAt ? `Bank account last changed ${slackDate(seller.bankChangedAt)}` : undefined,
  ].filter(Boolean);
  return {
    text: `${seller.userId}: ${seller.state}`,
    blocks: [
      section(lines.join('\n')),
      context(
        `Invited by ${mention(seller.invitedBy)} ${slackDate(seller.invitedAt)} · updated ${slackDate(seller.updatedAt)}`,
      ),
    ],
  };
}

/** How many sellers one page of `/payout sellers` shows. */
export const SELLERS_PER_PAGE = 100;

/** One page (from 1) of the sellers. */
export function sellerList(list: SellerPage, page = 1): SlackMessage {
  if (list.total === 0) return plain('No sellers yet. Invite one with `/payout invite @user`.');
  const past = pastLastPage(page, list.total, SELLERS_PER_PAGE, '/payout sellers', 'sellers');
  if (past) return plain(past);
  const rows = listBlocks(list.sellers, sellerLine, {
    maxBlocks: LIMITS.messageBlocks - 1,
    maxItems: SELLERS_PER_PAGE,
    page: { total: list.total, before: (page - 1) * SELLERS_PER_PAGE },
    moreLabel: `\`/payout sellers export\` sends you all of them as a CSV file; \`/payout status @user\` shows one seller. \`/payout sellers ${page + 1}\` shows the next ${SELLERS_PER_PAGE}.`,
  });
  const title = `*Sellers* — ${list.total} in all, ${list.payable} payable${pageLabel(page, list.total, SELLERS_PER_PAGE)}`;
  return { text: `${list.total} sellers, ${list.payable} payable`, blocks: [section(title), ...rows] };
}
