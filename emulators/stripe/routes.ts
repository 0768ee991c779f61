import { COUNTRY_CURRENCIES, needsRecipientAgreement, SUPPORTED_CURRENCIES } from './countries.js';
import { invalidRequest, missingReference, notFound, paramError } from './errors.js';
import { type FormObject, formList } from './form.js';
import { applyMetadata, inRange, Params, rejectUnknownParams } from './params.js';
import {
  type Account,
  type AccountController,
  type AccountType,
  type BusinessProfile,
  type Ledger,
  type ListObject,
  newId,
  type ServiceAgreement,
} from './state.js';
import type { EventOrigin, StripeEvent, WebhookDispatcher } from './webhooks.js';

export interface ApiContext {
  pathParams: Record<string, string>;
  form: FormObject;
  /** The connected account named by `Stripe-Account`, when the route honours it. */
  onBehalfOf: Account | null;
  ledger: Ledger;
  webhooks: WebhookDispatcher;
  baseUrl: string;
  /** Stamped on the events the request causes. */
  origin: EventOrigin;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
  /** Whether the route may be called on behalf of a connected account (`Stripe-Account`). */
  connected: boolean;
  handle(ctx: ApiContext): object;
}

const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'created'];
const BUSINESS_TYPES = ['individual', 'company', 'non_profit', 'government_entity'] as const;
const CAPABILITIES = [
  'acss_debit_payments',
  'affirm_payments',
  'afterpay_clearpay_payments',
  'bancontact_payments',
  'card_issuing',
  'card_payments',
  'cartes_bancaires_payments',
  'crypto_transfers',
  'eps_payments',
  'ideal_payments',
  'klarna_payments',
  'legacy_payments',
  'link_payments',
  'p24_payments',
  'sepa_debit_payments',
  'tax_reporting_us_1099_k',
  'tax_reporting_us_1099_misc',
  'transfers',
  'treasury',
  'us_bank_account_ach_payments',
];
const BUSINESS_PROFILE_FIELDS = ['mcc', 'name', 'product_description', 'support_email', 'url'] as const;
/** Nested hashes Stripe accepts on accounts that the emulator stores nothing for. */
const UNMODELLED_ACCOUNT_PARAMS = [
  'account_token',
  'company',
  'documents',
  'external_account',
  'groups',
  'individual',
  'settings',
];

const CONTROLLER_BY_TYPE: Record<Exclude<AccountType, 'none'>, Omit<AccountController, 'is_controller' | 'type'>> = {
  express: {
    fees: { payer: 'application' },
    losses: { payments: 'application' },
    requirement_collection: 'stripe',
    stripe_dashboard: { type: 'express' },
  },
  standard: {
    fees: { payer: 'account' },
    losses: { payments: 'stripe' },
    requirement_collection: 'stripe',
    stripe_dashboard: { type: 'full' },
  },
  custom: {
    fees: { payer: 'application' },
    losses: { payments: 'application' },
    requirement_collection: 'application',
    stripe_dashboard: { type: 'none' },
  },
};

function currency(p: Params, key = 'currency'): string {
  const value = p.requiredString(key).toLowerCase();
  if (!SUPPORTED_CURRENCIES.has(value)) {
    throw paramError(
      `Invalid currency: ${value}. Stripe currently supports these currencies: ${[...SUPPORTED_CURRENCIES].sort().join(', ')}`,
      p.name(key),
    );
  }
  return value;
}

function email(p: Params): string | undefined {
  const value = p.string('email');
  if (value !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    throw paramError(`Invalid email address: ${value}`, 'email', 'email_invalid');
  }
  return value;
}

function businessProfile(p: Params): Partial<BusinessProfile> | undefined {
  const nested = p.object('business_profile', [
    ...BUSINESS_PROFILE_FIELDS,
    'annual_revenue',
    'estimated_worker_count',
    'minority_owned_business_designation',
    'monthly_estimated_revenue',
    'support_address',
    'support_phone',
    'support_url',
  ]);
  if (!nested) return undefined;
  const profile: Partial<BusinessProfile> = {};
  for (const field of BUSINESS_PROFILE_FIELDS) {
    const value = nested.string(field);
    if (value !== undefined) profile[field] = value;
  }
  return profile;
}

