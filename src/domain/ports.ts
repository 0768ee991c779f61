import type { Freeze, LimitHold } from './controls.types.js';
import type { Problem } from './errors.js';
import type { AutoFunding, AutoTopup, ShortfallNotice } from './funding.types.js';
import type { Money } from './money.js';
import type { PaymentInstruction, PaymentRef, StripeState, StripeTags } from './payments.types.js';
import type { Firing, PlanEntry, Run, RunCounts, RunLine, Schedule } from './payouts.types.js';
import type {
  BalanceTransaction,
  ReconcileResult,
  ReconcileWindow,
  RecordedPayment,
  StripeMovement,
} from './reconcile.types.js';
import type { PayoutRequest, RunLineDraft } from './requests.types.js';
import type { AccountSnapshot, Seller, SellerPayout } from './sellers.types.js';

/** Stripe, as the domain needs it. Implemented by src/adapters/stripe; errors arrive as AppError. */
export interface PaymentsGateway {
  platformAccount(): Promise<{ id: string; country: string; defaultCurrency: string }>;
  createExpressAccount(
    input: { country: string; email: string | null; recipientAgreement: boolean; metadata: Record<string, string> },
    idempotencyKey: string,
  ): Promise<AccountSnapshot>;
  retrieveAccount(accountId: string): Promise<AccountSnapshot>;
  createOnboardingLink(input: {
    accountId: string;
    refreshUrl: string;
    returnUrl: string;
  }): Promise<{ url: string; expiresAt: Date }>;
  /** A single-use link into the seller's Express Dashboard (it expires within minutes). */
  createLoginLink(accountId: string): Promise<string>;
  /** A payout from the connected account's balance to its bank, as Stripe shows it now. */
  readPayout(accountId: string, payoutId: string): Promise<SellerPayout>;
}

/** Our seller records; every write that depends on a read is atomic. */
export interface SellerStore {
  get(teamId: string, userId: string): Promise<Seller | undefined>;
  getByAccount(accountId: string): Promise<Seller | undefined>;
  /** Stores a new seller unless one exists for the same Slack user; returns the one that is stored. */
  createIfAbsent(seller: Seller): Promise<{ seller: Seller; created: boolean }>;
  /** Applies `change` to the current record atomically (retrying on a concurrent write); `change` returns undefined to leave it; undefined when there is none. */
  update(
    teamId: string,
    userId: string,
    change: (current: Seller) => Seller | undefined,
  ): Promise<{ before: Seller; after: Seller; changed: boolean } | undefined>;
  list(teamId: string): Promise<Seller[]>;
  /** Payable sellers whose name (from any word), user id or account id starts with `prefix`, case and accents ignored; at most `limit`, read through an index. */
  findPayable(teamId: string, prefix: string, limit: number): Promise<Seller[]>;
  /** Sellers by user id from `offset`, at most `limit`, with how many there are and how many are payable; reads only that page. */
  page(teamId: string, offset: number, limit: number): Promise<SellerPage>;
  /** This workspace's sellers among those named by user id or account id, read together (for a CSV batch). */
  findMany(teamId: string, refs: { userIds: string[]; accountIds: string[] }): Promise<Seller[]>;
}

export interface SellerPage {
  sellers: Seller[];
  total: number;
  payable: number;
}

/** Resolves user-group ids to their members at the moment someone acts. */
export interface Directory {
  membersOfGroup(groupId: string): Promise<string[]>;
}

/** What the outside world is told about onboarding; the Slack adapter renders it. */
export interface OnboardingNotifier {
  sellerInvited(event: { seller: Seller; invitedBy: string; startUrl: string; reinvite: boolean }): Promise<void>;
  sellerBecamePayable(seller: Seller): Promise<void>;
  /** `continueUrl` lets the seller pick up where Stripe's form needs more. */
  sellerBecameRestricted(seller: Seller, continueUrl: string): Promise<void>;
  sellerStillDue(seller: Seller, continueUrl: string): Promise<void>;
  /** Ops hears the reason; the seller gets a DM with a button that opens their Express Dashboard. */
  sellerPayoutFailed(seller: Seller, payout: SellerPayout, dashboardUrl: string): Promise<void>;
  sellerBankChanged(seller: Seller, change: string, holdUntil: Date): Promise<void>;
  sellerDisconnected(seller: Seller, planPaused: boolean): Promise<void>;
}

