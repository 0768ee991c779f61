import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { formatMoney, type Money } from './money.js';
import { parsePaymentRef } from './payments.js';
import type { PaymentLedger, ReconcileScratch, ReconcileScratchSpace, ReconcileStore, StripeLists } from './ports.js';
import type {
  BalanceTransaction,
  Difference,
  ReconcileResult,
  ReconcileWindow,
  RecordedPayment,
  StripeMovement,
} from './reconcile.types.js';

/** The platform balance transactions that our payments make: transfers and their reversals, top-ups and theirs. */
export const MOVEMENT_TYPES = ['transfer', 'transfer_refund', 'topup', 'topup_reversal'] as const;
/** Stripe stamps `created` in whole seconds, a moment before we record the payment: look a little earlier for its movements. */
const MOVEMENT_LEAD_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A balance drift names this many payments; the CSV of the differences has the rest as their own rows. */
const NAMED_PAYMENTS = 5;
/** Payments and movements compared at once: what a reconciliation holds in memory, however long its window. */
const PAGE_SIZE = 500;

export interface ReconcileNotifier {
  /** Told only when there are differences, after an automatic reconciliation. */
  differencesFound(result: ReconcileResult): Promise<void>;
}

export interface ReconcileDeps {
  ledger: PaymentLedger;
  stripe: StripeLists;
  store: ReconcileStore;
  /** Where a reconciliation keeps what it knows of each payment, so its memory does not grow with the window. */
  scratch: ReconcileScratchSpace;
  audit: AuditLog;
  notifier: ReconcileNotifier;
  clock: Clock;
  /** Payments and movements compared at once (PAGE_SIZE unless a test makes it small). */
  pageSize?: number;
}

export interface ReconcileService {
  /** Compares every payment of the window with Stripe's lists; adopts ours that Stripe has and we lost; keeps and audits the result. */
  reconcile(input: {
    window: ReconcileWindow;
    trigger: ReconcileResult['trigger'];
    by: string;
  }): Promise<ReconcileResult>;
  latest(): Promise<ReconcileResult | undefined>;
}

/** The last `days` UTC days, today included. */
export function recentDays(now: Date, days: number): ReconcileWindow {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(today - (days - 1) * DAY_MS), to: new Date(today + DAY_MS) };
}

const FAILED_TOPUP = new Set(['failed', 'canceled', 'reversed']);

/** A payment of ours and Stripe's object for it. */
interface Pair {
  ours: RecordedPayment;
  theirs: StripeMovement;
}

/** The items gathered into pages of `size`, the last one shorter. */
async function* inPages<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let page: T[] = [];
  for await (const item of items) {
    page.push(item);
    if (page.length < size) continue;
    yield page;
    page = [];
  }
  if (page.length > 0) yield page;
}

/** Our reference in a movement's metadata, when it is one. */
const payoutRefOf = (movement: StripeMovement): string | null =>
  movement.payoutRef && parsePaymentRef(movement.payoutRef) ? movement.payoutRef : null;

/** What a payment should have done to the platform balance, by our records. */
function expectedNet(payment: RecordedPayment): number {
  if (payment.action === 'transfer') return -payment.money.amount + payment.amountReversed;
  return payment.topupStatus && FAILED_TOPUP.has(payment.topupStatus) ? 0 : payment.money.amount;
}

function fieldDrift(ours: RecordedPayment, theirs: StripeMovement): Difference[] {
  const base = { class: 'field_drift', payoutRef: ours.payoutRef, stripeId: theirs.id } as const;
  const drift: Difference[] = [];
  if (ours.money.currency !== theirs.money.currency)
    drift.push({
      ...base,
      field: 'currency',
      ours: ours.money.currency.toUpperCase(),
      stripe: theirs.money.currency.toUpperCase(),
    });
  else if (ours.money.amount !== theirs.money.amount)
    drift.push({ ...base, field: 'amount', ours: formatMoney(ours.money), stripe: formatMoney(theirs.money) });
  if (ours.action === 'transfer' && ours.destinationAccountId !== theirs.destinationAccountId) {
    drift.push({
      ...base,
      field: 'destination',
      ours: ours.destinationAccountId ?? '—',
      stripe: theirs.destinationAccountId ?? '—',
    });
  }
  return drift;
}

function stateDrift(ours: RecordedPayment, theirs: StripeMovement): Difference[] {
  const base = { class: 'state_drift', payoutRef: ours.payoutRef, stripeId: theirs.id } as const;
  if (ours.action === 'transfer' && theirs.amountReversed !== ours.amountReversed) {
    const reversed = (amount: number) =>
      amount === 0
        ? 'paid, nothing reversed'
        : `${formatMoney({ amount, currency: theirs.money.currency })} reversed${amount >= theirs.money.amount ? ' (all of it)' : ''}`;
    return [
      { ...base, field: 'reversed', ours: reversed(ours.amountReversed), stripe: reversed(theirs.amountReversed) },
    ];
  }
  if (
    ours.action === 'topup' &&
    theirs.topupStatus &&
    FAILED_TOPUP.has(theirs.topupStatus) &&
    ours.topupStatus !== theirs.topupStatus
  ) {
    return [{ ...base, field: 'status', ours: ours.topupStatus ?? 'paid', stripe: theirs.topupStatus }];
  }
  return [];
}

