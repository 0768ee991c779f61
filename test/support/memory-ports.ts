import { vi } from 'vitest';
import type { AccessPolicy } from '../../src/domain/access.js';
import type { AuditEntry, AuditLog } from '../../src/domain/audit.js';
import { type Money, totalsOf } from '../../src/domain/money.js';
import type { Firing, PlanEntry, Run, RunLine, Schedule } from '../../src/domain/payouts.types.js';
import type {
  FiringStore,
  MatchedPayment,
  PaymentLedger,
  PayoutNotifier,
  PlanStore,
  ReconcileScratch,
  ReconcileScratchSpace,
  ReconcileStore,
  RequestNotifier,
  RequestStore,
  RunStore,
  ScheduleStore,
  SellerStore,
  StripeLists,
} from '../../src/domain/ports.js';
import type {
  BalanceTransaction,
  ReconcileResult,
  RecordedPayment,
  StripeMovement,
} from '../../src/domain/reconcile.types.js';
import { createRequestService } from '../../src/domain/requests.js';
import type { PayoutRequest, RunLineDraft } from '../../src/domain/requests.types.js';
import { normaliseSearchText, searchTermsOf } from '../../src/domain/seller-search.js';
import type { Seller } from '../../src/domain/sellers.types.js';
import { fakeMoneyGateway } from './money-gateway.js';

/** In-memory ports for the domain services: each keeps what the Redis one keeps, with the same compare-and-set contract. */

/** A clock the test moves. */
export function testClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** `change` decides from the current record; undefined leaves it (changed: false). Undefined for a missing record. */
function compareAndSet<T>(records: Map<string, T>, key: string, change: (current: T) => T | undefined) {
  const before = records.get(key);
  if (!before) return undefined;
  const next = change(before);
  if (next) records.set(key, next);
  return { before, after: next ?? before, changed: Boolean(next) };
}

export function memoryAudit(): AuditLog & { entries: AuditEntry[]; actions(): string[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    actions: () => entries.map((e) => e.action),
    append: async (entry) => void entries.push(entry),
    latest: async (count) =>
      entries
        .slice(-count)
        .reverse()
        .map((e, i) => ({ ...e, id: String(i) })),
    async *between(from, to) {
      for (const [i, e] of entries.entries())
        if (Date.parse(e.at) >= from.getTime() && Date.parse(e.at) < to.getTime()) yield { ...e, id: String(i) };
    },
  };
}

export function memoryRequestStore(audit = memoryAudit()): RequestStore & { audit: typeof audit } {
  const records = new Map<string, PayoutRequest>();
  const runLines = new Map<string, RunLineDraft[]>();
  return {
    audit,
    async create(request, actor, lines) {
      records.set(request.id, request);
      if (lines) runLines.set(request.id, lines);
      await audit.append({
        at: request.requestedAt,
        actor,
        action: `${request.kind}.requested`,
        subject: request.id,
        kind: request.kind,
        amounts: request.totals,
        state: request.state,
      });
    },
    get: async (id) => records.get(id),
    async *runLines(id) {
      yield runLines.get(id) ?? [];
    },
    runPays: async (id, userId) => (runLines.get(id) ?? []).some((line) => line.userId === userId),
    async transition(id, change, entry) {
      const result = compareAndSet(records, id, change);
      if (result?.changed)
        await audit.append({
          at: result.after.updatedAt,
          ...entry,
          subject: id,
          kind: result.after.kind,
          amounts: result.after.totals,
          state: result.after.state,
        });
      return result;
    },
    open: async () => [...records.values()].filter((r) => ['pending', 'approved', 'executing'].includes(r.state)),
    committed: async () => [...records.values()].filter((r) => ['approved', 'executing'].includes(r.state)),
  };
}

export function memorySellerStore(initial: Seller[] = []): SellerStore {
  const records = new Map(initial.map((s) => [`${s.teamId}/${s.userId}`, s]));
  return {
    get: async (teamId, userId) => records.get(`${teamId}/${userId}`),
    getByAccount: async (accountId) => [...records.values()].find((s) => s.accountId === accountId),
    async createIfAbsent(seller) {
      const existing = records.get(`${seller.teamId}/${seller.userId}`);
      if (existing) return { seller: existing, created: false };
      records.set(`${seller.teamId}/${seller.userId}`, seller);
      return { seller, created: true };
    },
    update: async (teamId, userId, change) => compareAndSet(records, `${teamId}/${userId}`, change),
    list: async (teamId) => [...records.values()].filter((s) => s.teamId === teamId),
    async findPayable(teamId, prefix, limit) {
      const typed = normaliseSearchText(prefix);
      return [...records.values()]
        .filter(
          (s) => s.teamId === teamId && s.state === 'payable' && searchTermsOf(s).some((t) => t.startsWith(typed)),
        )
        .slice(0, limit);
    },
    async page(teamId, offset, limit) {
      const all = [...records.values()]
        .filter((s) => s.teamId === teamId)
        .sort((a, b) => (a.userId < b.userId ? -1 : 1));
      return {
        sellers: all.slice(offset, offset + limit),
        total: all.length,
        payable: all.filter((s) => s.state === 'payable').length,
      };
    },
    findMany: async (teamId, { userIds, accountIds }) =>
      [...records.values()].filter(
        (s) => s.teamId === teamId && (userIds.includes(s.userId) || accountIds.includes(s.accountId)),
      ),
  };
}