/** Money movement at Stripe. Every write carries the tags of its payment reference (src/domain/payments.ts). */
export interface MoneyGateway {
  platformAccount(): Promise<{ id: string; country: string; defaultCurrency: string }>;
  balance(): Promise<{ available: Money[]; pending: Money[] }>;
  createTransfer(
    input: { money: Money; destinationAccountId: string; description: string | null },
    tags: StripeTags,
  ): Promise<StripeWrite>;
  createTopup(
    input: { money: Money; description: string | null; statementDescriptor: string | null },
    tags: StripeTags,
  ): Promise<StripeWrite>;
  /** The object an earlier attempt may have created (found by its transfer_group and metadata). */
  findCreated(
    action: PaymentInstruction['action'],
    tags: StripeTags,
    createdSince: Date,
  ): Promise<StripeWrite | undefined>;
  /** The object as Stripe has it now. */
  readTopup(topupId: string): Promise<Extract<StripeState, { object: 'topup' }>>;
  readTransfer(transferId: string): Promise<Extract<StripeState, { object: 'transfer' }>>;
}

/** Money on its way to the platform balance, as Stripe shows it (for the funding forecast). */
export interface FundsInFlight {
  /** Pending balance transactions other than top-ups, by the day they become available. */
  pending: { money: Money; availableOn: Date }[];
  /** Pending top-ups; `expectedAvailableOn` is null when Stripe gives no date. */
  topups: { id: string; money: Money; created: Date; expectedAvailableOn: Date | null }[];
}

export interface FundingGateway {
  fundsInFlight(): Promise<FundsInFlight>;
}

/** A Stripe object we made or found, and Stripe's id for the request (for the logs). */
export interface StripeWrite {
  id: string;
  requestId: string | null;
}

/** When each payment was first tried: past Stripe's idempotency window, look before paying again. */
export interface PaymentAttempts {
  /** Records `now` as the first attempt unless one is recorded; returns the first attempt. */
  firstAttempt(payoutRef: string, now: Date): Promise<Date>;
}

export interface RequestStore {
  /** A run request comes with its lines: they are kept apart from the record, written with it at once. */
  create(request: PayoutRequest, actor: string, runLines?: RunLineDraft[]): Promise<void>;
  get(id: string): Promise<PayoutRequest | undefined>;
  /** A run request's lines in their order, a page at a time (older records carry them inline: read the same way). */
  runLines(id: string): AsyncIterable<RunLineDraft[]>;
  /** Whether some line of a run request pays this person, without reading its lines. */
  runPays(id: string, userId: string): Promise<boolean>;
  /** One atomic transition with its audit entry; `change` returns undefined to leave the request as it is. */
  transition(
    id: string,
    change: (current: PayoutRequest) => PayoutRequest | undefined,
    audit: { actor: string; action: string; detail?: string },
  ): Promise<{ before: PayoutRequest; after: PayoutRequest; changed: boolean } | undefined>;
  /** Requests not yet in a final state, for the sweeper. */
  open(): Promise<PayoutRequest[]>;
  /** Approved or executing requests only (money promised, not yet paid), without reading every open request. */
  committed(): Promise<PayoutRequest[]>;
}

/** Hands payments (approved requests, scheduled top-ups) to the workers; one job per reference, however often it is called. */
export interface PaymentQueue {
  enqueue(ref: PaymentRef): Promise<void>;
  /** For the sweeper: queue it again even if an earlier job for it has finished or failed. */
  requeue(ref: PaymentRef): Promise<void>;
}

