import { randomBytes } from 'node:crypto';
import { COUNTRY_CURRENCIES } from './countries.js';
import { invalidRequest, missingReference, notFound } from './errors.js';

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Stripe-looking ids: `tr_1` followed by random base62 characters. */
export function newId(prefix: string, length = 23): string {
  let id = `${prefix}_1`;
  for (const byte of randomBytes(length)) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/** Unix-seconds clock that tests can move forward (link expiry, `created` filters). */
export class Clock {
  private offsetSeconds = 0;

  now(): number {
    return Math.floor(Date.now() / 1000) + this.offsetSeconds;
  }

  advance(seconds: number): void {
    this.offsetSeconds += seconds;
  }
}

export type CapabilityStatus = 'active' | 'inactive' | 'pending';
export type AccountType = 'express' | 'standard' | 'custom' | 'none';
export type ServiceAgreement = 'full' | 'recipient';
export type TopupOutcome = 'succeeded' | 'failed' | 'canceled' | 'reversed';

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
  total_count?: number;
}

export interface Requirements {
  alternatives: never[];
  current_deadline: number | null;
  currently_due: string[];
  disabled_reason: string | null;
  errors: never[];
  eventually_due: string[];
  past_due: string[];
  pending_verification: string[];
}

export interface AccountController {
  fees: { payer: 'application' | 'account' };
  is_controller: boolean;
  losses: { payments: 'application' | 'stripe' };
  requirement_collection: 'application' | 'stripe';
  stripe_dashboard: { type: 'express' | 'full' | 'none' };
  type: 'application' | 'account';
}

export interface BusinessProfile {
  mcc: string | null;
  name: string | null;
  product_description: string | null;
  support_email: string | null;
  url: string | null;
}

export interface Account {
  id: string;
  object: 'account';
  business_profile: BusinessProfile;
  business_type: string | null;
  capabilities: Record<string, CapabilityStatus>;
  charges_enabled: boolean;
  controller: AccountController;
  country: string;
  created: number;
  default_currency: string;
  details_submitted: boolean;
  email: string | null;
  external_accounts: ListObject<BankAccount>;
  future_requirements: Requirements;
  metadata: Record<string, string>;
  payouts_enabled: boolean;
  requirements: Requirements;
  settings: { dashboard: { display_name: string | null; timezone: string } };
  tos_acceptance: {
    date: number | null;
    ip: string | null;
    service_agreement: ServiceAgreement;
    user_agent: string | null;
  };
  type: AccountType;
}

export interface TransferReversal {
  id: string;
  object: 'transfer_reversal';
  amount: number;
  balance_transaction: string;
  created: number;
  currency: string;
  destination_payment_refund: string;
  metadata: Record<string, string>;
  source_refund: null;
  transfer: string;
}

export interface Transfer {
  id: string;
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  balance_transaction: string;
  created: number;
  currency: string;
  description: string | null;
  destination: string;
  destination_payment: string;
  livemode: boolean;
  metadata: Record<string, string>;
  reversals: ListObject<TransferReversal>;
  reversed: boolean;
  source_transaction: null;
  source_type: string;
  transfer_group: string | null;
}

export interface Topup {
  id: string;
  object: 'topup';
  amount: number;
  balance_transaction: string | null;
  created: number;
  currency: string;
  description: string | null;
  expected_availability_date: number;
  failure_code: string | null;
  failure_message: string | null;
  livemode: boolean;
  metadata: Record<string, string>;
  source: null;
  statement_descriptor: string | null;
  status: 'pending' | TopupOutcome;
  transfer_group: string | null;
}

export interface BankAccount {
  id: string;
  object: 'bank_account';
  account: string;
  account_holder_name: string | null;
  account_holder_type: 'individual' | 'company';
  bank_name: string;
  country: string;
  currency: string;
  default_for_currency: boolean;
  fingerprint: string;
  last4: string;
  metadata: Record<string, string>;
  routing_number: string;
  status: 'new' | 'validated' | 'verified' | 'verification_failed' | 'errored';
}

/** One movement of an account's balance, as Stripe's balance transactions record it. */
export interface BalanceTransaction {
  id: string;
  object: 'balance_transaction';
  amount: number;
  available_on: number;
  created: number;
  currency: string;
  description: string | null;
  exchange_rate: null;
  fee: number;
  fee_details: never[];
  net: number;
  reporting_category: string;
  source: string;
  status: 'available' | 'pending';
  type: string;
}

