import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { formatMoney, type Money } from './money.js';
import { parsePaymentRef } from './payments.js';
import type { PaymentLedger, ReconcileStore, StripeLists } from './ports.js';
import type {
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

export interface ReconcileNotifier {
  /** Told only when there are differences, after an automatic reconciliation. */
  differencesFound(result: ReconcileResult): Promise<void>;
}

export interface ReconcileDeps {
  ledger: PaymentLedger;
  stripe: StripeLists;
  store: ReconcileStore;
  audit: AuditLog;
  notifier: ReconcileNotifier;
  clock: Clock;
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
  const { ledger, stripe, clock } = deps;

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

  return {
    async reconcile({ window, trigger, by }) {
      const startedAt = clock.now();
      const callsBefore = stripe.calls();
      const ours = new Map<string, RecordedPayment>();
      for await (const payment of ledger.between(window)) ours.set(payment.payoutRef, payment);

      const differences: Difference[] = [];
      const matched = new Map<string, { ours: RecordedPayment; theirs: StripeMovement }>();
      const consider = async (movement: StripeMovement) => {
        const payoutRef = movement.payoutRef && parsePaymentRef(movement.payoutRef) ? movement.payoutRef : null;
        if (!payoutRef) {
          differences.push({
            class: 'unknown_foreign',
            payoutRef: null,
            stripeId: movement.id,
            field: movement.object,
            ours: 'no record',
            stripe: `${formatMoney(movement.money)}${movement.destinationAccountId ? ` to ${movement.destinationAccountId}` : ''}`,
          });
          return;
        }
        // Just outside the window by our clock, or not recorded at all.
        const recorded = ours.get(payoutRef) ?? (await ledger.get(payoutRef));
        if (recorded && recorded.stripeId !== movement.id) {
          differences.push({
            class: 'unknown_ours',
            payoutRef,
            stripeId: movement.id,
            field: 'duplicate',
            ours: `paid by ${recorded.stripeId}`,
            stripe: `also ${formatMoney(movement.money)} by ${movement.id}`,
          });
          return;
        }
        const payment = recorded ?? (await adopt(movement, payoutRef, by));
        if (!recorded)
          differences.push({
            class: 'unknown_ours',
            payoutRef,
            stripeId: movement.id,
            field: 'adopted',
            ours: 'no record',
            stripe: formatMoney(movement.money),
          });
        matched.set(payoutRef, { ours: payment, theirs: movement });
      };
      for await (const movement of stripe.transfers(window)) await consider(movement);
      for await (const movement of stripe.topups(window)) await consider(movement);

      // What Stripe's window did not list: look it up by its group (or id) before calling it missing.
      let missing = 0;
      for (const payment of ours.values()) {
        if (matched.has(payment.payoutRef)) continue;
        const found =
          payment.action === 'transfer'
            ? (await stripe.transfersInGroup(payment.payoutRef)).find((t) => t.id === payment.stripeId)
            : await stripe.topup(payment.stripeId);
        if (found) {
          matched.set(payment.payoutRef, { ours: payment, theirs: found });
          continue;
        }
        missing++;
        differences.push({
          class: 'missing_at_stripe',
          payoutRef: payment.payoutRef,
          stripeId: payment.stripeId,
          field: payment.action,
          ours: `${formatMoney(payment.money)} paid ${payment.paidAt.slice(0, 10)}`,
          stripe: 'nothing in the group',
        });
      }

      for (const { ours: payment, theirs } of matched.values())
        differences.push(...fieldDrift(payment, theirs), ...stateDrift(payment, theirs));
      differences.push(
        ...(await balanceDrift([...matched.values()], new Date(window.from.getTime() - MOVEMENT_LEAD_MS))),
      );

      const result: ReconcileResult = {
        id: newId('rec', startedAt.getTime()),
        window: { from: window.from.toISOString(), to: window.to.toISOString() },
        trigger,
        by,
        startedAt: startedAt.toISOString(),
        finishedAt: clock.now().toISOString(),
        compared: matched.size + missing,
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

  /** Per currency: what our records say moved against the `net` of the balance transactions of the same movements. */
  async function balanceDrift(
    pairs: { ours: RecordedPayment; theirs: StripeMovement }[],
    since: Date,
  ): Promise<Difference[]> {
    const owner = new Map<string, string>(); // a transfer, top-up or reversal id → its payment
    for (const { ours, theirs } of pairs)
      for (const id of [theirs.id, ...theirs.reversalIds]) owner.set(id, ours.payoutRef);
    const actual = new Map<string, Map<string, number>>(); // payment → currency → net
    for (const type of MOVEMENT_TYPES) {
      for await (const movement of stripe.balanceTransactions(since, type)) {
        const payoutRef = movement.sourceId ? owner.get(movement.sourceId) : undefined;
        if (!payoutRef) continue;
        const nets = actual.get(payoutRef) ?? new Map<string, number>();
        nets.set(movement.currency, (nets.get(movement.currency) ?? 0) + movement.net);
        actual.set(payoutRef, nets);
      }
    }
    const totals = new Map<string, { ours: number; stripe: number; refs: string[] }>();
    const totalFor = (currency: string) =>
      totals.get(currency) ?? totals.set(currency, { ours: 0, stripe: 0, refs: [] }).get(currency)!;
    for (const { ours } of pairs) {
      const nets = actual.get(ours.payoutRef) ?? new Map<string, number>();
      const expected = expectedNet(ours);
      const own = totalFor(ours.money.currency);
      own.ours += expected;
      for (const [currency, net] of nets) totalFor(currency).stripe += net;
      const differs =
        (nets.get(ours.money.currency) ?? 0) !== expected ||
        [...nets.keys()].some((c) => c !== ours.money.currency && nets.get(c) !== 0);
      if (differs) own.refs.push(ours.payoutRef);
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
        ...(t.refs.length > 1 ? { alsoRefs: t.refs.slice(1, NAMED_PAYMENTS) } : {}),
      }));
  }
}