/** What people are shown as a request moves; the Slack adapter renders it. */
export interface RequestNotifier {
  /** Posts the approval request; returns where, so later steps update the same message. */
  posted(request: PayoutRequest): Promise<{ channel: string; ts: string }>;
  changed(request: PayoutRequest): Promise<void>;
  /** The outcome, to the requester and wherever else it belongs. */
  finished(request: PayoutRequest): Promise<void>;
  settled(request: PayoutRequest): Promise<void>;
}

export interface PlanStore {
  get(teamId: string, userId: string): Promise<PlanEntry | undefined>;
  set(entry: PlanEntry): Promise<void>;
  remove(teamId: string, userId: string): Promise<PlanEntry | undefined>;
  list(teamId: string): Promise<PlanEntry[]>;
  /** Lines by seller user id from `offset`, at most `limit`, with how many there are and the totals of all; reads only that page. */
  page(teamId: string, offset: number, limit: number): Promise<PlanPage>;
  /**
   * Every line by seller user id, a page at a time, each page starting after the last user id of the one before: a
   * line present from start to end is read exactly once, however the plan changes meanwhile.
   */
  pages(teamId: string, pageSize?: number): AsyncIterable<PlanEntry[]>;
}

export interface PlanPage {
  entries: PlanEntry[];
  total: number;
  /** Per currency, over every line (paused ones too), in currency order. */
  totals: { currency: string; amount: number; count: number }[];
}

export interface ScheduleStore {
  create(schedule: Schedule): Promise<boolean>;
  get(id: string): Promise<Schedule | undefined>;
  update(
    id: string,
    change: (current: Schedule) => Schedule | undefined,
  ): Promise<{ before: Schedule; after: Schedule; changed: boolean } | undefined>;
  /** Schedules not deleted: one workspace's, or all of them. */
  list(teamId?: string): Promise<Schedule[]>;
}

/** BullMQ job schedulers, behind a port. */
export interface Scheduler {
  upsert(schedule: Schedule): Promise<void>;
  remove(scheduleId: string): Promise<void>;
  /** The next firing BullMQ has queued, when there is one. */
  next(scheduleId: string): Promise<Date | undefined>;
}

export interface FiringStore {
  /** Records the firing unless it exists; `first` tells whether this call created it. */
  begin(firing: Firing): Promise<{ first: boolean; firing: Firing }>;
  /** started → done; true only for the caller that made the change. */
  finish(periodKey: string, result: string): Promise<boolean>;
  get(periodKey: string): Promise<Firing | undefined>;
  /** Records the state Stripe shows for the firing's top-up; true only when it changed. */
  settle(periodKey: string, settlement: NonNullable<Firing['settlement']>): Promise<boolean>;
}

export interface RunStore {
  /** Puts a page of a new run's lines aside (idempotent per line key); nothing reads them until `create`. */
  stageLines(runId: string, lines: RunLine[]): Promise<void>;
  /**
   * Creates the run with the lines staged for it, in one atomic step, unless a run with this id exists; `headKeys`
   * are its first lines in order (at most RUN_HEAD_LINES). Returns the stored run.
   */
  create(run: Run, headKeys: string[]): Promise<{ run: Run; created: boolean }>;
  get(runId: string): Promise<Run | undefined>;
  update(
    runId: string,
    change: (current: Run) => Run | undefined,
  ): Promise<{ before: Run; after: Run; changed: boolean } | undefined>;
  line(runId: string, key: string): Promise<RunLine | undefined>;
  /** The run's first lines in their order, as they are now, without reading the rest (at most RUN_HEAD_LINES). */
  firstLines(runId: string, count: number): Promise<RunLine[]>;
  /** Every line of the run, a page at a time, so a run of any size is read in bounded memory. */
  linePages(runId: string): AsyncIterable<RunLine[]>;
  /** pending → paid | failed, once; the counters move with it. False when the line was already settled. */
  settleLine(runId: string, line: RunLine): Promise<boolean>;
  /** Records how much of a paid line Stripe shows reversed; the line as it is now when that changed, else undefined. */
  recordReversal(
    runId: string,
    key: string,
    amountReversed: number,
  ): Promise<{ line: RunLine; delta: number } | undefined>;
  counts(runId: string): Promise<RunCounts>;
  /** Runs not done yet (new, held, running), for the funding forecast. */
  open(): Promise<Run[]>;
}