/** `capabilities[transfers][requested]=true` → ['transfers']. */
function requestedCapabilities(p: Params): string[] | undefined {
  const nested = p.object('capabilities', CAPABILITIES);
  if (!nested) return undefined;
  return CAPABILITIES.filter((name) => nested.object(name, ['requested'])?.boolean('requested') === true);
}

function accountKind(p: Params): { type: AccountType; controller: AccountController } {
  const type = p.oneOf('type', ['express', 'standard', 'custom']);
  const controller = p.object('controller', ['fees', 'losses', 'requirement_collection', 'stripe_dashboard']);
  if (type && controller) throw paramError('You cannot specify both `type` and `controller`.', 'controller');
  if (type) return { type, controller: { ...CONTROLLER_BY_TYPE[type], is_controller: true, type: 'application' } };
  if (!controller) throw paramError('You must specify either `type` or `controller`.', 'type', 'parameter_missing');
  const dashboard =
    controller.object('stripe_dashboard', ['type'])?.oneOf('type', ['express', 'full', 'none']) ?? 'full';
  const collection = controller.oneOf('requirement_collection', ['application', 'stripe']) ?? 'stripe';
  const payer = controller.object('fees', ['payer'])?.oneOf('payer', ['account', 'application']);
  const losses = controller.object('losses', ['payments'])?.oneOf('payments', ['application', 'stripe']);
  const inferred: AccountType =
    dashboard === 'express'
      ? 'express'
      : dashboard === 'full'
        ? 'standard'
        : collection === 'application'
          ? 'custom'
          : 'none';
  return {
    type: inferred,
    controller: {
      fees: { payer: payer ?? (dashboard === 'full' ? 'account' : 'application') },
      is_controller: true,
      losses: { payments: losses ?? (dashboard === 'full' ? 'stripe' : 'application') },
      requirement_collection: collection,
      stripe_dashboard: { type: dashboard },
      type: 'application',
    },
  };
}

function createAccount(ctx: ApiContext): Account {
  const p = new Params(ctx.form, [
    'type',
    'controller',
    'country',
    'email',
    'business_type',
    'business_profile',
    'capabilities',
    'tos_acceptance',
    'metadata',
    'default_currency',
    ...UNMODELLED_ACCOUNT_PARAMS,
  ]);
  const { type, controller } = accountKind(p);
  const rawCountry = p.string('country');
  const country = rawCountry?.toUpperCase() ?? ctx.ledger.settings.country;
  if (!(country in COUNTRY_CURRENCIES)) {
    throw paramError(
      `Country '${rawCountry}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'. A full list of country codes is available at https://www.iso.org/obp/ui/#search`,
      'country',
    );
  }
  const serviceAgreement: ServiceAgreement =
    p
      .object('tos_acceptance', ['service_agreement', 'date', 'ip', 'user_agent'])
      ?.oneOf('service_agreement', ['full', 'recipient']) ?? 'full';
  const requested = requestedCapabilities(p);
  const capabilities =
    requested && requested.length > 0
      ? requested
      : serviceAgreement === 'recipient'
        ? ['transfers']
        : ['card_payments', 'transfers'];
  if (serviceAgreement === 'recipient' && capabilities.includes('card_payments')) {
    throw paramError(
      'The `card_payments` capability cannot be requested for accounts under the `recipient` service agreement.',
      'capabilities[card_payments]',
    );
  }
  if (
    controller.stripe_dashboard.type !== 'full' &&
    serviceAgreement !== 'recipient' &&
    needsRecipientAgreement(ctx.ledger.settings.country, country)
  ) {
    throw invalidRequest(
      `Cross-border payouts to accounts in ${country} from a platform in ${ctx.ledger.settings.country} require the recipient service agreement (tos_acceptance[service_agreement]=recipient).`,
      { param: 'tos_acceptance[service_agreement]' },
    );
  }
  const defaultCurrency = p.has('default_currency') ? currency(p, 'default_currency') : null;
  return ctx.ledger.createAccount({
    type,
    controller,
    country,
    email: email(p) ?? null,
    businessType: p.oneOf('business_type', BUSINESS_TYPES) ?? null,
    businessProfile: businessProfile(p) ?? {},
    requestedCapabilities: capabilities,
    serviceAgreement,
    defaultCurrency,
    metadata: applyMetadata({}, p.metadata()),
  });
}