export function memoryPlanStore(initial: PlanEntry[] = []): PlanStore {
  const entries = new Map(initial.map((e) => [`${e.teamId}/${e.userId}`, e]));
  return {
    get: async (teamId, userId) => entries.get(`${teamId}/${userId}`),
    set: async (entry) => void entries.set(`${entry.teamId}/${entry.userId}`, entry),
    async remove(teamId, userId) {
      const entry = entries.get(`${teamId}/${userId}`);
      entries.delete(`${teamId}/${userId}`);
      return entry;
    },
    list: async (teamId) => [...entries.values()].filter((e) => e.teamId === teamId),
    async *pages(teamId, pageSize = 500) {
      const all = [...entries.values()]
        .filter((e) => e.teamId === teamId)
        .sort((a, b) => (a.userId < b.userId ? -1 : 1));
      for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
    },
    async page(teamId, offset, limit) {
      const all = [...entries.values()]
        .filter((e) => e.teamId === teamId)
        .sort((a, b) => (a.userId < b.userId ? -1 : 1));
      const totals = new Map<string, { amount: number; count: number }>();
      for (const e of all) {
        const t = totals.get(e.money.currency) ?? { amount: 0, count: 0 };
        totals.set(e.money.currency, { amount: t.amount + e.money.amount, count: t.count + 1 });
      }
      return {
        entries: all.slice(offset, offset + limit),
        total: all.length,
        totals: [...totals]
          .map(([currency, t]) => ({ currency, ...t }))
          .sort((a, b) => a.currency.localeCompare(b.currency)),
      };
    },
  };
}

export function memoryScheduleStore(): ScheduleStore {
  const records = new Map<string, Schedule>();
  return {
    async create(schedule) {
      if (records.has(schedule.id)) return false;
      records.set(schedule.id, schedule);
      return true;
    },
    get: async (id) => records.get(id),
    update: async (id, change) => compareAndSet(records, id, change),
    list: async (teamId) => [...records.values()].filter((s) => !teamId || s.teamId === teamId),
  };
}

export function memoryFiringStore(): FiringStore {
  const firings = new Map<string, Firing>();
  return {
    async begin(firing) {
      const existing = firings.get(firing.periodKey);
      if (existing) return { first: false, firing: existing };
      firings.set(firing.periodKey, firing);
      return { first: true, firing };
    },
    async finish(periodKey, result) {
      return Boolean(
        compareAndSet(firings, periodKey, (f) =>
          f.status === 'done' ? undefined : { ...f, status: 'done' as const, result },
        )?.changed,
      );
    },
    get: async (periodKey) => firings.get(periodKey),
    async settle(periodKey, settlement) {
      return Boolean(
        compareAndSet(firings, periodKey, (f) => (f.settlement === settlement ? undefined : { ...f, settlement }))
          ?.changed,
      );
    },
  };
}

export function memoryPaymentLedger(initial: RecordedPayment[] = []): PaymentLedger & { all(): RecordedPayment[] } {
  const payments = new Map(initial.map((p) => [p.payoutRef, p]));
  return {
    async recordPaid(payment) {
      if (payments.has(payment.payoutRef)) return false;
      payments.set(payment.payoutRef, payment);
      return true;
    },
    get: async (payoutRef) => payments.get(payoutRef),
    getMany: async (payoutRefs) => payoutRefs.map((payoutRef) => payments.get(payoutRef)),
    async *between(window) {
      const inWindow = (p: RecordedPayment) =>
        Date.parse(p.paidAt) >= window.from.getTime() && Date.parse(p.paidAt) < window.to.getTime();
      yield* [...payments.values()].filter(inWindow).sort((a, b) => Date.parse(a.paidAt) - Date.parse(b.paidAt));
    },
    async recordState() {},
    all: () => [...payments.values()],
  };
}