/** Run jobs: one per line, rate-limited to Stripe's pace, plus one job that closes the run. */
export interface RunQueue {
  enqueueLines(runId: string, lineKeys: string[]): Promise<void>;
  enqueueFinish(runId: string): Promise<void>;
  /** Reconciles the run's days with Stripe once it has ended; once per run. */
  enqueueReconcile(runId: string): Promise<void>;
}

/** What ops is told about schedules and runs; the Slack adapter renders it. */
export interface PayoutNotifier {
  scheduleFired(
    schedule: Schedule,
    firing: Firing,
    outcome: { stripeId?: string; runId?: string; error?: Problem },
  ): Promise<void>;
  firingMissed(schedule: Schedule, intendedAt: Date): Promise<void>;
  /** A scheduled top-up's later fate, from Stripe's webhooks. */
  scheduledTopupSettled(
    schedule: Schedule,
    firing: Firing,
    topupId: string,
    settlement: string,
    reason: string | null,
  ): Promise<void>;
  /** Stripe shows a paid line reversed (`reversedNow` more than before): on the run's message and in ops. */
  runLineReversed(
    run: Run,
    line: RunLine,
    reversedNow: Money,
    view: { counts: RunCounts; failed: RunLine[] },
  ): Promise<void>;
  /** Posts where the run's progress will show, when it has no message yet (scheduled runs). */
  runStarted(run: Run): Promise<{ channel: string; ts: string } | null>;
  runHeld(run: Run, available: Money[]): Promise<void>;
  runProgress(run: Run, counts: RunCounts): Promise<void>;
  runFinished(run: Run, counts: RunCounts, failed: RunLine[]): Promise<void>;
}

/** Every payment Stripe accepted, by reference and by time: written by pay(), kept current by settle(). */
export interface PaymentLedger {
  /** Records the payment unless its reference is recorded already; true when this call recorded it. */
  recordPaid(payment: RecordedPayment): Promise<boolean>;
  get(payoutRef: string): Promise<RecordedPayment | undefined>;
  /** The payments recorded under these references, in their order. */
  getMany(payoutRefs: string[]): Promise<(RecordedPayment | undefined)[]>;
  /** Payments made in the window, oldest first, a page at a time. */
  between(window: ReconcileWindow, pageSize?: number): AsyncIterable<RecordedPayment>;
  /** What Stripe shows now for the payment's object; nothing changes when it is not the object recorded. */
  recordState(payoutRef: string, state: StripeState): Promise<void>;
}

/** Stripe's lists as reconciliation reads them: a page at a time, every page counted. */
export interface StripeLists {
  transfers(window: ReconcileWindow): AsyncIterable<StripeMovement>;
  transfersInGroup(transferGroup: string): Promise<StripeMovement[]>;
  topups(window: ReconcileWindow): AsyncIterable<StripeMovement>;
  /** Undefined when Stripe has no such top-up. */
  topup(topupId: string): Promise<StripeMovement | undefined>;
  /** The platform's balance transactions of one type created since `since`. */
  balanceTransactions(since: Date, type: string): AsyncIterable<BalanceTransaction>;
  /** List requests made so far. */
  calls(): number;
}

/** A payment reconciliation matched with Stripe's, as the balance comparison needs it. */
export interface MatchedPayment {
  payoutRef: string;
  currency: string;
  /** What our records say it did to the platform balance, in minor units of `currency`. */
  expectedNet: number;
  /** What its balance transactions did, by currency. */
  actualNets: Record<string, number>;
}