export function createReconcileService(deps: ReconcileDeps): ReconcileService {
  const { ledger, stripe, clock, pageSize = PAGE_SIZE } = deps;

  /** A movement with our metadata that we hold no record of: made by us (e.g. a record lost with a Redis restore), so recorded now. */
  async function adopt(movement: StripeMovement, payoutRef: string, by: string): Promise<RecordedPayment> {
    const payment: RecordedPayment = {
      payoutRef,
      kind: parsePaymentRef(payoutRef)!.kind,
      action: movement.object,
      money: movement.money,
      destinationAccountId: movement.destinationAccountId,
      stripeId: movement.id,
      paidAt: movement.created.toISOString(),
      amountReversed: movement.amountReversed,
      topupStatus: movement.topupStatus,
      adoptedAt: clock.now().toISOString(),
    };
    if (await ledger.recordPaid(payment)) {
      await deps.audit.append({
        at: clock.now().toISOString(),
        actor: by,
        action: 'reconcile.adopted',
        subject: payoutRef,
        payoutRef,
        kind: payment.kind,
        amounts: [payment.money],
        state: 'adopted',
        stripeId: movement.id,
        detail: `found at Stripe with our metadata and no record here${movement.destinationAccountId ? `; to ${movement.destinationAccountId}` : ''}`,
      });
    }
    return payment;
  }

  /**
   * Every payment of the window against Stripe's lists, a page at a time: Stripe's movements with our records (the
   * window's or not), then the window's payments Stripe's lists left out, then the balance transactions of all those
   * matched. The differences come in that order: Stripe's unknown to us, ours missing at Stripe, drift, balance drift.
   */
  async function compare(window: ReconcileWindow, by: string, scratch: ReconcileScratch) {
    const unknown: Difference[] = [];
    const missing: Difference[] = [];
    const drift: Difference[] = [];
    let matched = 0;
    const match = async (pairs: Pair[]) => {
      await scratch.match(
        pairs.map(({ ours, theirs }) => ({
          payoutRef: ours.payoutRef,
          currency: ours.money.currency,
          expectedNet: expectedNet(ours),
          objectIds: [theirs.id, ...theirs.reversalIds],
        })),
      );
      for (const { ours, theirs } of pairs) drift.push(...fieldDrift(ours, theirs), ...stateDrift(ours, theirs));
      matched += pairs.length;
    };

    for (const list of [stripe.transfers(window), stripe.topups(window)])
      for await (const movements of inPages(list, pageSize)) await match(await withOurs(movements, by, unknown));

    // What Stripe's window did not list: look it up by its group (or id) before calling it missing.
    for await (const payments of inPages(ledger.between(window, pageSize), pageSize)) {
      const listed = await scratch.matchedOf(payments.map((p) => p.payoutRef));
      const pairs: Pair[] = [];
      for (const payment of payments) {
        if (listed.has(payment.payoutRef)) continue;
        const found =
          payment.action === 'transfer'
            ? (await stripe.transfersInGroup(payment.payoutRef)).find((t) => t.id === payment.stripeId)
            : await stripe.topup(payment.stripeId);
        if (found) {
          pairs.push({ ours: payment, theirs: found });
          continue;
        }
        missing.push({
          class: 'missing_at_stripe',
          payoutRef: payment.payoutRef,
          stripeId: payment.stripeId,
          field: payment.action,
          ours: `${formatMoney(payment.money)} paid ${payment.paidAt.slice(0, 10)}`,
          stripe: 'nothing in the group',
        });
      }
      await match(pairs);
    }

    const balance = await balanceDrift(scratch, new Date(window.from.getTime() - MOVEMENT_LEAD_MS));
    return { compared: matched + missing.length, differences: [...unknown, ...missing, ...drift, ...balance] };
  }

  /** A page of Stripe's movements paired with our records (adopting ours we lost); those that pair with none are `unknown`. */
  async function withOurs(movements: StripeMovement[], by: string, unknown: Difference[]): Promise<Pair[]> {
    const refs = [...new Set(movements.map(payoutRefOf).filter((ref) => ref !== null))];
    // The window's records, those just outside it by our clock, and none for those not recorded at all.
    const records = new Map((await ledger.getMany(refs)).map((payment, i) => [refs[i]!, payment]));
    const pairs: Pair[] = [];
    for (const movement of movements) {
      const payoutRef = payoutRefOf(movement);
      if (!payoutRef) {
        unknown.push({
          class: 'unknown_foreign',
          payoutRef: null,
          stripeId: movement.id,
          field: movement.object,
          ours: 'no record',
          stripe: `${formatMoney(movement.money)}${movement.destinationAccountId ? ` to ${movement.destinationAccountId}` : ''}`,
        });
        continue;
      }
      const recorded = records.get(payoutRef);
      if (recorded && recorded.stripeId !== movement.id) {
        unknown.push({
          class: 'unknown_ours',
          payoutRef,
          stripeId: movement.id,
          field: 'duplicate',
          ours: `paid by ${recorded.stripeId}`,
          stripe: `also ${formatMoney(movement.money)} by ${movement.id}`,
        });
        continue;
      }
      const payment = recorded ?? (await adopt(movement, payoutRef, by));
      if (!recorded) {
        records.set(payoutRef, payment);
        unknown.push({
          class: 'unknown_ours',
          payoutRef,
          stripeId: movement.id,
          field: 'adopted',
          ours: 'no record',
          stripe: formatMoney(movement.money),
        });
      }
      pairs.push({ ours: payment, theirs: movement });
    }
    return pairs;
  }

  /** Per currency: what our records say moved against the `net` of the balance transactions of the same movements. */
  async function balanceDrift(scratch: ReconcileScratch, since: Date): Promise<Difference[]> {
    for (const type of MOVEMENT_TYPES)
      for await (const movements of inPages(stripe.balanceTransactions(since, type), pageSize))
        await scratch.addNets(await netsByPayment(scratch, movements));

    const totals = new Map<string, { ours: number; stripe: number; refs: string[] }>();
    const totalFor = (currency: string) =>
      totals.get(currency) ?? totals.set(currency, { ours: 0, stripe: 0, refs: [] }).get(currency)!;
    for await (const { payoutRef, currency, expectedNet, actualNets } of scratch.matched(pageSize)) {
      const own = totalFor(currency);
      own.ours += expectedNet;
      for (const [other, net] of Object.entries(actualNets)) totalFor(other).stripe += net;
      const differs =
        (actualNets[currency] ?? 0) !== expectedNet ||
        Object.entries(actualNets).some(([other, net]) => other !== currency && net !== 0);
      if (differs && own.refs.length < NAMED_PAYMENTS) own.refs.push(payoutRef);
    }
    const money = (amount: number, currency: string): string => formatMoney({ amount, currency } satisfies Money);
    return [...totals]
      .filter(([, t]) => t.ours !== t.stripe)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({
        class: 'balance_drift',
        payoutRef: t.refs[0] ?? null,
        stripeId: null,
        field: currency.toUpperCase(),
        ours: money(t.ours, currency),
        stripe: money(t.stripe, currency),
        ...(t.refs.length > 1 ? { alsoRefs: t.refs.slice(1) } : {}),
      }));
  }

  return {
    async reconcile({ window, trigger, by }) {
      const startedAt = clock.now();
      const id = newId('rec', startedAt.getTime());
      const callsBefore = stripe.calls();
      const scratch = deps.scratch.open(id);
      const { compared, differences } = await compare(window, by, scratch).finally(() => scratch.drop());

      const result: ReconcileResult = {
        id,
        window: { from: window.from.toISOString(), to: window.to.toISOString() },
        trigger,
        by,
        startedAt: startedAt.toISOString(),
        finishedAt: clock.now().toISOString(),
        compared,
        differences,
        listCalls: stripe.calls() - callsBefore,
      };
      await deps.store.saveLatest(result);
      await deps.audit.append({
        at: result.finishedAt,
        actor: by,
        action: 'reconcile.run',
        subject: result.id,
        kind: 'reconcile',
        amounts: [],
        state: differences.length === 0 ? 'agrees' : 'differences',
        detail: `${result.window.from.slice(0, 10)}..${new Date(window.to.getTime() - DAY_MS).toISOString().slice(0, 10)} (${trigger}): ${result.compared} payments compared, ${differences.length} differences`,
      });
      if (trigger !== 'command' && differences.length > 0) await deps.notifier.differencesFound(result);
      return result;
    },

    latest: () => deps.store.latest(),
  };
}

/** The page's balance transactions added up by the matched payment they belong to, and by currency. */
async function netsByPayment(
  scratch: ReconcileScratch,
  movements: BalanceTransaction[],
): Promise<Map<string, Map<string, number>>> {
  const owners = await scratch.ownersOf(movements.flatMap((m) => (m.sourceId ? [m.sourceId] : [])));
  const nets = new Map<string, Map<string, number>>();
  for (const movement of movements) {
    const payoutRef = movement.sourceId ? owners.get(movement.sourceId) : undefined;
    if (!payoutRef) continue;
    const byCurrency = nets.get(payoutRef) ?? new Map<string, number>();
    byCurrency.set(movement.currency, (byCurrency.get(movement.currency) ?? 0) + movement.net);
    nets.set(payoutRef, byCurrency);
  }
  return nets;
}