/**
 * Stripe's lists over fixed movements, counted as the adapter counts them: one call per page of 100. `outside` are
 * movements the window's lists leave out that a look-up by group or id still finds.
 */
export function memoryStripeLists(stripe: {
  transfers?: StripeMovement[];
  topups?: StripeMovement[];
  outside?: StripeMovement[];
  balanceTransactions?: BalanceTransaction[];
}): StripeLists {
  let calls = 0;
  async function* pages<T>(items: T[]) {
    for (let i = 0; i === 0 || i < items.length; i += 100) {
      calls++;
      yield* items.slice(i, i + 100);
    }
  }
  const { transfers = [], topups = [], outside = [], balanceTransactions = [] } = stripe;
  const all = [...transfers, ...topups, ...outside];
  return {
    transfers: () => pages(transfers),
    async transfersInGroup(transferGroup) {
      calls++;
      return all.filter((m) => m.object === 'transfer' && m.payoutRef === transferGroup);
    },
    topups: () => pages(topups),
    topup: async (topupId) => all.find((m) => m.object === 'topup' && m.id === topupId),
    balanceTransactions: (_since, type) => pages(balanceTransactions.filter((b) => b.type === type)),
    calls: () => calls,
  };
}

/** Each reconciliation's scratch, as the Redis one keeps it; `left()` is how many were never dropped. */
export function memoryReconcileScratchSpace(): ReconcileScratchSpace & { left(): number } {
  const spaces = new Map<string, Map<string, MatchedPayment>>();
  return {
    open(reconcileId): ReconcileScratch {
      const matched = new Map<string, MatchedPayment>(); // in the order matched
      const owners = new Map<string, string>();
      spaces.set(reconcileId, matched);
      return {
        async match(payments) {
          for (const { payoutRef, currency, expectedNet, objectIds } of payments) {
            matched.set(payoutRef, { payoutRef, currency, expectedNet, actualNets: {} });
            for (const id of objectIds) owners.set(id, payoutRef);
          }
        },
        matchedOf: async (payoutRefs) => new Set(payoutRefs.filter((ref) => matched.has(ref))),
        ownersOf: async (objectIds) =>
          new Map(objectIds.flatMap((id) => (owners.has(id) ? [[id, owners.get(id)!] as const] : []))),
        async addNets(nets) {
          for (const [payoutRef, byCurrency] of nets) {
            const { actualNets } = matched.get(payoutRef)!;
            for (const [currency, net] of byCurrency) actualNets[currency] = (actualNets[currency] ?? 0) + net;
          }
        },
        async *matched() {
          yield* matched.values();
        },
        async drop() {
          spaces.delete(reconcileId);
        },
      };
    },
    left: () => spaces.size,
  };
}

export function memoryReconcileStore(): ReconcileStore {
  let latest: ReconcileResult | undefined;
  return {
    async saveLatest(result) {
      latest = result;
    },
    latest: async () => latest,
  };
}

export function memoryRunStore(): RunStore {
  const runs = new Map<string, Run>();
  const lines = new Map<string, Map<string, RunLine>>();
  const staged = new Map<string, Map<string, RunLine>>();
  const linesOf = (runId: string) => [...(lines.get(runId)?.values() ?? [])];
  return {
    async stageLines(runId, page) {
      const aside = staged.get(runId) ?? new Map<string, RunLine>();
      for (const line of page) aside.set(line.key, line);
      staged.set(runId, aside);
    },
    async create(run) {
      const existing = runs.get(run.id);
      if (existing) return { run: existing, created: false };
      runs.set(run.id, run);
      lines.set(run.id, staged.get(run.id) ?? new Map());
      staged.delete(run.id);
      return { run, created: true };
    },
    get: async (runId) => runs.get(runId),
    update: async (runId, change) => compareAndSet(runs, runId, change),
    line: async (runId, key) => lines.get(runId)?.get(key),
    async *linePages(runId) {
      yield linesOf(runId);
    },
    firstLines: async (runId, count) => linesOf(runId).slice(0, count),
    async settleLine(runId, line) {
      return Boolean(
        lines.get(runId) &&
          compareAndSet(lines.get(runId)!, line.key, (current) => (current.status === 'pending' ? line : undefined))
            ?.changed,
      );
    },
    async recordReversal(runId, key, amountReversed) {
      const result =
        lines.get(runId) &&
        compareAndSet(lines.get(runId)!, key, (l) =>
          amountReversed > (l.amountReversed ?? 0) ? { ...l, amountReversed } : undefined,
        );
      return result?.changed
        ? { line: result.after, delta: amountReversed - (result.before.amountReversed ?? 0) }
        : undefined;
    },
    async counts(runId) {
      const all = linesOf(runId);
      const paid = all.filter((l) => l.status === 'paid');
      return {
        pending: all.filter((l) => l.status === 'pending').length,
        paid: paid.length,
        failed: all.filter((l) => l.status === 'failed').length,
        paidTotals: totalsOf(paid),
        reversedTotals: totalsOf(
          paid
            .filter((l) => l.amountReversed)
            .map((l) => ({ money: { amount: l.amountReversed!, currency: l.money.currency } })),
        ),
      };
    },
    open: async () => [...runs.values()].filter((r) => r.status !== 'done'),
  };
}