/**
 * One reconciliation's per-payment state, kept outside the process so that its memory does not grow with the window.
 * Written and read a page at a time; gone after `drop()` (or after a while, when a crashed reconciliation never drops it).
 */
export interface ReconcileScratch {
  /** Records payments as matched, each with its Stripe objects' ids (transfer or top-up, and reversals). */
  match(payments: { payoutRef: string; currency: string; expectedNet: number; objectIds: string[] }[]): Promise<void>;
  /** Those of these references that are matched already. */
  matchedOf(payoutRefs: string[]): Promise<Set<string>>;
  /** The matched payment each of these Stripe object ids belongs to (ids of no matched payment are left out). */
  ownersOf(objectIds: string[]): Promise<Map<string, string>>;
  /** Adds balance transactions' nets (payment → currency → net) to the matched payments' actual nets. */
  addNets(nets: Map<string, Map<string, number>>): Promise<void>;
  /** The matched payments in the order they were matched, a page at a time. */
  matched(pageSize: number): AsyncIterable<MatchedPayment>;
  drop(): Promise<void>;
}

/** Scratch space for each reconciliation, by its id. */
export interface ReconcileScratchSpace {
  open(reconcileId: string): ReconcileScratch;
}

/** The latest reconciliation, for the App Home and the sandbox. */
export interface ReconcileStore {
  saveLatest(result: ReconcileResult): Promise<void>;
  latest(): Promise<ReconcileResult | undefined>;
}

/** The freezes in force (the kill switch), one per scope. */
export interface FreezeStore {
  /** Adds the freeze with its audit entry unless its scope is frozen already; true when this call froze it. */
  add(freeze: Freeze): Promise<boolean>;
  /** Removes the scope's freeze; the freeze that was lifted, if there was one. */
  remove(scopeKey: string): Promise<Freeze | undefined>;
  list(): Promise<Freeze[]>;
}

/** What a payment adds to today's totals: counted once per reference, atomically with the check against the limits. */
export interface VelocityCounter {
  reserve(input: {
    payoutRef: string;
    day: string;
    money: Money;
    accountId: string;
    limits: { total: number | undefined; perSeller: number | undefined };
  }): Promise<{ ok: true } | { ok: false; which: 'total' | 'seller'; limit: number; used: number }>;
  /** Stripe refused for good: what the reference counted is given back (to the day it counted towards). */
  release(payoutRef: string): Promise<void>;
  /** What the day has counted so far in this currency: in all, and to this seller. */
  used(day: string, currency: string, accountId: string | null): Promise<{ total: number; seller: number }>;
}

/** The last check before a Stripe write; throws a retryable AppError (payments_frozen, daily_limit) when the payment must wait. */
export interface PaymentGuard {
  admit(ref: PaymentRef, payoutRef: string, instruction: PaymentInstruction): Promise<void>;
  release(payoutRef: string): Promise<void>;
}

/** Payments a daily limit holds, and the overrides two approvers granted (one reference, one UTC day). */
export interface LimitHoldStore {
  /** Records (or refreshes) why this payment waits. */
  hold(hold: LimitHold): Promise<void>;
  get(payoutRef: string): Promise<LimitHold | undefined>;
  /** Lets this payment pass the daily limits on this UTC day (it still counts towards them). */
  override(payoutRef: string, day: string): Promise<void>;
  /** In one read: whether this payment is held now, and whether it may pass the limits on this UTC day. */
  standing(payoutRef: string, day: string): Promise<{ held: boolean; overridden: boolean }>;
  /** The payments a limit holds now, the longest held first: at most `limit` of them, and how many there are. */
  list(limit: number): Promise<{ holds: LimitHold[]; total: number }>;
  /** The payment passed the limits: it no longer waits. */
  clear(payoutRef: string): Promise<void>;
}

/** Payments waiting on a freeze or a limit: woken so they look again now rather than at their next check. */
export interface HeldPayments {
  wake(): Promise<void>;
}