export interface Payout {
  id: string;
  object: 'payout';
  amount: number;
  arrival_date: number;
  automatic: boolean;
  balance_transaction: string;
  created: number;
  currency: string;
  description: string | null;
  destination: string;
  failure_balance_transaction: string | null;
  failure_code: string | null;
  failure_message: string | null;
  livemode: boolean;
  metadata: Record<string, string>;
  method: 'standard';
  source_type: 'card';
  statement_descriptor: string | null;
  status: 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';
  type: 'bank_account';
}

/**
 * Stripe's US test account numbers (docs.stripe.com/connect/testing): 000123456789 pays out; these make the payout fail,
 * with Stripe's code and message.
 */
export const FAILING_ACCOUNT_NUMBERS: Record<string, { code: string; message: string }> = {
  '000111111116': { code: 'account_closed', message: 'The bank account has been closed.' },
  '000111111113': {
    code: 'no_account',
    message:
      'The bank account details on file are probably incorrect. No bank account could be located with those details.',
  },
  '000222222227': { code: 'insufficient_funds', message: 'The bank account has insufficient funds.' },
  '000333333335': { code: 'debit_not_authorized', message: 'Debit transactions are not approved on the bank account.' },
  '000444444440': {
    code: 'invalid_currency',
    message: 'The bank was unable to process this payout because of its currency.',
  },
};
export const SUCCEEDING_ACCOUNT_NUMBER = '000123456789';

export interface BalanceAmount {
  amount: number;
  currency: string;
  source_types: { card: number };
}

export interface Balance {
  object: 'balance';
  available: BalanceAmount[];
  livemode: boolean;
  pending: BalanceAmount[];
}

export interface AccountLinkRecord {
  id: string;
  account: string;
  type: 'account_onboarding' | 'account_update';
  refreshUrl: string;
  returnUrl: string;
  created: number;
  expiresAt: number;
  used: boolean;
}

export interface PlatformSettings {
  id: string;
  country: string;
  defaultCurrency: string;
  topupsEnabled: boolean;
}

export interface NewAccount {
  type: AccountType;
  controller: AccountController;
  country: string;
  email: string | null;
  businessType: string | null;
  businessProfile: Partial<BusinessProfile>;
  requestedCapabilities: string[];
  serviceAgreement: ServiceAgreement;
  defaultCurrency: string | null;
  metadata: Record<string, string>;
}

export interface AccountPatch {
  email?: string;
  businessType?: string;
  businessProfile?: Partial<BusinessProfile>;
  requestedCapabilities?: string[];
  metadata?: Record<string, string>;
}

export type Publish = (
  type: string,
  object: object,
  options?: { account?: string; previous?: Record<string, unknown> },
) => void;

interface Funds {
  available: Map<string, number>;
  pending: Map<string, number>;
}

export const LINK_LIFETIME_SECONDS = 300;
const TOPUP_AVAILABILITY_SECONDS = 4 * 86_400;
const EMBEDDED_REVERSALS = 10;

const ONBOARDING_FIELDS = ['business_profile.mcc', 'business_profile.url', 'external_account'];
const INDIVIDUAL_FIELDS = [
  'individual.address.city',
  'individual.address.line1',
  'individual.address.postal_code',
  'individual.dob.day',
  'individual.dob.month',
  'individual.dob.year',
  'individual.email',
  'individual.first_name',
  'individual.last_name',
  'individual.phone',
];
const TOS_FIELDS = ['tos_acceptance.date', 'tos_acceptance.ip'];
const VERIFICATION_DOCUMENT = 'individual.verification.document';

function emptyRequirements(): Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: [],
    disabled_reason: null,
    errors: [],
    eventually_due: [],
    past_due: [],
    pending_verification: [],
  };
}

function noExternalAccounts(accountId: string): ListObject<BankAccount> {
  return {
    object: 'list',
    data: [],
    has_more: false,
    total_count: 0,
    url: `/v1/accounts/${accountId}/external_accounts`,
  };
}