function pathAccount(ctx: ApiContext): Account {
  const id = ctx.pathParams.id ?? '';
  const account = ctx.ledger.connectedAccount(id, () => notFound('account', id, 'account'));
  if (ctx.ledger.deauthorized.has(id)) {
    throw invalidRequest(
      `The provided key does not have access to account '${id}' (or that account does not exist). Application access may have been revoked.`,
      { code: 'account_invalid', status: 403 },
    );
  }
  return account;
}

function updateAccount(ctx: ApiContext): Account {
  const account = pathAccount(ctx);
  const p = new Params(ctx.form, [
    'email',
    'metadata',
    'business_profile',
    'business_type',
    'capabilities',
    'tos_acceptance',
    'default_currency',
    ...UNMODELLED_ACCOUNT_PARAMS,
  ]);
  const metadata = p.metadata();
  return ctx.ledger.updateAccount(account, {
    email: email(p),
    businessType: p.oneOf('business_type', BUSINESS_TYPES),
    businessProfile: businessProfile(p),
    requestedCapabilities: requestedCapabilities(p),
    metadata: metadata === undefined ? undefined : applyMetadata(account.metadata, metadata),
  });
}

function createAccountLink(ctx: ApiContext): object {
  const p = new Params(ctx.form, ['account', 'type', 'refresh_url', 'return_url', 'collect', 'collection_options']);
  const accountId = p.requiredString('account');
  const type = p.requiredOneOf('type', ['account_onboarding', 'account_update']);
  const refreshUrl = p.requiredUrl('refresh_url');
  const returnUrl = p.requiredUrl('return_url');
  const account = ctx.ledger.connectedAccount(accountId, () => missingReference('account', accountId, 'account'));
  if (type === 'account_update' && account.controller.requirement_collection !== 'application') {
    throw invalidRequest(
      'You can only create `account_update` Account Links for accounts whose requirements your platform collects (`controller[requirement_collection]=application`).',
      { param: 'type' },
    );
  }
  const link = ctx.ledger.createAccountLink({ account: account.id, type, refreshUrl, returnUrl });
  return {
    object: 'account_link',
    created: link.created,
    expires_at: link.expiresAt,
    url: `${ctx.baseUrl}/setup/e/${account.id}/${link.id}`,
  };
}

function createLoginLink(ctx: ApiContext): object {
  const account = pathAccount(ctx);
  rejectUnknownParams(ctx.form);
  if (account.type !== 'express') {
    throw invalidRequest('Login links can only be created for Express accounts.', { param: 'account' });
  }
  if (!account.details_submitted) {
    throw invalidRequest('Cannot create a login link for an account that has not completed onboarding.', {
      param: 'account',
    });
  }
  return {
    object: 'login_link',
    created: ctx.ledger.clock.now(),
    url: `${ctx.baseUrl}/express/${account.id}/${newId('ll')}`,
  };
}

/** Stripe's cursor pagination over objects kept oldest first; lists come back newest first. */
function list<T extends { id: string; created: number }>(
  p: Params,
  items: Iterable<T>,
  options: { url: string; kind: string; keep?: (item: T) => boolean },
): ListObject<T> {
  const limit = p.integer('limit', { min: 1, max: 100 }) ?? 10;
  const created = p.range('created');
  const startingAfter = p.string('starting_after');
  const endingBefore = p.string('ending_before');
  const newestFirst = [...items].reverse();
  const cursor = (id: string, param: string) => {
    const index = newestFirst.findIndex((item) => item.id === id);
    if (index === -1) throw missingReference(options.kind, id, param);
    return index;
  };
  const from = startingAfter ? cursor(startingAfter, 'starting_after') + 1 : 0;
  const to = endingBefore ? cursor(endingBefore, 'ending_before') : newestFirst.length;
  const window = newestFirst
    .slice(from, to)
    .filter((item) => inRange(item.created, created) && (options.keep?.(item) ?? true));
  return {
    object: 'list',
    data: endingBefore ? window.slice(-limit) : window.slice(0, limit),
    has_more: window.length > limit,
    url: options.url,
  };
}