/** Remembers what was claimed: a second claim of the same scope and id is refused. */
export function memoryClaims() {
  const claimed = new Set<string>();
  return vi.fn(
    async (scope: string, id: string) => !claimed.has(`${scope}/${id}`) && Boolean(claimed.add(`${scope}/${id}`)),
  );
}

export function spyRequestNotifier(): RequestNotifier {
  return {
    posted: vi.fn(async () => ({ channel: 'CAPPROVALS', ts: '1.0' })),
    changed: vi.fn(async () => undefined),
    finished: vi.fn(async () => undefined),
    settled: vi.fn(async () => undefined),
  };
}

export function spyPayoutNotifier(): { [K in keyof PayoutNotifier]: PayoutNotifier[K] & ReturnType<typeof vi.fn> } {
  return {
    scheduleFired: vi.fn(async () => undefined),
    firingMissed: vi.fn(async () => undefined),
    scheduledTopupSettled: vi.fn(async () => undefined),
    runLineReversed: vi.fn(async () => undefined),
    runStarted: vi.fn(async () => ({ channel: 'COPS', ts: '2.0' })),
    runHeld: vi.fn(async () => undefined),
    runProgress: vi.fn(async () => undefined),
    runFinished: vi.fn(async () => undefined),
  };
}

export const TEAM = 'T1';
/** Who may do what in the in-memory request service: the seller is also an approver, so a transfer to them is never theirs to approve. */
export const STAFF = { requester: 'UREQ', approver1: 'UAPP1', approver2: 'UAPP2', seller: 'USELLER' } as const;
export const APPROVAL_TTL_SECONDS = 3_600;

export function payableSeller(overrides: Partial<Seller> = {}): Seller {
  const at = '2026-11-01T00:00:00Z';
  return {
    teamId: TEAM,
    userId: STAFF.seller,
    accountId: 'acct_seller',
    displayName: 'Ana',
    country: 'FR',
    email: null,
    state: 'payable',
    detailsSubmitted: true,
    transfersCapability: 'active',
    payoutsEnabled: true,
    currentlyDue: [],
    disabledReason: null,
    everPayable: true,
    invitedBy: STAFF.requester,
    invitedAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/**
 * The request service over in-memory ports: EUR needs two approvers from 1,000.00 and allows at most 5,000.00; USD (the
 * platform's currency) always needs two; requests expire after an hour.
 */
export function inMemoryRequests(options: {
  clock: { now(): Date };
  sellers?: Seller[];
  available?: Money[];
  plan?: PlanStore;
}) {
  const store = memoryRequestStore();
  const queue = { enqueue: vi.fn(async () => undefined), requeue: vi.fn(async () => undefined) };
  const notifier = spyRequestNotifier();
  const lists: Record<'requester' | 'approver', string[]> = {
    requester: [STAFF.requester, STAFF.approver1],
    approver: [STAFF.approver1, STAFF.approver2, STAFF.seller],
  };
  const access: AccessPolicy = {
    has: async (userId, role) => lists[role].includes(userId),
    isStaff: async (userId) => [...lists.requester, ...lists.approver].includes(userId),
  };
  const available = options.available ?? [
    { amount: 50_000_00, currency: 'eur' },
    { amount: 50_000_00, currency: 'usd' },
  ];
  const service = createRequestService({
    gateway: fakeMoneyGateway({ balance: async () => ({ available, pending: [] }) }),
    store,
    sellers: memorySellerStore(options.sellers ?? [payableSeller()]),
    access,
    queue,
    notifier,
    plan: options.plan ?? memoryPlanStore(),
    clock: options.clock,
    policy: {
      thresholds: new Map([['eur', 1_000_00]]),
      maxima: new Map([['eur', 5_000_00]]),
      approvalTtlSeconds: APPROVAL_TTL_SECONDS,
      bankChangeHoldHours: 72,
    },
    funds: async () => ({ at: options.clock.now().toISOString(), currencies: [] }),
    limitsLeft: async () => [],
    reminders: { schedule: async () => undefined },
    heldByLimit: async () => undefined,
  });
  return { service, store, queue, notifier };
}
