import type Stripe from 'stripe';
import type { StripeLists } from '../../domain/ports.js';
import type { BalanceTransaction, ReconcileWindow, StripeMovement } from '../../domain/reconcile.types.js';
import { callStripe, toAppError } from './errors.js';

const PAGE = 100;
const TOPUP_STATUSES = ['pending', 'succeeded', 'failed', 'canceled', 'reversed'] as const;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const created = (window: ReconcileWindow) => ({ gte: seconds(window.from), lt: Math.ceil(window.to.getTime() / 1000) });
const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

function fromTransfer(transfer: Stripe.Transfer, reversalIds: string[]): StripeMovement {
  return {
    object: 'transfer',
    id: transfer.id,
    money: { amount: transfer.amount, currency: transfer.currency },
    destinationAccountId: idOf(transfer.destination),
    payoutRef: transfer.metadata?.payout_ref ?? null,
    payoutKind: transfer.metadata?.payout_kind ?? null,
    amountReversed: transfer.amount_reversed,
    reversalIds,
    topupStatus: null,
    created: new Date(transfer.created * 1000),
  };
}

function fromTopup(topup: Stripe.Topup): StripeMovement {
  return {
    object: 'topup',
    id: topup.id,
    money: { amount: topup.amount, currency: topup.currency },
    destinationAccountId: null,
    payoutRef: topup.metadata?.payout_ref ?? null,
    payoutKind: topup.metadata?.payout_kind ?? null,
    amountReversed: 0,
    reversalIds: [],
    // A status this code does not know is read as pending: nothing is called drift on a guess.
    topupStatus: TOPUP_STATUSES.find((known) => known === topup.status) ?? 'pending',
    created: new Date(topup.created * 1000),
  };
}

/**
 * Stripe's lists for reconciliation, a page of 100 at a time with `starting_after` (never everything at once), each page
 * counted. Stripe's search API covers none of these objects, so the list filters do the work: `created`, `transfer_group`, `type`.
 */
export function createStripeLists(stripe: Stripe): StripeLists {
  let calls = 0;
  async function* pages<T extends { id: string }>(
    what: string,
    fetch: (startingAfter: string | undefined) => Promise<Stripe.ApiList<T>>,
  ): AsyncGenerator<T> {
    let startingAfter: string | undefined;
    for (;;) {
      calls++;
      const page = await callStripe(what, () => fetch(startingAfter));
      yield* page.data;
      if (!page.has_more || page.data.length === 0) return;
      startingAfter = page.data.at(-1)!.id;
    }
  }
  /** The embedded list holds the latest reversals; the rest are read from the transfer's own list. */
  async function reversalIds(transfer: Stripe.Transfer): Promise<string[]> {
    if (!transfer.reversals.has_more) return transfer.reversals.data.map((r) => r.id);
    const ids: string[] = [];
    for await (const reversal of pages('list the reversals', (after) =>
      stripe.transfers.listReversals(transfer.id, { limit: PAGE, ...(after ? { starting_after: after } : {}) }),
    ))
      ids.push(reversal.id);
    return ids;
  }
  const asMovement = async (transfer: Stripe.Transfer) => fromTransfer(transfer, await reversalIds(transfer));
  return {
    async *transfers(window) {
      for await (const transfer of pages('list transfers', (after) =>
        stripe.transfers.list({ created: created(window), limit: PAGE, ...(after ? { starting_after: after } : {}) }),
      )) {
        yield await asMovement(transfer);
      }
    },
    async transfersInGroup(transferGroup) {
      const found: StripeMovement[] = [];
      for await (const transfer of pages('list transfers by group', (after) =>
        stripe.transfers.list({
          transfer_group: transferGroup,
          limit: PAGE,
          ...(after ? { starting_after: after } : {}),
        }),
      )) {
        found.push(await asMovement(transfer));
      }
      return found;
    },
    async *topups(window) {
      for await (const topup of pages('list top-ups', (after) =>
        stripe.topups.list({ created: created(window), limit: PAGE, ...(after ? { starting_after: after } : {}) }),
      ))
        yield fromTopup(topup);
    },
    async topup(topupId) {
      try {
        return fromTopup(await stripe.topups.retrieve(topupId));
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw toAppError(error, 'read the top-up');
      }
    },
    async *balanceTransactions(since, type) {
      const list = (after: string | undefined) =>
        stripe.balanceTransactions.list({
          created: { gte: seconds(since) },
          type,
          limit: PAGE,
          ...(after ? { starting_after: after } : {}),
        });
      for await (const movement of pages('list balance transactions', list)) {
        yield {
          id: movement.id,
          type: movement.type,
          sourceId: idOf(movement.source as string | { id: string } | null),
          net: movement.net,
          currency: movement.currency,
        } satisfies BalanceTransaction;
      }
    },
    calls: () => calls,
  };
}