/** What people are told about the kill switch and the daily limits; the Slack adapter renders it. */
export interface ControlNotifier {
  frozen(freeze: Freeze): Promise<void>;
  unfrozen(freeze: Freeze, by: string[]): Promise<void>;
  /** Once per payment: it waits for the next UTC day or an override. */
  limitReached(event: {
    ref: PaymentRef;
    payoutRef: string;
    instruction: PaymentInstruction;
    which: 'total' | 'seller';
    limit: Money;
    used: Money;
  }): Promise<void>;
}

/** One notice per shortfall: claimed once (so two workers post one message), then updated in place. */
export interface ShortfallNoticeStore {
  /** Stores the notice unless one exists for its key; true for the caller that stored it. */
  claim(notice: ShortfallNotice): Promise<boolean>;
  get(key: string): Promise<ShortfallNotice | undefined>;
  update(
    key: string,
    change: (current: ShortfallNotice) => ShortfallNotice | undefined,
  ): Promise<{ after: ShortfallNotice; changed: boolean } | undefined>;
  /** Forgets a claim whose message could not be posted, so the next check posts it. */
  release(key: string): Promise<void>;
  /** Notices still open. */
  open(): Promise<ShortfallNotice[]>;
}

/** Standing permissions to top up, and the top-ups made under them. */
export interface AutoFundingStore {
  permission(currency: string): Promise<AutoFunding | undefined>;
  permissions(): Promise<AutoFunding[]>;
  grant(permission: AutoFunding): Promise<void>;
  revoke(currency: string): Promise<AutoFunding | undefined>;
  /**
   * Atomically: records the top-up unless one exists for its key (`exists`), and only when what was claimed since
   * `since` plus its amount stays within `cap` (`over_cap`).
   */
  claimTopup(topup: AutoTopup, cap: number, since: Date): Promise<'claimed' | 'exists' | 'over_cap'>;
  topup(key: string): Promise<AutoTopup | undefined>;
  /** A failed top-up no longer counts against the cap. */
  updateTopup(
    key: string,
    change: (current: AutoTopup) => AutoTopup | undefined,
  ): Promise<{ after: AutoTopup; changed: boolean } | undefined>;
  /** What the top-ups claimed since `since` add up to (failed ones excluded). */
  usedSince(currency: string, since: Date): Promise<number>;
}

/** What ops is told about funding; the Slack adapter renders it. */
export interface FundingNotifier {
  /** Posts a new shortfall notice; returns where, so it is updated in place. */
  shortfallPosted(notice: ShortfallNotice): Promise<{ channel: string; ts: string }>;
  /** The notice as it is now (changed, covered, or its day passed). */
  shortfallChanged(notice: ShortfallNotice): Promise<void>;
  /** An automatic top-up was made (or refused by Stripe), with what the cap has left. */
  autoTopupMade(topup: AutoTopup, permission: AutoFunding, used: number): Promise<void>;
  /** Stripe shows an automatic top-up failed, canceled or reversed. */
  autoTopupSettled(topup: AutoTopup): Promise<void>;
}

/** Asks for a funding check soon; calls close together make one check. */
export interface FundingChecks {
  request(): Promise<void>;
}

/** A file sent to one person (their DM with the bot); `content` may come a chunk at a time, of any size. */
export interface PersonalFiles {
  dmFile(
    userId: string,
    file: { filename: string; content: string | AsyncIterable<string>; title: string; comment: string },
  ): Promise<void>;
}

/** A file a person attached (a modal's file input), read as text. Throws AppError when it cannot be read. */
export interface AttachedFiles {
  /** The file's text; gives up after `timeoutMs`. */
  read(file: AttachedFile, timeoutMs: number): Promise<string>;
}

/** Where an attached file can be downloaded, and its size in bytes, as the chat's payload says. */
export interface AttachedFile {
  url?: string;
  size?: number;
}