function pathTransfer(ctx: ApiContext) {
  return ctx.ledger.transfer(ctx.pathParams.id ?? '');
}

function pathTopup(ctx: ApiContext) {
  return ctx.ledger.topup(ctx.pathParams.id ?? '');
}

function eventMatchesType(event: StripeEvent, pattern: string): boolean {
  return pattern.endsWith('.*') ? event.type.startsWith(pattern.slice(0, -1)) : event.type === pattern;
}

const ROUTES: Route[] = [
  {
    method: 'GET',
    template: '/v1/account',
    connected: true,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      return ctx.onBehalfOf ?? ctx.ledger.platform;
    },
  },
  { method: 'POST', template: '/v1/accounts', connected: false, handle: createAccount },
  {
    method: 'GET',
    template: '/v1/accounts',
    connected: false,
    handle: (ctx) =>
      list(new Params(ctx.form, LIST_PARAMS), ctx.ledger.accounts.values(), { url: '/v1/accounts', kind: 'account' }),
  },
  {
    method: 'GET',
    template: '/v1/accounts/:id',
    connected: false,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      return ctx.pathParams.id === ctx.ledger.platform.id ? ctx.ledger.platform : pathAccount(ctx);
    },
  },
  { method: 'POST', template: '/v1/accounts/:id', connected: false, handle: updateAccount },
  {
    method: 'DELETE',
    template: '/v1/accounts/:id',
    connected: false,
    handle: (ctx) => {
      const account = pathAccount(ctx);
      rejectUnknownParams(ctx.form);
      ctx.ledger.deleteAccount(account);
      return { id: account.id, object: 'account', deleted: true };
    },
  },
  { method: 'POST', template: '/v1/accounts/:id/login_links', connected: false, handle: createLoginLink },
  { method: 'POST', template: '/v1/account_links', connected: false, handle: createAccountLink },
  {
    method: 'GET',
    template: '/v1/balance',
    connected: true,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      return ctx.ledger.balance(ctx.onBehalfOf?.id ?? ctx.ledger.platform.id);
    },
  },
  {
    method: 'POST',
    template: '/v1/topups',
    connected: false,
    handle: (ctx) => {
      const p = new Params(ctx.form, [
        'amount',
        'currency',
        'description',
        'metadata',
        'source',
        'statement_descriptor',
        'transfer_group',
        'payment_method',
        'payment_method_options',
      ]);
      const amount = p.requiredInteger('amount', { min: 1 });
      const topupCurrency = currency(p);
      const descriptor = p.string('statement_descriptor');
      if (descriptor !== undefined && (descriptor.length > 15 || !/^[\x20-\x7e]*$/.test(descriptor))) {
        throw paramError('The statement descriptor must be at most 15 ASCII characters.', 'statement_descriptor');
      }
      const description = p.string('description', { maxLength: 5000 }) ?? null;
      const metadata = applyMetadata({}, p.metadata());
      const transferGroup = p.string('transfer_group') ?? null;
      const { settings } = ctx.ledger;
      if (settings.topupsEnabled && topupCurrency !== settings.defaultCurrency) {
        throw paramError(
          `Top-ups in ${topupCurrency} are not supported. Top-ups can only be created in your account's default currency (${settings.defaultCurrency}).`,
          'currency',
        );
      }
      return ctx.ledger.createTopup({
        amount,
        currency: topupCurrency,
        description,
        statementDescriptor: descriptor ?? null,
        metadata,
        transferGroup,
      });
    },
  },
  {
    method: 'GET',
    template: '/v1/topups',
    connected: false,
    handle: (ctx) => {
      const p = new Params(ctx.form, [...LIST_PARAMS, 'status', 'amount']);
      const status = p.oneOf('status', ['canceled', 'failed', 'pending', 'succeeded']);
      const amount = p.range('amount');
      return list(p, ctx.ledger.topups.values(), {
        url: '/v1/topups',
        kind: 'topup',
        keep: (topup) => (status === undefined || topup.status === status) && inRange(topup.amount, amount),
      });
    },
  },
  {
    method: 'GET',
    template: '/v1/topups/:id',
    connected: false,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      return pathTopup(ctx);
    },
  },
  {
    method: 'POST',
    template: '/v1/topups/:id',
    connected: false,
    handle: (ctx) => {
      const topup = pathTopup(ctx);
      const p = new Params(ctx.form, ['description', 'metadata']);
      const metadata = p.metadata();
      return ctx.ledger.updateTopup(topup, {
        description: p.string('description'),
        metadata: metadata === undefined ? undefined : applyMetadata(topup.metadata, metadata),
      });
    },
  },
  {
    method: 'POST',
    template: '/v1/topups/:id/cancel',
    connected: false,
    handle: (ctx) => {
      const topup = pathTopup(ctx);
      rejectUnknownParams(ctx.form);
      return ctx.ledger.settleTopup(topup, 'canceled');
    },
  },
  {
    method: 'POST',
    template: '/v1/transfers',
    connected: false,
    handle: (ctx) => {
      const p = new Params(ctx.form, [
        'amount',
        'currency',
        'destination',
        'description',
        'metadata',
        'transfer_group',
        'source_transaction',
        'source_type',
      ]);
      const amount = p.requiredInteger('amount', { min: 1 });
      const transferCurrency = currency(p);
      const destination = p.requiredString('destination');
      const description = p.string('description', { maxLength: 5000 }) ?? null;
      const metadata = applyMetadata({}, p.metadata());
      const transferGroup = p.string('transfer_group') ?? null;
      const sourceType = p.oneOf('source_type', ['bank_account', 'card', 'fpx']) ?? 'card';
      const sourceTransaction = p.string('source_transaction');
      if (sourceTransaction !== undefined) throw missingReference('charge', sourceTransaction, 'source_transaction');
      return ctx.ledger.createTransfer({
        amount,
        currency: transferCurrency,
        destination,
        description,
        metadata,
        transferGroup,
        sourceType,
      });
    },
  },
  {
    method: 'GET',
    template: '/v1/transfers',
    connected: false,
    handle: (ctx) => {
      const p = new Params(ctx.form, [...LIST_PARAMS, 'destination', 'transfer_group']);
      const destination = p.string('destination');
      const transferGroup = p.string('transfer_group');
      return list(p, ctx.ledger.transfers.values(), {
        url: '/v1/transfers',
        kind: 'transfer',
        keep: (transfer) =>
          (destination === undefined || transfer.destination === destination) &&
          (transferGroup === undefined || transfer.transfer_group === transferGroup),
      });
    },
  },
  {
    method: 'GET',
    template: '/v1/transfers/:id',
    connected: false,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      return pathTransfer(ctx);
    },
  },
  {
    method: 'POST',
    template: '/v1/transfers/:id',
    connected: false,
    handle: (ctx) => {
      const transfer = pathTransfer(ctx);
      const p = new Params(ctx.form, ['description', 'metadata']);
      const metadata = p.metadata();
      return ctx.ledger.updateTransfer(transfer, {
        description: p.string('description'),
        metadata: metadata === undefined ? undefined : applyMetadata(transfer.metadata, metadata),
      });
    },
  },
  {
    method: 'POST',
    template: '/v1/transfers/:id/reversals',
    connected: false,
    handle: (ctx) => {
      const transfer = pathTransfer(ctx);
      const p = new Params(ctx.form, ['amount', 'description', 'metadata', 'refund_application_fee']);
      return ctx.ledger.reverseTransfer(transfer, {
        amount: p.integer('amount', { min: 1 }),
        metadata: applyMetadata({}, p.metadata()),
      });
    },
  },
  {
    method: 'GET',
    template: '/v1/transfers/:id/reversals',
    connected: false,
    handle: (ctx) => {
      const transfer = pathTransfer(ctx);
      return list(
        new Params(ctx.form, ['limit', 'starting_after', 'ending_before']),
        ctx.ledger.reversalsOf(transfer.id),
        {
          url: `/v1/transfers/${transfer.id}/reversals`,
          kind: 'transfer reversal',
        },
      );
    },
  },
  {
    method: 'GET',
    template: '/v1/transfers/:id/reversals/:reversal',
    connected: false,
    handle: (ctx) => {
      const transfer = pathTransfer(ctx);
      rejectUnknownParams(ctx.form);
      const id = ctx.pathParams.reversal ?? '';
      const reversal = ctx.ledger.reversalsOf(transfer.id).find((candidate) => candidate.id === id);
      if (!reversal) throw notFound('transfer reversal', id);
      return reversal;
    },
  },
  {
    method: 'GET',
    template: '/v1/balance_transactions',
    connected: true,
    handle: (ctx) => {
      const p = new Params(ctx.form, [...LIST_PARAMS, 'type', 'source', 'currency', 'payout']);
      const type = p.string('type');
      const source = p.string('source');
      const txCurrency = p.string('currency')?.toLowerCase();
      if (p.has('payout'))
        throw paramError(
          'The emulator keeps no payout reconciliation: filtering by `payout` is not supported.',
          'payout',
        );
      return list(p, ctx.ledger.balanceTransactions(ctx.onBehalfOf?.id ?? ctx.ledger.platform.id), {
        url: '/v1/balance_transactions',
        kind: 'balance_transaction',
        keep: (movement) =>
          (type === undefined || movement.type === type) &&
          (source === undefined || movement.source === source) &&
          (txCurrency === undefined || movement.currency === txCurrency),
      });
    },
  },
  {
    method: 'GET',
    template: '/v1/balance_transactions/:id',
    connected: true,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      return ctx.ledger.balanceTransaction(ctx.onBehalfOf?.id ?? ctx.ledger.platform.id, ctx.pathParams.id ?? '');
    },
  },
  {
    method: 'GET',
    template: '/v1/payouts',
    connected: true,
    handle: (ctx) => {
      const p = new Params(ctx.form, [...LIST_PARAMS, 'status', 'arrival_date', 'destination']);
      const status = p.oneOf('status', ['pending', 'paid', 'failed', 'canceled']);
      const arrival = p.range('arrival_date');
      const destination = p.string('destination');
      return list(p, ctx.ledger.payoutsOf(ctx.onBehalfOf?.id ?? ctx.ledger.platform.id), {
        url: '/v1/payouts',
        kind: 'payout',
        keep: (payout) =>
          (status === undefined || payout.status === status) &&
          inRange(payout.arrival_date, arrival) &&
          (destination === undefined || payout.destination === destination),
      });
    },
  },
  {
    method: 'GET',
    template: '/v1/payouts/:id',
    connected: true,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      const id = ctx.pathParams.id ?? '';
      const payout = ctx.ledger
        .payoutsOf(ctx.onBehalfOf?.id ?? ctx.ledger.platform.id)
        .find((candidate) => candidate.id === id);
      if (!payout) throw notFound('payout', id);
      return payout;
    },
  },
  {
    method: 'GET',
    template: '/v1/accounts/:id/external_accounts',
    connected: false,
    handle: (ctx) => {
      const account = pathAccount(ctx);
      const p = new Params(ctx.form, ['limit', 'starting_after', 'ending_before', 'object']);
      p.oneOf('object', ['bank_account', 'card']);
      return list(
        p,
        [...account.external_accounts.data].reverse().map((bank, index) => ({ ...bank, created: index })),
        {
          url: `/v1/accounts/${account.id}/external_accounts`,
          kind: 'external_account',
        },
      );
    },
  },
  {
    method: 'POST',
    template: '/v1/accounts/:id/external_accounts',
    connected: false,
    handle: (ctx) => {
      const account = pathAccount(ctx);
      const p = new Params(ctx.form, ['external_account', 'default_for_currency', 'metadata']);
      const bank = p.object('external_account', [
        'object',
        'country',
        'currency',
        'account_number',
        'routing_number',
        'account_holder_name',
        'account_holder_type',
      ]);
      if (!bank)
        throw paramError(
          'The emulator takes `external_account` as a hash (object=bank_account, account_number, …), not a token.',
          'external_account',
        );
      bank.requiredOneOf('object', ['bank_account']);
      const number = bank.requiredString('account_number');
      if (!/^\d{4,17}$/.test(number))
        throw paramError(
          'The account number is not valid.',
          'external_account[account_number]',
          'account_number_invalid',
        );
      return ctx.ledger.addBankAccount(account.id, number, { replace: false });
    },
  },
  {
    method: 'DELETE',
    template: '/v1/accounts/:id/external_accounts/:bank',
    connected: false,
    handle: (ctx) => {
      const account = pathAccount(ctx);
      rejectUnknownParams(ctx.form);
      const bank = ctx.ledger.deleteBankAccount(account.id, ctx.pathParams.bank ?? '');
      return { id: bank.id, object: 'bank_account', deleted: true };
    },
  },
  {
    method: 'GET',
    template: '/v1/events',
    connected: true,
    handle: (ctx) => {
      const p = new Params(ctx.form, [...LIST_PARAMS, 'type', 'types']);
      const type = p.string('type');
      const types = p.strings('types');
      const account = ctx.onBehalfOf?.id;
      return list(
        p,
        ctx.webhooks.records.map((record) => record.event),
        {
          url: '/v1/events',
          kind: 'event',
          keep: (event) =>
            event.account === account &&
            (type === undefined || eventMatchesType(event, type)) &&
            (types.length === 0 || types.some((pattern) => eventMatchesType(event, pattern))),
        },
      );
    },
  },
  {
    method: 'GET',
    template: '/v1/events/:id',
    connected: true,
    handle: (ctx) => {
      rejectUnknownParams(ctx.form);
      const id = ctx.pathParams.id ?? '';
      const event = ctx.webhooks.event(id)?.event;
      if (!event || event.account !== ctx.onBehalfOf?.id) throw notFound('event', id);
      return event;
    },
  },
];