function dueRequirements(fields: string[]): Requirements {
  return {
    ...emptyRequirements(),
    currently_due: [...fields],
    eventually_due: [...fields],
    past_due: [...fields],
    disabled_reason: 'requirements.past_due',
  };
}

function onboardingFields(businessType: string | null): string[] {
  return [
    ...ONBOARDING_FIELDS,
    ...(businessType ? [] : ['business_type']),
    ...(businessType === 'individual' ? INDIVIDUAL_FIELDS : []),
    ...TOS_FIELDS,
  ].sort();
}

/** Top-level attributes whose value changed, with their previous value (an event's `previous_attributes`). */
function previousAttributes(before: object, after: object): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of Object.keys(now)) {
    if (JSON.stringify(was[key]) !== JSON.stringify(now[key])) previous[key] = was[key] ?? null;
  }
  return previous;
}

function adjust(amounts: Map<string, number>, currency: string, delta: number): void {
  amounts.set(currency, (amounts.get(currency) ?? 0) + delta);
}

/** Every object the emulated Stripe account holds, and the money movements between them. */
export class Ledger {
  readonly platform: Account;
  readonly accounts = new Map<string, Account>();
  readonly transfers = new Map<string, Transfer>();
  readonly topups = new Map<string, Topup>();
  readonly links = new Map<string, AccountLinkRecord>();
  readonly payouts = new Map<string, Payout>();
  private readonly payoutAccounts = new Map<string, string>();
  /** Accounts that disconnected from the platform: the platform's key no longer reaches them. */
  readonly deauthorized = new Set<string>();
  private readonly reversals = new Map<string, TransferReversal[]>();
  private readonly funds = new Map<string, Funds>();
  /** Per account, oldest first. */
  private readonly movements = new Map<string, BalanceTransaction[]>();
  /** Charges whose funds are still pending (addPendingFunds), by source id. */
  private readonly pendingCharges = new Map<string, { currency: string; amount: number; availableOn: number }>();
  private readonly accountNumbers = new Map<string, string>();

  constructor(
    readonly settings: PlatformSettings,
    readonly livemode: boolean,
    readonly clock: Clock,
    private readonly publish: Publish,
    initialBalances: Record<string, number>,
  ) {
    const now = clock.now();
    this.platform = {
      id: settings.id,
      object: 'account',
      business_profile: {
        mcc: null,
        name: 'Payout Ops Platform',
        product_description: null,
        support_email: null,
        url: null,
      },
      business_type: 'company',
      capabilities: { card_payments: 'active', transfers: 'active' },
      charges_enabled: true,
      controller: {
        fees: { payer: 'account' },
        is_controller: false,
        losses: { payments: 'stripe' },
        requirement_collection: 'stripe',
        stripe_dashboard: { type: 'full' },
        type: 'account',
      },
      country: settings.country,
      created: now,
      default_currency: settings.defaultCurrency,
      details_submitted: true,
      email: null,
      external_accounts: noExternalAccounts(settings.id),
      future_requirements: emptyRequirements(),
      metadata: {},
      payouts_enabled: true,
      requirements: emptyRequirements(),
      settings: { dashboard: { display_name: 'Payout Ops Platform', timezone: 'Etc/UTC' } },
      tos_acceptance: { date: now, ip: '127.0.0.1', service_agreement: 'full', user_agent: null },
      type: 'standard',
    };
    for (const [currency, amount] of Object.entries(initialBalances)) this.setAvailable(settings.id, currency, amount);
  }

  // Accounts

  /** The platform itself or one of its connected accounts, for the `Stripe-Account` header. */
  findAccount(id: string): Account | undefined {
    return id === this.platform.id ? this.platform : this.accounts.get(id);
  }

  connectedAccount(id: string, onMissing: () => Error): Account {
    const account = this.accounts.get(id);
    if (!account) throw onMissing();
    return account;
  }