interface CompiledRoute {
  route: Route;
  segments: string[];
}

const COMPILED: CompiledRoute[] = ROUTES.map((route) => ({ route, segments: route.template.split('/') }));

export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParams: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const { route, segments: template } of COMPILED) {
    if (route.method !== method || template.length !== segments.length) continue;
    const pathParams: Record<string, string> = {};
    const matched = template.every((part, index) => {
      const actual = segments[index] ?? '';
      if (!part.startsWith(':')) return part === actual;
      if (actual === '') return false;
      pathParams[part.slice(1)] = decodeURIComponent(actual);
      return true;
    });
    if (matched) return { route, pathParams };
  }
  return undefined;
}

/** Replaces expandable ids (`expand[]=destination`, `expand[]=data.destination`) with their objects, on a copy. */
export function expand(result: object, form: FormObject, ledger: Ledger): object {
  const paths = form.expand === undefined ? [] : formList(form.expand).filter((path) => typeof path === 'string');
  if (paths.length === 0) return result;
  const copy = structuredClone(result) as Record<string, unknown>;
  const resolve = (id: string): object | undefined =>
    id.startsWith('acct_')
      ? ledger.findAccount(id)
      : id.startsWith('tr_')
        ? ledger.transfers.get(id)
        : id.startsWith('tu_')
          ? ledger.topups.get(id)
          : undefined;
  const walk = (node: unknown, segments: string[], full: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    const [head = '', ...rest] = segments;
    if (head === 'data' && record.object === 'list' && Array.isArray(record.data)) {
      for (const item of record.data) walk(item, rest, full);
      return;
    }
    if (rest.length > 0) {
      walk(record[head], rest, full);
      return;
    }
    const value = record[head];
    if (typeof value === 'object' && value !== null) return;
    const found = typeof value === 'string' ? resolve(value) : undefined;
    if (!found) throw paramError(`This property cannot be expanded (${full}).`, 'expand');
    record[head] = structuredClone(found);
  };
  for (const path of paths) walk(copy, path.split('.'), path);
  return copy;
}