  createAccount(input: NewAccount): Account {
    const id = newId('acct', 15);
    const capabilities: Record<string, CapabilityStatus> = {};
    for (const name of input.requestedCapabilities) capabilities[name] = 'inactive';
    const account: Account = {
      id,
      object: 'account',
      business_profile: {
        mcc: null,
        name: null,
        product_description: null,
        support_email: null,
        url: null,
        ...input.businessProfile,
      },
      business_type: input.businessType,
      capabilities,
      charges_enabled: false,
      controller: input.controller,
      country: input.country,
      created: this.clock.now(),
      default_currency: input.defaultCurrency ?? COUNTRY_CURRENCIES[input.country] ?? this.settings.defaultCurrency,
      details_submitted: false,
      email: input.email,
      external_accounts: noExternalAccounts(id),
      future_requirements: emptyRequirements(),
      metadata: input.metadata,
      payouts_enabled: false,
      requirements: dueRequirements(onboardingFields(input.businessType)),
      settings: { dashboard: { display_name: input.businessProfile.name ?? null, timezone: 'Etc/UTC' } },
      tos_acceptance: { date: null, ip: null, service_agreement: input.serviceAgreement, user_agent: null },
      type: input.type,
    };
    this.accounts.set(id, account);
    return account;
  }

  updateAccount(account: Account, patch: AccountPatch): Account {
    return this.changeAccount(account, (next) => {
      if (patch.email !== undefined) next.email = patch.email;
      if (patch.metadata !== undefined) next.metadata = patch.metadata;
      if (patch.businessProfile !== undefined)
        next.business_profile = { ...next.business_profile, ...patch.businessProfile };
      if (patch.businessType !== undefined) {
        next.business_type = patch.businessType;
        const remaining = (fields: string[]) => fields.filter((field) => field !== 'business_type');
        next.requirements.currently_due = remaining(next.requirements.currently_due);
        next.requirements.eventually_due = remaining(next.requirements.eventually_due);
        next.requirements.past_due = remaining(next.requirements.past_due);
      }
      for (const name of patch.requestedCapabilities ?? []) {
        next.capabilities[name] ??=
          next.details_submitted && next.requirements.disabled_reason === null ? 'active' : 'inactive';
      }
    });
  }

  deleteAccount(account: Account): void {
    this.accounts.delete(account.id);
    this.funds.delete(account.id);
  }

  /** What Stripe's hosted onboarding does when the seller finishes (complete) or stops with requirements left. */
  completeOnboarding(accountId: string, complete: boolean): Account {
    const account = this.connectedAccount(accountId, () => notFound('account', accountId, 'account'));
    return this.changeAccount(account, (next) => {
      const now = this.clock.now();
      next.details_submitted = true;
      next.tos_acceptance = { ...next.tos_acceptance, date: now, ip: '127.0.0.1' };
      next.business_type ??= 'individual';
      for (const name of Object.keys(next.capabilities)) next.capabilities[name] = complete ? 'active' : 'inactive';
      next.requirements = complete ? emptyRequirements() : dueRequirements([VERIFICATION_DOCUMENT]);
      next.payouts_enabled = complete;
      next.charges_enabled = complete && next.capabilities.card_payments === 'active';
      if (complete && next.external_accounts.data.length === 0)
        next.external_accounts = this.withBankAccount(next, SUCCEEDING_ACCOUNT_NUMBER, []);
    });
  }

  restrictAccount(accountId: string, reason: string): Account {
    const account = this.connectedAccount(accountId, () => notFound('account', accountId, 'account'));
    return this.changeAccount(account, (next) => {
      for (const name of Object.keys(next.capabilities)) next.capabilities[name] = 'inactive';
      next.requirements.disabled_reason = reason;
      next.payouts_enabled = false;
      next.charges_enabled = false;
    });
  }

  private changeAccount(account: Account, change: (next: Account) => void): Account {
    const before = structuredClone(account);
    change(account);
    const previous = previousAttributes(before, account);
    if (Object.keys(previous).length > 0) this.publish('account.updated', account, { account: account.id, previous });
    return account;
  }

  // Account links

  createAccountLink(input: Omit<AccountLinkRecord, 'id' | 'created' | 'expiresAt' | 'used'>): AccountLinkRecord {
    const created = this.clock.now();
    const link: AccountLinkRecord = {
      ...input,
      id: newId('link'),
      created,
      expiresAt: created + LINK_LIFETIME_SECONDS,
      used: false,
    };
    this.links.set(link.id, link);
    return link;
  }

  linkIsUsable(link: AccountLinkRecord): boolean {
    return !link.used && this.clock.now() < link.expiresAt && this.accounts.has(link.account);
  }

  // Balances

  private fundsOf(accountId: string): Funds {
    let funds = this.funds.get(accountId);
    if (!funds) {
      funds = { available: new Map(), pending: new Map() };
      this.funds.set(accountId, funds);
    }
    return funds;
  }

  setAvailable(accountId: string, currency: string, amount: number): void {
    this.fundsOf(accountId).available.set(currency.toLowerCase(), amount);
  }

  balance(accountId: string): Balance {
    const funds = this.funds.get(accountId) ?? {
      available: new Map<string, number>(),
      pending: new Map<string, number>(),
    };
    const account = this.findAccount(accountId);
    const currencies = new Set([...funds.available.keys(), ...funds.pending.keys()]);
    if (currencies.size === 0) currencies.add(account?.default_currency ?? this.settings.defaultCurrency);
    const amounts = (source: Map<string, number>) =>
      [...currencies].sort().map((currency) => {
        const amount = source.get(currency) ?? 0;
        return { amount, currency, source_types: { card: amount } };
      });
    return {
      object: 'balance',
      available: amounts(funds.available),
      livemode: this.livemode,
      pending: amounts(funds.pending),
    };
  }

  // Transfers

  createTransfer(input: {
    amount: number;
    currency: string;
    destination: string;
    description: string | null;
    metadata: Record<string, string>;
    transferGroup: string | null;
    sourceType: string;
  }): Transfer {
    const destination = this.connectedAccount(input.destination, () =>
      missingReference('destination', input.destination, 'destination'),
    );
    if (this.deauthorized.has(destination.id)) {
      throw invalidRequest(`The destination account ${destination.id} is no longer connected to your platform.`, {
        code: 'account_invalid',
        param: 'destination',
      });
    }
    if (destination.capabilities.transfers !== 'active') {
      throw invalidRequest(
        'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
        { code: 'insufficient_capabilities_for_transfer', param: 'destination' },
      );
    }
    const platform = this.fundsOf(this.platform.id);
    if ((platform.available.get(input.currency) ?? 0) < input.amount) {
      throw invalidRequest(
        'You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Top-ups: https://stripe.com/docs/api#create_topup',
        { code: 'balance_insufficient' },
      );
    }
    adjust(platform.available, input.currency, -input.amount);
    adjust(this.fundsOf(destination.id).available, input.currency, input.amount);
    const id = newId('tr');
    const destinationPayment = newId('py');
    this.recordMovement(destination.id, {
      type: 'payment',
      reportingCategory: 'charge',
      amount: input.amount,
      currency: input.currency,
      source: destinationPayment,
    });
    const transfer: Transfer = {
      id,
      object: 'transfer',
      amount: input.amount,
      amount_reversed: 0,
      balance_transaction: this.recordMovement(this.platform.id, {
        type: 'transfer',
        reportingCategory: 'transfer',
        amount: -input.amount,
        currency: input.currency,
        source: id,
      }),
      created: this.clock.now(),
      currency: input.currency,
      description: input.description,
      destination: destination.id,
      destination_payment: destinationPayment,
      livemode: this.livemode,
      metadata: input.metadata,
      reversals: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/transfers/${id}/reversals` },
      reversed: false,
      source_transaction: null,
      source_type: input.sourceType,
      transfer_group: input.transferGroup,
    };
    this.transfers.set(id, transfer);
    this.publish('transfer.created', transfer);
    return transfer;
  }

  transfer(id: string): Transfer {
    const transfer = this.transfers.get(id);
    if (!transfer) throw notFound('transfer', id);
    return transfer;
  }

  updateTransfer(transfer: Transfer, patch: { description?: string; metadata?: Record<string, string> }): Transfer {
    const before = structuredClone(transfer);
    if (patch.description !== undefined) transfer.description = patch.description;
    if (patch.metadata !== undefined) transfer.metadata = patch.metadata;
    const previous = previousAttributes(before, transfer);
    if (Object.keys(previous).length > 0) this.publish('transfer.updated', transfer, { previous });
    return transfer;
  }

  reversalsOf(transferId: string): TransferReversal[] {
    return this.reversals.get(transferId) ?? [];
  }

  /** Pulls money back from the connected account (its balance may go negative, as on Stripe). */
  reverseTransfer(transfer: Transfer, input: { amount?: number; metadata: Record<string, string> }): TransferReversal {
    const remaining = transfer.amount - transfer.amount_reversed;
    if (remaining === 0) {
      throw invalidRequest(`Transfer ${transfer.id} has already been fully reversed.`);
    }
    const amount = input.amount ?? remaining;
    if (amount > remaining) {
      throw invalidRequest(
        `Reversal amount (${amount}) is greater than the remaining transfer amount (${remaining}).`,
        { param: 'amount' },
      );
    }
    adjust(this.fundsOf(transfer.destination).available, transfer.currency, -amount);
    adjust(this.fundsOf(this.platform.id).available, transfer.currency, amount);
    const reversalId = newId('trr');
    this.recordMovement(transfer.destination, {
      type: 'payment_refund',
      reportingCategory: 'refund',
      amount: -amount,
      currency: transfer.currency,
      source: transfer.destination_payment,
    });
    const reversal: TransferReversal = {
      id: reversalId,
      object: 'transfer_reversal',
      amount,
      balance_transaction: this.recordMovement(this.platform.id, {
        type: 'transfer_refund',
        reportingCategory: 'transfer_reversal',
        amount,
        currency: transfer.currency,
        source: reversalId,
      }),
      created: this.clock.now(),
      currency: transfer.currency,
      destination_payment_refund: newId('pyr'),
      metadata: input.metadata,
      source_refund: null,
      transfer: transfer.id,
    };
    const all = [...this.reversalsOf(transfer.id), reversal];
    this.reversals.set(transfer.id, all);
    transfer.amount_reversed += amount;
    transfer.reversed = transfer.amount_reversed === transfer.amount;
    transfer.reversals = {
      ...transfer.reversals,
      data: all.slice(-EMBEDDED_REVERSALS).reverse(),
      has_more: all.length > EMBEDDED_REVERSALS,
      total_count: all.length,
    };
    this.publish('transfer.reversed', transfer);
    return reversal;
  }

  // Top-ups

  createTopup(input: {
    amount: number;
    currency: string;
    description: string | null;
    statementDescriptor: string | null;
    metadata: Record<string, string>;
    transferGroup: string | null;
  }): Topup {
    if (!this.settings.topupsEnabled) {
      throw invalidRequest('Top-ups are not enabled for your account. Please contact Stripe support to enable them.');
    }
    const created = this.clock.now();
    const id = newId('tu');
    const topup: Topup = {
      id,
      object: 'topup',
      amount: input.amount,
      balance_transaction: this.recordMovement(this.platform.id, {
        type: 'topup',
        reportingCategory: 'topup',
        amount: input.amount,
        currency: input.currency,
        source: id,
        availableOn: created + TOPUP_AVAILABILITY_SECONDS,
      }),
      created,
      currency: input.currency,
      description: input.description,
      expected_availability_date: created + TOPUP_AVAILABILITY_SECONDS,
      failure_code: null,
      failure_message: null,
      livemode: this.livemode,
      metadata: input.metadata,
      source: null,
      statement_descriptor: input.statementDescriptor,
      status: 'pending',
      transfer_group: input.transferGroup,
    };
    adjust(this.fundsOf(this.platform.id).pending, topup.currency, topup.amount);
    this.topups.set(topup.id, topup);
    this.publish('topup.created', topup);
    return topup;
  }

  topup(id: string): Topup {
    const topup = this.topups.get(id);
    if (!topup) throw notFound('topup', id);
    return topup;
  }

  updateTopup(topup: Topup, patch: { description?: string; metadata?: Record<string, string> }): Topup {
    if (patch.description !== undefined) topup.description = patch.description;
    if (patch.metadata !== undefined) topup.metadata = patch.metadata;
    return topup;
  }

  settleTopup(topup: Topup, outcome: TopupOutcome): Topup {
    const allowedFrom = outcome === 'reversed' ? 'succeeded' : 'pending';
    if (topup.status !== allowedFrom) {
      throw invalidRequest(`This top-up cannot be ${outcome} because its status is ${topup.status}.`);
    }
    const funds = this.fundsOf(this.platform.id);
    if (outcome === 'reversed') {
      adjust(funds.available, topup.currency, -topup.amount);
    } else {
      adjust(funds.pending, topup.currency, -topup.amount);
      if (outcome === 'succeeded') adjust(funds.available, topup.currency, topup.amount);
    }
    if (outcome !== 'succeeded') {
      this.recordMovement(this.platform.id, {
        type: 'topup_reversal',
        reportingCategory: 'topup_reversal',
        amount: -topup.amount,
        currency: topup.currency,
        source: topup.id,
      });
    }
    if (outcome === 'failed') {
      topup.failure_code = 'insufficient_funds';
      topup.failure_message = 'The bank account did not have sufficient funds for this top-up.';
    }
    topup.status = outcome;
    this.publish(`topup.${outcome}`, topup);
    if (outcome === 'succeeded') this.publish('balance.available', this.balance(this.platform.id));
    return topup;
  }

  // Balance transactions

  /** Records a movement of an account's balance; returns the balance transaction's id. */
  recordMovement(
    accountId: string,
    input: {
      type: string;
      reportingCategory: string;
      amount: number;
      currency: string;
      source: string;
      availableOn?: number;
    },
  ): string {
    const created = this.clock.now();
    const movement: BalanceTransaction = {
      id: newId('txn'),
      object: 'balance_transaction',
      amount: input.amount,
      available_on: input.availableOn ?? created,
      created,
      currency: input.currency,
      description: null,
      exchange_rate: null,
      fee: 0,
      fee_details: [],
      net: input.amount,
      reporting_category: input.reportingCategory,
      source: input.source,
      status: 'pending',
      type: input.type,
    };
    const all = this.movements.get(accountId) ?? [];
    all.push(movement);
    this.movements.set(accountId, all);
    return movement.id;
  }

  /** An account's balance transactions, oldest first, each `available` once its `available_on` has come. */
  balanceTransactions(accountId: string): BalanceTransaction[] {
    const now = this.clock.now();
    return (this.movements.get(accountId) ?? []).map((movement) => {
      movement.status = movement.available_on <= now ? 'available' : 'pending';
      return movement;
    });
  }

  /** Platform funds from a charge, pending until `availableOn` (Unix seconds). */
  addPendingFunds(currency: string, amount: number, availableOn: number): void {
    const source = newId('ch');
    adjust(this.fundsOf(this.platform.id).pending, currency, amount);
    this.recordMovement(this.platform.id, {
      type: 'charge',
      reportingCategory: 'charge',
      amount,
      currency,
      source,
      availableOn,
    });
    this.pendingCharges.set(source, { currency, amount, availableOn });
  }

  /** What Stripe does as days pass: pending top-ups and charges whose date has come become available. */
  releaseDueFunds(): void {
    const now = this.clock.now();
    for (const topup of this.topups.values()) {
      if (topup.status === 'pending' && topup.expected_availability_date <= now) this.settleTopup(topup, 'succeeded');
    }
    for (const [source, charge] of this.pendingCharges) {
      if (charge.availableOn > now) continue;
      const funds = this.fundsOf(this.platform.id);
      adjust(funds.pending, charge.currency, -charge.amount);
      adjust(funds.available, charge.currency, charge.amount);
      this.pendingCharges.delete(source);
      this.publish('balance.available', this.balance(this.platform.id));
    }
  }

  balanceTransaction(accountId: string, id: string): BalanceTransaction {
    const found = this.balanceTransactions(accountId).find((movement) => movement.id === id);
    if (!found) throw notFound('balance_transaction', id);
    return found;
  }

  // External accounts and payouts

  private withBankAccount(account: Account, accountNumber: string, keep: BankAccount[]): ListObject<BankAccount> {
    const bank: BankAccount = {
      id: newId('ba'),
      object: 'bank_account',
      account: account.id,
      account_holder_name: null,
      account_holder_type: 'individual',
      bank_name: 'STRIPE TEST BANK',
      country: account.country,
      currency: account.default_currency,
      default_for_currency: true,
      fingerprint: newId('fp', 14).slice(4),
      last4: accountNumber.slice(-4),
      metadata: {},
      routing_number: '110000000',
      status: 'new',
    };
    this.accountNumbers.set(bank.id, accountNumber);
    const data = [bank, ...keep.map((other) => ({ ...other, default_for_currency: false }))];
    return {
      object: 'list',
      data,
      has_more: false,
      total_count: data.length,
      url: `/v1/accounts/${account.id}/external_accounts`,
    };
  }

  /** The seller adds a bank account and makes it the default; with `replace`, the old ones are removed (as the Express Dashboard does). */
  addBankAccount(accountId: string, accountNumber: string, options: { replace: boolean }): BankAccount {
    const account = this.connectedAccount(accountId, () => notFound('account', accountId, 'account'));
    const old = account.external_accounts.data;
    account.external_accounts = this.withBankAccount(account, accountNumber, options.replace ? [] : old);
    const added = account.external_accounts.data[0]!;
    this.publish('account.external_account.created', added, { account: account.id });
    if (options.replace)
      for (const removed of old) this.publish('account.external_account.deleted', removed, { account: account.id });
    return added;
  }

  deleteBankAccount(accountId: string, bankAccountId: string): BankAccount {
    const account = this.connectedAccount(accountId, () => notFound('account', accountId, 'account'));
    const bank = account.external_accounts.data.find((candidate) => candidate.id === bankAccountId);
    if (!bank) throw notFound('bank_account', bankAccountId);
    if (bank.default_for_currency && account.external_accounts.data.length > 1) {
      throw invalidRequest(
        'You cannot delete the default external account for your default currency. Please make another external account the default and try again.',
      );
    }
    const data = account.external_accounts.data.filter((candidate) => candidate !== bank);
    account.external_accounts = { ...account.external_accounts, data, total_count: data.length };
    this.publish('account.external_account.deleted', bank, { account: account.id });
    return bank;
  }

  /**
   * An automatic daily payout: the account's available balance in its default currency goes to its default bank account.
   * The bank's answer comes at once: paid, or failed with the test number's code (the money comes back to the balance).
   */
  payOut(accountId: string): Payout | undefined {
    const account = this.connectedAccount(accountId, () => notFound('account', accountId, 'account'));
    const bank = account.external_accounts.data.find((candidate) => candidate.default_for_currency);
    const currency = [...this.fundsOf(account.id).available].find(([, amount]) => amount > 0)?.[0];
    if (!bank || !currency) return undefined;
    const amount = this.fundsOf(account.id).available.get(currency) ?? 0;
    const created = this.clock.now();
    const id = newId('po');
    adjust(this.fundsOf(account.id).available, currency, -amount);
    const payout: Payout = {
      id,
      object: 'payout',
      amount,
      arrival_date: created + 2 * 86_400,
      automatic: true,
      balance_transaction: this.recordMovement(account.id, {
        type: 'payout',
        reportingCategory: 'payout',
        amount: -amount,
        currency,
        source: id,
      }),
      created,
      currency,
      description: 'STRIPE PAYOUT',
      destination: bank.id,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      livemode: this.livemode,
      metadata: {},
      method: 'standard',
      source_type: 'card',
      statement_descriptor: null,
      status: 'pending',
      type: 'bank_account',
    };
    this.payouts.set(id, payout);
    this.payoutAccounts.set(id, account.id);
    this.publish('payout.created', payout, { account: account.id });
    const failure = FAILING_ACCOUNT_NUMBERS[this.accountNumbers.get(bank.id) ?? ''];
    if (failure) {
      adjust(this.fundsOf(account.id).available, currency, amount);
      payout.status = 'failed';
      payout.failure_code = failure.code;
      payout.failure_message = failure.message;
      payout.failure_balance_transaction = this.recordMovement(account.id, {
        type: 'payout_failure',
        reportingCategory: 'payout_reversal',
        amount,
        currency,
        source: id,
      });
      this.publish('payout.failed', payout, { account: account.id });
    } else {
      payout.status = 'paid';
      this.publish('payout.paid', payout, { account: account.id });
    }
    return payout;
  }

  payoutsOf(accountId: string): Payout[] {
    return [...this.payouts.values()].filter((payout) => this.payoutAccounts.get(payout.id) === accountId);
  }

  /** The seller disconnects from the platform in their Dashboard. */
  deauthorize(accountId: string): void {
    const account = this.connectedAccount(accountId, () => notFound('account', accountId, 'account'));
    this.deauthorized.add(account.id);
    this.publish(
      'account.application.deauthorized',
      { id: 'ca_payoutops', object: 'application', name: 'Payout Ops Platform' },
      { account: account.id },
    );
  }
}
